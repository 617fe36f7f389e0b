"""Held-out theme evaluation: rules judged on real letters they were not written from.

Dev set = the seed and the bundled sample (tests/test_enrich_theme_accuracy.py). Test set = every
other real letter in ../shared/corpus and every letter in ../shared/corpus/field, labelled block by
block in tests/labels/themes_test.toml before the scoped rules were run on them (ids only, the
texts are read at test time). None of them is about the Openbaar Ministerie, so every link of an
OM-scoped theme there is false.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.gold import letter_from_gold, units_from_gold
from etl.enrich.themes import LetterContext, link_units, load_themes
from etl.models import TextUnit
from etl.parse import parse_text
from tests.test_enrich_support import corpus_dir, read_json
from tests.test_enrich_theme_accuracy import _all_documents, _gold_and_predicted, precision_recall

LABELS = Path(__file__).parent / "labels" / "themes_test.toml"
# Themes about the OM (and its chain) that must make no false link on letters about other things.
OM_SCOPED = ("ict_incidents", "backlogs", "strafvordering", "werkdruk", "ict_investments")


def _labels() -> dict[str, dict]:
    return tomllib.loads(LABELS.read_text(encoding="utf-8"))["letters"]


def _letter(doc_id: str, source: str) -> tuple[list[TextUnit], LetterContext]:
    """Question and answer blocks and the letter context of one test letter (read at test time)."""
    if source == "corpus":
        doc = read_json(corpus_dir() / f"{doc_id}.json")
        units = [u for u in units_from_gold(doc) if u.kind in ("question", "answer")]
        return units, letter_from_gold(doc)
    letter = parse_text((corpus_dir() / "field" / f"{doc_id}.txt").read_text(encoding="utf-8"))
    units = [TextUnit(f"{doc_id}:q:{i}", doc_id, "question", b.numbers, b.text, letter.date_answered)
             for i, b in enumerate(letter.questions)]
    units += [TextUnit(f"{doc_id}:a:{i}", doc_id, "answer", b.numbers, b.text, letter.date_answered)
              for i, b in enumerate(letter.answers)]
    return units, LetterContext(letter.title or "", letter.addressees, letter.answered_by)


@pytest.fixture(scope="module")
def test_set():
    """(gold, predicted, links) over every block of every test letter."""
    themes = load_themes()
    gold: dict[str, set[str]] = {}
    predicted: dict[str, set[str]] = {}
    links = []
    for doc_id, entry in _labels().items():
        units, context = _letter(doc_id, entry["source"])
        assert units, f"{doc_id}: no blocks read"
        blocks = {u.unit_id.split(":", 1)[1] for u in units}
        for theme, labelled in entry.items():
            if theme == "source":
                continue
            assert set(labelled) <= blocks, f"{doc_id}: labels for blocks that do not exist: {set(labelled) - blocks}"
        for u in units:
            key = u.unit_id.split(":", 1)[1]
            gold[u.unit_id] = {t for t, lab in entry.items() if t != "source" and key in lab}
            predicted[u.unit_id] = set()
        for link in link_units(units, themes, {doc_id: context}):
            predicted[link.unit_id].add(link.theme)
            links.append(link)
    return gold, predicted, links


@pytest.mark.corpus
def test_every_real_letter_but_the_seed_and_every_field_letter_is_in_the_test_labels():
    corpus = {p.stem for p in corpus_dir().glob("*.json") if p.stem != "seed"}
    field = {p.stem for p in (corpus_dir() / "field").glob("*.txt")}
    labels = _labels()
    assert {k for k, v in labels.items() if v["source"] == "corpus"} == corpus
    assert {k for k, v in labels.items() if v["source"] == "field"} == field


@pytest.mark.corpus
def test_om_scoped_themes_have_precision_1_on_the_held_out_letters(test_set):
    gold, predicted, links = test_set
    table = precision_recall(gold, predicted)
    print("\nTEST theme          precision  recall   tp  fp  fn")
    for theme, (p, r, tp, fp, fn) in table.items():
        print(f"{theme:<20}{p:>9.3f}{r:>8.3f}{tp:>5}{fp:>4}{fn:>4}")
    assert len(gold) > 250  # 20 letters, all their question and answer blocks
    for theme in OM_SCOPED:
        p, _, _, fp, _ = table.get(theme, (1.0, 1.0, 0, 0, 0))
        false = sorted(ln.unit_id for ln in links if ln.theme == theme)
        assert fp == 0 and p == 1.0, f"{theme}: false links on letters not about the OM: {false}"


@pytest.mark.corpus
def test_ict_incidents_and_strafvordering_link_nothing_and_backlogs_only_inside_its_scope(test_set):
    _, _, links = test_set
    assert [ln.unit_id for ln in links if ln.theme in ("ict_incidents", "strafvordering")] == []
    for ln in links:
        if ln.theme == "backlogs":
            assert ln.scope_evidence.split(":", 1)[0] in ("block", "neighbours", "title", "letter", "context")


@pytest.mark.corpus
def test_every_theme_keeps_recall_of_at_least_0_95_on_seed_and_sample_and_0_9_with_our_theme_letters():
    table = precision_recall(*_gold_and_predicted(_all_documents(extra=False)))
    for theme, (p, r, *_) in table.items():
        assert r >= 0.95, f"{theme}: recall {r:.3f} on the seed and the sample"
    table = precision_recall(*_gold_and_predicted(_all_documents(extra=True)))
    for theme, (p, r, *_) in table.items():
        assert r >= 0.9, f"{theme}: recall {r:.3f} on the seed, the sample and tests/theme_letters"


@pytest.mark.corpus
def test_the_seed_still_links_all_three_lead_themes_with_scope_evidence():
    doc = read_json(corpus_dir() / "seed.json")
    units = units_from_gold(doc)
    links = link_units(units, load_themes(), {"seed": letter_from_gold(doc)})
    assert {ln.theme for ln in links} >= {"ict_incidents", "backlogs", "strafvordering"}
    assert all(ln.scope_evidence for ln in links)


def test_a_common_word_needs_its_scope_close_by_and_a_ministry_of_the_scope():
    themes = load_themes()
    grid = TextUnit("g:a:0", "g", "answer", ("1",), "Er staan 9.400 aanvragen op de wachtlijst.")
    om = TextUnit("o:a:0", "o", "answer", ("1",), "Bij het OM staan 9.400 zaken op de wachtlijst.")
    elsewhere = [TextUnit("e:q:0", "e", "question", ("1",), "Wat doet het OM?"),
                 TextUnit("e:q:1", "e", "question", ("2",), "Hoe lang is het nu?"),
                 TextUnit("e:q:2", "e", "question", ("3",), "Hoe lang is de wachtlijst?")]
    justice = LetterContext("", ("Minister van Justitie en Veiligheid",), ())
    energy = LetterContext("", ("Minister voor Klimaat en Energie",), ())
    got = {(ln.unit_id, ln.theme): ln.scope_evidence
           for ln in link_units([grid, om, *elsewhere], themes, {"g": justice, "o": justice, "e": justice})}
    assert ("g:a:0", "backlogs") not in got                    # no scope at all
    assert got[("o:a:0", "backlogs")] == "block:OM"             # the scope in the block itself
    assert ("e:q:2", "backlogs") not in got                    # OM two blocks away: not close by
    assert link_units([om], themes, {"o": energy}) == ()         # a letter of another ministry
