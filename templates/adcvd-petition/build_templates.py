"""Write the Word templates of the AD/CVD petition packet.

    python templates/adcvd-petition/build_templates.py [OUT_DIR]

writes cover-letter.docx, company-certification.docx, representative-certification.docx and
counsel-certification.docx next to this script (or into OUT_DIR). The .docx files are
committed: a lawyer edits them in Word, and this script is how they were first made and how
the layout is re-made from scratch. Running it twice gives the same bytes.

The templates are docxtpl (Jinja) templates. Their variables are the answers
(schemas/adcvd-petition/answers.schema.json), the derived names of
adcvd_petition.rules.petition_context.document_context, and, in the company certification, the
item ``certification`` of the document's ``for_each`` (as document_context enriches it). Wording follows the 2024 solar cover
letter and its certifications (see shared/reference), with the corrections listed in
tests/rendering/test_reference_letter.py.

python-docx has no API for footnotes, so the footnotes part, its relationship and content
type, the footnote styles and the separator footnotes are written as raw OOXML.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Inches, Pt
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
FONT = "Times New Roman"
# Fixed so that a rebuild is byte-for-byte the same file.
BUILT = dt.datetime(2024, 4, 24, 12, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# The block of the first page (case numbers, marking) and the signature block sit in the
# right half of the page, as law firms set them.
RIGHT_BLOCK = Inches(3.25)

# The core properties of every document (see new_document).
PRODUCT_FROM = "{{ product.name }}{{ comma_before_from }} from {{ countries_text }}"
CASE_SUBJECT = (
    "DOC Investigation {{ case_nos }} {{ case_numbers }}; "
    "USITC Investigation {{ itc_nos }} {{ itc_numbers }}"
)

# Runs are (text, format); format letters: b bold, i italic, u underline, c all capitals.
Run = tuple[str, str]


# --- the document and its styles ----------------------------------------------------------


def new_document(title: str, subject: str = CASE_SUBJECT):
    doc = Document()
    _drop_unneeded_parts(doc)
    _current_word_settings(doc)
    _set_fonts(doc)
    _add_paragraph_styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Inches(1))
    section.header_distance = section.footer_distance = Inches(0.5)
    # The default Document() holds one empty paragraph; the template starts clean.
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    # Title, subject and author are Jinja too: the renderer fills them per document, and
    # stamps the generation time as created and modified.
    props = doc.core_properties
    props.title = f"{title}: {PRODUCT_FROM}"
    props.subject = subject
    props.author = "{{ counsel.firm }}"
    props.last_modified_by = "Filing Assembler"
    props.comments = ""
    props.keywords = ""
    props.revision = 1
    props.created = props.modified = BUILT
    return doc


# Parts of python-docx's blank document that a letter does not need: a thumbnail of the blank
# page, Word 2010's copy of the styles, and an empty custom-XML item.
_UNNEEDED_PARTS = {
    RELATIONSHIP_TYPE.THUMBNAIL,
    # python-docx's app.xml claims one page, no words and Word for Macintosh: no claim is
    # better than a false one.
    RELATIONSHIP_TYPE.EXTENDED_PROPERTIES,
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    RELATIONSHIP_TYPE.CUSTOM_XML,
}
# Of the blank document's hundreds of styles, the few these templates use and what they build on.
_KEPT_STYLES = {
    "Normal",
    "DefaultParagraphFont",
    "TableNormal",
    "NoList",
    "Header",
    "HeaderChar",
    "Footer",
    "FooterChar",
}


def _drop_unneeded_parts(doc) -> None:
    for rels in (doc.part.package.rels, doc.part.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype in _UNNEEDED_PARTS:
                del rels[rid]
    # Smaller styles make a smaller file and a faster render, which parses them every time.
    styles = doc.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in _KEPT_STYLES:
            styles.remove(style)


def _current_word_settings(doc) -> None:
    """Compatibility mode 15 (current Word opens the file without "Compatibility Mode"), and no
    proofState: the file was never spell-checked, and must not say it was."""
    settings = doc.settings.element
    for name in ("w:proofState", "w:savePreviewPicture"):
        for element in settings.findall(qn(name)):
            settings.remove(element)
    for setting in settings.find(qn("w:compat")).findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


def _set_fonts(doc) -> None:
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)
    for tag in ("w:sz", "w:szCs"):
        size = rpr.find(qn(tag))
        if size is None:
            size = OxmlElement(tag)
            rpr.append(size)
        size.set(qn("w:val"), "24")
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is not None:
        defaults.remove(ppr_default)
    defaults.append(
        parse_xml(
            f"<w:pPrDefault {nsdecls('w')}><w:pPr>"
            '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        )
    )
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.widow_control = True
    # Word's built-in footnote styles, under their built-in ids so Word treats them as its own.
    styles.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="FootnoteText">'
            '<w:name w:val="footnote text"/><w:basedOn w:val="Normal"/>'
            '<w:link w:val="FootnoteTextChar"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
            '<w:pPr><w:spacing w:after="120"/><w:jc w:val="both"/></w:pPr>'
            '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>'
        )
    )
    styles.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="character" w:customStyle="1" '
            'w:styleId="FootnoteTextChar"><w:name w:val="Footnote Text Char"/>'
            '<w:basedOn w:val="DefaultParagraphFont"/><w:link w:val="FootnoteText"/>'
            '<w:uiPriority w:val="99"/><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>'
            "</w:style>"
        )
    )
    styles.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="character" w:styleId="FootnoteReference">'
            '<w:name w:val="footnote reference"/><w:basedOn w:val="DefaultParagraphFont"/>'
            '<w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
            '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
        )
    )


def _add_paragraph_styles(doc) -> None:
    def style(
        name,
        *,
        align=None,
        first=None,
        left=None,
        hanging=None,
        after=0,
        before=0,
        keep_next=False,
        bold=False,
        size=None,
    ):
        s = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = doc.styles["Normal"]
        s.quick_style = True
        f = s.paragraph_format
        f.space_after, f.space_before = Pt(after), Pt(before)
        if align is not None:
            f.alignment = align
        if left is not None:
            f.left_indent = left
        if first is not None:
            f.first_line_indent = first
        if hanging is not None:
            f.first_line_indent = -hanging
        f.keep_with_next = keep_next
        s.font.bold = bold or None
        if size is not None:
            s.font.size = Pt(size)

    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    style("Letter Block", after=12)
    style("Letter Body", align=justify, first=Inches(0.5), after=12)
    style("Case Block", size=10)
    style("Re Line", left=Inches(0.5), hanging=Inches(0.5), align=justify, before=24, after=12)
    style("BPI Volume", after=12, keep_next=True)
    style("BPI Item", align=justify, left=Inches(1.0), hanging=Inches(0.5), after=12)
    style("Signature Block", left=RIGHT_BLOCK)
    style(
        "Certification Heading",
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=24,
        bold=True,
        keep_next=True,
    )
    style("Certification Body", align=justify, first=Inches(0.5), after=12)
    style("Signature Line", left=RIGHT_BLOCK, before=36, after=0, keep_next=True)


# --- paragraphs ---------------------------------------------------------------------------


def add_runs(paragraph: Paragraph, runs: Iterable[Run]) -> Paragraph:
    for text, fmt in runs:
        lines = text.split("\n")
        run = paragraph.add_run()
        run.bold = "b" in fmt or None
        run.italic = "i" in fmt or None
        run.underline = "u" in fmt or None
        run.font.all_caps = "c" in fmt or None
        for index, line in enumerate(lines):
            if index:
                run.add_break(WD_BREAK.LINE)
            if line:
                run.add_text(line)
    return paragraph


def para(doc, style: str, *runs: Run | str, **fmt) -> Paragraph:
    paragraph = doc.add_paragraph(style=style)
    add_runs(paragraph, ((r, "") if isinstance(r, str) else r for r in runs))
    f = paragraph.paragraph_format
    for key, value in fmt.items():
        setattr(f, key, value)
    return paragraph


def first_page_columns(doc):
    """The borderless two-column table of page one; its (left, right) cells, each 3.25 inches."""
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    tbl_pr.append(parse_xml(f'<w:tblW {nsdecls("w")} w:w="9360" w:type="dxa"/>'))
    tbl_pr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
    # No cell margins: the left column lines up with the letter's margin.
    tbl_pr.append(
        parse_xml(
            f'<w:tblCellMar {nsdecls("w")}><w:left w:w="0" w:type="dxa"/>'
            '<w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
        )
    )
    left, right = table.rows[0].cells
    left.width, right.width = Inches(3.5), Inches(3.0)
    return left, right


def cell_para(cell, style: str, *runs: Run | str, first: bool = False, **fmt) -> Paragraph:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.style = cell.part.document.styles[style]
    add_runs(paragraph, ((r, "") if isinstance(r, str) else r for r in runs))
    for key, value in fmt.items():
        setattr(paragraph.paragraph_format, key, value)
    return paragraph


def cell_tag(cell, statement: str) -> None:
    cell.add_paragraph(statement, style="Normal")


def tag(doc, statement: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %}); it vanishes on render."""
    doc.add_paragraph(statement, style="Normal")


def footnote_reference(paragraph: Paragraph, footnote_id: int) -> None:
    run = paragraph.add_run()
    rpr = run._r.get_or_add_rPr()
    rstyle = OxmlElement("w:rStyle")
    rstyle.set(qn("w:val"), "FootnoteReference")
    rpr.append(rstyle)
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), str(footnote_id))
    run._r.append(reference)


def page_field(paragraph: Paragraph) -> None:
    field = parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>2</w:t></w:r></w:fldSimple>'
    )
    paragraph._p.append(field)


# --- footnotes (raw OOXML) ----------------------------------------------------------------


def _footnote_xml(footnote_id: int, runs: Iterable[Run]) -> str:
    body = "".join(
        '<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'.format(
            rpr=("<w:rPr><w:i/></w:rPr>" if "i" in fmt else ""),
            text=text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
        )
        for text, fmt in runs
    )
    return (
        f'<w:footnote w:id="{footnote_id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
        '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
        f"{body}</w:p></w:footnote>"
    )


def add_footnotes(doc, footnotes: list[list[Run]]) -> None:
    """The footnotes part with Word's two separator footnotes and the given notes (ids 1, 2, ...)."""
    separators = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr>'
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        "<w:r><w:separator/></w:r></w:p></w:footnote>"
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr>'
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    )
    notes = "".join(_footnote_xml(i, runs) for i, runs in enumerate(footnotes, start=1))
    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f"<w:footnotes {nsdecls('w', 'r')}>{separators}{notes}</w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"),
        CONTENT_TYPE.WML_FOOTNOTES,
        xml.encode("utf-8"),
        doc.part.package,
    )
    doc.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    # Word names the separators in the settings; without this it repairs the file.
    settings = doc.settings.element
    footnote_pr = parse_xml(
        f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
    )
    settings.find(qn("w:compat")).addprevious(footnote_pr)


# --- shared pieces of wording -------------------------------------------------------------

# The title of the submission, as the certifications cite it (in italics).
SUBMISSION_TITLE = (
    "{{ petitions.title }} for the Imposition of {{ duties_title }} Pursuant to "
    "{{ sections_title }} of the Tariff Act of 1930, As Amended, on Imports of "
    "{{ product.name }}{{ comma_before_from }} from {{ countries_text }}"
)
CASES = "(Investigation {{ case_nos }} {{ case_numbers }}), dated {{ letter_date }}."
# Follows "I am also aware" in the company certification and "I am aware" in the representative's.
AWARE = (
    "that U.S. law (including, but not limited to, 18 U.S.C. 1001) imposes "
    "criminal sanctions on individuals who knowingly and willfully make material false "
    "statements to the U.S. Government. In addition, I am aware that, even if this submission "
    "may be withdrawn from the record of the AD/CVD proceeding, the U.S. Department of Commerce "
    "may preserve this submission, including a business proprietary submission, for purposes "
    "of determining the accuracy of this certification. I certify that a copy of this signed "
    "certification will be filed with this submission to the U.S. Department of Commerce."
)
SIGNATURE = "Signature: " + "_" * 30


def certification_document(title: str, heading: str):
    """A certification: its own document, its heading first, the marking atop every page."""
    doc = new_document(title)
    header = doc.sections[0].header
    header.is_linked_to_previous = False
    marking = header.paragraphs[0]
    marking.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_runs(marking, [("{{ version_marking }}", "bc")])
    para(doc, "Certification Heading", heading)
    return doc


# --- the four templates -------------------------------------------------------------------


def cover_letter():
    doc = new_document("Cover Letter")
    section = doc.sections[0]
    # Pages 2 and on carry the usual continuation header (marking, addressees, date, page).
    section.different_first_page_header_footer = True
    # Page one's header holds the marking at the top right; a firm may add its letterhead
    # here in Word (it then shows on page one only).
    first_header = section.first_page_header
    first_header.is_linked_to_previous = False
    first_marking = first_header.paragraphs[0]
    first_marking.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_runs(first_marking, [("{{ version_marking }}", "bc")])
    header = section.header
    header.is_linked_to_previous = False
    first = header.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_runs(first, [("{{ version_marking }}", "bc")])
    for text in (
        "The Honorable {{ addressees.commerce_secretary }}",
        "The Honorable {{ addressees.itc_secretary }}",
        "{{ letter_date }}",
    ):
        header.add_paragraph(text)
    page = header.add_paragraph("Page ")
    page_field(page)
    page.paragraph_format.space_after = Pt(24)

    # Page one as trade firms file it: date and addressees at the left, the case block beside
    # them at the right, set smaller; a borderless table keeps the two side by side in Word
    # and in LibreOffice alike (a floating frame does not).
    left, right = first_page_columns(doc)
    cell_para(left, "Letter Block", "{{ letter_date }}", first=True, space_after=Pt(24))
    cell_para(
        left,
        "Letter Block",
        "The Honorable {{ addressees.commerce_secretary }}\n"
        "Secretary of Commerce\n"
        "International Trade Administration\n"
        "Attn: Enforcement and Compliance\n"
        "APO/Dockets Unit, Room 18022\n"
        "U.S. Department of Commerce\n"
        "1401 Constitution Avenue, NW\n"
        "Washington, DC 20230",
    )
    cell_para(
        left,
        "Letter Block",
        "The Honorable {{ addressees.itc_secretary }}\n"
        "Secretary\n"
        "U.S. International Trade Commission\n"
        "500 E Street, SW, Room 112A\n"
        "Washington, DC 20436",
        space_after=Pt(0),
    )

    cell_para(
        right, "Case Block", "DOC Investigation {{ case_nos }} {{ case_numbers }}", first=True
    )
    cell_para(right, "Case Block", "USITC Investigation {{ itc_nos }} {{ itc_numbers }}")
    cell_para(right, "Case Block", 'Total Pages: {{ packet_pages or "__" }}')
    cell_para(right, "Case Block", "Investigation")
    cell_para(right, "Case Block", "AD/CVD Operations")
    cell_tag(right, "{%p if bpi_volumes %}")
    cell_para(
        right,
        "Case Block",
        "{{ petitioner_possessive }} Business Proprietary Information Removed from the "
        "Attached Petition Volumes as indicated below:",
    )
    cell_tag(right, "{%p for volume in bpi_volumes %}")
    cell_para(right, "Case Block", "Volume {{ volume.numeral }}: {{ volume.summary }}")
    cell_tag(right, "{%p endfor %}")
    cell_tag(right, "{%p endif %}")

    para(
        doc,
        "Re Line",
        "Re:\t",
        (
            "{{ product.name }}{{ comma_before_from }} from {{ countries_text }}: "
            "{{ petitions.title }} for the Imposition of {{ duties_title }}",
            "i",
        ),
    )
    para(
        doc,
        "Letter Block",
        "Dear Secretary {{ commerce_secretary_surname }} and Secretary {{ itc_secretary_surname }}:",
    )

    petition = para(doc, "Letter Body", "{{ behalf_lead }}")
    add_runs(petition, [("{%r if has_members %}", "")])
    footnote_reference(petition, 1)
    add_runs(
        petition,
        [
            ("{%r endif %}", ""),
            (
                "{{ behalf_rest }} we hereby submit to the U.S. Department of Commerce "
                "(“the Department”) and the U.S. International Trade Commission "
                "(“the Commission”) {{ petitions.noun }} for the imposition of "
                "{{ duties_text }} on U.S. imports of {{ product_defined }}"
                "{{ comma_before_from }} from {{ countries_text }} "
                "(the “{{ petitions.title }}”), pursuant to {{ statute_sections }} of the "
                "Tariff Act of 1930, as amended (the “Act”) ({{ statute_usc }}). "
                "{{ standing_lead }}",
                "",
            ),
            ("{%r if has_members %}", ""),
        ],
    )
    footnote_reference(petition, 2)
    add_runs(petition, [("{%r endif %}", ""), ("{{ standing_rest }}", "")])

    para(doc, "Letter Body", "{{ volumes_paragraph }}")
    para(
        doc,
        "Letter Body",
        "Pursuant to section 351.202(c) of the Department’s regulations, we certify that the "
        "{{ petitions.noun }} and all required copies were filed today with both the Department "
        "and the Commission. The {{ petitions.noun }} {{ petitions.are }} being filed through "
        "the Department’s ACCESS electronic filing system and through the Commission’s EDIS "
        "electronic filing system.",
    )

    tag(doc, "{%p for volume in bpi_volumes %}")
    para(doc, "BPI Volume", ("Volume {{ volume.numeral }} ({{ volume.title }}):", "u"))
    tag(doc, "{%p for item in volume.entries %}")
    para(
        doc,
        "BPI Item",
        "({{ item.number }})\t",
        ("{{ item.citation }}:", "b"),
        " ",
        ("{{ item.category }}", "i"),
        " ({{ item.regulation }}).",
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")

    para(
        doc,
        "Letter Body",
        "{% if bpi_volumes %}The requisite certification that substantially identical "
        "information is not available to the public is attached to this letter, in accordance "
        "with section 201.6(b)(3)(iii) of the Commission’s rules. Also attached"
        "{% else %}Attached{% endif %} are the requisite company and counsel certifications "
        "regarding the completeness and accuracy of the information contained in the "
        "{{ petitions.noun }}.",
    )
    tag(doc, "{%p if bpi_volumes %}")
    para(
        doc,
        "Letter Body",
        "Pursuant to 19 C.F.R. §§ 351.202(d) and 351.304 of the Department’s regulations, and "
        "19 C.F.R. § 201.6(b) of the Commission’s rules, we request business proprietary "
        "treatment for the bracketed information in the narratives and exhibits of "
        "{{ petitions.these }} as detailed above. Disclosure of this information, which is not "
        "otherwise publicly available, would cause substantial harm to the competitive position "
        "of the submitter and would impair the ability of the Department and the Commission to "
        "obtain information in the future necessary to fulfill their statutory functions.",
    )
    para(
        doc,
        "Letter Body",
        "Pursuant to section 351.304(b)(1) of the Department’s regulations, "
        "{{ petitioner_noun }} {{ agree_verb }} in principle to permit disclosure of business "
        "proprietary information contained in {{ petitions.these }} under an appropriately "
        "drawn administrative protective order (“APO”). {{ petitioner_noun }} respectfully "
        "{{ reserve_verb }} the right, however, to comment on all APO applications prior to "
        "disclosure. A public version of {{ petitions.these }} has been prepared and is being "
        "filed simultaneously with this submission pursuant to Commerce’s regulations, "
        "19 C.F.R. § 351.304(c)(1), and the Commission’s rules, 19 C.F.R. § 201.8(d).",
    )
    tag(doc, "{%p endif %}")
    para(
        doc,
        "Letter Body",
        "If you have any questions regarding this petition, please contact the undersigned.",
    )

    para(doc, "Signature Block", "Respectfully submitted,", space_after=Pt(48), keep_with_next=True)
    tag(doc, "{%p for attorney in counsel.attorneys %}")
    para(doc, "Signature Block", "{{ attorney.name }}, Esq.", keep_with_next=True)
    tag(doc, "{%p endfor %}")
    para(
        doc, "Signature Block", "{{ counsel.firm|upper }}", space_before=Pt(12), keep_with_next=True
    )
    para(doc, "Signature Block", "{{ counsel.address }}", keep_with_next=True)
    para(doc, "Signature Block", "{{ counsel.telephone }}", keep_with_next=True)
    para(
        doc,
        "Signature Block",
        ("Counsel to {{ petitioner_noun }},\n{{ petitioner_names_lines }}", "i"),
        space_before=Pt(12),
    )
    tag(doc, "{%p if consultants.included %}")
    para(
        doc,
        "Signature Block",
        "ECONOMIC CONSULTANTS:",
        space_before=Pt(24),
        space_after=Pt(12),
        keep_with_next=True,
    )
    tag(doc, "{%p for person in consultants.people %}")
    para(doc, "Signature Block", "{{ person.name }}", keep_with_next=True)
    tag(doc, "{%p endfor %}")
    para(
        doc,
        "Signature Block",
        "{{ consultants.firm|upper }}",
        space_before=Pt(12),
        keep_with_next=True,
    )
    para(doc, "Signature Block", "{{ consultants.address }}", keep_with_next=True)
    para(doc, "Signature Block", "{{ consultants.telephone }}")
    tag(doc, "{%p endif %}")

    member_note: list[Run] = [
        (
            " {{ coalition_subject }} is comprised of {{ member_count }} {{ member_description }}: "
            "{{ members_text }}.",
            "",
        )
    ]
    basis_note: list[Run] = [
        (
            " Individual {{ member_role }} members of {{ coalition_short }} are interested "
            "parties within the meaning of 19 U.S.C. § 1677(9)({{ members_basis }}).",
            "",
        )
    ]
    add_footnotes(doc, [member_note, basis_note])
    return doc


def signature(doc, name: str, date_line: str) -> None:
    para(doc, "Signature Line", SIGNATURE)
    para(doc, "Signature Block", name, keep_with_next=True)
    para(doc, "Signature Block", date_line, space_before=Pt(12))


def company_certification():
    doc = certification_document("Company Certification", "COMPANY CERTIFICATION")
    para(
        doc,
        "Certification Body",
        "I, {{ certification.name }}, currently employed as {{ certification.employment }}, "
        "certify that I prepared or otherwise supervised the preparation of the attached "
        "submission, ",
        (SUBMISSION_TITLE, "i"),
        " " + CASES + " I certify that the public information and any business proprietary "
        "information of {{ certification.companies }} contained in this submission is accurate "
        "and complete to the best of my knowledge. I am aware that the information contained in "
        "this submission may be subject to verification or corroboration (as appropriate) by "
        "the U.S. Department of Commerce. I am also aware " + AWARE,
    )
    signature(doc, "{{ certification.name }}", "Date: {{ certification.date_text }}")
    return doc


def representative_certification():
    doc = certification_document("Representative Certification", "REPRESENTATIVE CERTIFICATION")
    para(
        doc,
        "Certification Body",
        "I, {{ representative_certification.name }}, with {{ representative_certification.firm }}, "
        "{{ representative_role }} {{ petitioner_names }}, certify that I have read the attached "
        "submission, ",
        (SUBMISSION_TITLE, "i"),
        " " + CASES + " In my capacity as {{ representative_certification.capacity }}, I certify "
        "that the information contained in this submission is accurate and complete to the best "
        "of my knowledge. I am aware " + AWARE,
    )
    signature(doc, "{{ representative_certification.name }}", "Date: {{ representative_date }}")
    return doc


def counsel_certification():
    doc = certification_document("Certification of Counsel", "CERTIFICATION OF COUNSEL")
    para(
        doc,
        "Certification Body",
        "In accordance with section 201.6(b)(3)(iii) of the Commission’s regulations, "
        "19 C.F.R. § 201.6(b)(3)(iii), I, {{ counsel_certification.name }}, of "
        "{{ counsel_certification.firm }}, hereby certify that information substantially "
        "identical to the information for which we are requesting proprietary treatment in the "
        "attached submission is not available to the public.",
    )
    para(
        doc,
        "Certification Body",
        "In accordance with section 207.3(a) of the Commission’s regulations, "
        "19 C.F.R. § 207.3(a), I further certify that (1) I have read the attached submission, "
        "and (2) the information contained in this submission is accurate and complete to the "
        "best of my knowledge.",
    )
    para(
        doc,
        "Certification Body",
        "In accordance with section 207.10(a) of the Commission’s regulations, "
        "19 C.F.R. § 207.10(a), I also certify that copies of this document are being filed with "
        "the Department of Commerce and the U.S. International Trade Commission on this date.",
    )
    para(
        doc,
        "Certification Body",
        "This certification is made in accordance with 28 U.S.C. § 1746. I declare under penalty "
        "of perjury of the laws of the United States of America that the foregoing statements are "
        "true and correct to the best of my information and belief.",
    )
    signature(doc, "{{ counsel_certification.name }}", "Dated: {{ counsel_certification_date }}")
    return doc


TEMPLATES = {
    "cover-letter.docx": cover_letter,
    "company-certification.docx": company_certification,
    "representative-certification.docx": representative_certification,
    "counsel-certification.docx": counsel_certification,
}


def reproducible(docx: bytes) -> bytes:
    """The same package with fixed timestamps and order, so a rebuild is the same file."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def build(out_dir: Path = HERE) -> list[Path]:
    written = []
    for file_name, make in TEMPLATES.items():
        buffer = io.BytesIO()
        make().save(buffer)
        path = out_dir / file_name
        path.write_bytes(reproducible(buffer.getvalue()))
        written.append(path)
    return written


if __name__ == "__main__":
    # A one-off generator: the committed .docx are the source a firm edits in Word, so a
    # template that exists is never overwritten; only missing ones are written.
    import shutil
    import tempfile

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    with tempfile.TemporaryDirectory() as scratch:
        for built in build(Path(scratch)):
            path = target / built.name
            if path.exists():
                print(f"{path}: exists, kept as it is")
                continue
            shutil.copyfile(built, path)
            print(f"{path}: written")
