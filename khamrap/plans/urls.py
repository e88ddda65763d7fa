from django.urls import path

from khamrap.plans import views

urlpatterns = [
    path("tracking/", views.tracking, name="tracking"),
    path("plans/<str:org>/", views.plan_detail, name="plan-detail"),
]
