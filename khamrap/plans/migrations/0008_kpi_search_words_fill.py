"""Fill the KPI library's word columns of the KPIs stored before they existed (plans/indexing.py)."""

from django.db import migrations

BATCH = 500


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    from khamrap.plans.indexing import INDEXED_FIELDS, joined_words

    Kpi = apps.get_model("plans", "Kpi")
    batch = []
    for kpi in Kpi.objects.only("pk", *INDEXED_FIELDS).iterator(chunk_size=BATCH):
        kpi.name_words = joined_words([kpi.name])
        kpi.text_words = joined_words(getattr(kpi, name) for name in INDEXED_FIELDS)
        batch.append(kpi)
        if len(batch) >= BATCH:
            Kpi.objects.bulk_update(batch, ["name_words", "text_words"])
            batch = []
    Kpi.objects.bulk_update(batch, ["name_words", "text_words"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0007_kpi_search_words")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
