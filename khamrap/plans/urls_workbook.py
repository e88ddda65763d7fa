from django.urls import path

from khamrap.plans import views_workbook

urlpatterns = [
    path("plans/<str:org>/workbook.xlsx", views_workbook.plan_workbook, name="plan-workbook"),
    path(
        "plans/<str:org>/workbook/upload/", views_workbook.plan_workbook_upload, name="plan-workbook-upload"
    ),
    path("workbooks/bulk/", views_workbook.bulk_import, name="bulk-import"),
    path("workbooks/bulk/<int:pk>/", views_workbook.bulk_import_detail, name="bulk-import-detail"),
]
