from django.contrib import admin

from khamrap.core.admin import AdministratorOnly
from khamrap.orgs.models import ClusterMembership, Organisation


class MembershipInline(AdministratorOnly, admin.TabularInline[ClusterMembership, Organisation]):
    model = ClusterMembership
    fk_name = "cluster"
    extra = 0
    autocomplete_fields = ["province"]


@admin.register(Organisation)
class OrganisationAdmin(AdministratorOnly, admin.ModelAdmin[Organisation]):
    list_display = ["code", "name_th", "name_en", "kind", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["code", "name_th", "name_en"]
    inlines = [MembershipInline]


@admin.register(ClusterMembership)
class ClusterMembershipAdmin(AdministratorOnly, admin.ModelAdmin[ClusterMembership]):
    list_display = ["cluster", "province", "effective_from", "effective_to"]
    list_filter = ["cluster"]
    autocomplete_fields = ["cluster", "province"]
