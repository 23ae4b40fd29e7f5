"""Background tasks of the reports app (Django's Tasks API, the django-tasks backport)."""

from __future__ import annotations

from django_tasks import task


@task()
def typeset_report(report_id: int) -> None:
    """Typeset a generated draft's PDF (WeasyPrint takes seconds: never in the request)."""
    from .publishing import typeset

    typeset(report_id)
