from django.contrib import admin

from khamrap.core.admin import AdministratorOnly
from khamrap.review.models import KpiReview, PlanReview


class KpiReviewInline(AdministratorOnly, admin.TabularInline[KpiReview, PlanReview]):
    model = KpiReview
    extra = 0
    fields = ("kpi_code", "kpi_name", "verdict", "comment", "response", "answer")
    readonly_fields = fields


@admin.register(PlanReview)
class PlanReviewAdmin(AdministratorOnly, admin.ModelAdmin[PlanReview]):
    list_display = ["plan", "rounds", "updated_at", "updated_by"]
    list_select_related = ["plan__organisation", "plan__fiscal_year", "updated_by"]
    readonly_fields = ["plan", "rounds", "updated_by"]
    inlines = [KpiReviewInline]
