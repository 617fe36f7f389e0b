"""Layout classes seen on real letters (issue 11, a–g), each on a letter we wrote ourselves
in the sample's style. The real occurrences are tested in test_parse_field / test_parse_corpus."""

from __future__ import annotations

from datetime import date

from etl.parse import parse_text

HEAD = (
    "Tweede Kamer der Staten-Generaal 2\nVergaderjaar 2030–2031\nAanhangsel van de Handelingen\n\n"
    "Vragen van het lid Pieterse (Partij A) aan de {to} over de veerpont (ingezonden {asked}).\n\n"
    "Antwoord van Minister Bakker (Infrastructuur en Waterstaat) {received}\n\n"
)


def letter(body: str, *, to: str = "Minister van Infrastructuur en Waterstaat",
           asked: str = "2 oktober 2030", received: str = "(ontvangen 30 oktober 2030).") -> str:
    return HEAD.format(to=to, asked=asked, received=received) + body


QA = "Vraag 1\nKent u het bericht over de veerpont?\n\nAntwoord 1\nJa.\n"


# c. a footnote marker on its own line, or trailing the block, belongs to the footnote
def test_c_marker_on_its_own_line_leaves_the_question_text():
    text = letter(
        "Vraag 1\nKent u het bericht «Pont ligt stil» in Dagblad West?\n1 2 \n"
        "Antwoord 1\nJa.\n\f1 Dagblad West, 1 oktober 2030.\n2 Idem, 2 oktober 2030.\n"
    )
    parsed = parse_text(text)
    assert parsed.questions[0].text == "Kent u het bericht «Pont ligt stil» in Dagblad West?"
    assert [f.n for f in parsed.footnotes] == ["1", "2"]


def test_c_marker_trailing_the_last_words_leaves_the_answer_text():
    text = letter("Vraag 1\nWanneer vaart de pont weer?\nAntwoord 1\nDat is gemeld in de brief van maart. 1\n"
                  "\f1 Kamerstuk 99 999, nr. 12.\n")
    assert parse_text(text).answers[0].text == "Dat is gemeld in de brief van maart."


def test_c_a_number_that_is_no_footnote_stays_in_the_text():
    text = letter("Vraag 1\nWanneer vaart de pont weer?\nAntwoord 1\nDat staat in bijlage 3\n")
    assert parse_text(text).answers[0].text == "Dat staat in bijlage 3"


# d. glued or doubled dates in the intro; a date that cannot be read is a warning
def test_d_glued_received_date_is_read():
    parsed = parse_text(letter(QA, received="(ontvangen30 oktober 2030)."))
    assert parsed.date_answered == date(2030, 10, 30)
    assert parsed.answered_by == ("Minister Bakker (Infrastructuur en Waterstaat)",)


def test_d_doubled_and_glued_received_date_is_read():
    parsed = parse_text(letter(QA, received="(ontvangen (ontvangen 30 oktober2030)."))
    assert parsed.date_answered == date(2030, 10, 30)


def test_d_unreadable_dates_are_warnings_not_silent_nulls():
    parsed = parse_text(letter(QA, asked="31 februari 2030", received="(ontvangen in het najaar)."))
    assert parsed.date_submitted is None and parsed.date_answered is None
    assert any(w.startswith("submission date cannot be read") for w in parsed.warnings)
    assert any(w.startswith("answer date cannot be read") for w in parsed.warnings)


# f. addressees in one phrase become one addressee per office
def test_f_plural_ministers_in_one_phrase_become_two_addressees():
    parsed = parse_text(letter(QA, to="Ministers van Volksgezondheid, Welzijn en Sport en van Onderwijs, Cultuur en Wetenschap"))
    assert parsed.addressees == (
        "Minister van Volksgezondheid, Welzijn en Sport",
        "Minister van Onderwijs, Cultuur en Wetenschap",
    )


def test_f_three_offices_and_a_voor_minister():
    parsed = parse_text(letter(QA, to="Ministers van Defensie, van Financiën en voor Klimaat en Energie"))
    assert parsed.addressees == ("Minister van Defensie", "Minister van Financiën", "Minister voor Klimaat en Energie")


def test_f_a_singular_office_with_en_stays_one():
    parsed = parse_text(letter(QA, to="Minister van Binnenlandse Zaken en Koninkrijksrelaties"))
    assert parsed.addressees == ("Minister van Binnenlandse Zaken en Koninkrijksrelaties",)


# b. footnote URLs wrapped over lines join without spaces and keep their own hyphens
def test_b_wrapped_footnote_urls_join_without_spaces_and_keep_hyphens():
    text = letter(
        "Vraag 1\nKent u het bericht «Veerpont vaart niet»?¹\nAntwoord 1\nJa.²\n"
        "\f¹ Dagblad West, 1 oktober 2030 (https://\nwww.dagbladwest.example/regio/veerpont-\nvaart-niet-meer~b12/).\n"
        "² Zie www.rijksoverheid.example/veer_\ndiensten/2030 en verder\nde brief van maart.\n"
    )
    parsed = parse_text(text)
    assert [f.text for f in parsed.footnotes] == [
        "Dagblad West, 1 oktober 2030 (https://www.dagbladwest.example/regio/veerpont-vaart-niet-meer~b12/).",
        "Zie www.rijksoverheid.example/veer_diensten/2030 en verder de brief van maart.",
    ]


def test_b_a_finished_url_is_followed_by_a_space():
    from etl.parse.clean import join_lines

    assert join_lines(["zie (https://x.example/a-b).", "Daarna volgt tekst."]) == "zie (https://x.example/a-b). Daarna volgt tekst."
    assert join_lines(["zie https://x.example/a en", "verder"]) == "zie https://x.example/a en verder"


# e. sub-item labels pair by number and letter; a sub-item heading opens the next block
SUB_ITEMS = (
    "Vraag 1\nKent u de nieuwe heffing?\n\nAntwoord 1\nJa.\n\n"
    "Vraag 2l\nKunt u per groep aangeven hoe de heffing uitpakt voor huishoudens met een laag inkomen?\n\n"
    "Antwoord 2l\nVoor deze groep daalt de heffing met 3 procent.\n\n"
    "m. een aandeel van meer dan de helft in\neen gezamenlijke woning;\n\n"
    "Vraag 2m\nKunt u per groep aangeven hoe de heffing uitpakt bij zo een aandeel?\n\n"
    "Antwoord 2m\nVoor deze groep verandert er niets.\n\n"
    "Vraag 3o\nEn voor de overige groepen?\n\nAntwoord 3o\nZie het antwoord op vraag 2m.\n"
)


def test_e_sub_item_labels_pair_by_number_and_letter():
    parsed = parse_text(letter(SUB_ITEMS))
    assert [b.numbers for b in parsed.questions] == [("1",), ("2l",), ("2m",), ("3o",)]
    assert [b.numbers for b in parsed.answers] == [("1",), ("2l",), ("2m",), ("3o",)]
    assert parsed.answers[3].refers_to == ("2m",)
    assert not any("has no answer" in w or "unknown question" in w for w in parsed.warnings)


def test_e_sub_item_heading_does_not_leak_into_the_previous_answer():
    parsed = parse_text(letter(SUB_ITEMS))
    assert parsed.answers[1].text == "Voor deze groep daalt de heffing met 3 procent."
    assert parsed.questions[2].text.startswith("m. een aandeel van meer dan de helft in een gezamenlijke woning;")
    assert parsed.questions[2].text.endswith("bij zo een aandeel?")


def test_e_a_lettered_list_inside_an_answer_stays_there():
    body = ("Vraag 1\nWelke groepen?\n\nAntwoord 1\nDrie groepen:\na. huurders;\nb. kopers;\n\n"
            "Vraag 2b\nEn de kopers?\n\nAntwoord 2b\nDie ook.\n")
    parsed = parse_text(letter(body))
    assert parsed.answers[0].text.endswith("a. huurders; b. kopers;")
    assert parsed.questions[1].text == "En de kopers?"


def test_c_a_detached_marker_inside_the_text_is_glued_back_as_a_superscript():
    text = letter("Vraag 1\nWanneer vaart de pont weer?\nAntwoord 1\nDat staat in de brief van maart.\n1\n"
                  "Die brief noemt 2 varianten. Ook 3 Ministeries zijn betrokken.\n\f1 Kamerstuk 99 999, nr. 12.\n")
    assert parse_text(text).answers[0].text == (
        "Dat staat in de brief van maart.¹ Die brief noemt 2 varianten. Ook 3 Ministeries zijn betrokken."
    )
