from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from khamrap.core.admin import AdministratorOnly
from khamrap.frameworks.models import Dimension, FiscalYear, Framework, FrameworkIndicator, ReportRound


class ReportRoundInline(AdministratorOnly, admin.TabularInline[ReportRound, FiscalYear]):
    model = ReportRound
    extra = 0


@admin.register(FiscalYear)
class FiscalYearAdmin(AdministratorOnly, admin.ModelAdmin[FiscalYear]):
    list_display = ["year", "briefing_on", "submission_deadline", "submission_open", "negotiation_starts_on"]
    # The window opens and closes on the tracking page only, where closing is confirmed, the change counted
    # and the organisations still to send are told (tracking.services.submission_window_set).
    readonly_fields = ["submission_open", "submission_window_changes"]
    inlines = [ReportRoundInline]


class DimensionInline(AdministratorOnly, admin.TabularInline[Dimension, Framework]):
    model = Dimension
    extra = 0


class IndicatorInline(AdministratorOnly, admin.TabularInline[FrameworkIndicator, Framework]):
    model = FrameworkIndicator
    extra = 0
    fields = ["position", "code", "dimension", "name_th", "name_en", "weight", "is_plan_indicator"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        # Only the dimensions of the framework being edited.
        if (
            db_field.name == "dimension"
            and request.resolver_match
            and request.resolver_match.kwargs.get("object_id")
        ):
            kwargs["queryset"] = Dimension.objects.filter(
                framework_id=request.resolver_match.kwargs["object_id"]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Framework)
class FrameworkAdmin(AdministratorOnly, admin.ModelAdmin[Framework]):
    list_display = ["name_th", "fiscal_year", "organisation_kind", "scoring_method", "floor_score"]
    list_filter = ["fiscal_year", "organisation_kind"]
    inlines = [DimensionInline, IndicatorInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "fiscal_year",
                    "organisation_kind",
                    "name_th",
                    "scoring_method",
                    "floor_score",
                    "not_reported_score",
                    "requires_executive_approval",
                    "notes",
                ]
            },
        ),
        (
            _("เกณฑ์การตรวจความเหมาะสมอัตโนมัติ"),
            {
                "fields": [
                    ("kpi_count_min", "kpi_count_max"),
                    "kpi_weight_min",
                    "criteria_step_ratio",
                    "level5_change_ratio",
                    "name_similarity",
                ]
            },
        ),
    ]
