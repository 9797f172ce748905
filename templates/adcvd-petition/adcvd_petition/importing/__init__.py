"""Importing an earlier filing to prefill a new interview ("start from the last filing").

``import_letter(data, filename) -> LetterImport`` is the whole API; it does no I/O beyond
reading the bytes it is given. Inside, one module per step:

- ``source``: bytes to lines (a .docx by content, text as UTF-8 or Windows-1252), footnotes,
  page headers; damaged, empty, oversized or binary files become a plain reason.
- ``layout``: the letter's parts (heading, "Re:" line, body, signature, consultants,
  certifications), footnotes taken out of the running text.
- ``heading``, ``parties``, ``signature``, ``volumes``, ``certifications``: one recogniser per
  part, each recording answers, what it looked for and did not find, and inconsistencies.
- ``findings``, ``wording``, ``citing``: what the recognisers share.
"""

from adcvd_petition.importing.letter import LetterImport, import_letter

__all__ = ["LetterImport", "import_letter"]
