"""Errors of the forest app."""

from tuopin.core.errors import DomainError, NotFound


class ProjectNotFound(NotFound):
    code = "project_not_found"


class AdoptionNotFound(NotFound):
    code = "adoption_not_found"


class BallNotFound(NotFound):
    code = "energy_not_found"


class WorkNotFound(NotFound):
    code = "work_not_found"


class BadAction(DomainError):
    code = "bad_action"


class KeyReused(DomainError):
    """An idempotency key already names a different request (another body)."""

    code = "idempotency_key_reused"
    status = 409


class NotCollectable(DomainError):
    code = "not_collectable"
    status = 409


class BadProject(DomainError):
    code = "bad_project"


class NotOpen(DomainError):
    code = "not_open"
    status = 409


class SoldOut(DomainError):
    code = "sold_out"
    status = 409


class CapReached(DomainError):
    code = "cap_reached"
    status = 409


class NotEnoughEnergy(DomainError):
    code = "not_enough_energy"
    status = 409


class BadWork(DomainError):
    code = "bad_work"
