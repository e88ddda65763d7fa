from django.urls import path

from khamrap.plans import views_documents

urlpatterns = [
    path("plans/<str:org>/form.pdf", views_documents.plan_pdf, name="plan-pdf"),
    path("plans/<str:org>/attachments/", views_documents.plan_attachments, name="plan-attachments"),
    path(
        "plans/<str:org>/attachments/<int:pk>/",
        views_documents.plan_attachment_download,
        name="plan-attachment-download",
    ),
    path(
        "plans/<str:org>/attachments/<int:pk>/delete/",
        views_documents.plan_attachment_delete,
        name="plan-attachment-delete",
    ),
]
