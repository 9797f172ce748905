"""Citations read from a letter are bounded before they are expanded."""

from __future__ import annotations

import pytest
from adcvd_petition.importing.citing import read_citation
from adcvd_petition.rules.citations import Citation, CitationError


class TestReadCitation:
    def test_an_ordinary_citation(self) -> None:
        assert read_citation("Pages 43, 44, and Exhibits I-24, I-33", "I") == Citation(
            (43, 44), False, ("I-24", "I-33")
        )

    def test_ranges_spanning_more_than_a_volume_has(self) -> None:
        with pytest.raises(CitationError, match="span"):
            read_citation("Pages 1-4000, 5000-9000", "I")

    def test_text_longer_than_any_citation(self) -> None:
        with pytest.raises(CitationError, match="characters long"):
            read_citation("Pages " + "1, " * 3000, "I")
