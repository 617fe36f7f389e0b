"""Commitments, expectations, their status, and the events timeline (etl.enrich)."""

from __future__ import annotations

from datetime import date

import pytest

from etl.enrich import enrich_units
from etl.enrich.commitments import status_of
from etl.enrich.events import classify
from etl.models import TextUnit

LETTER = date(2025, 12, 15)


def answer(text: str, doc: str = "d", i: int = 0, letter: date = LETTER) -> TextUnit:
    return TextUnit(f"{doc}:a:{i}", doc, "answer", (str(i + 1),), text, letter)


def test_promise_to_inform_the_house_before_the_summer_is_an_open_commitment():
    e = enrich_units([answer("Ik informeer uw Kamer voor de zomer over de voortgang.")],
                     reference_date=date(2026, 1, 5))
    [c] = e.commitments
    assert (c.kind, c.text, c.due_start, c.due_end, c.status, c.trigger) == (
        "commitment", "voor de zomer", LETTER, date(2026, 7, 2), "due", "Ik informeer")


@pytest.mark.parametrize(
    ("reference", "status"),
    [(date(2025, 12, 31), "open"), (date(2026, 1, 1), "due"), (date(2026, 3, 31), "due"), (date(2026, 4, 1), "overdue")],
)
def test_status_is_open_due_or_overdue_relative_to_the_reference_date(reference, status):
    text = "Het OM verwacht dat de resterende werkvoorraad begin 2026 is weggewerkt."
    [c] = enrich_units([answer(text)], reference_date=reference).commitments
    assert (c.kind, c.theme, c.subject, c.status) == ("expectation", "backlogs", "backlogs:wegwerken", status)


def test_undated_promise_is_kept_open_without_a_due_range():
    [c] = enrich_units([answer("Daarover ga ik in overleg met de korpsleiding.")], reference_date=LETTER).commitments
    assert (c.kind, c.text, c.due_start, c.due_end, c.status) == ("commitment", "", None, None, "open")


def test_vague_promise_keeps_its_phrase_without_dates():
    [c] = enrich_units([answer("Ik zal uw Kamer de komende jaren blijven informeren.")], reference_date=LETTER).commitments
    assert (c.text, c.due_start, c.due_end, c.status) == ("de komende jaren", None, None, "open")


def test_a_recalled_promise_in_an_answer_is_not_a_new_commitment():
    units = [answer("U wijst op een toezegging uit de brief van 3 mei 2024.")]
    assert enrich_units(units, reference_date=LETTER).commitments == ()


def test_questions_do_not_make_commitments_but_their_deadlines_are_events():
    q = TextUnit("d:q:0", "d", "question", ("1",),
                 "Is het plan tegen de werkdruk bij het OM voor het zomerreces van 2024 verschenen?",
                 LETTER)
    e = enrich_units([q], reference_date=LETTER)
    assert e.commitments == ()
    assert [(ev.kind, ev.theme, ev.date_end) for ev in e.events] == [("deadline", "werkdruk", date(2024, 7, 4))]


def test_status_of_handles_open_ranges():
    assert status_of(None, None, LETTER) == "open"
    assert status_of(None, date(2025, 12, 1), LETTER) == "overdue"
    assert status_of(date(2025, 12, 1), date(2025, 12, 31), LETTER) == "due"


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Inwerkingtreding is voorzien op 1 april 2029.", "deadline"),
        ("De ICT-inbreuk in juli 2025 heeft de problemen vergroot.", "incident"),
        ("De cijfers over 2025 worden gepubliceerd.", "figure"),
        ("In 2025 waren 9.300 zaken getroffen.", "figure"),
        ("Dat besprak ik op 3 maart 2025 met het College.", None),
    ],
)
def test_event_kind_comes_from_the_words_of_the_sentence(sentence, kind):
    assert classify(sentence, (0, 0), False) == kind


def test_citation_dates_are_not_events():
    e = enrich_units([answer("In de brief van 28 juni 2024 stond dat de storing voorbij was.")], reference_date=LETTER)
    assert e.events == ()


def test_event_evidence_is_the_sentence_with_its_offsets():
    text = "Ja. Het OM verwacht dat alle systemen medio 2026 weer beschikbaar zijn. Verder niets."
    u = answer(text)
    [ev] = enrich_units([u], reference_date=LETTER).events
    assert (ev.kind, ev.theme, ev.date_start, ev.date_end) == ("expectation", "ict_incidents", date(2026, 6, 1), date(2026, 7, 31))
    assert text[ev.start:ev.end] == ev.evidence == "Het OM verwacht dat alle systemen medio 2026 weer beschikbaar zijn."
    assert ev.subject == "ict_incidents:herstel" and ev.letter_date == LETTER


def test_enrich_units_is_pure_and_repeatable():
    units = [answer("Het OM verwacht dat de extra voorraad eind 2026 is weggewerkt.")]
    assert enrich_units(units, reference_date=LETTER) == enrich_units(units, reference_date=LETTER)


def test_a_bad_unit_is_skipped_with_a_warning_and_the_others_are_enriched():
    good = answer("Het OM verwacht dat de werkvoorraad eind 2026 is weggewerkt.")
    no_text = TextUnit("d:a:1", "d", "answer", ("2",), None, LETTER)  # type: ignore[arg-type]
    bad_id = TextUnit("d-answer-3", "d", "answer", ("3",), "Ik informeer uw Kamer voor de zomer.", LETTER)
    e = enrich_units([no_text, good, bad_id], reference_date=LETTER)
    assert [c.unit_id for c in e.commitments] == ["d:a:0"]
    assert {ln.unit_id for ln in e.theme_links} == {"d:a:0"}
    assert len(e.warnings) == 2
    assert "'d:a:1': text is NoneType" in e.warnings[0] and "'d-answer-3': id is not" in e.warnings[1]


def test_a_trigger_is_found_where_lower_case_hides_its_word():
    """The triggers' word tests run on the lower-cased sentence; a sentence with a character
    that IGNORECASE reads as a letter but lower() keeps apart ("ſ") runs every regex."""
    from etl.enrich.commitments import find_trigger

    assert find_trigger("Wij streven ernaar dit in 2026 af te ronden.")[0] == "expectation"
    assert find_trigger("Wij ſtreven ernaar dit in 2026 af te ronden.")[0] == "expectation"
    assert find_trigger("IK INFORMEER uw Kamer voor de zomer.")[0] == "commitment"
    assert find_trigger("De rechtbank doet uitspraak.") is None
