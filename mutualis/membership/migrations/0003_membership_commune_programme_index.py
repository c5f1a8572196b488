from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("membership", "0002_lifecycle"),
        ("programme", "0001_initial"),
        ("territory", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(fields=["commune", "programme"], name="membership_commune_prog"),
        ),
    ]
