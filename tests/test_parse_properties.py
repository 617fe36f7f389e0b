"""Property tests: the structure code never raises, and every character has exactly one owner."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.models import ParsedLetter, ParseFailure
from etl.parse import parse_bytes, parse_text
from etl.parse.lines import classify_text
from etl.parse.structure import Span, assemble

OWNERS = {"intro", "question", "answer", "footnote", "closing", "furniture"}

# Text that looks like letters: labels, numbers, furniture, footnote lines, form feeds.
FRAGMENTS = [
    "Vraag 1", "Vraag 2 en 3", "Vragen 4, 5 en 6", "Vraag 7, 8, 9 10 en 11", "Vraag 1a",
    "Antwoord", "Antwoord 1", "Antwoord op vraag 2", "Antwoord vraag 3:", "Antwoord 5 en 6",
    "1", "2", "1 Kamerstuk 12 345, nr. 6.", "2De Krant, 1 mei 2026.", "3.", "Toelichting:",
    "Tweede Kamer, vergaderjaar 2025–2026, Aanhangsel 2", "ISSN 0921 - 7398",
    "’s-Gravenhage 2026", "ah-tk-20252026-123", "Pagina 2 van 3", "Mededeling",
    "Vragen van het lid A (B) aan de Minister van C over D (ingezonden 1 mei 2026).",
    "Antwoord van Minister E (F) (ontvangen 2 juni 2026).", "zie het antwoord op vraag 2",
    "Kent u het bericht?¹", "ICT-", "problematiek", "", " ", "\t",
]
letterish = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=40
).flatmap(
    lambda parts: st.lists(st.sampled_from(["\n", "\n", "\n\n", "\f", " ", "\r\n"]), min_size=len(parts), max_size=len(parts)).map(
        lambda seps: "".join(p + s for p, s in zip(parts, seps))
    )
)


def check_tiling(text: str, spans: tuple[Span, ...]) -> None:
    pos = 0
    for s in spans:
        assert s.start == pos, f"gap or overlap at {pos}: {s}"
        assert s.end > s.start
        assert s.owner in OWNERS
        pos = s.end
    assert pos == len(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_structure_never_raises_on_arbitrary_text(text: str) -> None:
    assert isinstance(parse_text(text), ParsedLetter)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(letterish)
def test_structure_never_raises_on_letter_like_text(text: str) -> None:
    letter = parse_text(text)
    for b in letter.questions + letter.answers:
        assert b.char_start is not None and b.char_end is not None
        assert 0 <= b.char_start < b.char_end <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), letterish))
def test_every_character_lands_in_exactly_one_owner(text: str) -> None:
    structure = assemble(text, classify_text(text))
    check_tiling(text, structure.spans)
    n_q, n_a, n_fn = len(structure.questions), len(structure.answers), len(structure.footnotes)
    for s in structure.spans:
        if s.owner == "question":
            assert 0 <= s.index < n_q
        elif s.owner == "answer":
            assert 0 <= s.index < n_a
        elif s.owner == "footnote":
            assert 0 <= s.index < n_fn


@settings(max_examples=100, deadline=None)
@given(letterish)
def test_block_texts_come_only_from_their_own_spans(text: str) -> None:
    """No block text is invented: its non-space characters all occur in its own spans."""
    structure = assemble(text, classify_text(text))
    for kind, blocks in (("question", structure.questions), ("answer", structure.answers)):
        for i, b in enumerate(blocks):
            own = "".join(text[s.start : s.end] for s in structure.spans if s.owner == kind and s.index == i)
            squeezed = "".join(own.split())
            assert all(ch in squeezed for ch in set("".join(b.text.split())) - {"-"})


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_a_letter_or_a_parse_failure(data: bytes) -> None:
    try:
        result = parse_bytes(data, "random.bin")
    except ParseFailure as e:
        assert e.code in {"missing", "unreadable", "encrypted", "empty", "no_text_layer", "unsupported_type"}
        assert e.path == "random.bin"
    else:
        assert isinstance(result, ParsedLetter)


XML_FRAGMENTS = [
    "<vraag>", "</vraag>", "<antwoord>", "</antwoord>", "<nr>Vraag 1</nr>", "<nr>Antwoord 1</nr>",
    "<nr>Antwoord</nr>", "<al>", "</al>", "<noot><noot.nr>1</noot.nr><noot.al>x</noot.al></noot>",
    '<datum isodatum="2030-13-45">1 mei 2030</datum>', "<kamervraagomschrijving>", "</kamervraagomschrijving>",
    "<lijst><li><li.nr>–</li.nr><al>a</al></li></lijst>", "&amp;", "&", "<", "]]>", "<!-- c -->",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(XML_FRAGMENTS), st.text(max_size=20)), max_size=30))
def test_koop_xml_reader_only_ever_raises_parse_failure(parts: list[str]) -> None:
    data = ("<?xml version='1.0'?><officiele-publicatie><kamervragen>" + "".join(parts)
            + "</kamervragen></officiele-publicatie>").encode("utf-8", "surrogatepass")
    try:
        letter = parse_bytes(data, "fuzz.xml")
    except ParseFailure:
        return
    assert isinstance(letter, ParsedLetter) and letter.source_format == "xml"
    for b in letter.questions + letter.answers:
        assert b.xml_path and b.char_start is not None and b.char_end >= b.char_start
