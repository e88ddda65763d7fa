from django.urls import path

from khamrap.review import views

urlpatterns = [
    path("review/", views.review_overview, name="review-overview"),
    path("review/review.xlsx", views.review_export, name="review-export"),
    path("review/assign/", views.review_assign, name="review-assign"),
    path("review/<str:org>/", views.review_plan, name="review-plan"),
    path("review/<str:org>/notes/", views.review_notes_save, name="review-notes"),
    path("review/<str:org>/return/", views.review_return, name="review-return"),
    path("review/<str:org>/ready/", views.review_ready, name="review-ready"),
    path("review/<str:org>/kpis/<uuid:uid>/", views.review_kpi_save, name="review-kpi"),
    path("review/<str:org>/kpis/<uuid:uid>/similar/", views.review_similar, name="review-similar"),
    path("review/<str:org>/answers/", views.review_answers, name="review-answers"),
    path("review/<str:org>/answers/<uuid:uid>/accept/", views.review_accept, name="review-accept"),
    path("review/<str:org>/answers/<uuid:uid>/answer/", views.review_answer, name="review-answer"),
]
