"""Property-based calls of every operation in the OpenAPI schema (schemathesis): whatever the
input, as an operator and anonymously, the API never answers 5xx.

Bounded and derandomised, so that it runs in the normal suite on both databases: a fixed
number of examples per operation, the same examples on every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tuopin.accounts import services as accounts
from tuopin.accounts.models import User
from tuopin.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
EXAMPLES = 20


@pytest.fixture
def world(households: None, operator: User) -> Iterator[dict[str, str]]:
    """Some data for the calls to find (a campaign, the demo households), an operator token,
    and the WSGI app sharing the test's transaction: as Django's test client does, requests
    do not close the connection at their end."""
    from tuopin.charity.models import Campaign

    Campaign.objects.create(
        slug="dlz",
        title="顶梁柱",
        programme_name="顶梁柱",
        goal_fen=10**9,
        starts_on=dt.date(2018, 1, 1),
        ends_on=dt.date(2030, 12, 31),
        status="open",
    )
    token = accounts.issue_token(username=operator.username)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Bearer {token}"}
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_makes_the_api_answer_5xx(case: Any, world: dict[str, str]) -> None:
    case.call_and_validate(checks=[not_a_server_error])
    case.call_and_validate(headers=world, checks=[not_a_server_error])
