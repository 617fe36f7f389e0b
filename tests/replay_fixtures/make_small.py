"""Writes ``tests/replay_fixtures/small/``: a tiny API fixture for the source/replay/store tests.

Run ``python tests/replay_fixtures/make_small.py`` to regenerate (deterministic). Contents:

* Z1 2025Z10001 (started 2025-10-14, CEST): questions, delay notice, answer (KOOP ids), 3 actors
  plus a tombstoned actor.
* Z2 2025Z10002 and Z3 2025Z10003 (November, CET): one combined answer A23 linked to both;
  A23 is a DOCX (the word_as_pdf fault serves it as application/pdf, #174).
* Z4 2025Z10004 (2025-12-01): unanswered; a tombstoned document T4 is still linked to it.
* Z5 2025Z10005 started exactly at Dutch midnight 2025-10-01 (+02:00): a window from
  2025-10-01 must include it (a UTC midnight filter would drop it, #185); its second document
  has a kind we have never seen.
* Z6 (Mondelinge vragen) and Z7 (a tombstoned Zaak, Soort nulled) must never appear.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "small"
NS = uuid.UUID("6f1c0d3e-0000-4000-8000-000000000000")


def gid(name: str) -> str:
    return str(uuid.uuid5(NS, name))


def pdf(text: str) -> bytes:
    return (
        b"%PDF-1.4\n% kamerspoor test fixture\n1 0 obj << /Type /Catalog >> endobj\n"
        + f"% {text}\n".encode()
        + b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def docx(text: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in (
            ("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
            ("word/document.xml", f'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'),
        ):
            zf.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), body)
    return buf.getvalue()


PDF_T = "application/pdf"
DOCX_T = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def zaak(key, nummer, soort, started, api, deleted=False):
    row = {
        "Id": gid(key), "Nummer": nummer, "Soort": soort,
        "Onderwerp": f"Vragen over onderwerp {nummer}", "GestartOp": started,
        "Vergaderjaar": "2025-2026", "Status": "Vrijgegeven", "Afgedaan": False,
        "GewijzigdOp": started, "ApiGewijzigdOp": api, "Verwijderd": False,
    }
    if deleted:
        row.update({k: None for k in ("Nummer", "Soort", "Onderwerp", "GestartOp", "Vergaderjaar", "Status", "Afgedaan", "GewijzigdOp")})
        row["Verwijderd"] = True
    return row


def main() -> None:
    files: dict[str, tuple[bytes, str, str]] = {}  # doc key -> (bytes, ext, declared type)
    docs, versions, links, actors = [], [], [], []

    def document(key, zaken, nummer, soort, datum, api, data, ext, ctype, koop=None, aanhangsel=None):
        files[key] = (data, ext, ctype)
        vid = gid(key + "/v1")
        docs.append({
            "Id": gid(key), "Nummer": nummer, "Soort": soort,
            "Onderwerp": f"{soort} {nummer}", "Datum": datum, "Vergaderjaar": "2025-2026",
            "Ondernummer": -1, "Aanhangselnummer": aanhangsel, "ContentType": ctype,
            "ContentLength": len(data), "HuidigeDocumentVersie_Id": vid,
            "GewijzigdOp": datum, "ApiGewijzigdOp": api, "Verwijderd": False,
        })
        versions.append({
            "Id": vid, "Document_Id": gid(key), "Versienummer": 1, "Extensie": ext,
            "ExterneIdentifier": koop, "Bestandsgrootte": len(data),
            "GewijzigdOp": datum, "ApiGewijzigdOp": api, "Verwijderd": False,
        })
        links.extend({"Zaak_Id": gid(z), "Document_Id": gid(key)} for z in zaken)

    def actor(key, zaak_key, naam, fractie, functie, relatie, api, deleted=False):
        actors.append({
            "Id": gid(key), "Zaak_Id": gid(zaak_key), "ActorNaam": naam, "ActorFractie": fractie,
            "Functie": functie, "Relatie": relatie, "GewijzigdOp": api.replace("Z", "+00:00"),
            "ApiGewijzigdOp": api, "Verwijderd": deleted,
        })

    zaken = [
        zaak("Z1", "2025Z10001", "Schriftelijke vragen", "2025-10-14T00:00:00+02:00", "2025-11-21T08:15:02.4470000Z"),
        zaak("Z2", "2025Z10002", "Schriftelijke vragen", "2025-11-03T00:00:00+01:00", "2025-12-02T09:00:00Z"),
        zaak("Z3", "2025Z10003", "Schriftelijke vragen", "2025-11-04T00:00:00+01:00", "2025-12-02T09:00:01Z"),
        zaak("Z4", "2025Z10004", "Schriftelijke vragen", "2025-12-01T00:00:00+01:00", "2025-12-01T15:00:00Z"),
        zaak("Z5", "2025Z10005", "Schriftelijke vragen", "2025-10-01T00:00:00+02:00", "2025-10-20T10:00:00Z"),
        zaak("Z6", "2025Z10006", "Mondelinge vragen", "2025-10-15T00:00:00+02:00", "2025-10-15T10:00:00Z"),
        zaak("Z7", "2025Z10007", "Schriftelijke vragen", "2025-10-16T00:00:00+02:00", "2025-10-17T10:00:00Z", deleted=True),
    ]
    document("Q1", ["Z1"], "2025D40001", "Schriftelijke vragen", "2025-10-14T00:00:00+02:00", "2025-10-14T14:05:40.9210000Z", pdf("Q1"), ".pdf", PDF_T, koop="kv-tk-2025Z10001")
    document("D1", ["Z1"], "2025D40002", "Mededeling (uitstel antwoord)", "2025-11-04T00:00:00+01:00", "2025-11-04T10:44:19Z", pdf("D1 uitstel"), ".pdf", PDF_T, koop="ah-tk-20252026-431", aanhangsel="252600431")
    document("A1", ["Z1"], "2025D40003", "Antwoord schriftelijke vragen", "2025-11-20T00:00:00+01:00", "2025-11-21T08:15:02.4470000Z", pdf("A1 antwoord"), ".pdf", PDF_T, koop="ah-tk-20252026-512", aanhangsel="252600512")
    document("Q2", ["Z2"], "2025D40004", "Schriftelijke vragen", "2025-11-03T00:00:00+01:00", "2025-11-03T12:00:00Z", pdf("Q2"), ".pdf", PDF_T, koop="kv-tk-2025Z10002")
    document("Q3", ["Z3"], "2025D40005", "Schriftelijke vragen", "2025-11-04T00:00:00+01:00", "2025-11-04T12:00:00Z", pdf("Q3"), ".pdf", PDF_T)
    document("A23", ["Z2", "Z3"], "2025D40006", "Antwoord schriftelijke vragen", "2025-12-01T00:00:00+01:00", "2025-12-02T09:00:00Z", docx("A23 gecombineerd antwoord"), ".docx", DOCX_T)
    document("Q4", ["Z4"], "2025D40007", "Schriftelijke vragen", "2025-12-01T00:00:00+01:00", "2025-12-01T15:00:00Z", pdf("Q4"), ".pdf", PDF_T)
    document("Q5", ["Z5"], "2025D40008", "Schriftelijke vragen", "2025-10-01T00:00:00+02:00", "2025-10-01T12:00:00Z", pdf("Q5"), ".pdf", PDF_T)
    document("X5", ["Z5"], "2025D40009", "Brief regering (nieuwe soort)", "2025-10-20T00:00:00+02:00", "2025-10-20T10:00:00Z", pdf("X5"), ".pdf", PDF_T)
    document("Q6", ["Z6"], "2025D40010", "Mondelinge vragen", "2025-10-15T00:00:00+02:00", "2025-10-15T10:00:00Z", pdf("Q6"), ".pdf", PDF_T)
    # a tombstone: fields nulled, still linked, no file
    docs.append({"Id": gid("T4"), "Nummer": None, "Soort": None, "Onderwerp": None, "Datum": None,
                 "Vergaderjaar": None, "Ondernummer": None, "Aanhangselnummer": None, "ContentType": None,
                 "ContentLength": None, "HuidigeDocumentVersie_Id": None, "GewijzigdOp": None,
                 "ApiGewijzigdOp": "2025-12-01T16:00:00Z", "Verwijderd": True})
    links.append({"Zaak_Id": gid("Z4"), "Document_Id": gid("T4")})

    actor("Z1-i", "Z1", "A.B. Jansen", "GL-PvdA", "Tweede Kamerlid", "Indiener", "2025-10-14T14:05:40Z")
    actor("Z1-m", "Z1", "C.D. de Vries", "CDA", "Tweede Kamerlid", "Medeindiener", "2025-10-14T14:05:40Z")
    actor("Z1-g", "Z1", "E.F. Bakker", None, "staatssecretaris van Justitie en Veiligheid", "Gericht aan", "2025-10-14T14:05:40Z")
    actor("Z1-x", "Z1", None, None, None, None, "2025-10-15T10:00:00Z", deleted=True)
    actor("Z2-i", "Z2", "G.H. Pietersen", "VVD", "Tweede Kamerlid", "Indiener", "2025-11-03T12:00:00Z")
    actor("Z2-g", "Z2", "I.J. Visser", None, "minister van Justitie en Veiligheid", "Gericht aan", "2025-11-03T12:00:00Z")
    actor("Z3-i", "Z3", "K.L. Smit", "SP", "Tweede Kamerlid", "Indiener", "2025-11-04T12:00:00Z")
    actor("Z3-g", "Z3", "I.J. Visser", None, "minister van Justitie en Veiligheid", "Gericht aan", "2025-11-04T12:00:00Z")
    actor("Z4-i", "Z4", "M.N. de Boer", "NSC", "Tweede Kamerlid", "Indiener", "2025-12-01T15:00:00Z")
    actor("Z5-i", "Z5", "O.P. Mulder", "D66", "Tweede Kamerlid", "Indiener", "2025-10-01T12:00:00Z")

    OUT.mkdir(exist_ok=True)
    (OUT / "resources").mkdir(exist_ok=True)
    for name, rows in (("Zaak", zaken), ("Document", docs), ("ZaakActor", actors), ("DocumentVersie", versions)):
        (OUT / f"{name}.json").write_text(json.dumps({"value": rows}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (OUT / "ZaakDocument.json").write_text(json.dumps(links, indent=1) + "\n", encoding="utf-8")
    for key, (data, ext, _) in files.items():
        (OUT / "resources" / f"{gid(key)}{ext}").write_bytes(data)
    (OUT / "ids.json").write_text(json.dumps({k: gid(k) for k in
        ["Z1", "Z2", "Z3", "Z4", "Z5", "Z6", "Z7", "Q1", "D1", "A1", "Q2", "Q3", "A23", "Q4", "Q5", "X5", "Q6", "T4",
         "Z1-i", "Z1-m", "Z1-g", "Z1-x"]}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
