"""Edit a copy of a fixture directory between runs: the API "changing" under a test.

The replay server re-reads changed files on the next request, so a test can run a sync, call
these, and run an incremental sync against the same server. Each edit stamps
``ApiGewijzigdOp`` (UTC) so that an incremental pull sees it. Never use them on the bundled
sample itself; copy it first (``shutil.copytree``).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from etl.replay.server import RESOURCE_INDEX

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


def _plain_file_id(document_id: str) -> bool:
    return bool(re.fullmatch(r"[0-9A-Za-z-]{1,100}", document_id))


def write_resource(fixture: Path, document_id: str, data: bytes, ext: str) -> Path:
    """The bytes of a document's file: ``resources/<id><ext>`` when the id can be a file name,
    else a hashed name recorded in ``resources.json`` (id → file name), as the replay reads it."""
    res = fixture / "resources"
    res.mkdir(exist_ok=True)
    index_path = fixture / RESOURCE_INDEX
    index = json.loads(index_path.read_text(encoding="utf-8")) if index_path.exists() else {}
    if _plain_file_id(document_id):
        for old in res.glob(f"{document_id}.*"):
            old.unlink()
        name = f"{document_id}{ext}"
    else:
        if document_id in index:
            (res / index[document_id]).unlink(missing_ok=True)
        name = "h-" + hashlib.sha256(document_id.encode("utf-8")).hexdigest()[:40] + ext
        index[document_id] = name
        index_path.write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (res / name).write_bytes(data)
    return res / name


def replace_resource(fixture: Path, document_id: str, data: bytes, ext: str, api_changed_at: str,
                     source_changed_at: str | None = None, content_type: str | None = None) -> None:
    """A new file for a document: bytes on disk, ContentLength (and optionally type) updated."""
    write_resource(fixture, document_id, data, ext)
    fields: dict[str, Any] = {"ContentLength": len(data)}
    if source_changed_at:
        fields["GewijzigdOp"] = source_changed_at
    if content_type:
        fields["ContentType"] = content_type
    update_row(fixture, "Document", document_id, api_changed_at, **fields)


def add_letter(fixture: Path, template_id: str, document_id: str, zaak_id: str, data: bytes, ext: str,
               api_changed_at: str, *, nummer: str, content_type: str | None = None) -> None:
    """A new document in question set ``zaak_id``: the Document and DocumentVersie rows of
    ``template_id`` copied under the new id (no KOOP twin), linked to the set, with its file."""
    _, docs = _load(fixture, "Document")
    _, versions = _load(fixture, "DocumentVersie")
    doc = dict(_find(docs, "Document", template_id))
    version = dict(next(v for v in versions if str(v["Document_Id"]).lower() == template_id.lower()))
    version_id = hashlib.sha256(f"version of {document_id}".encode()).hexdigest()[:32]
    version_id = "-".join((version_id[:8], version_id[8:12], version_id[12:16], version_id[16:20], version_id[20:]))
    doc.update(Id=document_id, Nummer=nummer, ContentLength=len(data), HuidigeDocumentVersie_Id=version_id,
               ApiGewijzigdOp=api_changed_at, Aanhangselnummer=None)
    if content_type:
        doc["ContentType"] = content_type
    version.update(Id=version_id, Document_Id=document_id, Extensie=ext, ExterneIdentifier=None,
                   Bestandsgrootte=len(data), ApiGewijzigdOp=api_changed_at)
    add_row(fixture, "Document", doc)
    add_row(fixture, "DocumentVersie", version)
    link(fixture, zaak_id, document_id)
    write_resource(fixture, document_id, data, ext)


def add_question_set(fixture: Path, template_id: str, zaak_id: str, nummer: str, api_changed_at: str) -> None:
    """A new question set: the Zaak row of ``template_id`` under a new id and number (no actors)."""
    _, zaken = _load(fixture, "Zaak")
    zaak = dict(_find(zaken, "Zaak", template_id))
    zaak.update(Id=zaak_id, Nummer=nummer, ApiGewijzigdOp=api_changed_at,
                Onderwerp=f"{zaak.get('Onderwerp')} (hostile files, {nummer})")
    add_row(fixture, "Zaak", zaak)
