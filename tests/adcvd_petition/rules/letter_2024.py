# ruff: noqa: E501
"""The BPI lists of the 2024 cover letter, exactly as printed (see adcvd-petition-cover-letter-2024.txt).

Kept as data so that tests can check parsing and printing against every citation of the real
letter, including its one mistake: Volume I item (3) cites Exhibit I-24, which the header and
the (c)(11) list leave out.
"""

from __future__ import annotations

# Volume numeral -> the items of its BPI list in the letter's order: (paragraph, citation).
ITEMS: dict[str, list[tuple[int, str]]] = {
    "I": [
        (3, "Exhibit I-33"),
        (4, "Exhibits I-25, I-33"),
        (5, "Pages 43, 44, and Exhibits I-24, I-33"),
        (6, "Exhibits I-25, I-33"),
        (
            9,
            "Pages 3, 4, 7, 23, 36, 37, 42, 44, 47, 55, Exhibit List, and Exhibits I-3, I-4, I-7, I-25, I-30, I-31, I-33, I-34",
        ),
        (10, "Pages 10, 11, 42, and Exhibits I-3, I-19"),
        (
            11,
            "Pages 3, 4, 6, 7, 10, 11, 23, 26, 27, 36-39, 42-49, 51, 55, Exhibit List, and Exhibits I-3, I-4, I-7, I-15, I-16, I-19, I-25, I-30, I-31, I-33, I-34",
        ),
    ],
    "II": [
        (1, "Pages 12, 16, 19, and Exhibits II-1, II-4, II-18, II-19, II-21, II-23"),
        (2, "Page 23, and Exhibits II-1, II-18, II-19, II-29"),
        (3, "Exhibits II-4, II-11"),
        (4, "Pages 3, 4, 7, 9, 10, 23, and Exhibits II-2, II-3, II-4, II-11, II-16, II-19, II-29"),
        (5, "Pages 3, 10, and Exhibits II-2, II-4, II-29"),
        (6, "Pages 3, 9, and Exhibits II-2, II-3, II-4, II-16, II-19"),
        (
            9,
            "Pages 1, 3-5, 10, 12, 16, 19, Exhibit List, and Exhibits II-1, II-2, II-3, II-18, II-19, II-21, II-23",
        ),
        (
            11,
            "Pages 1, 3-5, 7, 9-12, 16, 19, 23, Exhibit List, and Exhibits II-1, II-2, II-3, II-4, II-11, II-16, II-18, II-19, II-21, II-23, II-29",
        ),
    ],
    "III": [
        (1, "Pages 12, 13, 17, 19, and Exhibits III-1, III-4, III-18, III-19, III-21, III-23"),
        (2, "Page 22, and Exhibits III-1, III-18, III-19, III-28"),
        (3, "Page 6, and Exhibits III-4, III-11"),
        (4, "Pages 4, 8-11, 22, and Exhibits III-2, III-3, III-4, III-11, III-16, III-19, III-28"),
        (5, "Pages 4, 9, 11, and Exhibits III-2, III-4, III-28"),
        (6, "Page 3, and Exhibits III-2, III-3, III-4, III-16, III-19"),
        (
            9,
            "Pages 1, 3, 4, 6, 10-13, 17, 19, Exhibit List, and Exhibits III-1, III-2, III-3, III-18, III-19, III-21, III-23",
        ),
        (
            11,
            "Pages 1, 3, 4, 6, 8-13, 17, 19, 22, Exhibit List, and Exhibits III-1, III-2, III-3, III-4, III-11, III-16, III-18, III-19, III-21, III-23, III-28",
        ),
    ],
    "IV": [
        (1, "Pages 16, 18, and Exhibits IV-1, IV-4, IV-18, IV-19, IV-21, IV-23"),
        (2, "Page 22, and Exhibits IV-1, IV-18, IV-19, IV-29"),
        (3, "Exhibits IV-4, IV-11"),
        (4, "Pages 3, 4, 7, 9, 10, 22, and Exhibits IV-2, IV-3, IV-4, IV-11, IV-16, IV-19, IV-29"),
        (5, "Pages 3, 10, and Exhibits IV-2, IV-4, IV-29"),
        (6, "Pages 3, 9, and Exhibits IV-2, IV-3, IV-4, IV-16, IV-19"),
        (
            9,
            "Pages 1, 3, 4, 10-12, 16, Exhibit List, and Exhibits IV-1, IV-2, IV-3, IV-18, IV-19, IV-21, IV-23",
        ),
        (
            11,
            "Pages 1, 3, 4, 7, 9-12, 16, 18, 22, Exhibit List, and Exhibits IV-1, IV-2, IV-3, IV-4, IV-11, IV-16, IV-18, IV-19, IV-21, IV-23, IV-29",
        ),
    ],
    "V": [
        (1, "Pages 14, 18, and Exhibits V-1, V-21, V-22, V-24, V-26"),
        (2, "Pages 21, 24, and Exhibits V-1, V-21, V-22, V-32"),
        (3, "Pages 4, 9, 11, and Exhibits V-4, V-11"),
        (4, "Pages 4, 8, 9, 11, 24, and Exhibits V-2, V-3, V-4, V-11, V-16, V-22, V-32"),
        (5, "Pages 4, 11, and Exhibits V-2, V-4, V-32"),
        (6, "Page 4, and Exhibits V-2, V-3, V-4, V-16, V-22"),
        (
            9,
            "Pages 1, 4, 6, 11, 13, 14, 21, 24, Exhibit List, and Exhibits V-1, V-2, V-3, V-21, V-22, V-24, V-26",
        ),
        (
            11,
            "Pages 1, 4, 6, 8-11, 13, 14, 18, 21, 24, Exhibit List, and Exhibits V-1, V-2, V-3, V-4, V-11, V-16, V-21, V-22, V-24, V-26, V-32",
        ),
    ],
}

# Volume numeral -> the summary in the first-page header, with its line breaks undone.
HEADER: dict[str, str] = {
    "I": "Pages 3, 4, 6, 7, 10, 11, 23, 26, 27, 36-39, 42-49, 51, 55, Exhibit List, and Exhibits I-3, I-4, I-7, I-15, I-16, I-19, I-25, I-30, I-31, I-33, I-34",
    "II": "Pages 1, 3-5, 7, 9-12, 16, 19, 23, Exhibit List, and Exhibits II-1, II-2, II-3, II-4, II-11, II-16, II-18, II-19, II-21, II-23, II-29",
    "III": "Pages 1, 3, 4, 6, 8-13, 17, 19, 22, Exhibit List, and Exhibits III-1, III-2, III-3, III-4, III-11, III-16, III-18, III-19, III-21, III-23, III-28",
    "IV": "Pages 1, 3, 4, 7, 9-12, 16, 18, 22, Exhibit List, and Exhibits IV-1, IV-2, IV-3, IV-4, IV-11, IV-16, IV-18, IV-19, IV-21, IV-23, IV-29",
    "V": "Pages 1, 4, 6, 8-11, 13, 14, 18, 21, 24, Exhibit List, and Exhibits V-1, V-2, V-3, V-4, V-11, V-16, V-21, V-22, V-24, V-26, V-32",
}

# Every citation the letter prints, header and lists, for round-trip tests.
ALL_CITATIONS: list[str] = [c for items in ITEMS.values() for _, c in items] + list(HEADER.values())
