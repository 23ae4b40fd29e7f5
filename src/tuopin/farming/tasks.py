"""Background tasks of the farming app (Django's Tasks API, the django-tasks backport)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_forecast(run_id: int) -> None:
    """Compute a demand forecast queued from the county page or the API."""
    from .runs import execute_forecast

    execute_forecast(run_id)
