"""Errors of the childcare app."""

from tuopin.core.errors import DomainError, NotFound


class BadPlan(DomainError):
    code = "bad_plan"


class PlanNotFound(NotFound):
    code = "plan_not_found"


class CountyNotFound(NotFound):
    code = "county_not_found"


class CentreNotFound(NotFound):
    code = "centre_not_found"


class BadCentreRecord(DomainError):
    code = "bad_centre_record"
