"""Re-file the agency records whose names hold a figure a scan puts for a letter (J0nes, E1is) under their new
blocking keys: folding used to drop the figure, and now reads it as the letter (`names.OCR_FIGURES`). Each stays
under the person its keys were filed under (a merge's survivor)."""

from django.db import migrations
from django.db.models import Q

from cylch.linkage.names import OCR_FIGURE_LETTERS
from cylch.linkage.relink import INDEXED_FIELDS, indexed_values_keys

FIGURES = "[" + "".join(OCR_FIGURE_LETTERS) + "]"
BATCH = 2000


def refile(apps, schema_editor):
    source_record = apps.get_model("people", "SourceRecord")
    blocking_key = apps.get_model("linkage", "BlockingKey")
    affected = source_record.objects.filter(Q(given_name__regex=FIGURES) | Q(family_name__regex=FIGURES))
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
    dependencies = [("linkage", "0003_matchreview_guard")]

    operations = [migrations.RunPython(refile, migrations.RunPython.noop, elidable=True)]
