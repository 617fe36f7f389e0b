"""Unlabelled real letters (../shared/corpus/field, pypdf text): nobody wrote rules from them.

On each: question numbers equal answered numbers, both dates are found, and no block ends in a
footnote marker (pypdf prints markers on a line of their own or after the last word).
"""

from __future__ import annotations

import re

import pytest

from etl.parse import parse_file
from tests.parse_helpers import corpus_dir

pytestmark = pytest.mark.corpus

FIELD_IDS = [
    "ah-tk-20232024-1108", "ah-tk-20232024-1197", "ah-tk-20232024-1280", "ah-tk-20232024-1543",
    "ah-tk-20232024-1586", "ah-tk-20232024-1823", "ah-tk-20232024-2109", "ah-tk-20232024-2267",
    "ah-tk-20232024-2352", "ah-tk-20232024-946", "ah-tk-20232024-971",
]
_ENDS_IN_MARKER = re.compile(r"(?:[?.!»”)]\s*\d{1,3}(?:[\s,]+\d{1,3})*|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s*$")


def test_field_folder_holds_the_eleven_letters():
    assert sorted(p.stem for p in (corpus_dir() / "field").glob("*.txt")) == sorted(FIELD_IDS)


@pytest.mark.parametrize("doc_id", FIELD_IDS)
def test_field_letter_numbers_dates_and_clean_block_ends(doc_id: str):
    letter = parse_file(corpus_dir() / "field" / f"{doc_id}.txt")
    asked = [n for b in letter.questions for n in b.numbers]
    answered = [n for b in letter.answers for n in b.numbers]
    assert asked and asked == answered
    assert letter.date_submitted is not None and letter.date_answered is not None
    assert letter.date_submitted <= letter.date_answered
    ends = [b.label for b in letter.questions + letter.answers if _ENDS_IN_MARKER.search(b.text)]
    assert ends == []
    assert letter.footnotes and all(f.n.isdigit() for f in letter.footnotes)


def test_field_shared_party_covers_every_name_before_it():
    letter = parse_file(corpus_dir() / "field" / "ah-tk-20232024-2109.txt")
    assert len(letter.askers) == 3
    assert all(a.endswith(")") for a in letter.askers)
    assert letter.askers[0].endswith("(CDA)") and letter.askers[1].endswith("(CDA)")
    assert not letter.askers[2].endswith("(CDA)")


def test_field_plural_ministers_become_one_addressee_each():
    letter = parse_file(corpus_dir() / "field" / "ah-tk-20232024-1543.txt")
    assert len(letter.addressees) == 2
    assert all(a.startswith("Minister van ") for a in letter.addressees)
