from django.urls import include, path

from khamrap.plans import views

urlpatterns = [
    path("tracking/", views.tracking, name="tracking"),
    path("plans/<str:org>/", views.plan_detail, name="plan-detail"),
    path("", include("khamrap.plans.urls_workbook")),
    path("", include("khamrap.plans.urls_documents")),
]
