"""Every form control on the pages people fill in has a label a screen reader announces: a
<label> around it or naming it, or an aria-label(ledby). The browser walk (test_walk_e2e)
checks this and more with axe-core on every page; this runs without a browser."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from tuopin.insurance import services as insurance
from tuopin.insurance.tests.test_progress import PERIOD, add_programme

pytestmark = pytest.mark.usefixtures("households")


class Controls(HTMLParser):
    """The page's visible controls, each with whether something labels it."""

    def __init__(self) -> None:
        super().__init__()
        self.open_labels = 0
        self.label_for: set[str] = set()
        self.ids: set[str] = set()
        self.found: list[tuple[str, str, bool]] = []  # tag, name, labelled by aria or nesting

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if a.get("for"):
                self.label_for.add(a["for"] or "")
        elif tag in ("input", "select", "textarea") and a.get("type") not in (
            "hidden",
            "submit",
            "button",
        ):
            aria = bool(a.get("aria-label") or a.get("aria-labelledby"))
            self.found.append(
                (a.get("id") or "", a.get("name") or "", aria or self.open_labels > 0)
            )

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.open_labels -= 1

    def unlabelled(self) -> list[str]:
        return [name for id_, name, ok in self.found if not ok and id_ not in self.label_for]


def unlabelled(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = Controls()
    parser.feed(response.content.decode())
    assert parser.found, f"{url}: no controls at all"
    return parser.unlabelled()


@pytest.mark.parametrize(
    "url",
    [
        "/registry/households/",
        "/registry/households/A001/",
        "/registry/people/",
        "/registry/import/",
        "/insurance/villages/",
        "/ledger/",
        "/ledger/verify",
    ],
)
def test_an_officer_s_forms_are_labelled(client: Client, county_officer, url: str) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    assert unlabelled(client, url) == []


def test_the_login_form_is_labelled(client: Client) -> None:
    assert unlabelled(client, "/login/") == []


def test_the_village_search_is_labelled(client: Client, cadre_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(cadre_a)
    assert unlabelled(client, "/insurance/villages/422823101201/") == []


def test_the_programme_s_period_select_and_enrollment_form_are_labelled(  # type: ignore[no-untyped-def]
    client: Client, operator
) -> None:
    add_programme(operator, "p1")
    insurance.enroll(programme_slug="p1", period_start=PERIOD.replace(month=2))
    client.force_login(operator)
    html = client.get("/insurance/programmes/p1/").content.decode()
    assert f'<option value="{PERIOD:%Y}-02-01"' in html  # two periods: the select is shown
    assert unlabelled(client, "/insurance/programmes/p1/") == []
