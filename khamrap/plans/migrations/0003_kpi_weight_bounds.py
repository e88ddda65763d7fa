"""A KPI's weight lies in 0–100, held by the database too.

Drafts saved before the bound was checked may hold weights outside it (such a weight made the plan's pages
fail); they are cleared first, so the officer is asked for the weight again ("กรุณาระบุน้ำหนัก").
"""

from django.db import migrations, models
from django.db.models import Q


def clear_weights_out_of_bounds(apps, schema_editor):  # type: ignore[no-untyped-def]
    Kpi = apps.get_model("plans", "Kpi")
    Kpi.objects.filter(Q(weight__lt=0) | Q(weight__gt=100)).update(weight=None)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_plan_event_detached"),
    ]

    operations = [
        migrations.RunPython(clear_weights_out_of_bounds, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="kpi",
            constraint=models.CheckConstraint(
                condition=models.Q(("weight__isnull", True), models.Q(("weight__gte", 0), ("weight__lte", 100)), _connector="OR"),
                name="kpi_weight_0_to_100",
            ),
        ),
    ]
