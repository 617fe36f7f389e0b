"""Letter structure on short letters written for these tests (never corpus text)."""

from __future__ import annotations

from datetime import date

from etl.parse import parse_text

INTRO = (
    "Tweede Kamer der Staten-Generaal\n"
    "Vergaderjaar 2025–2026 Aanhangsel van de Handelingen\n"
    "Vragen van de leden De Wit (D66) en Smits (CDA) aan de Minister van Infrastructuur\n"
    "en Waterstaat en de Staatssecretaris van Financiën over fietsenstallingen bij\n"
    "stations (ingezonden 3 februari 2026).\n"
    "Antwoord van Minister Bakker (Infrastructuur en Waterstaat), mede namens de\n"
    "Staatssecretaris van Financiën (ontvangen 4 maart 2026). Zie ook Aanhangsel\n"
    "Handelingen, vergaderjaar 2025–2026, nr. 812.\n"
)


def letter(body: str, intro: str = INTRO) -> str:
    return intro + body


def numbers(blocks: tuple) -> list[tuple[str, ...]]:
    return [b.numbers for b in blocks]


def test_handelingen_letter_blocks_and_metadata() -> None:
    parsed = parse_text(
        letter(
            "Vraag 1\nHoeveel plekken zijn er?\nAntwoord 1\nElfhonderd.\n"
            "Vraag 2\nWanneer komt er meer ruimte?\nAntwoord 2\nIn 2027.\n"
        )
    )
    assert numbers(parsed.questions) == [("1",), ("2",)]
    assert numbers(parsed.answers) == [("1",), ("2",)]
    assert [b.text for b in parsed.answers] == ["Elfhonderd.", "In 2027."]
    assert parsed.askers == ("De Wit (D66)", "Smits (CDA)")
    assert parsed.addressees == (
        "Minister van Infrastructuur en Waterstaat",
        "Staatssecretaris van Financiën",
    )
    assert parsed.answered_by == (
        "Minister Bakker (Infrastructuur en Waterstaat), mede namens de Staatssecretaris van Financiën",
    )
    assert parsed.date_submitted == date(2026, 2, 3)
    assert parsed.date_answered == date(2026, 3, 4)
    assert parsed.see_also == ("Aanhangsel Handelingen, vergaderjaar 2025–2026, nr. 812",)
    assert parsed.title is not None and parsed.title.startswith("Vragen van de leden De Wit")
    assert parsed.warnings == ()
    assert "Vragen van de leden" in parsed.intro


def test_grouped_question_and_answer_labels() -> None:
    parsed = parse_text(
        letter(
            "Vraag 1, 2, 3 en 5\nVier vragen in één.\nAntwoord op vragen 1, 2, 3 en 5\nEén antwoord.\n"
            "Vraag 4\nNog een.\nAntwoord vraag 4\nJa.\n"
        )
    )
    assert numbers(parsed.questions) == [("1", "2", "3", "5"), ("4",)]
    assert numbers(parsed.answers) == [("1", "2", "3", "5"), ("4",)]
    assert parsed.questions[0].label == "Vraag 1, 2, 3 en 5"


def test_missing_comma_in_a_grouped_label() -> None:
    parsed = parse_text(letter("Vraag 7, 8, 9 10 en 11\nVeel vragen.\nAntwoord 7, 8, 9 10 en 11\nEén.\n"))
    assert numbers(parsed.questions) == [("7", "8", "9", "10", "11")]
    assert "question numbering starts at 7" in parsed.warnings


def test_one_answer_for_two_separate_questions() -> None:
    parsed = parse_text(letter("Vraag 5\nEerste?\nVraag 6\nTweede?\nAntwoord 5 en 6\nSamen beantwoord.\n"))
    assert numbers(parsed.questions) == [("5",), ("6",)]
    assert numbers(parsed.answers) == [("5", "6")]
    assert parsed.answers[0].text == "Samen beantwoord."


def test_bare_antwoord_answers_the_question_block_before_it() -> None:
    parsed = parse_text(letter("Vraag 1\nEén?\nAntwoord\nJa.\nVraag 2 en 3\nTwee en drie?\nAntwoord:\nNee.\n"))
    assert numbers(parsed.answers) == [("1",), ("2", "3")]
    assert [a.label for a in parsed.answers] == ["Antwoord", "Antwoord"]


def test_antwoord_op_vraag_labels_of_a_ministry_annex() -> None:
    parsed = parse_text(letter("Vraag 1\nKent u het rapport?\n\nAntwoord op vraag 1\nJa.\n"))
    assert numbers(parsed.answers) == [("1",)]
    assert parsed.answers[0].label == "Antwoord op vraag 1"


def test_sub_questions() -> None:
    parsed = parse_text(letter("Vraag 1a\nA?\nVraag 1b\nB?\nAntwoord 1a en 1b\nBeide ja.\n"))
    assert numbers(parsed.questions) == [("1a",), ("1b",)]
    assert numbers(parsed.answers) == [("1a", "1b")]
    assert parsed.warnings == ()


def test_label_glued_to_page_furniture_is_split_off() -> None:
    body = (
        "Vraag 6\nZes?\n"
        "Tweede Kamer, vergaderjaar 2025–2026, Aanhangsel 2Antwoord 6\nZes.\n"
        "Vraag 7\nZeven?\n"
        "ISSN 0921 - 7398’s-Gravenhage 2026Tweede Kamer, vergaderjaar 2025–2026, Aanhangsel 3Antwoord 7\n"
        "Zeven.\n"
    )
    parsed = parse_text(letter(body))
    assert numbers(parsed.answers) == [("6",), ("7",)]
    assert [a.text for a in parsed.answers] == ["Zes.", "Zeven."]
    assert all("Aanhangsel" not in b.text for b in parsed.questions + parsed.answers)


def test_late_start_gaps_and_out_of_order_are_warnings() -> None:
    parsed = parse_text(
        letter("Vraag 5\nA?\nAntwoord 5\nA.\nVraag 11\nB?\nAntwoord 11\nB.\nVraag 6\nC?\nAntwoord 6\nC.\n")
    )
    assert numbers(parsed.questions) == [("5",), ("11",), ("6",)]
    assert "question numbering starts at 5" in parsed.warnings
    assert "gap in question numbering: 6 to 11" in parsed.warnings
    assert "question numbers out of order" in parsed.warnings


def test_unanswered_unknown_and_duplicate_numbers_are_warnings() -> None:
    parsed = parse_text(
        letter("Vraag 1\nA?\nAntwoord 1\nA.\nVraag 2\nB?\nVraag 2\nB again?\nAntwoord 9\nZ.\n")
    )
    assert "question 2 has no answer" in parsed.warnings
    assert "answer for unknown question number 9" in parsed.warnings
    assert "question number 2 occurs more than once" in parsed.warnings


def test_toelichting_after_last_answer_is_the_closing() -> None:
    parsed = parse_text(
        letter("Vraag 1\nA?\nAntwoord 1\nJa.\nToelichting:\nDeze vragen volgen op eerdere vragen.\n")
    )
    assert parsed.answers[0].text == "Ja."
    assert parsed.closing == "Toelichting: Deze vragen volgen op eerdere vragen."


def test_mededeling_without_answers_gives_a_warning_not_an_error() -> None:
    text = (
        "Mededeling van Minister Bakker (Infrastructuur en Waterstaat) (ontvangen 24 februari 2026).\n"
        "De vragen van de leden De Wit (D66) en Smits (CDA) over fietsenstallingen bij stations\n"
        "kunnen helaas niet binnen drie weken een antwoord krijgen.\n"
    )
    parsed = parse_text(text)
    assert parsed.answers == () and parsed.questions == ()
    assert any("Mededeling" in w for w in parsed.warnings)
    assert parsed.date_answered == date(2026, 2, 24)


def test_numbered_letter_without_vraag_labels() -> None:
    text = (
        "Geachte voorzitter,\nHierbij de antwoorden.\n"
        "1.\nKent u het bericht over de stalling?\nAntwoord\nJa.\n"
        "2.\nIs er een plan?\nAntwoord\nJa, er zijn:\n1. meer rekken\n2. meer toezicht\n"
        "3.\nWanneer?\nAntwoord\nVolgend jaar.\n"
    )
    parsed = parse_text(text)
    assert numbers(parsed.questions) == [("1",), ("2",), ("3",)]
    assert numbers(parsed.answers) == [("1",), ("2",), ("3",)]
    assert "meer rekken" in parsed.answers[1].text


def test_cross_references_in_answers() -> None:
    body = (
        "Vraag 1\nA?\nAntwoord 1\nJa.\nVraag 2\nB?\nAntwoord 2\nNee.\nVraag 3\nC?\nAntwoord 3\nMisschien.\n"
        "Vraag 4\nD?\nAntwoord 4\nZie het antwoord op vraag 3.\n"
        "Vraag 5\nE?\nAntwoord 5\nZie de antwoorden op de vragen 1, 2 en 3.\n"
        "Vraag 6\nF?\nAntwoord 6\nIn antwoord 3 staat het al. Zie ook het antwoord op vraag 42 van het lid X.\n"
    )
    parsed = parse_text(letter(body))
    assert [a.refers_to for a in parsed.answers] == [(), (), (), ("3",), ("1", "2", "3"), ("3",)]


def test_footnotes_at_page_bottom_are_split_from_the_body() -> None:
    body = (
        "Vraag 1\nKent u het bericht «Stalling vol»?1\nAntwoord 1\nJa.\n"
        "1\nDe Stedenkrant, 2 januari 2026, «Stalling vol».\n"
        "Tweede Kamer, vergaderjaar 2025–2026, Aanhangsel 1\f"
        "Vraag 2\nEn nu?\nAntwoord 2\nWe bouwen.\n"
    )
    parsed = parse_text(letter(body))
    assert [(f.n, f.text) for f in parsed.footnotes] == [("1", "De Stedenkrant, 2 januari 2026, «Stalling vol».")]
    assert parsed.answers[0].text == "Ja."
    assert parsed.answers[0].page_start == 1 and parsed.answers[1].page_start == 2


def test_line_end_hyphens_are_rejoined_but_real_hyphens_kept() -> None:
    parsed = parse_text(letter("Vraag 1\nHoe staat het met de IT-\nstoringen en de betrouwbaar-\nheid van de aanloop-\nen uitloopstrook?\nAntwoord 1\nGoed.\n"))
    assert parsed.questions[0].text == (
        "Hoe staat het met de IT-storingen en de betrouwbaarheid van de aanloop- en uitloopstrook?"
    )


def test_ministry_cover_letter_signature_and_question_set_number() -> None:
    text = (
        "Hierbij zend ik u mijn antwoorden op de vragen over fietsenstallingen; u vindt\n"
        "ze in de bijlage, steeds onder de vraag.\n\n"
        "De Minister van Infrastructuur en Waterstaat,\n\nJ. Bakker\n\n"
        "Vragen van het lid De Wit (D66) aan de minister van Infrastructuur en Waterstaat over\n"
        "fietsenstallingen (ingezonden 3 februari 2026, 2026Z01234)\n\n"
        "Vraag 1\nA?\n\nAntwoord op vraag 1\nJa.\n"
    )
    parsed = parse_text(text)
    assert parsed.answered_by == ("J. Bakker, Minister van Infrastructuur en Waterstaat",)
    assert parsed.question_set_numbers == ("2026Z01234",)
    assert parsed.date_submitted == date(2026, 2, 3)
    assert parsed.date_answered is None


def test_older_layout_all_questions_then_all_answers() -> None:
    text = (
        "Vragen van het lid Smits (CDA) aan de minister van Verkeer over stallingen\n"
        "(ingezonden 2 maart 2009).\n"
        "1\nKent u het bericht?\n2\nWat gaat u doen?\n"
        "Antwoord van minister De Vries (Verkeer) (ontvangen 20 maart 2009).\n"
        "1\nJa.\n2\nIk bouw 2 stallingen.\n"
    )
    parsed = parse_text(text)
    assert [b.numbers for b in parsed.questions] == [("1",), ("2",)]
    assert [(b.numbers, b.text) for b in parsed.answers] == [(("1",), "Ja."), (("2",), "Ik bouw 2 stallingen.")]
    assert parsed.answered_by == ("minister De Vries (Verkeer)",)
    assert parsed.date_answered == date(2009, 3, 20)
    assert parsed.warnings == ()


def test_label_and_text_on_one_line_without_separator() -> None:
    parsed = parse_text(letter("Vraag 1 Kent u het bericht?\nAntwoord 1 Ja, dat ken ik.\n"))
    assert [b.text for b in parsed.questions] == ["Kent u het bericht?"]
    assert [b.text for b in parsed.answers] == ["Ja, dat ken ik."]


def test_footnotes_found_without_form_feeds_when_furniture_ends_the_page() -> None:
    """Pages concatenated without form feeds: the footer still marks the page end, and a
    footnote may start with a web address."""
    body = (
        "Vraag 1\nKent u het bericht over de stalling?1\nAntwoord 1\nJa, en ook het rapport.2\n"
        "1 https://www.stedenkrant.example/stalling\n"
        "2 Rapport Fietsberaad, 2026.\n"
        "ah-tk-20252026-999\nISSN 0921 - 7398\n"
        "’s-Gravenhage 2026 Tweede Kamer, vergaderjaar 2025–2026, Aanhangsel 1\n"
        "Vraag 2\nEn nu?\nAntwoord 2\nWe bouwen.\n"
    )
    parsed = parse_text(letter(body))
    assert [(f.n, f.text) for f in parsed.footnotes] == [
        ("1", "https://www.stedenkrant.example/stalling"),
        ("2", "Rapport Fietsberaad, 2026."),
    ]
    assert parsed.answers[0].text == "Ja, en ook het rapport.2"
    assert [b.numbers for b in parsed.answers] == [("1",), ("2",)]


def test_numbered_list_in_an_answer_is_not_a_footnote_block() -> None:
    body = (
        "Vraag 1\nKent u het bericht?1\nAntwoord 1\nJa. Er zijn drie maatregelen:\n"
        "1 Meer rekken.\n2 Meer toezicht.\nVraag 2\nEn nu?\nAntwoord 2\nWe bouwen.\f"
    )
    parsed = parse_text(letter(body))
    assert parsed.footnotes == ()
    assert parsed.answers[0].text == "Ja. Er zijn drie maatregelen: 1 Meer rekken. 2 Meer toezicht."


def test_a_questions_document_without_answers_gives_no_missing_answers_warning():
    letter = parse_text(
        "Vragen van het lid Visser (CDA) aan de Minister van Justitie en Veiligheid over de "
        "werkvoorraad van het OM (ingezonden 3 maart 2026).\n\nVraag 1\nHoe groot is de voorraad?\n\n"
        "Vraag 2\nWanneer is die weggewerkt?\n"
    )
    assert [b.numbers for b in letter.questions] == [("1",), ("2",)]
    assert not any("no answers" in w for w in letter.warnings)


def test_an_answer_letter_without_answer_blocks_is_still_flagged():
    letter = parse_text(
        "Antwoord van Minister Bos (Justitie en Veiligheid) (ontvangen 1 april 2026).\n\n"
        "Vraag 1\nHoe groot is de voorraad?\n"
    )
    assert any("no answers" in w for w in letter.warnings)
