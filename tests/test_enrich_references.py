"""References to Kamerstukken, Handelingen and question sets; follow-up chains."""

from __future__ import annotations

import pytest

from etl.enrich.references import find_references, question_set_links
from etl.models import TextUnit


@pytest.mark.parametrize(
    ("text", "kind", "target", "session", "dossier", "number"),
    [
        ("Kamerstukken II, 2025-2026, 29279, nr. 912.", "kamerstuk", "kst-29279-912", "2025-2026", "29279", "912"),
        ("Kamerstukken II 2023/24, 29279, nr. 874", "kamerstuk", "kst-29279-874", "2023-2024", "29279", "874"),
        ("Kamerstukken II, 2025-2026, 36910 VI, nr. 2.", "kamerstuk", "kst-36910-VI-2", "2025-2026", "36910-VI", "2"),
        ("Kamerstuk II 2024/25, 36 600 VI, nr. 12", "kamerstuk", "kst-36600-VI-12", "2024-2025", "36600-VI", "12"),
        ("Aanhangsel Handelingen II, 2025-2026, nr. 38.", "aanhangsel", "ah-tk-20252026-38", "2025-2026", None, "38"),
        ("Aanhangsel van de Handelingen II 2023/24, nr. 1949", "aanhangsel", "ah-tk-20232024-1949", "2023-2024", None, "1949"),
        ("Handelingen II 2023/24, nr. 45, item 12", "handelingen", "h-tk-20232024-45-12", "2023-2024", None, "45"),
        ("(vraagnummer 2025Z20552)", "question_set", "2025Z20552", None, None, "2025Z20552"),
        ("document 2025D48811", "document", "2025D48811", None, None, "2025D48811"),
    ],
)
def test_citation_resolves_to_kind_target_session_dossier_and_number(text, kind, target, session, dossier, number):
    refs = find_references(text, "d:fn:1", "d")
    assert [(r.kind, r.target, r.session, r.dossier, r.number) for r in refs] == [
        (kind, target, session, dossier, number)]
    assert text[refs[0].start:refs[0].end] == refs[0].evidence


def test_question_set_number_inside_a_longer_token_is_not_a_reference():
    assert find_references("code X2025Z205521 en 2025Z2055") == []


def test_set_cited_as_earlier_questions_is_a_follow_up_and_a_plain_citation_is_cites():
    follow = TextUnit("d:closing", "d", "closing", (), "Deze vragen vormen een aanvulling op eerdere vragen (2025Z20552).")
    plain = TextUnit("e:a:0", "e", "answer", ("1",), "Zie ook de set 2025Z16204. Verder niets.")
    refs = find_references(follow.text, follow.unit_id, "d") + find_references(plain.text, plain.unit_id, "e")
    links = question_set_links([follow, plain], refs)
    assert [(q.document_id, q.target_number, q.relation) for q in links] == [
        ("d", "2025Z20552", "follow_up"), ("e", "2025Z16204", "cites")]
    assert links[1].evidence == "Zie ook de set 2025Z16204"


def test_a_set_cited_twice_in_one_letter_is_one_link():
    units = [TextUnit(f"d:a:{i}", "d", "answer", (str(i),), "Zie 2025Z20552.") for i in range(2)]
    refs = [r for u in units for r in find_references(u.text, u.unit_id, "d")]
    assert len(refs) == 2 and len(question_set_links(units, refs)) == 1
