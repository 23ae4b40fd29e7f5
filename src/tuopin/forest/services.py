"""Writes of the forest app, one import for other entry points. The rules live in topic
modules: ``energy`` (actions, collecting, taking, expiry), ``adoption`` (projects as
inventory, adopting without oversell), ``certify`` (certificates on the ledger in batches),
``work`` (jobs, wages, survival checks)."""

from .adoption import Adopted, adopt, close_project, create_project, open_project
from .certify import certify_all, certify_pending
from .energy import (
    Reported,
    befriend,
    collect,
    collect_all,
    expire_energy,
    report_action,
    seed_action_types,
    take,
)
from .work import approve_work, hire, record_survival, record_work

__all__ = [
    "Adopted",
    "Reported",
    "adopt",
    "approve_work",
    "befriend",
    "certify_all",
    "certify_pending",
    "close_project",
    "collect",
    "collect_all",
    "create_project",
    "expire_energy",
    "hire",
    "open_project",
    "record_survival",
    "record_work",
    "report_action",
    "seed_action_types",
    "take",
]
