"""OData field names (v5 and the retired v4/2.0) mapped to our records, in one place.

v5 renamed some attributes (``DocumentNummer`` -> ``Nummer``, ``Volgnummer`` -> ``Ondernummer``)
and the full rename list was never published, so every field we read is looked up under its
v5 name first and then under its known older names. A field we expect but cannot find fails
loudly with the field, the row and the URL, rather than silently producing empty columns.
``Soort`` values are kept verbatim: an unknown kind is data, never an error.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from etl.models import ActorRecord, DocumentRecord, QuestionSetRecord
from etl.source.timeutil import dutch_date, parse_datetime

# --------------------------------------------------------------------------- vocabulary

ZAAK_SOORT_SCHRIFTELIJKE_VRAGEN = "Schriftelijke vragen"

#: Document kinds in a written-question chain (kept for documentation and reporting; we do
#: not filter expansions by kind because v5 kind values are unverified).
DOCUMENT_SOORTEN = (
    "Schriftelijke vragen",
    "Antwoord schriftelijke vragen",
    "Antwoord schriftelijke vragen (nader)",
    "Mededeling (uitstel antwoord)",
    "Mededeling",
)

#: ZaakActor relations we keep for a question set.
ACTOR_RELATIES = ("Indiener", "Medeindiener", "Gericht aan")

# Entity sets and navigation properties (names as used in URLs and expanded payloads).
ZAAK = "Zaak"
DOCUMENT = "Document"
ZAAK_ACTOR = "ZaakActor"
DOCUMENT_VERSIE = "DocumentVersie"
NAV_ZAAK_DOCUMENTS = "Document"
NAV_ZAAK_ACTORS = "ZaakActor"
NAV_DOCUMENT_ZAKEN = "Zaak"
NAV_DOCUMENT_CURRENT_VERSION = "HuidigeDocumentVersie"
NAV_DOCUMENT_VERSIONS = "DocumentVersie"
NAV_ACTOR_ZAAK = "Zaak"
NAV_VERSION_DOCUMENT = "Document"

# Canonical (v5) name -> alternatives tried in order (older API versions).
ALIASES: dict[str, tuple[str, ...]] = {
    "Nummer": ("DocumentNummer",),
    "Ondernummer": ("Volgnummer",),
    "AantalDocumenten": ("HoogsteVolgnummer",),
}

# Field names the query builder uses (so renames are fixed here, not in sync.py).
F_ID = "Id"
F_SOORT = "Soort"
F_DELETED = "Verwijderd"
F_API_CHANGED = "ApiGewijzigdOp"
F_CHANGED = "GewijzigdOp"
F_STARTED = "GestartOp"
F_RELATIE = "Relatie"
F_ZAAK_ID = "Zaak_Id"
F_DOCUMENT_ID = "Document_Id"

_MISSING = object()


class SchemaError(ValueError):
    """The API answered in a shape we do not understand (a missing or malformed field)."""


class MissingFieldError(SchemaError):
    def __init__(self, field: str, entity: str, row_id: Any, url: str):
        tried = (field, *ALIASES.get(field, ()))
        super().__init__(
            f"expected field {field!r} (tried {', '.join(tried)}) is missing from {entity} "
            f"row {row_id!r} at {url}; the API's field names may have changed "
            f"(map them in etl/source/fields.py)"
        )
        self.field = field
        self.url = url


def raw(row: Mapping[str, Any], field: str, entity: str, url: str, *, required: bool = True) -> Any:
    """Value of ``field`` under its v5 name or an older alias; missing + required -> error."""
    for name in (field, *ALIASES.get(field, ())):
        value = row.get(name, _MISSING)
        if value is not _MISSING:
            return value
    if required:
        raise MissingFieldError(field, entity, row.get("Id"), url)
    return None


def _text(row: Mapping[str, Any], field: str, entity: str, url: str, *, required: bool = True) -> str | None:
    value = raw(row, field, entity, url, required=required)
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise SchemaError(f"field {field!r} of {entity} row {row.get('Id')!r} at {url} is not text: {value!r}")
    return str(value)


def _datetime(row: Mapping[str, Any], field: str, entity: str, url: str, *, required: bool = True) -> datetime | None:
    value = raw(row, field, entity, url, required=required)
    if value is None:
        return None
    try:
        return parse_datetime(str(value))
    except ValueError:
        raise SchemaError(
            f"field {field!r} of {entity} row {row.get('Id')!r} at {url} is not a date-time: {value!r}"
        ) from None


def _int(row: Mapping[str, Any], field: str, entity: str, url: str, *, required: bool = True) -> int | None:
    value = raw(row, field, entity, url, required=required)
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise SchemaError(
            f"field {field!r} of {entity} row {row.get('Id')!r} at {url} is not an integer: {value!r}"
        ) from None


def row_id(row: Mapping[str, Any], entity: str, url: str) -> str:
    value = raw(row, F_ID, entity, url)
    if not value:
        raise SchemaError(f"{entity} row without an Id at {url}: {dict(row)!r:.200}")
    return str(value)


def is_deleted(row: Mapping[str, Any], entity: str, url: str) -> bool:
    """Tombstone flag; a missing flag is an error because listings depend on it."""
    return bool(raw(row, F_DELETED, entity, url))


def api_changed_at(row: Mapping[str, Any], entity: str, url: str) -> datetime | None:
    """``ApiGewijzigdOp`` (UTC); the incremental cursor is built from it."""
    return _datetime(row, F_API_CHANGED, entity, url)


def question_set_from_api(row: Mapping[str, Any], url: str) -> QuestionSetRecord:
    """A Zaak row (v4 or v5 names) -> QuestionSetRecord. Tombstones need only Id."""
    entity = ZAAK
    rid = row_id(row, entity, url)
    if is_deleted(row, entity, url):
        return QuestionSetRecord(
            id=rid, number=None, kind=None, subject=None, submitted_on=None, session=None,
            changed_at=_datetime(row, F_API_CHANGED, entity, url, required=False), deleted=True,
        )
    started = _datetime(row, F_STARTED, entity, url)
    return QuestionSetRecord(
        id=rid,
        number=_text(row, "Nummer", entity, url),
        kind=_text(row, F_SOORT, entity, url),
        subject=_text(row, "Onderwerp", entity, url),
        submitted_on=dutch_date(started) if started else None,
        session=_text(row, "Vergaderjaar", entity, url, required=False),
        changed_at=api_changed_at(row, entity, url),
        deleted=False,
    )


def koop_id_of(row: Mapping[str, Any], url: str) -> str | None:
    """``DocumentVersie.ExterneIdentifier`` of the current version, from an expanded row.

    Prefers the expanded ``HuidigeDocumentVersie``; falls back to the highest
    ``Versienummer`` of an expanded ``DocumentVersie`` list. Empty until KOOP publishes.
    """
    current = row.get(NAV_DOCUMENT_CURRENT_VERSION)
    versions: list[Mapping[str, Any]] = []
    if isinstance(current, Mapping):
        versions = [current]
    elif isinstance(row.get(NAV_DOCUMENT_VERSIONS), list):
        versions = sorted(
            (v for v in row[NAV_DOCUMENT_VERSIONS] if not v.get(F_DELETED)),
            key=lambda v: v.get("Versienummer") or 0,
            reverse=True,
        )
    for version in versions[:1]:
        value = _text(version, "ExterneIdentifier", DOCUMENT_VERSIE, url, required=False)
        return value or None
    return None


def document_from_api(
    row: Mapping[str, Any], url: str, question_set_ids: tuple[str, ...] = ()
) -> DocumentRecord:
    """A Document row (v4 or v5 names, optionally with expanded version) -> DocumentRecord."""
    entity = DOCUMENT
    rid = row_id(row, entity, url)
    if is_deleted(row, entity, url):
        return DocumentRecord(
            id=rid, number=None, kind=None, subject=None, date=None, session=None,
            content_type=None, content_length=None, koop_id=None, appendix_number=None,
            question_set_ids=question_set_ids,
            changed_at=_datetime(row, F_API_CHANGED, entity, url, required=False), deleted=True,
        )
    day = _datetime(row, "Datum", entity, url)
    return DocumentRecord(
        id=rid,
        number=_text(row, "Nummer", entity, url),
        kind=_text(row, F_SOORT, entity, url),
        subject=_text(row, "Onderwerp", entity, url),
        date=dutch_date(day) if day else None,
        session=_text(row, "Vergaderjaar", entity, url, required=False),
        content_type=_text(row, "ContentType", entity, url),
        content_length=_int(row, "ContentLength", entity, url, required=False),  # unconfirmed on v5
        koop_id=koop_id_of(row, url),
        appendix_number=_text(row, "Aanhangselnummer", entity, url, required=False),
        question_set_ids=question_set_ids,
        changed_at=api_changed_at(row, entity, url),
        source_changed_at=_datetime(row, F_CHANGED, entity, url),
        deleted=False,
    )


def actor_from_api(row: Mapping[str, Any], url: str, question_set_id: str | None = None) -> ActorRecord:
    """A ZaakActor row -> ActorRecord (party/function may be null, e.g. for ministers)."""
    entity = ZAAK_ACTOR
    rid = row_id(row, entity, url)
    zaak_id = raw(row, F_ZAAK_ID, entity, url, required=question_set_id is None)
    qs_id = str(question_set_id or zaak_id or "")
    if is_deleted(row, entity, url):
        return ActorRecord(
            id=rid, question_set_id=qs_id, name=None, party=None, function=None, relation=None,
            changed_at=_datetime(row, F_API_CHANGED, entity, url, required=False), deleted=True,
        )
    return ActorRecord(
        id=rid,
        question_set_id=qs_id,
        name=_text(row, "ActorNaam", entity, url),
        party=_text(row, "ActorFractie", entity, url, required=False),
        function=_text(row, "Functie", entity, url, required=False),
        relation=_text(row, F_RELATIE, entity, url),
        changed_at=_datetime(row, F_API_CHANGED, entity, url, required=False),
        deleted=False,
    )


def expanded(row: Mapping[str, Any], nav: str, entity: str, url: str) -> list[Mapping[str, Any]]:
    """An expanded navigation collection; absent means we asked wrongly -> SchemaError."""
    value = row.get(nav, _MISSING)
    if value is _MISSING:
        raise MissingFieldError(nav, entity, row.get("Id"), url)
    if value is None:
        return []
    if not isinstance(value, list):
        raise SchemaError(f"expanded {nav!r} of {entity} row {row.get('Id')!r} at {url} is not a list")
    return value
