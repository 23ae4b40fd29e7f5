"""Background tasks of the insurance app (Django's Tasks API, the django-tasks backport)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_enrollment(run_id: int) -> None:
    """Carry out an enrollment run queued from the operator's page."""
    from .runs import execute_run

    execute_run(run_id)
