"""Re-key the names that held a letter `fold_name` used to drop (ł, ø, ß, æ, ...: Małgorzata was keyed as
'magorzata', so a search or match for Malgorzata missed her). Only rows holding such a letter are touched."""

from django.db import migrations
from django.db.models import Q

from cylch.people.text import UNDECOMPOSABLE_LETTERS, phonetic_key

LETTERS = "[" + "".join(UNDECOMPOSABLE_LETTERS) + "]"


def rekey(apps, schema_editor):
    for model_name in ("Person", "PersonName"):
        model = apps.get_model("people", model_name)
        affected = model.objects.filter(Q(given_name__regex=LETTERS) | Q(family_name__regex=LETTERS))
        for row in affected.only("pk", "given_name", "family_name").iterator():
            model.objects.filter(pk=row.pk).update(
                given_name_key=phonetic_key(row.given_name), family_name_key=phonetic_key(row.family_name)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_person_merged_into_partial_index"),
    ]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop, elidable=True)]
