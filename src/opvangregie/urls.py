from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from opvangregie import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("organisations/", include("opvangregie.organisations.urls")),
    path("locations/", include("opvangregie.capacity.urls")),
    path("residents/", include("opvangregie.residents.urls")),
    path("placement/", include("opvangregie.placement.urls")),
    path("finance/", include("opvangregie.finance.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("opvangregie.api.urls")),
]
