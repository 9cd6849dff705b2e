"""Errors raised while turning a curator's file into a parsed legal document.

``str(error)`` is always one line in Vietnamese that says what is wrong and what to do,
so the CLI can print it as is.
"""


class IngestError(Exception):
    """Base class for everything a curator can fix by changing the input."""


class LoaderError(IngestError):
    """The file cannot be read as text (missing, empty, wrong format, encrypted, scanned...)."""


class StructureError(IngestError):
    """The text was read but does not look like a legal document (no Điều found...)."""
