from django.urls import path

from khamrap.plans import views, views_documents, views_history, views_versions

urlpatterns = [
    path("plans/<str:org>/", views.plan_detail, name="plan-detail"),
    path("plans/<str:org>/issues/", views.issue_create, name="issue-create"),
    path("plans/<str:org>/issues/<int:pk>/", views.issue_update, name="issue-update"),
    path("plans/<str:org>/issues/<int:pk>/delete/", views.issue_delete, name="issue-delete"),
    path("plans/<str:org>/issues/<int:pk>/move/", views.issue_move, name="issue-move"),
    path("plans/<str:org>/issues/<int:issue_pk>/goals/", views.goal_create, name="goal-create"),
    path("plans/<str:org>/goals/<int:pk>/", views.goal_update, name="goal-update"),
    path("plans/<str:org>/goals/<int:pk>/delete/", views.goal_delete, name="goal-delete"),
    path("plans/<str:org>/goals/<int:pk>/move/", views.goal_move, name="goal-move"),
    path("plans/<str:org>/goals/<int:goal_pk>/kpis/", views.kpi_create, name="kpi-create"),
    path("plans/<str:org>/kpis/<int:pk>/", views.kpi_save, name="kpi-save"),
    path("plans/<str:org>/kpis/<int:pk>/delete/", views.kpi_delete, name="kpi-delete"),
    path("plans/<str:org>/kpis/<int:pk>/move/", views.kpi_move, name="kpi-move"),
    path("plans/<str:org>/submit/", views.plan_submit, name="plan-submit"),
    path("plans/<str:org>/approve/", views.plan_approve, name="plan-approve"),
    path("plans/<str:org>/send-back/", views.plan_send_back, name="plan-send-back"),
    path("plans/<str:org>/history/", views_history.plan_history_page, name="plan-history"),
    path("plans/<str:org>/history.xlsx", views_history.plan_history_export, name="plan-history-export"),
    path("plans/<str:org>/versions/", views_versions.plan_versions_page, name="plan-versions"),
    path("plans/<str:org>/versions.xlsx", views_versions.plan_versions_export, name="plan-versions-export"),
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
