"""Existing needs campaigns belong to the programme of the communes that answered them, else to
the instance's preferred programme."""

from django.db import migrations
from django.utils import timezone

from mutualis.programme.backfill import programme_picker


def forwards(apps, schema_editor):
    Campaign = apps.get_model("purchasing", "Campaign")
    CampaignAnswer = apps.get_model("purchasing", "CampaignAnswer")
    pick = programme_picker(apps.get_model("programme", "Programme"), timezone.localdate())
    for campaign in Campaign.objects.filter(programme__isnull=True):
        epcis = CampaignAnswer.objects.filter(campaign=campaign).values_list(
            "commune__epci_id", flat=True
        )
        campaign.programme_id = pick(epcis)
        campaign.save(update_fields=["programme"])


class Migration(migrations.Migration):
    dependencies = [
        ("purchasing", "0003_campaign_programme"),
        ("programme", "0002_programme_life_and_assignments"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
