"""Label grammar, one case per printed form (texts written for these tests)."""

from __future__ import annotations

import pytest

from etl.parse.labels import is_closing, match_label, match_numbered, split_numbers


@pytest.mark.parametrize(
    ("line", "kind", "numbers"),
    [
        ("Vraag 1", "question", ("1",)),
        ("Vraag 1:", "question", ("1",)),
        ("  Vraag 12  ", "question", ("12",)),
        ("Vragen 2 en 3", "question", ("2", "3")),
        ("Vraag 2 en 3", "question", ("2", "3")),
        ("Vraag 1, 2, 3 en 5", "question", ("1", "2", "3", "5")),
        ("Vraag 7, 8, 9 10 en 11", "question", ("7", "8", "9", "10", "11")),
        ("Vraag 1a", "question", ("1a",)),
        ("Vraag 1b:", "question", ("1b",)),
        ("Vragen 4 t/m 6", "question", ("4", "5", "6")),
        ("VRAAG 3", "question", ("3",)),
        ("Antwoord 1", "answer", ("1",)),
        ("Antwoord op vraag 1", "answer", ("1",)),
        ("Antwoord vraag 1", "answer", ("1",)),
        ("Antwoord op vragen 2 en 3", "answer", ("2", "3")),
        ("Antwoord op de vragen 2, 6 en 8", "answer", ("2", "6", "8")),
        ("Antwoord 5 en 6", "answer", ("5", "6")),
        ("Antwoord", "answer", ()),
        ("Antwoord:", "answer", ()),
    ],
)
def test_label_forms_give_kind_and_numbers(line: str, kind: str, numbers: tuple[str, ...]) -> None:
    label = match_label(line)
    assert label is not None
    assert (label.kind, label.numbers) == (kind, numbers)


def test_label_with_text_on_the_same_line_reports_where_the_text_starts() -> None:
    line = "Vraag 4: Hoeveel fietsen staan er bij het station?"
    label = match_label(line)
    assert label is not None and label.numbers == ("4",)
    assert line[label.length :] == "Hoeveel fietsen staan er bij het station?"
    answer = match_label("Antwoord: Dat zijn er elfhonderd.")
    assert answer is not None and answer.numbers == ()
    assert "Antwoord: Dat zijn er elfhonderd."[answer.length :] == "Dat zijn er elfhonderd."


@pytest.mark.parametrize(
    "line",
    [
        "Antwoord van Minister Bakker (Infrastructuur en Waterstaat) (ontvangen 2 mei 2026).",
        "Vraag 2 en 3 gaan over hetzelfde plein.",
        "vraag 2",  # lower case inside running text
        "Vragen van het lid Jansen (D66) aan de Minister van Financiën",
        "Antwoorden",
        "",
    ],
)
def test_running_text_is_not_a_label(line: str) -> None:
    assert match_label(line) is None


def test_numbered_question_lines() -> None:
    assert match_numbered("1.").numbers == ("1",)  # type: ignore[union-attr]
    assert match_numbered("2) Staan de lantaarns aan?").numbers == ("2",)  # type: ignore[union-attr]
    assert match_numbered("3").numbers == ("3",)  # type: ignore[union-attr]
    assert match_numbered("12 gemeenten doen mee") is None
    assert match_numbered("2024.") is None


def test_toelichting_opens_the_closing() -> None:
    assert is_closing("Toelichting:")
    assert is_closing(" Toelichting: deze vragen volgen op eerdere vragen")
    assert not is_closing("Toelichtingen bij de begroting")


def test_split_numbers_handles_missing_commas_ranges_and_sub_questions() -> None:
    assert split_numbers("7, 8, 9 10 en 11") == ("7", "8", "9", "10", "11")
    assert split_numbers("2 & 3") == ("2", "3")
    assert split_numbers("4 tot en met 6") == ("4", "5", "6")
    assert split_numbers("1a en 1b") == ("1a", "1b")
