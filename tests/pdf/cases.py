"""Inputs of our own for the PDF tests: a one-country, one-company case made from the 2024
answers, and blank PDFs of a given length."""

from __future__ import annotations

import copy
import io
from typing import Any

from pypdf import PdfWriter


def one_company_case(solar: dict[str, Any]) -> dict[str, Any]:
    """Acme Solar Inc. alone, against Malaysia alone (AD and CVD); no page count typed."""
    answers = copy.deepcopy(solar)
    answers["filing"] = {"date": "2025-06-02", "version": "public"}
    answers["addressees"] = {
        "commerce_secretary": "Howard Lutnick",
        "itc_secretary": "Lisa R. Barton",
    }
    answers["countries"] = [c for c in answers["countries"] if c["name"] == "Malaysia"]
    answers["petitioners"] = [{"name": "Acme Solar Inc.", "short_name": "Acme", "basis": "C"}]
    answers["coalition"] = {"has_members": False}
    general, malaysia_ad, malaysia_cvd = (
        answers["volumes"][0],
        next(v for v in answers["volumes"] if v["kind"] == "AD" and v["country"] == "Malaysia"),
        next(v for v in answers["volumes"] if v["kind"] == "CVD" and v["country"] == "Malaysia"),
    )
    malaysia_ad = _renumbered(malaysia_ad, "III", "II")
    malaysia_cvd = _renumbered(malaysia_cvd, "VII", "III")
    answers["volumes"] = [general, malaysia_ad, malaysia_cvd]
    answers["company_certifications"] = [
        {
            "name": "Jane Roe",
            "title": "President",
            "company": "Acme Solar Inc.",
            "date": "2025-06-02",
        }
    ]
    answers["representative_certification"]["date"] = "2025-06-02"
    answers["counsel_certification"]["date"] = "2025-06-02"
    answers["consultants"] = {"included": False}
    return answers


def _renumbered(volume: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    volume = copy.deepcopy(volume)
    volume["numeral"] = new
    for item in volume.get("bpi_items", []):
        item["exhibits"] = [e.replace(f"{old}-", f"{new}-", 1) for e in item.get("exhibits", [])]
    return volume


def blank_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` blank Letter pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
