"""Dutch date and period phrases become inclusive day ranges (etl.enrich.dates)."""

from __future__ import annotations

from datetime import date

import pytest

from etl.enrich.dates import find_dates, mask_footnote_markers, summer_recess_start

LETTER = date(2025, 12, 15)


def only(text: str, letter: date | None = LETTER, markers: tuple[str, ...] = ()):
    spans = find_dates(text, letter, markers=markers)
    assert len(spans) == 1, spans
    d = spans[0]
    assert text[d.start:d.end] == d.text
    return d


@pytest.mark.parametrize(
    ("text", "phrase", "start", "end"),
    [
        ("De inwerkingtreding is op 1 april 2029 voorzien.", "1 april 2029", date(2029, 4, 1), date(2029, 4, 1)),
        ("Dit is in het eerste kwartaal van 2026 klaar.",
         "in het eerste kwartaal van 2026", date(2026, 1, 1), date(2026, 3, 31)),
        ("Dat gebeurde in het vierde kwartaal van 2025.",
         "in het vierde kwartaal van 2025", date(2025, 10, 1), date(2025, 12, 31)),
        ("De uitkomst volgt in het voorjaar van 2026.", "in het voorjaar van 2026", date(2026, 3, 1), date(2026, 5, 31)),
        ("Het najaar van 2026 brengt de rapportage.", "Het najaar van 2026", date(2026, 9, 1), date(2026, 11, 30)),
        ("Het herstel is eind 2025 voltooid.", "eind 2025", date(2025, 10, 1), date(2025, 12, 31)),
        ("Alle systemen zijn medio 2026 beschikbaar.", "medio 2026", date(2026, 6, 1), date(2026, 7, 31)),
        ("Begin 2027 volgt een evaluatie.", "Begin 2027", date(2027, 1, 1), date(2027, 3, 31)),
        ("Dat gebeurt in Q3 2026.", "Q3 2026", date(2026, 7, 1), date(2026, 9, 30)),
        ("In de tweede helft van 2026 volgt meer.", "In de tweede helft van 2026", date(2026, 7, 1), date(2026, 12, 31)),
        ("Het onderzoek is in december 2025 afgerond.", "december 2025", date(2025, 12, 1), date(2025, 12, 31)),
        ("De cijfers over 2025 volgen.", "2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("Van 25 augustus tot en met 12 september 2025 lag alles stil.",
         "Van 25 augustus tot en met 12 september 2025", date(2025, 8, 25), date(2025, 9, 12)),
        ("Dit duurde van 1 tot 15 maart 2026.", "van 1 tot 15 maart 2026", date(2026, 3, 1), date(2026, 3, 15)),
    ],
)
def test_date_phrase_with_a_year_becomes_its_day_range(text, phrase, start, end):
    d = only(text)
    assert (d.text, d.date_start, d.date_end, d.year_inferred) == (phrase, start, end, False)


def test_range_without_year_takes_the_letters_year_and_eind_means_the_last_days_of_the_month():
    d = only("lag de instroom van 17 juli tot eind augustus stil")
    assert (d.text, d.date_start, d.date_end, d.year_inferred) == (
        "van 17 juli tot eind augustus", date(2025, 7, 17), date(2025, 8, 31), True)


def test_missing_year_comes_from_the_letter_date():
    assert only("op 3 maart volgt een brief", date(2024, 1, 10)).date_start == date(2024, 3, 3)
    assert only("in het tweede kwartaal", date(2024, 1, 10)).date_end == date(2024, 6, 30)
    assert only("deze zomer plaatsvond", LETTER).date_start == date(2025, 6, 1)


def test_missing_year_without_a_letter_date_gives_no_range():
    assert find_dates("op 3 maart volgt een brief", None) == []


def test_before_the_summer_recess_ends_the_day_before_the_recess_starts():
    d = only("De minister zou voor het zomerreces van 2024 rapporteren.")
    assert summer_recess_start(2024) == date(2024, 7, 5)  # first Friday of July
    assert (d.date_end, d.before, d.form) == (date(2024, 7, 4), True, "recess")
    assert d.date_start == date(2024, 1, 1)  # the letter is later than the deadline


def test_voor_de_zomer_without_year_is_the_next_summer_after_the_letter():
    d = only("ik informeer uw Kamer voor de zomer")
    assert (d.date_start, d.date_end, d.before) == (LETTER, date(2026, 7, 2), True)
    d = only("ik informeer uw Kamer voor de zomer", date(2026, 2, 1))
    assert d.date_end == date(2026, 7, 2)


def test_voor_a_day_is_a_deadline_ending_the_day_before():
    d = only("Ik stuur het rapport voor 1 november 2026 aan uw Kamer.", date(2026, 6, 19))
    assert (d.date_start, d.date_end, d.before) == (date(2026, 6, 19), date(2026, 10, 31), True)


def test_voor_a_year_means_for_that_year_not_before_it():
    d = only("de begroting voor 2026 is krap")
    assert (d.text, d.date_start, d.date_end, d.before) == ("2026", date(2026, 1, 1), date(2026, 12, 31), False)


@pytest.mark.parametrize("text", ["Na de storing in juli 2025¹ volgde", "Na de storing in juli 2025² volgde"])
def test_superscript_footnote_marker_is_never_read_as_a_digit(text):
    d = only(text)
    assert (d.text, d.date_start, d.date_end) == ("juli 2025", date(2025, 7, 1), date(2025, 7, 31))


def test_plain_footnote_marker_glued_to_a_year_is_dropped_when_it_is_a_known_marker():
    d = only("Na de storing in juli 20251 volgde", markers=("1", "2"))
    assert (d.text, d.date_start, d.date_end) == ("juli 2025", date(2025, 7, 1), date(2025, 7, 31))
    # without knowing the marker a five-digit number is no year at all
    assert [s.text for s in find_dates("Na de storing in juli 20251 volgde", LETTER)] == ["juli"]


def test_masking_keeps_offsets():
    text = "in juli 20251 en 2025¹"
    masked = mask_footnote_markers(text, ["1"])
    assert len(masked) == len(text) and masked == "in juli 2025  en 2025 "


@pytest.mark.parametrize("phrase", ["de komende jaren", "binnenkort", "op korte termijn", "zo spoedig mogelijk"])
def test_vague_span_is_kept_as_text_without_dates(phrase):
    d = only(f"Voor betere systemen is {phrase} geld nodig.")
    assert (d.text, d.date_start, d.date_end, d.form) == (phrase, None, None, "vague")


def test_numbers_that_are_not_years_are_not_dates():
    assert find_dates("met 2850 OM-medewerkers en 9.300 zaken", LETTER) == []


def test_excluded_spans_are_never_read_as_dates():
    text = "Kamerstukken II, 2025-2026, 29279, nr. 912."
    assert [d.form for d in find_dates(text, LETTER)] == ["session"]
    assert find_dates(text, LETTER, exclude=[(0, len(text))]) == []


def test_impossible_day_is_not_a_date():
    assert [d.text for d in find_dates("op 31 februari 2026", LETTER)] == ["februari 2026"]


def test_a_question_deadline_is_not_moved_to_next_year_because_the_answer_came_later():
    text = "Graag antwoord vóór 6 februari."
    answer_date = date(2024, 3, 11)
    assert only(text, answer_date).date_end == date(2025, 2, 5)  # as an answer would read it
    d = find_dates(text, answer_date, roll_forward=False)[0]
    assert (d.date_end, d.before) == (date(2024, 2, 5), True)
