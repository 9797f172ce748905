"""Importing an earlier filing to prefill a new interview ("start from the last filing")."""

from service.importing.letter import LetterImport, import_letter

__all__ = ["LetterImport", "import_letter"]
