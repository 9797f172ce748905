"""One-off generator of rule.docx, the pack's Word template. Not part of the service.

The committed rule.docx is the source: a rule writer's office edits it in Word. This script
only writes it where it is missing and never overwrites an existing file:

    python templates/federal-register-rule/make_template.py [FOLDER]

The template uses nothing but the engine's generic filters (date, paragraphs, cells, rows).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Inches, Pt

HERE = Path(__file__).resolve().parent
FONT = "Times New Roman"


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1

    def style(name: str, *, bold=False, center=False, indent=None, before=0, after=6, size=11):
        made = doc.styles.add_style(name, 1)
        made.base_style = normal
        made.font.bold = bold
        made.font.size = Pt(size)
        fmt = made.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if center:
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if indent is not None:
            fmt.first_line_indent = indent
            fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.keep_with_next = bold
        return made

    style("Rule Agency", bold=True, after=0, size=12)
    style("Rule Heading", after=0)
    style("Rule Title", bold=True, before=12, after=12, size=13)
    style("Rule Text", indent=Inches(0.25))
    style("Rule Caption", before=6)
    style("Section Heading", bold=True, before=12)
    style("Table Title", bold=True, center=True, before=12)
    style("Part Heading", bold=True, center=True, before=12, after=12)
    style("Omission", center=True)
    style("Table Text", after=0, size=9)
    style("Signature", after=0)
    style("Signature Date", before=12, after=0)


def _p(doc, text: str, style: str = "Rule Text", bold_lead: str = "") -> None:
    paragraph = doc.add_paragraph(style=style)
    if bold_lead:
        paragraph.add_run(bold_lead).bold = True
    paragraph.add_run(text)


def _table(doc, table: str) -> None:
    """A table whose columns come from a header line and whose rows come from lines of cells."""
    _p(doc, f"{{%p if {table} and {table}.rows %}}")
    _p(doc, f"{{{{ {table}.title }}}}", "Table Title")
    grid = doc.add_table(rows=4, cols=3)
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    cells = [
        (f"{{%tc for column in {table}.header|cells %}}", "{{ column }}", "{%tc endfor %}"),
        (f"{{%tr for row in {table}.rows|rows %}}", "", ""),
        ("{%tc for cell in row %}", "{{ cell }}", "{%tc endfor %}"),
        ("{%tr endfor %}", "", ""),
    ]
    for r, texts in enumerate(cells):
        for c, text in enumerate(texts):
            paragraph = grid.cell(r, c).paragraphs[0]
            paragraph.style = doc.styles["Table Text"]
            run = paragraph.add_run(text)
            run.bold = r == 0
    _p(doc, "{%p endif %}")


def build() -> Document:
    doc = Document()
    _styles(doc)
    body = doc.element.body
    for paragraph in body.findall(qn("w:p")):
        body.remove(paragraph)
    section = doc.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Inches(1))
    doc.core_properties.title = "Federal Register rule"
    doc.core_properties.author = "Filing Assembler"

    # The heading: agency, CFR title and part, RIN, title; then action, summary, dates, contact.
    _p(doc, "{{ agency.name|upper }}", "Rule Agency")
    _p(doc, "{{ rule.cfr_title }} CFR Part {{ rule.cfr_part }}", "Rule Heading")
    _p(doc, "RIN {{ rule.rin }}", "Rule Heading")
    _p(doc, "{{ rule.title }}", "Rule Title")
    _p(doc, "{{ agency.full_name }}.", "Rule Caption", "AGENCY: ")
    _p(doc, "{{ rule.action }}.", "Rule Caption", "ACTION: ")
    _p(doc, "{%p for para in rule.summary|paragraphs %}")
    summary = doc.add_paragraph(style="Rule Text")
    summary.add_run("{% if loop.first %}")
    summary.add_run("SUMMARY: ").bold = True
    summary.add_run("{% endif %}{{ para }}")
    _p(doc, "{%p endfor %}")
    _p(doc, "This rule is effective {{ rule.effective_date|date }}.", "Rule Text", "DATES: ")
    _p(doc, "{{ rule.contact }}", "Rule Text", "FOR FURTHER INFORMATION CONTACT: ")

    # Supplementary information: headed sections of paragraphs, each with an optional table.
    _p(doc, "", "Rule Caption", "SUPPLEMENTARY INFORMATION:")
    _p(doc, "{%p for section in sections %}")
    _p(doc, "{{ section.heading }}", "Section Heading")
    _p(doc, "{%p for para in section.text|paragraphs %}")
    _p(doc, "{{ para }}")
    _p(doc, "{%p endfor %}")
    _table(doc, "section.table")
    _p(doc, "{%p for para in section.after_table|paragraphs %}")
    _p(doc, "{{ para }}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p endfor %}")

    # List of subjects and the words of issuance.
    _p(
        doc,
        "List of Subjects in {{ rule.cfr_title }} CFR Part {{ rule.cfr_part }}",
        "Section Heading",
    )
    _p(doc, '{{ subjects|map(attribute="subject")|join(", ") }}.')
    _p(
        doc,
        "For the reasons set forth in the preamble, {{ agency.short }} amends "
        "{{ rule.cfr_title }} CFR part {{ rule.cfr_part }} as follows:",
    )

    # The amendatory instructions: part heading, numbered amendments, the amended sections.
    _p(doc, "PART {{ rule.cfr_part }}—{{ regulatory_text.part_heading|upper }}", "Part Heading")
    _p(doc, "{%p for amendment in amendments %}")
    _p(doc, "{{ loop.index }}. {{ amendment.instruction }}")
    _p(doc, "{%p if amendment.shows_authority %}")
    _p(doc, "{{ regulatory_text.authority }}.", "Rule Text", "Authority: ")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p if amendment.section and amendment.section.number %}")
    _p(doc, "§ {{ amendment.section.number }} {{ amendment.section.heading }}", "Section Heading")
    _p(doc, "{%p if amendment.section.omission_before %}")
    _p(doc, "* * * * *", "Omission")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p for para in amendment.section.text|paragraphs %}")
    _p(doc, "{{ para }}")
    _p(doc, "{%p endfor %}")
    _table(doc, "amendment.section.table")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p endfor %}")

    # The signature block.
    _p(doc, "Dated: {{ signature.date|date }}.", "Signature Date")
    _p(doc, "{{ signature.name }},", "Signature")
    _p(doc, "{{ signature.title }}.", "Signature")
    return doc


if __name__ == "__main__":
    target = (Path(sys.argv[1]) if len(sys.argv) > 1 else HERE) / "rule.docx"
    if target.exists():
        print(f"{target}: exists, kept as it is")
    else:
        build().save(str(target))
        print(f"{target}: written")
