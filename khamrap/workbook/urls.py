from django.urls import path

from khamrap.workbook import views

urlpatterns = [
    path("plans/<str:org>/workbook.xlsx", views.plan_workbook, name="plan-workbook"),
    path("plans/<str:org>/workbook/upload/", views.plan_workbook_upload, name="plan-workbook-upload"),
    path(
        "plans/<str:org>/workbook/uploads/<int:pk>/confirm/",
        views.plan_workbook_confirm,
        name="plan-workbook-confirm",
    ),
    path(
        "plans/<str:org>/workbook/uploads/<int:pk>/undo/", views.plan_workbook_undo, name="plan-workbook-undo"
    ),
    path("workbooks/bulk/", views.bulk_import, name="bulk-import"),
    path("workbooks/bulk/<int:pk>/", views.bulk_import_detail, name="bulk-import-detail"),
]
