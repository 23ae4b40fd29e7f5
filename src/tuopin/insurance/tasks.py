"""Background tasks of the insurance app (Django's Tasks API, the django-tasks backport)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_enrollment(run_id: int) -> None:
    """Carry out an enrollment run queued from the operator's page."""
    from .runs import execute_run

    execute_run(run_id)


@task()
def recognise_document(document_id: int) -> None:
    """Read one claim photo added to a draft (recognition, outside any transaction)."""
    from .claims.processing import recognise_document as run

    run(document_id)


@task()
def check_claim(claim_id: int) -> None:
    """A submitted claim: read any photo not yet read, then run the key claim factors."""
    from .claims.processing import check_claim as run

    run(claim_id)
