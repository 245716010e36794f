"""Re-file the agency records whose names held a letter `fold_name` used to drop (ł, ø, ß, æ, ...) under
their new blocking keys, each still under the person its keys were filed under (a merge's survivor)."""

from django.db import migrations
from django.db.models import Q

from cylch.linkage.relink import INDEXED_FIELDS, indexed_values_keys
from cylch.people.text import UNDECOMPOSABLE_LETTERS

LETTERS = "[" + "".join(UNDECOMPOSABLE_LETTERS) + "]"


BATCH = 2000


def refile(apps, schema_editor):
    source_record = apps.get_model("people", "SourceRecord")
    blocking_key = apps.get_model("linkage", "BlockingKey")
    affected = source_record.objects.filter(Q(given_name__regex=LETTERS) | Q(family_name__regex=LETTERS))
    after = 0
    while batch := list(affected.filter(pk__gt=after).order_by("pk").values_list(*INDEXED_FIELDS)[:BATCH]):
        after = batch[-1][0]
        filed = blocking_key.objects.filter(source_record_id__in=[values[0] for values in batch])
        owners = dict(filed.values_list("source_record_id", "person_id"))
        filed.delete()
        blocking_key.objects.bulk_create(
            blocking_key(key=key, person_id=owners.get(values[0], values[1]), source_record_id=values[0])
            for values in batch
            for key in indexed_values_keys(values)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("linkage", "0001_initial"),
        ("people", "0003_rekey_undecomposable_letters"),
    ]

    operations = [migrations.RunPython(refile, migrations.RunPython.noop, elidable=True)]
