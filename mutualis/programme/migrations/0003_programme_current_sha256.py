from django.db import migrations, models


def copy_current_digest(apps, schema_editor):
    """Each programme gets the digest of its latest version, as load_programme copies it."""
    Programme = apps.get_model("programme", "Programme")
    ProgrammeVersion = apps.get_model("programme", "ProgrammeVersion")
    for programme in Programme.objects.all():
        latest = ProgrammeVersion.objects.filter(programme=programme).order_by("-number").first()
        if latest is not None:
            programme.current_sha256 = latest.sha256
            programme.save(update_fields=["current_sha256"])


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0002_programme_life_and_assignments"),
    ]

    operations = [
        migrations.AddField(
            model_name="programme",
            name="current_sha256",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(copy_current_digest, migrations.RunPython.noop),
    ]
