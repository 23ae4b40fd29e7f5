"""Two URL sets: the C2SP tlog-tiles paths (a stable contract, never language-prefixed) and
the pages (explorer, receipt check), which follow the language like every page."""

from django.urls import re_path

from . import views

_N = r"(?P<path>(?:x[0-9]{3}/)*[0-9]{3})"
_W = r"(?:\.p/(?P<width>[0-9]+))?"

tlog_patterns = (
    [
        re_path(r"^checkpoint$", views.checkpoint, name="checkpoint"),
        re_path(rf"^tile/entries/{_N}{_W}$", views.entries, name="entries"),
        re_path(rf"^tile/(?P<level>[0-9]+)/{_N}{_W}$", views.tile, name="tile"),
    ],
    "tlog",
)
page_patterns = (
    [
        re_path(r"^$", views.explorer, name="explorer"),
        re_path(r"^verify$", views.verify_page, name="verify"),
    ],
    "ledger",
)
