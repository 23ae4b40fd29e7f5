"""Login throttling: after a few wrong passwords the right one no longer logs in, for the
cool-off; other users and other addresses are not locked out by it."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

LOGIN = "/login/"


def _try(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> int:
    response = client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)
    return response.status_code


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_is_refused_after_too_many_wrong_ones(cadre_a) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "cadre_a", "wrong")
    assert _try(client, "cadre_a", "pw-cadre-a") == 429
    assert not _logged_in(client)


def test_the_lockout_page_says_why_in_chinese(cadre_a) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "cadre_a", "wrong")
    page = client.post(LOGIN, {"username": "cadre_a", "password": "x"}, REMOTE_ADDR="10.0.0.1")
    assert "登录已暂停" in page.content.decode()


def test_a_few_wrong_passwords_do_not_lock_out(cadre_a) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, "cadre_a", "wrong")
    assert _try(client, "cadre_a", "pw-cadre-a") == 302
    assert _logged_in(client)


def test_another_user_is_not_locked_out_by_someone_elses_failures(cadre_a, cadre_b) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "cadre_a", "wrong")
    assert _try(Client(), "cadre_b", "pw-cadre-b") == 302
