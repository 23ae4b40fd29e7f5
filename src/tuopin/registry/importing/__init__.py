"""The registry import (建档立卡): read and map the header (``columns``), check each row
(``rows``), check across the rows of a batch (``checks``), write (``writing``); ``run`` drives
the passes. Entry points: :func:`tuopin.registry.services.import_registry` and the CLI."""

from .report import ImportReport
from .run import RegistryImport
from .writing import refresh_household_summaries

__all__ = ["ImportReport", "RegistryImport", "refresh_household_summaries"]
