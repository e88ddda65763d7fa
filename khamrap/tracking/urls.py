from django.urls import path

from khamrap.tracking import views

urlpatterns = [
    path("tracking/", views.tracking, name="tracking"),
    path("tracking.xlsx", views.tracking_export, name="tracking-export"),
    path("tracking/window/", views.submission_window_update, name="submission-window"),
    path("tracking/extensions/", views.extension_create, name="extension-grant"),
]
