"""Background tasks of the registry app (Django's Tasks API, the django-tasks backport)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import(job_id: int) -> None:
    """Carry out an import queued from the upload page."""
    from .importing.jobs import execute_import

    execute_import(job_id)
