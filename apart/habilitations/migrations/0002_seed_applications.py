from django.db import migrations

APPLICATIONS = [
    ("APART", "Activité Partielle", 365),
    ("SYLAE", "Sylaé", 365),
    ("ELISA", "Elisa", 365),
    ("DEFI", "Défi", 365),
    ("SERVICE_CIVIQUE", "Service Civique", 365),
    ("ENTREPRISES_ADAPTEES", "Entreprises Adaptées", 365),
]


def seed(apps, schema_editor):
    Application = apps.get_model("habilitations", "Application")
    for code, name, days in APPLICATIONS:
        Application.objects.update_or_create(
            code=code, defaults={"name": name, "default_validity_days": days}
        )


class Migration(migrations.Migration):
    dependencies = [("habilitations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
