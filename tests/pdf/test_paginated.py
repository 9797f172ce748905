"""The packet's PDFs and its page count: each PDF is read once for its pages, and only the
documents that print the count are made again once it is known."""

from types import SimpleNamespace

import pytest

from service.pdf import paginated
from service.rendering.packet import RenderedDocument
from service.rendering.pool import PacketRenderer
from tests.pdf.cases import blank_pdf


class Converter:
    """Pages as the document's content says: b"pages=3"."""

    def __init__(self) -> None:
        self.converted: list[bytes] = []

    async def to_pdf(self, docx: bytes) -> bytes:
        self.converted.append(docx)
        return blank_pdf(int(docx.split(b"=")[1]))


class Renderer(PacketRenderer):
    """A letter that prints the count (two pages once the count has two digits) and four
    certifications of two pages each."""

    def __init__(self) -> None:
        self.printed: list[int | None] = []

    async def render(self, pack, answers, *, packet_pages=None, generated_at=None, **options):
        self.printed.append(packet_pages)
        letter_pages = 2 if packet_pages is not None and packet_pages >= 10 else 1
        return [
            RenderedDocument(
                "letter", "Letter", "Letter.docx", b"pages=%d" % letter_pages, "t", True
            )
        ] + [
            RenderedDocument("cert", f"Cert {i}", f"Cert {i}.docx", b"pages=2", "t")
            for i in range(4)
        ]


PACK = SimpleNamespace(page_count_answer="filing.total_pages")


@pytest.fixture
def reads(monkeypatch) -> list[bytes]:
    read: list[bytes] = []
    count = paginated.page_count

    def page_count(pdf: bytes) -> int:
        read.append(pdf)
        return count(pdf)

    monkeypatch.setattr(paginated, "page_count", page_count)
    return read


async def test_with_a_typed_figure_each_pdf_is_read_once(reads):
    converter, renderer = Converter(), Renderer()
    packet = await paginated.render_paginated(
        PACK, {"filing": {"total_pages": 9}}, converter, renderer=renderer
    )
    assert len(reads) == 5
    assert [d.pages for d in packet.documents] == [1, 2, 2, 2, 2]
    assert (packet.pages, packet.printed_pages) == (9, 9)
    assert renderer.printed == [9]
    assert packet.notes == []


async def test_the_count_is_printed_and_only_its_documents_made_again(reads):
    converter, renderer = Converter(), Renderer()
    packet = await paginated.render_paginated(PACK, {"filing": {}}, converter, renderer=renderer)
    # 9 pages as first rendered; printing "9" keeps the letter at one page: settled.
    assert renderer.printed == [None, 9]
    assert len(converter.converted) == 5 + 1  # the letter again, not the certifications
    assert len(reads) == 5 + 1
    assert (packet.pages, packet.printed_pages) == (9, 9)
    assert [d.document.content for d in packet.documents][0] == b"pages=1"
    assert [d.pages for d in packet.documents] == [1, 2, 2, 2, 2]
