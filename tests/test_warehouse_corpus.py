"""The warehouse on real letters: the hand-labelled corpus in ../shared/corpus, loaded as if a
perfect parser had read it. Expectations are computed from the gold files at test time (no
corpus text is copied into the repository). Fails loudly when the corpus is missing."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest

from etl.load import warehouse as wh
from etl.models import Block, DocumentRecord, Footnote, ParsedLetter, QuestionSetRecord

pytestmark = pytest.mark.corpus


def corpus_dir() -> Path:
    env = os.environ.get("KAMERSPOOR_CORPUS")
    path = Path(env) if env else Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
    if not path.is_dir() or not list(path.glob("*.json")):
        pytest.fail(f"gold corpus not found at {path} (set KAMERSPOOR_CORPUS)")
    return path


def gold_documents() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(corpus_dir().glob("*.json"))]


def as_letter(g: dict) -> ParsedLetter:
    day = lambda v: date.fromisoformat(v) if v else None  # noqa: E731
    return ParsedLetter(
        title=g["title"], askers=tuple(g["askers"]), addressees=tuple(g["addressees"]),
        answered_by=tuple(g["answered_by"]), date_submitted=day(g["date_submitted"]),
        date_answered=day(g["date_answered"]), intro=g["intro"], closing=g["closing"],
        questions=tuple(Block("question", i["label"], tuple(i["numbers"]), i["text"]) for i in g["items"]),
        answers=tuple(Block("answer", a["label"], tuple(a["answers_questions"]), a["text"]) for a in g["answers"]),
        footnotes=tuple(Footnote(str(f["n"]), f["text"]) for f in g["footnotes"]),
        parser_version="gold",
    )


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    golds = gold_documents()
    con = wh.connect(tmp_path_factory.mktemp("corpus") / "w.duckdb")
    wh.apply_schema(con)
    sets, docs = [], []
    for g in golds:
        submitted = date.fromisoformat(g["date_submitted"]) if g["date_submitted"] else None
        answered = date.fromisoformat(g["date_answered"]) if g["date_answered"] else None
        sets.append(QuestionSetRecord(f"qs-{g['id']}", f"Z-{g['id']}", "Schriftelijke vragen", g["title"], submitted, None))
        docs.append(DocumentRecord(f"doc-{g['id']}", f"D-{g['id']}", "Antwoord schriftelijke vragen", g["title"],
                                   answered, None, "application/pdf", None, g["id"], None, (f"qs-{g['id']}",)))
    wh.load_metadata(con, sets, docs, [])
    wh.load_letters(con, [(d, None, as_letter(g)) for d, g in zip(docs, golds)])
    wh.refresh(con, reference_date=date(2026, 11, 28))
    yield con, golds
    con.close()


def test_every_answered_question_number_becomes_a_pair(loaded) -> None:
    con, golds = loaded
    for g in golds:
        expected = sorted({n for a in g["answers"] for n in a["answers_questions"]})
        got = sorted(r[0] for r in con.execute(
            "SELECT question_number FROM qa_pairs WHERE question_set_id = $id", {"id": f"qs-{g['id']}"}).fetchall())
        assert got == expected, g["id"]


def test_grouped_answers_are_flagged(loaded) -> None:
    con, golds = loaded
    expected = sum(len(set(a["answers_questions"])) for g in golds for a in g["answers"] if len(set(a["answers_questions"])) > 1)
    assert expected > 0, "the corpus has grouped answers (README)"
    assert con.execute("SELECT count(*) FROM qa_pairs WHERE grouped").fetchone()[0] == expected


def test_status_follows_whether_every_question_is_answered(loaded) -> None:
    con, golds = loaded
    for g in golds:
        asked = {n for i in g["items"] for n in i["numbers"]}
        answered = {n for a in g["answers"] for n in a["answers_questions"]}
        expected = "answered" if asked <= answered else "partly answered"
        status = con.execute("SELECT status FROM question_sets WHERE question_set_id = $id", {"id": f"qs-{g['id']}"}).fetchone()[0]
        assert status == expected, g["id"]


def test_response_days_match_the_printed_dates(loaded) -> None:
    con, golds = loaded
    for g in golds:
        if not (g["date_submitted"] and g["date_answered"]):
            continue
        days = (date.fromisoformat(g["date_answered"]) - date.fromisoformat(g["date_submitted"])).days
        row = con.execute("SELECT days_to_first_answer, norm_status FROM response_times WHERE question_set_id = $id",
                          {"id": f"qs-{g['id']}"}).fetchone()
        assert row[0] == days, g["id"]
        assert (row[1] == "on_time") == (days <= 21), g["id"]


def test_a_word_unique_to_one_answer_finds_that_answer_first(loaded) -> None:
    con, golds = loaded
    checked = 0
    for g in golds:
        found = False
        for index, answer in enumerate(g["answers"]):
            unit = f"doc-{g['id']}:a:{index}"
            for word in sorted(set(re.findall(r"[a-zà-ÿ]{9,}", answer["text"].lower()))):
                hits = con.execute("SELECT unit_id FROM search_qa($w, max_results := NULL)", {"w": word}).fetchall()
                if len(hits) == 1:
                    assert hits == [(unit,)], (g["id"], word)
                    found = True
                    break
            if found:
                break
        checked += found
    assert checked == len(golds)


def test_search_stems_real_dutch_plurals(loaded) -> None:
    con, golds = loaded
    singular = {r[0] for r in con.execute("SELECT unit_id FROM search_qa('incident', max_results := NULL)").fetchall()}
    plural = {r[0] for r in con.execute("SELECT unit_id FROM search_qa('incidenten', max_results := NULL)").fetchall()}
    expected = {
        f"doc-{g['id']}:a:{i}" for g in golds for i, a in enumerate(g["answers"]) if re.search(r"\bincident(en)?\b", a["text"], re.I)
    }
    assert len(expected) >= 2, "the corpus has answers about incidents"
    assert expected <= singular
    assert singular == plural
