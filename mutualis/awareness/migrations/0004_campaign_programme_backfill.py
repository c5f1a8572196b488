"""Existing campaigns belong to the programme of the communes they address (or of the commune that
launched them), else to the instance's preferred programme."""

from django.db import migrations
from django.utils import timezone

from mutualis.programme.backfill import programme_picker


def forwards(apps, schema_editor):
    Campaign = apps.get_model("awareness", "Campaign")
    pick = programme_picker(apps.get_model("programme", "Programme"), timezone.localdate())
    for campaign in Campaign.objects.filter(programme__isnull=True):
        epcis = set(campaign.communes.values_list("epci_id", flat=True))
        if campaign.commune_id:
            epcis.add(campaign.commune.epci_id)
        campaign.programme_id = pick(epcis)
        campaign.save(update_fields=["programme"])


class Migration(migrations.Migration):
    dependencies = [
        ("awareness", "0003_campaign_programme"),
        ("programme", "0002_programme_life_and_assignments"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
