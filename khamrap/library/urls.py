from django.urls import path

from khamrap.library import views

urlpatterns = [
    path("", views.library_page, name="library"),
    path("kpis.xlsx", views.library_export, name="library-export"),
    path("kpis/<uuid:uid>/", views.library_kpi, name="library-kpi"),
]
