"""Background tasks of the childcare app (Django's Tasks API, the django-tasks backport)."""

from __future__ import annotations

from django_tasks import task


@task()
def solve_plan(plan_id: int) -> None:
    """Solve a siting plan queued from the officer's page or the API."""
    from .planning import execute_plan

    execute_plan(plan_id)
