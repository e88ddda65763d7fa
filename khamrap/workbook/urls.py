from django.urls import path

from khamrap.workbook import views

urlpatterns = [
    path("plans/<str:org>/workbook.xlsx", views.plan_workbook, name="plan-workbook"),
    path("plans/<str:org>/workbook/upload/", views.plan_workbook_upload, name="plan-workbook-upload"),
    path("workbooks/bulk/", views.bulk_import, name="bulk-import"),
    path("workbooks/bulk/<int:pk>/", views.bulk_import_detail, name="bulk-import-detail"),
]
