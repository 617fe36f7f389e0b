"""KOOP XML as a second source: the hardened reader, and parity with the PDF of the same letter.

The real pair in ../shared/corpus/koop is read at test time; the small XML documents below are
our own, written in KOOP's element vocabulary.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from etl.models import ParseFailure
from etl.parse import parse_bytes, parse_file
from etl.parse.parity import compare_letters, normalise
from tests.parse_helpers import corpus_dir

KOOP_ID = "ah-tk-20202021-3235"


def koop_pair() -> tuple[Path, Path]:
    root = corpus_dir() / "koop"
    pdf, xml = root / f"{KOOP_ID}.pdf", root / f"{KOOP_ID}.xml"
    assert pdf.is_file() and xml.is_file(), f"KOOP pair missing under {root}"
    return pdf, xml


OUR_XML = """<?xml version="1.0" encoding="UTF-8"?>
<officiele-publicatie><kamervragen>
<kamervraagkop><tekstregel inhoud="vergaderjaar">Vergaderjaar 2030-2031</tekstregel></kamervraagkop>
<kamervraagnummer>77</kamervraagnummer>
<kamervraagomschrijving type="vraag">Vragen van het lid <naam><achternaam>Pieterse</achternaam></naam> (Partij A)
 aan de Minister van Infrastructuur en Waterstaat over <kamervraagonderwerp>de veerpont</kamervraagonderwerp>
 (ingezonden <datum isodatum="2030-10-02">2 oktober 2030</datum>).</kamervraagomschrijving>
<kamervraagomschrijving type="antwoord">Antwoord van Minister <naam><achternaam>Bakker</achternaam></naam>
 (<organisatie afkorting="IenW">Infrastructuur en Waterstaat</organisatie>) (ontvangen <datum isodatum="{answered}">30 oktober 2030</datum>).</kamervraagomschrijving>
<vraag><nr status="officieel">Vraag 1</nr><al>Kent u het bericht over de veerpont?<noot id="n1" type="voet"><noot.nr>1</noot.nr><noot.al>Dagblad West, 1 oktober 2030, <extref doc="https://example.org/veer-pont">veer-pont</extref>.</noot.al></noot></al></vraag>
<antwoord><nr status="officieel">Antwoord 1</nr><al>Ja.</al></antwoord>
<vraag><nr status="officieel">Vragen 2 en 3</nr><al>Wanneer vaart de pont weer?</al><al>En hoe vaak?</al></vraag>
<antwoord><nr status="officieel">Antwoord 2 en 3</nr><al>Vanaf maart, zie ook het antwoord op vraag 1.</al>
<lijst><li><li.nr>–</li.nr><al>elk uur;</al></li><li><li.nr>–</li.nr><al>in het weekend vaker.</al></li></lijst></antwoord>
</kamervragen></officiele-publicatie>
"""


def our_letter(answered: str = "2030-10-30"):
    return parse_bytes(OUR_XML.replace("{answered}", answered).encode(), "ours.xml")


def test_koop_xml_gives_blocks_numbers_and_xml_paths():
    letter = our_letter()
    assert letter.source_format == "xml"
    assert [b.numbers for b in letter.questions] == [("1",), ("2", "3")]
    assert [b.numbers for b in letter.answers] == [("1",), ("2", "3")]
    assert [b.xml_path for b in letter.answers] == ["/kamervragen/antwoord[1]", "/kamervragen/antwoord[2]"]
    assert letter.questions[1].text == "Wanneer vaart de pont weer?\n\nEn hoe vaak?"
    assert letter.answers[1].text.endswith("– elk uur;\n\n– in het weekend vaker.")
    assert letter.answers[1].refers_to == ("1",)
    assert all(b.page_start is None for b in letter.questions)


def test_koop_footnote_becomes_a_marker_in_the_block_and_a_footnote():
    letter = our_letter()
    assert letter.questions[0].text == "Kent u het bericht over de veerpont?¹"
    assert [(f.n, f.text) for f in letter.footnotes] == [("1", "Dagblad West, 1 oktober 2030, veer-pont.")]


def test_koop_heading_gives_askers_addressees_and_iso_dates():
    letter = our_letter()
    assert letter.askers == ("Pieterse (Partij A)",)
    assert letter.addressees == ("Minister van Infrastructuur en Waterstaat",)
    assert (letter.date_submitted, letter.date_answered) == (date(2030, 10, 2), date(2030, 10, 30))
    assert letter.warnings == ()


def test_koop_unreadable_isodatum_falls_back_to_the_printed_date():
    assert our_letter("30-10-2030").date_answered == date(2030, 10, 30)


def test_koop_block_offsets_index_the_laid_out_text():
    letter = our_letter()
    assert all(b.char_start < b.char_end for b in letter.questions + letter.answers)
    assert letter.questions[0].char_end <= letter.answers[0].char_start


@pytest.mark.parametrize(
    "bad, needle",
    [
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><officiele-publicatie>&a;</officiele-publicatie>', "DTD"),
        (b'<?xml version="1.0"?><officiele-publicatie><kamervragen><vraag>', "broken XML"),
        (b'<?xml version="1.0"?><officiele-publicatie><kamerstuk/></officiele-publicatie>', "kamervragen"),
    ],
)
def test_hostile_or_broken_koop_xml_is_one_clear_failure(bad: bytes, needle: str):
    with pytest.raises(ParseFailure) as e:
        parse_bytes(bad, "bad.xml")
    assert e.value.code == "unreadable" and needle in e.value.message


@pytest.mark.corpus
def test_real_koop_pair_parses_to_the_same_blocks_dates_and_askers():
    pdf_path, xml_path = koop_pair()
    pdf, xml = parse_file(pdf_path), parse_file(xml_path)
    assert xml.source_format == "xml" and len(xml.questions) == 9
    assert [b.numbers for b in pdf.questions] == [b.numbers for b in xml.questions]
    assert [b.numbers for b in pdf.answers] == [b.numbers for b in xml.answers]
    assert [normalise(b.text) for b in pdf.questions + pdf.answers] == [
        normalise(b.text) for b in xml.questions + xml.answers
    ]
    assert (pdf.date_submitted, pdf.date_answered) == (xml.date_submitted, xml.date_answered)
    assert xml.date_answered == date(2021, 6, 21)
    assert pdf.askers == xml.askers and len(xml.askers) == 3
    parity = compare_letters(pdf, xml)
    assert parity.agrees, parity.reasons
    assert parity.preferred_source == "pdf"


@pytest.mark.corpus
def test_parity_names_a_missing_block_and_prefers_the_xml():
    pdf_path, xml_path = koop_pair()
    pdf, xml = parse_file(pdf_path), parse_file(xml_path)
    from dataclasses import replace

    broken = replace(pdf, answers=pdf.answers[:-1], date_answered=None)
    parity = compare_letters(broken, xml)
    assert not parity.agrees and not parity.structure_agrees
    assert parity.preferred_source == "xml"
    assert any("answer block 9 (Antwoord 9) missing in the PDF" in r for r in parity.reasons)
    assert any(r.startswith("dates differ") for r in parity.reasons)


def test_kamerspoor_parse_accepts_xml(tmp_path: Path):
    path = tmp_path / "ours.xml"
    path.write_text(OUR_XML.replace("{answered}", "2030-10-30"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "etl.cli", "parse", str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["source_format"] == "xml"
    assert data["answers"][0]["xml_path"] == "/kamervragen/antwoord[1]"


OLDER_XML = """<?xml version="1.0" encoding="UTF-8"?>
<officiele-publicatie xmlns="http://example.org/op"><vragen>
<omschr>Vragen van het lid Pieterse (Partij A) aan de Minister van Financiën over de heffing
 (ingezonden <datum isodatum="2019-03-04">4 maart 2019</datum>).</omschr>
<omschr>Antwoord van Minister Bakker (Financiën) (ontvangen <datum isodatum="2019-04-01">1 april 2019</datum>).</omschr>
<vraag><al>Vraag 1</al><al>Kent u de heffing?</al></vraag>
<antwoord><al>Antwoord 1</al><al>Ja.</al></antwoord>
<vraag><al>Vraag 2: Wanneer gaat zij in?</al></vraag>
<antwoord><al>Antwoord 2</al><al>Per 2020.</al></antwoord>
<toelicht><al>Toelichting: deze vragen volgen op eerdere vragen.</al></toelicht>
</vragen></officiele-publicatie>
"""


def test_older_namespaced_koop_xml_with_labels_in_paragraphs():
    letter = parse_bytes(OLDER_XML.encode(), "oud.xml")
    assert [(b.label, b.numbers, b.text) for b in letter.questions] == [
        ("Vraag 1", ("1",), "Kent u de heffing?"), ("Vraag 2", ("2",), "Wanneer gaat zij in?"),
    ]
    assert [(b.label, b.text) for b in letter.answers] == [("Antwoord 1", "Ja."), ("Antwoord 2", "Per 2020.")]
    assert letter.answers[0].xml_path == "/vragen/antwoord[1]"
    assert (letter.date_submitted, letter.date_answered) == (date(2019, 3, 4), date(2019, 4, 1))
    assert letter.askers == ("Pieterse (Partij A)",)
    assert letter.closing == "Toelichting: deze vragen volgen op eerdere vragen."
    assert letter.warnings == ()


def test_koop_delay_notice_has_no_blocks_and_its_received_date():
    xml = ('<?xml version="1.0"?><officiele-publicatie><kamervragen>'
           '<kamervraagomschrijving type="mededeling">Mededeling van Minister Bakker (Financiën) '
           '(ontvangen <datum isodatum="2030-11-04">4 november 2030</datum>).</kamervraagomschrijving>'
           '<kamervraagopmerking><al>De vragen van het lid Pieterse (Partij A) over de heffing kunnen niet '
           'binnen de termijn worden beantwoord.</al></kamervraagopmerking></kamervragen></officiele-publicatie>')
    letter = parse_bytes(xml.encode(), "uitstel.xml")
    assert letter.questions == () and letter.answers == ()
    assert letter.date_answered == date(2030, 11, 4)
    assert letter.answered_by == ("Minister Bakker (Financiën)",)
    assert any(w.startswith("no question or answer blocks found") for w in letter.warnings)
