from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from khamrap.frameworks import views as framework_views
from khamrap.site import views as site_views

admin.site.site_header = "คำรับรอง · ผู้ดูแลระบบ"
admin.site.site_title = "คำรับรอง"

urlpatterns = [
    path("", site_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("years/<int:year>/", framework_views.fiscal_year_detail, name="fiscal-year"),
    path("years/<int:year>/frameworks/", framework_views.framework_list, name="frameworks"),
    path("years/<int:year>/organisations/", framework_views.organisation_list, name="organisations"),
    path("years/<int:year>/", include("khamrap.plans.urls")),
    path("years/<int:year>/", include("khamrap.workbook.urls")),
    path("years/<int:year>/", include("khamrap.tracking.urls")),
    path("years/<int:year>/", include("khamrap.review.urls")),
    path("inbox/", include("khamrap.notifications.urls")),
    path("library/", include("khamrap.library.urls")),
    path("admin/", admin.site.urls),
]
