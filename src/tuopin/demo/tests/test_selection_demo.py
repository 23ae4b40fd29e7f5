"""The selection demo: the teacher award's history as the report gives it, a proposal
waiting for the committee, the 魔豆妈妈 contest published on the ledger, an ACA cohort."""

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.areas import services as areas
from tuopin.commerce.models import Supplier
from tuopin.demo.selection import build_selection
from tuopin.demo.services import SEED_COUNTIES
from tuopin.selection.models import Application, Certificate, Programme, RunStatus, Status


def test_the_selection_demo_has_the_reports_figures(db, empty_the_log_afterwards) -> None:  # type: ignore[no-untyped-def]
    areas.load_national()
    for code in SEED_COUNTIES:
        areas.set_poverty_flags(code=code, national_poor=True)
    accounts.create_user(username="operator", role=roles.OPERATOR)
    build_selection(2018)
    history = Application.objects.filter(programme__slug="teachers-2018", status=Status.HISTORY)
    assert history.count() == 300
    assert history.filter(facts__county_kind="poor").count() == 165
    assert len({a[:6] for a in history.values_list("area_code", flat=True)}) == 128
    teachers = Programme.objects.get(slug="teachers-2018")
    assert teachers.runs.get().status == RunStatus.PROPOSED
    modou = Programme.objects.get(slug="modou-2018").runs.get()
    assert modou.status == RunStatus.PUBLISHED and len(modou.selected) == 10
    stores = Supplier.objects.filter(story__startswith="魔豆妈妈创业大赛获奖店铺")
    assert stores.count() == 10 and not stores.filter(verified_at__isnull=True).exists()
    assert Certificate.objects.exists()
    build_selection(2018)  # a re-run changes nothing
    assert Programme.objects.count() == 3
