"""URL map: pages, the API at /api/v1/, the admin."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from .api import api
from .ledger.urls import page_patterns, tlog_patterns

admin.site.site_header = _("脱贫 · 后台管理")
admin.site.site_title = _("脱贫后台")
admin.site.index_title = _("后台管理")


class FaviconRedirect(RedirectView):
    """Browsers ask for /favicon.ico whatever a page links: send them to the SVG icon (its
    hashed static URL, hence not a permanent redirect)."""

    def get_redirect_url(self, *args: object, **kwargs: object) -> str:
        return static("tuopin/favicon.svg")


urlpatterns: list[URLPattern | URLResolver] = [
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
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
    path("selection/", include("tuopin.selection.urls")),
    path("childcare/", include("tuopin.childcare.urls")),
    path("casework/", include("tuopin.casework.urls")),
    path("forest/", include("tuopin.forest.urls")),
    path("commerce/", include("tuopin.commerce.urls")),
    path("farming/", include("tuopin.farming.urls")),
    path("ledger/", include(page_patterns)),
    prefix_default_language=False,
)
