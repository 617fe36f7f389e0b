"""The issue's "done when" on the seed letter: themes, the 2029 deadline, the two expectations,
footnote 1 and the follow-up reference to 2025Z20552. The seed's text is read at test time."""

from __future__ import annotations

import re
from datetime import date

import pytest

from etl.enrich import enrich_units
from tests.gold import units_from_gold
from tests.test_enrich_support import corpus_dir, read_json

# The seed letter's own date is missing from the extracted text; it answers questions submitted
# on 26 November 2025 and was sent in December 2025.
LETTER = date(2025, 12, 15)
pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def seed():
    doc = read_json(corpus_dir() / "seed.json")
    units = units_from_gold(doc, "seed", letter_date=LETTER)
    return doc, units, enrich_units(units, reference_date=date(2026, 2, 1))


def answer_unit(doc: dict, number: str) -> str:
    """unit_id of the answer block that answers question ``number``."""
    i = next(i for i, a in enumerate(doc["answers"]) if number in a["answers_questions"])
    return f"seed:a:{i}"


def themes_of(enrichment, unit_id: str) -> set[str]:
    return {ln.theme for ln in enrichment.theme_links if ln.unit_id == unit_id}


def test_answers_about_the_july_2025_ict_breach_link_to_the_ict_theme(seed):
    doc, units, e = seed
    breach = [u.unit_id for u in units if u.kind == "answer" and "ICT-inbreuk" in u.text]
    assert len(breach) >= 4
    for unit_id in breach:
        assert "ict_incidents" in themes_of(e, unit_id), unit_id


def test_answers_about_the_extra_stock_link_to_the_backlog_theme(seed):
    doc, units, e = seed
    stock = [u.unit_id for u in units if u.kind == "answer" and re.search(r"voorraa?d", u.text)]
    assert answer_unit(doc, "12") in stock and answer_unit(doc, "16") in stock
    for unit_id in stock:
        assert "backlogs" in themes_of(e, unit_id), unit_id


def test_answer_on_the_new_code_links_to_strafvordering_with_a_deadline_on_1_april_2029(seed):
    doc, units, e = seed
    unit_id = answer_unit(doc, "17")
    assert "strafvordering" in themes_of(e, unit_id)
    deadlines = [ev for ev in e.events if ev.unit_id == unit_id and ev.kind == "deadline"]
    assert [(ev.date_start, ev.date_end, ev.theme, ev.subject) for ev in deadlines] == [
        (date(2029, 4, 1), date(2029, 4, 1), "strafvordering", "strafvordering:inwerkingtreding")]


def test_every_theme_link_carries_its_rule_and_exact_evidence_span(seed):
    doc, units, e = seed
    text = {u.unit_id: u.text for u in units}
    assert e.theme_links
    for ln in e.theme_links:
        assert text[ln.unit_id][ln.start:ln.end] == ln.evidence
        assert ln.rule.removeprefix("supported:").split(":", 1)[0] in (
                "stem", "word", "acronym", "phrase", "pattern", "context")


def test_the_two_expectations_are_commitments_with_their_due_ranges(seed):
    doc, units, e = seed
    got = {(c.unit_id, c.kind, c.due_start, c.due_end, c.status) for c in e.commitments}
    assert (answer_unit(doc, "12"), "expectation", date(2026, 1, 1), date(2026, 3, 31), "due") in got
    assert (answer_unit(doc, "17"), "expectation", date(2026, 3, 1), date(2026, 5, 31), "open") in got
    stock = next(c for c in e.commitments if c.unit_id == answer_unit(doc, "12"))
    assert stock.text == "in het eerste kwartaal van 2026" and stock.theme == "backlogs"
    assert stock.trigger.lower() == "verwacht" and stock.subject == "backlogs:wegwerken"


def test_footnote_1_resolves_as_a_kamerstuk_reference(seed):
    doc, units, e = seed
    fn1 = [r for r in e.references if r.unit_id == "seed:fn:1"]
    assert [(r.kind, r.session, r.dossier, r.number, r.target) for r in fn1] == [
        ("kamerstuk", "2024-2025", "26643", "1377", "kst-26643-1377")]


def test_toelichting_reference_to_2025Z20552_is_a_follow_up_link(seed):
    doc, units, e = seed
    refs = [r for r in e.references if r.unit_id == "seed:closing"]
    assert [(r.kind, r.target) for r in refs] == [("question_set", "2025Z20552")]
    assert [(q.target_number, q.relation) for q in e.question_set_links] == [("2025Z20552", "follow_up")]


def test_the_breach_month_is_read_without_the_glued_footnote_marker(seed):
    doc, units, e = seed
    unit_id = answer_unit(doc, "5")
    incidents = [ev for ev in e.events if ev.unit_id == unit_id]
    assert [(ev.kind, ev.text, ev.date_start, ev.date_end) for ev in incidents] == [
        ("incident", "juli 2025", date(2025, 7, 1), date(2025, 7, 31))]


def test_the_summer_outage_period_is_an_incident_from_17_july_to_31_august(seed):
    doc, units, e = seed
    unit_id = answer_unit(doc, "11")
    spans = {(ev.kind, ev.date_start, ev.date_end) for ev in e.events if ev.unit_id == unit_id}
    assert ("incident", date(2025, 7, 17), date(2025, 8, 31)) in spans


def test_enrichment_records_the_theme_file_version(seed):
    doc, units, e = seed
    assert {t.version for t in e.themes} == {"2026.2"}
