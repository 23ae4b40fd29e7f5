"""Errors of the documents app."""

from tuopin.core.errors import DomainError


class BadImage(DomainError):
    """Not an image we can read (empty, corrupt, a PDF we cannot render, too many pixels)."""

    code = "bad_image"
