"""URL map: pages, the API at /api/v1/, the admin."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from .api import api
from .ledger.urls import page_patterns, tlog_patterns

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # C2SP tlog-tiles paths are a stable contract: no language prefix.
    path("ledger/", include(tlog_patterns)),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("tuopin.accounts.urls")),
    path("", include("tuopin.reports.urls")),
    path("registry/", include("tuopin.registry.urls")),
    path("charity/", include("tuopin.charity.urls")),
    path("insurance/", include("tuopin.insurance.urls")),
    path("casework/", include("tuopin.casework.urls")),
    path("ledger/", include(page_patterns)),
    prefix_default_language=False,
)
