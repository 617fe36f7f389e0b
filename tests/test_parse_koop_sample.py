"""Every sample document agrees with its KOOP XML twin (written by scripts/make_sample.py)."""

from __future__ import annotations

import json

import pytest

from etl.parse import parse_file
from etl.parse.parity import compare_letters
from etl.sample import SAMPLE_API_DIR


def _pairs() -> list[tuple[str, str, str]]:
    versions = json.loads((SAMPLE_API_DIR / "DocumentVersie.json").read_text(encoding="utf-8"))["value"]
    return sorted(
        (v["ExterneIdentifier"], f"{v['Document_Id']}{v['Extensie']}", f"{v['ExterneIdentifier']}.xml")
        for v in versions
    )


def test_every_sample_document_has_an_xml_twin():
    pairs = _pairs()
    assert len(pairs) == 17
    assert sorted(p.name for p in (SAMPLE_API_DIR / "koop").iterdir()) == sorted(x for _, _, x in pairs)


@pytest.mark.parametrize("koop_id, resource, twin", _pairs(), ids=[p[0] for p in _pairs()])
def test_sample_document_agrees_with_its_xml_twin(koop_id: str, resource: str, twin: str):
    printed = parse_file(SAMPLE_API_DIR / "resources" / resource)
    xml = parse_file(SAMPLE_API_DIR / "koop" / twin)
    assert xml.source_format == "xml"
    parity = compare_letters(printed, xml)
    assert parity.agrees, parity.reasons
    assert [f.n for f in printed.footnotes] == [f.n for f in xml.footnotes]
    assert (printed.closing is None) == (xml.closing is None)


def test_sample_twins_carry_footnotes_as_noot_elements():
    twins = [p.read_text(encoding="utf-8") for p in (SAMPLE_API_DIR / "koop").glob("ah-tk-*.xml")]
    with_notes = [t for t in twins if "<noot " in t]
    assert len(with_notes) >= 5
    letters = [parse_file(p) for p in (SAMPLE_API_DIR / "koop").glob("ah-tk-*.xml")]
    assert sum(len(x.footnotes) for x in letters) >= 10
