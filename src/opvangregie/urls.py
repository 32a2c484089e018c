from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from opvangregie import views as core_views
from opvangregie.accounts import views as account_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", account_views.second_factor, name="second_factor"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("organisations/", include("opvangregie.organisations.urls")),
    path("locations/", include("opvangregie.capacity.urls")),
    path("residents/", include("opvangregie.residents.urls")),
    path("placement/", include("opvangregie.placement.urls")),
    path("governance/", include("opvangregie.governance.urls")),
    path("audit/", include("opvangregie.audit.urls")),
    path("finance/", include("opvangregie.finance.urls")),
    path("reports/", include("opvangregie.reports.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("opvangregie.api.urls")),
]

if settings.OIDC_ENABLED:
    urlpatterns.insert(2, path("oidc/", include("mozilla_django_oidc.urls")))
