"""The household list's area filter offers the areas of the user's own scope (no typed
12-digit codes), and the household page's two status forms have headings and labels."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tuopin.conftest import COUNTY, TOWNSHIP, VILLAGE_A, VILLAGE_B
from tuopin.core.errors import PermissionDenied
from tuopin.registry import selectors

pytestmark = pytest.mark.usefixtures("households")


def codes(choices: list[selectors.AreaChoice]) -> list[str]:
    return [c.code for c in choices]


def test_a_cadre_is_offered_their_village_only(cadre_a) -> None:  # type: ignore[no-untyped-def]
    assert codes(selectors.area_choices_for(cadre_a)) == [VILLAGE_A]


def test_a_county_officer_is_offered_the_county_its_townships_and_villages(  # type: ignore[no-untyped-def]
    county_officer,
) -> None:
    choices = selectors.area_choices_for(county_officer)
    assert codes(choices) == [COUNTY, TOWNSHIP, VILLAGE_A, VILLAGE_B]
    assert [c.depth for c in choices] == [0, 1, 2, 2]
    assert choices[2].indented == "\u3000\u3000溪丘湾村"


def test_a_nationwide_user_is_offered_the_deepest_levels_that_fit(  # type: ignore[no-untyped-def]
    operator, monkeypatch
) -> None:
    # The tree: 2 provinces, 2 prefectures, 2 counties, 2 townships, 3 villages.
    monkeypatch.setattr(selectors, "AREA_CHOICES_LIMIT", 5)
    assert codes(selectors.area_choices_for(operator)) == [
        "420000000000",
        "422800000000",
        "620000000000",
        "621100000000",
    ]
    monkeypatch.setattr(selectors, "AREA_CHOICES_LIMIT", 1)  # one level at least
    assert codes(selectors.area_choices_for(operator)) == ["420000000000", "620000000000"]


def test_someone_without_the_registry_is_offered_nothing(observer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        selectors.area_choices_for(observer)


def _options(html: str) -> dict[str, tuple[str, bool]]:
    select = re.search(r'<select id="f-area" name="area">(.*?)</select>', html, re.S)
    assert select is not None
    return {
        value: (text.strip("\u3000"), bool(selected))
        for value, selected, text in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select.group(1)
        )
    }


def test_the_household_list_filters_by_a_chosen_village(client: Client, county_officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(county_officer)
    options = _options(client.get("/registry/households/").content.decode())
    assert options[""] == ("全部区划", False)
    assert options[VILLAGE_B] == ("红岩村", False) and COUNTY in options
    html = client.get(f"/registry/households/?area={VILLAGE_B}").content.decode()
    assert _options(html)[VILLAGE_B] == ("红岩村", True)
    assert "B001" in html and "A001" not in html


def test_an_area_deeper_than_the_choices_is_still_shown_as_chosen(  # type: ignore[no-untyped-def]
    client: Client, operator, monkeypatch
) -> None:
    monkeypatch.setattr(selectors, "AREA_CHOICES_LIMIT", 5)
    client.force_login(operator)
    html = client.get(f"/registry/households/?area={VILLAGE_A}").content.decode()
    assert _options(html)[VILLAGE_A] == (f"溪丘湾村（{VILLAGE_A}）", True)
    assert "A001" in html and "B001" not in html


def _labelled_controls(form: str) -> list[tuple[str, bool]]:
    """Each control of ``form`` with whether it sits inside a <label>."""
    out = []
    for m in re.finditer(r"<(select|input|textarea)\b([^>]*)>", form):
        if 'type="hidden"' in m.group(2):
            continue
        before = form[: m.start()]
        inside = before.rfind("<label") > before.rfind("</label>")
        out.append((re.search(r'name="([^"]+)"', m.group(2)).group(1), inside))  # type: ignore[union-attr]
    return out


def test_the_status_forms_have_headings_and_labels_before_the_history(  # type: ignore[no-untyped-def]
    client: Client, county_officer
) -> None:
    client.force_login(county_officer)
    html = client.get("/registry/households/A001/").content.decode()
    member = html.index('<h3 id="member-status">')
    change = html.index('<h2 id="change-status">')
    history = html.index("状态变更记录</h2>")
    assert member < change < history
    forms = re.findall(r'<form method="post".*?</form>', html, re.S)
    by_action = {re.search(r'action="([^"]+)"', f).group(1): f for f in forms}  # type: ignore[union-attr]
    assert _labelled_controls(by_action["/registry/households/A001/members/"]) == [
        ("person", True),
        ("status", True),
        ("on", True),
    ]
    assert _labelled_controls(by_action["/registry/households/A001/status/"]) == [
        ("to_status", True),
        ("year", True),
        ("reason", True),
    ]
    assert 'aria-labelledby="member-status"' in by_action["/registry/households/A001/members/"]
