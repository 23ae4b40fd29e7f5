"""The flash door (``forest.door``) in front of Django's WSGI application, with the process's
batcher thread: it answers as the API does, and leaves to Django whatever it does not fully
understand. Many threads through the batcher never oversell, on both databases."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, connection, transaction
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from tuopin.accounts import services as accounts
from tuopin.accounts.models import User
from tuopin.forest import door, flash, selectors
from tuopin.forest.models import Adoption, EnergyAccount, Project, Shard

from .conftest import make_project

pytestmark = [
    pytest.mark.usefixtures("empty_the_log_afterwards"),
    pytest.mark.django_db(transaction=True),
]
URL = "/api/v1/forest/projects/guanba/adoptions"
ALWAYS_THE_SAME = ("Content-Type", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options")


class Seen:
    """What the door answered: status, headers, JSON body."""

    def __init__(self, app: Any, environ: dict[str, Any]) -> None:
        self.status = 0
        self.headers: dict[str, str] = {}

        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            self.status = int(status.split()[0])
            self.headers = dict(headers)

        self.body = json.loads(b"".join(app(environ, start_response)))


def post(
    app: Any,
    token: str | None,
    body: bytes,
    *,
    path: str = URL,
    lang: str = "zh-hans",
    **extra: str,
) -> Seen:
    environ = {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_ACCEPT_LANGUAGE": lang,
        **extra,
    }
    if token is not None:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return Seen(app, environ)


@pytest.fixture
def app() -> Iterator[door.FlashDoor]:
    batcher = flash.Batcher()
    yield door.FlashDoor(WSGIHandler(), batcher)
    batcher.stop()


def adopt_body(key: str = "k1", units: int = 1) -> bytes:
    return json.dumps({"units": units, "key": key}).encode()


def test_its_path_is_the_apis(db: None) -> None:
    assert door.PATH.fullmatch(reverse("api:adopt", kwargs={"project_slug": "guanba"}))


def test_it_answers_as_the_api_does(app: door.FlashDoor, tokens: list[str]) -> None:
    api = Client().post(
        URL, adopt_body(), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {tokens[0]}"
    )
    seen = post(app, tokens[1], adopt_body())
    assert (seen.status, api.status_code) == (201, 201)
    theirs = api.json()
    differ = {"number", "url", "adopted_at"}
    assert {k: v for k, v in seen.body.items() if k not in differ} == {
        k: v for k, v in theirs.items() if k not in differ
    }
    assert seen.body["url"].startswith("http://testserver/forest/certificates/")
    assert {h: seen.headers.get(h) for h in ALWAYS_THE_SAME} == {
        h: api.headers.get(h) for h in ALWAYS_THE_SAME
    }


def test_it_commits_what_it_answers(app: door.FlashDoor, tokens: list[str]) -> None:
    seen = post(app, tokens[0], adopt_body())
    adopted = Adoption.objects.get()
    assert seen.body["number"] == adopted.number
    assert seen.body["pending"] is True
    assert EnergyAccount.objects.get(pk=adopted.user_id).balance_g == 80


def test_it_answers_a_replay_with_200_and_the_same_certificate(
    app: door.FlashDoor, tokens: list[str]
) -> None:
    first = post(app, tokens[0], adopt_body())
    again = post(app, tokens[0], adopt_body())
    assert again.status == 200
    assert again.body["number"] == first.body["number"]


def test_it_says_a_refusal_as_the_api_does_in_the_same_language(
    app: door.FlashDoor, tokens: list[str]
) -> None:
    post(app, tokens[0], adopt_body(key="a", units=2))
    seen = post(app, tokens[1], adopt_body(units=2), lang="en")
    api = Client().post(
        URL,
        adopt_body(key="k9", units=2),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {tokens[1]}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert seen.status == api.status_code == 409
    assert seen.body == api.json()
    assert seen.body["code"] == "sold_out"
    assert seen.headers["Content-Language"] == api.headers["Content-Language"]


def test_it_leaves_an_unknown_token_to_the_api(app: door.FlashDoor, tokens: list[str]) -> None:
    seen = post(app, "not-a-token", adopt_body())
    django = post(WSGIHandler(), "not-a-token", adopt_body())
    assert (seen.status, seen.body) == (django.status, django.body)
    assert seen.status in (401, 403)  # the bearer refused, then the session's CSRF check


def test_it_leaves_a_body_the_schema_would_refuse_to_the_api(
    app: door.FlashDoor, tokens: list[str]
) -> None:
    seen = post(app, tokens[0], json.dumps({"units": 0, "key": "k"}).encode())
    assert (seen.status, seen.body["code"]) == (422, "invalid")


def test_it_leaves_a_body_that_is_not_json_to_the_api(
    app: door.FlashDoor, tokens: list[str]
) -> None:
    seen = post(app, tokens[0], b"units=1")
    assert seen.status in (400, 422)
    assert Adoption.objects.count() == 0


def test_it_leaves_a_nul_to_the_api(app: door.FlashDoor, tokens: list[str]) -> None:
    seen = post(app, tokens[0], json.dumps({"units": 1, "key": "a\x00b"}).encode())
    assert seen.status == 400
    assert Adoption.objects.count() == 0


def test_it_leaves_a_caller_inside_a_transaction_to_the_api(
    app: door.FlashDoor, tokens: list[str]
) -> None:
    # As Django's test client does, the request keeps the connection open at its end.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with transaction.atomic():
            seen = post(app, tokens[0], adopt_body())
            assert (seen.status, Adoption.objects.count()) == (201, 1)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert app.batcher._thread is None  # the batcher's connection could not see this one's


def test_it_leaves_other_paths_alone(app: door.FlashDoor, tokens: list[str]) -> None:
    seen = post(app, tokens[0], b"", path="/api/v1/forest/me/collect")
    assert (seen.status, seen.body) == (200, {"balls": 0, "grams": 0})


def test_threads_through_the_batcher_never_oversell(
    operator: User, give_energy: Callable[..., int]
) -> None:
    project = make_project(operator, units_total=7, shards=3)
    asks = []
    for i in range(20):
        give_energy(User.objects.create_user(username=f"t{i}"), 80)
        asks.append(flash.Ask(accounts.issue_token(username=f"t{i}"), "guanba", 1, "flash"))
    batcher = flash.Batcher()
    barrier = threading.Barrier(len(asks))
    out: list[str] = []

    def one(a: flash.Ask) -> None:
        barrier.wait()
        o = batcher.adopt(a)
        out.append("ok" if isinstance(o, flash.Adopted) else o.make().code)  # type: ignore[union-attr]
        connection.close()

    threads = [threading.Thread(target=one, args=(a,)) for a in asks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    batcher.stop()
    assert sorted(out) == ["ok"] * 7 + ["sold_out"] * 13
    assert Shard.objects.filter(project=project).aggregate(r=Sum("remaining"))["r"] == 0
    assert Adoption.objects.count() == 7
    for u in User.objects.filter(username__startswith="t"):
        account = EnergyAccount.objects.get(pk=u.pk)
        assert selectors.journal_sums(u) == (account.pending_g, account.balance_g)


def test_it_is_off_when_the_setting_says_so(settings: Any) -> None:
    settings.FOREST_FLASH_DOOR = False
    inner = WSGIHandler()
    assert door.flash_door(inner) is inner
    assert Project.objects.count() == 0
