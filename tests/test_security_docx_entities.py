"""Entities in DOCX parts: a billion-laughs DTD is refused by the XML reader's amplification
limit in well under a second, and an external entity (a file or a URL) is never resolved: the
file is one ``unreadable`` failure naming the part, the file's contents never reach the output,
and the URL receives nothing. The parts are read with the standard library's expat, which
resolves no external entities and caps entity amplification (expat >= 2.4)."""

from __future__ import annotations

import io
import socket
import time
import zipfile

import pytest

from etl.models import ParseFailure
from etl.parse import parse_bytes
from tests.parse_helpers import W_NS, make_docx

LAUGHS = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
BILLION_LAUGHS = f'<!DOCTYPE w:document [<!ENTITY l0 "lol">{LAUGHS}]>'


def with_part(part: str, xml: str) -> bytes:
    """A valid DOCX letter (``make_docx``) with ``part`` replaced by ``xml``."""
    source = zipfile.ZipFile(io.BytesIO(make_docx(["Vraag 1", "Kent u het bericht?", "Antwoord op vraag 1",
                                                  "Ja.[[fn:1]]"], {"1": "Een voetnoot."})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            z.writestr(info.filename, xml if info.filename == part else source.read(info.filename))
    return out.getvalue()


def document(dtd: str, text: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{dtd}<w:document xmlns:w="{W_NS}"><w:body>'
            f'<w:p><w:r><w:t>Vraag 1</w:t></w:r></w:p><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>')


def footnotes(dtd: str, text: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{dtd}<w:footnotes xmlns:w="{W_NS}"><w:footnote w:id="1">'
            f'<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote></w:footnotes>')


def test_the_unaltered_helper_docx_parses():  # so the failures below are the entities' doing
    parsed = parse_bytes(with_part("none", ""), "letter.docx")
    assert parsed.answers and parsed.questions


@pytest.mark.parametrize("part,build", [("word/document.xml", document), ("word/footnotes.xml", footnotes)])
def test_a_billion_laughs_in_a_docx_part_is_refused_fast(part, build):
    data = with_part(part, build(BILLION_LAUGHS.replace("w:document", part.split("/")[1][:-4]), "&l9;"))
    started = time.monotonic()
    with pytest.raises(ParseFailure) as info:
        parse_bytes(data, "laughs.docx")
    assert time.monotonic() - started < 2.0
    assert info.value.code == "unreadable"
    assert part in info.value.message and "amplification" in info.value.message


@pytest.mark.parametrize("part,build", [("word/document.xml", document), ("word/footnotes.xml", footnotes)])
def test_an_external_entity_in_a_docx_part_is_never_resolved(tmp_path, part, build):
    secret = tmp_path / "secret.txt"
    secret.write_text("HUSH-4242-not-for-the-warehouse", encoding="utf-8")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.3)
    port = listener.getsockname()[1]
    try:
        for target in (secret.as_uri(), f"http://127.0.0.1:{port}/entity"):
            dtd = f'<!DOCTYPE x [<!ENTITY ext SYSTEM "{target}">]>'
            with pytest.raises(ParseFailure) as info:
                parse_bytes(with_part(part, build(dtd, "&ext;")), "xxe.docx")
            assert info.value.code == "unreadable" and part in info.value.message
            assert "undefined entity" in info.value.message
            assert "HUSH-4242" not in str(info.value)
        with pytest.raises(socket.timeout):
            listener.accept()  # nobody connected: the URL was never fetched
    finally:
        listener.close()
