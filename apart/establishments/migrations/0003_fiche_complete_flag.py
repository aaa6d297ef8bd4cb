from django.db import migrations, models

from apart.establishments.completeness import missing_items


def compute_flags(apps, schema_editor):
    """Fiches saved before the flag existed get it from the rules of today."""
    Fiche = apps.get_model("establishments", "EstablishmentFiche")
    for fiche in Fiche.objects.select_related("establishment"):
        establishment = fiche.establishment
        establishment.fiche = fiche
        fiche.complete = not missing_items(establishment)
        fiche.save(update_fields=["complete"])


class Migration(migrations.Migration):
    dependencies = [
        ("establishments", "0002_fiche_and_invitations"),
    ]

    operations = [
        migrations.AddField(
            model_name="establishmentfiche",
            name="complete",
            field=models.BooleanField(default=False, verbose_name="fiche complète"),
        ),
        migrations.RunPython(compute_flags, migrations.RunPython.noop),
    ]
