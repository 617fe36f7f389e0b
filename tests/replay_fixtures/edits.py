"""Edit a copy of a fixture directory between runs: the API "changing" under a test.

The replay server re-reads changed files on the next request, so a test can run a sync, call
these, and run an incremental sync against the same server. Each edit stamps
``ApiGewijzigdOp`` (UTC) so that an incremental pull sees it. Never use them on the bundled
sample itself; copy it first (``shutil.copytree``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CONTENT_FIELDS = {
    "Zaak": ("Nummer", "Soort", "Onderwerp", "GestartOp", "Vergaderjaar", "Titel", "Status", "GewijzigdOp"),
    "Document": ("Nummer", "Soort", "Onderwerp", "Datum", "Vergaderjaar", "ContentType", "ContentLength",
                 "Aanhangselnummer", "HuidigeDocumentVersie_Id", "GewijzigdOp", "Titel", "Ondernummer"),
    "ZaakActor": ("Zaak_Id", "ActorNaam", "ActorFractie", "Functie", "Relatie", "GewijzigdOp"),
    "DocumentVersie": ("Document_Id", "Versienummer", "Extensie", "ExterneIdentifier", "GewijzigdOp"),
}


def _load(fixture: Path, name: str) -> tuple[Any, list[dict[str, Any]]]:
    data = json.loads((fixture / f"{name}.json").read_text(encoding="utf-8"))
    return data, (data["value"] if isinstance(data, dict) else data)


def _save(fixture: Path, name: str, data: Any) -> None:
    (fixture / f"{name}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _find(rows: list[dict[str, Any]], entity: str, row_id: str) -> dict[str, Any]:
    for r in rows:
        if str(r.get("Id")).lower() == row_id.lower():
            return r
    raise KeyError(f"no {entity} row with Id {row_id}")


def update_row(fixture: Path, entity: str, row_id: str, api_changed_at: str, **fields: Any) -> None:
    """Change fields of one row and stamp its ApiGewijzigdOp."""
    data, rows = _load(fixture, entity)
    _find(rows, entity, row_id).update(fields, ApiGewijzigdOp=api_changed_at)
    _save(fixture, entity, data)


def add_row(fixture: Path, entity: str, row: dict[str, Any]) -> None:
    data, rows = _load(fixture, entity)
    rows.append(row)
    _save(fixture, entity, data)


def tombstone(fixture: Path, entity: str, row_id: str, api_changed_at: str) -> None:
    """Turn a row into a tombstone as the service does: Verwijderd true, content fields null."""
    update_row(fixture, entity, row_id, api_changed_at, Verwijderd=True,
               **{f: None for f in CONTENT_FIELDS.get(entity, ())})


def link(fixture: Path, zaak_id: str, document_id: str) -> None:
    data, rows = _load(fixture, "ZaakDocument")
    rows.append({"Zaak_Id": zaak_id, "Document_Id": document_id})
    _save(fixture, "ZaakDocument", data)


def unlink(fixture: Path, zaak_id: str, document_id: str) -> None:
    data, rows = _load(fixture, "ZaakDocument")
    kept = [r for r in rows if not (str(r["Zaak_Id"]).lower() == zaak_id.lower()
                                    and str(r["Document_Id"]).lower() == document_id.lower())]
    if isinstance(data, dict):
        data["value"] = kept
    else:
        data = kept
    _save(fixture, "ZaakDocument", data)


def replace_resource(fixture: Path, document_id: str, data: bytes, ext: str, api_changed_at: str,
                     source_changed_at: str | None = None, content_type: str | None = None) -> None:
    """A new file for a document: bytes on disk, ContentLength (and optionally type) updated."""
    res = fixture / "resources"
    for old in res.glob(f"{document_id}.*"):
        old.unlink()
    (res / f"{document_id}{ext}").write_bytes(data)
    fields: dict[str, Any] = {"ContentLength": len(data)}
    if source_changed_at:
        fields["GewijzigdOp"] = source_changed_at
    if content_type:
        fields["ContentType"] = content_type
    update_row(fixture, "Document", document_id, api_changed_at, **fields)
