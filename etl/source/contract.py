"""Does the service still speak the contract the sync relies on? (``kamerspoor check-api``)

Two parts. First the CSDL ``$metadata`` (parsed with expat, a DOCTYPE or entity declaration
refused, so a hostile document cannot expand or reach out): every entity set, property and
navigation property named in ``etl/source/fields.py`` must be there, under its v5 name or a
known alias; a missing one is reported with the closest name the service does have (a likely
rename). Then one probe of each query shape the sync sends (first page only), with its HTTP
status, rows, nextLink and filter node cost; the question-set probe must return rows (a
renamed ``Soort`` value returns none) and each actor relation we read must occur.

:func:`check` has no Dagster in it so the job can run the same check before it syncs.
Exit codes: 0 the contract holds, 1 it does not (the failing lines say why), 2 the service
could not be reached.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from xml.parsers import expat

from etl.config import Settings
from etl.source import fields as F
from etl.source.client import TKClient, TKError, TKHTTPError, TKRetriesExhausted, has_param, with_params
from etl.source.odata import build_url, eq, node_cost, url_filter
from etl.source.sync import (
    changed_actors_url, changed_documents_url, changed_question_sets_url, changed_versions_url,
    ids_per_request, question_sets_by_id_url, tombstones_url, window_ids_url, window_url,
)
from etl.window import Window

#: What the sync reads: (entity set, name, what it is used for). Entity-set rows have name None.
USED: tuple[tuple[str, str | None, str], ...] = (
    (F.ZAAK, None, "question sets"),
    (F.ZAAK, F.F_ID, "key"), (F.ZAAK, "Nummer", "question set number"), (F.ZAAK, F.F_SOORT, "filter: written questions"),
    (F.ZAAK, "Onderwerp", "subject"), (F.ZAAK, F.F_STARTED, "window, submitted on"), (F.ZAAK, "Vergaderjaar", "session"),
    (F.ZAAK, F.F_CHANGED, "tombstone sweep"), (F.ZAAK, F.F_API_CHANGED, "incremental cursor"), (F.ZAAK, F.F_DELETED, "tombstones"),
    (F.ZAAK, F.NAV_ZAAK_DOCUMENTS, "navigation: documents of a set"), (F.ZAAK, F.NAV_ZAAK_ACTORS, "navigation: actors of a set"),
    (F.DOCUMENT, None, "letters"),
    (F.DOCUMENT, F.F_ID, "key, file download"), (F.DOCUMENT, "Nummer", "document number"), (F.DOCUMENT, F.F_SOORT, "document kind"),
    (F.DOCUMENT, "Onderwerp", "subject"), (F.DOCUMENT, "Datum", "letter date"), (F.DOCUMENT, "Vergaderjaar", "session"),
    (F.DOCUMENT, "ContentType", "declared file type"), (F.DOCUMENT, "ContentLength", "download byte check"),
    (F.DOCUMENT, "Aanhangselnummer", "appendix number"), (F.DOCUMENT, F.F_CHANGED, "file refetch, tombstone sweep"),
    (F.DOCUMENT, F.F_API_CHANGED, "incremental cursor"), (F.DOCUMENT, F.F_DELETED, "tombstones"),
    (F.DOCUMENT, F.NAV_DOCUMENT_ZAKEN, "navigation: sets of a document"),
    (F.DOCUMENT, F.NAV_DOCUMENT_CURRENT_VERSION, "navigation: KOOP id"),
    (F.ZAAK_ACTOR, None, "askers and addressees"),
    (F.ZAAK_ACTOR, F.F_ID, "key"), (F.ZAAK_ACTOR, F.F_ZAAK_ID, "set of an actor"), (F.ZAAK_ACTOR, "ActorNaam", "name"),
    (F.ZAAK_ACTOR, "ActorFractie", "party"), (F.ZAAK_ACTOR, "Functie", "function"), (F.ZAAK_ACTOR, F.F_RELATIE, "role"),
    (F.ZAAK_ACTOR, F.F_API_CHANGED, "incremental cursor"), (F.ZAAK_ACTOR, F.F_DELETED, "tombstones"),
    (F.ZAAK_ACTOR, F.NAV_ACTOR_ZAAK, "navigation: filter by set kind"),
    (F.DOCUMENT_VERSIE, None, "document versions"),
    (F.DOCUMENT_VERSIE, F.F_ID, "key"), (F.DOCUMENT_VERSIE, F.F_DOCUMENT_ID, "document of a version"),
    (F.DOCUMENT_VERSIE, "ExterneIdentifier", "KOOP id"), (F.DOCUMENT_VERSIE, "Versienummer", "current version"),
    (F.DOCUMENT_VERSIE, F.F_API_CHANGED, "incremental cursor"), (F.DOCUMENT_VERSIE, F.F_DELETED, "tombstones"),
    (F.DOCUMENT_VERSIE, F.NAV_VERSION_DOCUMENT, "navigation: filter by set kind"),
)


class CSDLError(ValueError):
    """``$metadata`` is not a CSDL document we will read."""


@dataclass
class Entity:
    properties: set[str] = field(default_factory=set)
    navigation: set[str] = field(default_factory=set)


def parse_csdl(data: bytes) -> dict[str, Entity]:
    """Entity sets -> their properties and navigation properties, from CSDL XML.

    expat without DTD processing; any DOCTYPE, entity declaration or external entity is
    refused (billion laughs, XXE).
    """
    types: dict[str, Entity] = {}
    sets: dict[str, str] = {}
    current: list[Entity | None] = [None]

    def refuse(*_: object) -> None:
        raise CSDLError("$metadata declares a DOCTYPE or entities; refused")

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "EntityType":
            current[0] = types.setdefault(attrs.get("Name", ""), Entity())
        elif local == "Property" and current[0] is not None:
            current[0].properties.add(attrs.get("Name", ""))
        elif local == "NavigationProperty" and current[0] is not None:
            current[0].navigation.add(attrs.get("Name", ""))
        elif local == "EntitySet":
            sets[attrs.get("Name", "")] = attrs.get("EntityType", "").rsplit(".", 1)[-1]

    def end(name: str) -> None:
        if name.rsplit(" ", 1)[-1] == "EntityType":
            current[0] = None

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise CSDLError(f"$metadata is not well-formed XML: {exc}") from None
    return {name: types.get(typ, Entity()) for name, typ in sets.items()}


@dataclass(frozen=True)
class Line:
    entity: str
    name: str | None
    used_for: str
    status: str  # "found", "found as <alias>", "missing", "missing (renamed to X?)"

    @property
    def ok(self) -> bool:
        return self.status.startswith("found")

    @property
    def label(self) -> str:
        return self.entity if self.name is None else f"{self.entity}.{self.name}"


@dataclass(frozen=True)
class Probe:
    name: str
    url: str
    status: int | None
    rows: int | None
    next_link: bool
    cost: int
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


@dataclass
class Report:
    api_url: str
    lines: list[Line] = field(default_factory=list)
    probes: list[Probe] = field(default_factory=list)
    unreachable: str = ""
    metadata_problem: str = ""

    @property
    def failures(self) -> list[str]:
        out = [f"{line.label} ({line.used_for}): {line.status}" for line in self.lines if not line.ok]
        out += [f"probe {p.name}: {p.problem}" for p in self.probes if not p.ok]
        if self.metadata_problem:
            out.insert(0, f"$metadata: {self.metadata_problem}")
        return out

    @property
    def exit_code(self) -> int:
        if self.unreachable:
            return 2
        return 1 if self.failures else 0

    def to_metadata(self) -> dict[str, object]:
        return {"api_url": self.api_url, "exit_code": self.exit_code, "failures": self.failures}

    def __str__(self) -> str:
        if self.unreachable:
            return f"check-api: cannot reach {self.api_url}: {self.unreachable}"
        out = [f"check-api {self.api_url}", f"  {'name':38s} {'used for':34s} result"]
        out += [f"  {line.label:38s} {line.used_for:34s} {line.status}" for line in self.lines]
        out.append(f"  {'probe':30s} {'HTTP':>4s} {'rows':>5s} {'next':>5s} {'nodes':>5s}")
        for p in self.probes:
            rows = "-" if p.rows is None else str(p.rows)
            out.append(f"  {p.name:30s} {p.status or '-':>4} {rows:>5s} {'yes' if p.next_link else 'no':>5s} {p.cost:>5d}"
                       + (f"  FAILED: {p.problem}" if p.problem else ""))
        failures = self.failures
        out.append("contract holds" if not failures else f"contract broken: {len(failures)} problem(s)")
        out += [f"FAILED {f}" for f in failures]
        return "\n".join(out)


def compare(entities: dict[str, Entity]) -> list[Line]:
    """Each name the sync relies on: found (maybe under an alias) or missing with a candidate."""
    lines = []
    for entity, name, used_for in USED:
        if name is None:
            status = "found" if entity in entities else _missing(entity, entities.keys())
            lines.append(Line(entity, None, used_for, status))
            continue
        have = entities.get(entity)
        if have is None:
            lines.append(Line(entity, name, used_for, "missing (no such entity set)"))
            continue
        names = have.properties | have.navigation
        status = _missing(name, names)
        for candidate in (name, *F.ALIASES.get(name, ())):
            if candidate in names:
                status = "found" if candidate == name else f"found as {candidate}"
                break
        lines.append(Line(entity, name, used_for, status))
    return lines


def _missing(name: str, names) -> str:
    close = difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.6)
    return f"missing (renamed to {close[0]}?)" if close else "missing"


def _probe(client: TKClient, name: str, url: str, *, need_rows: str = "") -> tuple[Probe, list[dict]]:
    first = url if has_param(url, "$top") or has_param(url, "$count") else with_params(url, count="true")
    cost = node_cost(url_filter(url))
    try:
        payload = client.get_json(first)
    except TKHTTPError as exc:
        return Probe(name, url, exc.status, None, False, cost, str(exc)), []
    except TKRetriesExhausted:
        raise
    except TKError as exc:
        return Probe(name, url, None, None, False, cost, str(exc)), []
    rows = payload.get("value") if isinstance(payload.get("value"), list) else []
    problem = ""
    if cost > client.settings.filter_node_budget:
        problem = f"filter costs {cost} nodes, over the budget of {client.settings.filter_node_budget}"
    elif need_rows and not rows:
        problem = need_rows
    return Probe(name, url, 200, len(rows), "@odata.nextLink" in payload, cost, problem), rows


def check(settings: Settings, *, today: date | None = None) -> Report:
    """Check the live contract at ``settings.api_url``; never raises for service trouble."""
    settings = replace(settings, max_retries=min(settings.max_retries, 1))
    report = Report(settings.api_url.rstrip("/"))
    with TKClient(settings) as client:
        base = client.base_url
        try:
            data = client.get_bytes(f"{base}/$metadata")
        except TKRetriesExhausted as exc:
            if not exc.last.startswith("HTTP"):  # no answer at all, not an answer we dislike
                report.unreachable = exc.last
                return report
            report.metadata_problem = str(exc)
            data = None
        except TKError as exc:
            report.metadata_problem = str(exc)
            data = None
        if data is not None:
            try:
                report.lines = compare(parse_csdl(data))
            except CSDLError as exc:
                report.metadata_problem = str(exc)
        try:
            _probes(client, report, today or datetime.now(timezone.utc).date())
        except TKRetriesExhausted as exc:
            if not exc.last.startswith("HTTP"):
                report.unreachable = exc.last
            else:
                report.metadata_problem = str(exc)
    return report


def _probes(client: TKClient, report: Report, today: date) -> None:
    base = client.base_url
    since = datetime.combine(today - timedelta(days=1), datetime.min.time(), timezone.utc)
    soort = f"{F.F_SOORT} eq '{F.ZAAK_SOORT_SCHRIFTELIJKE_VRAGEN}'"
    window, rows = _probe(client, "window", window_url(base, Window()),
                          need_rows=f"no question sets at all for Zaak {soort} (a renamed Soort value?)")
    report.probes.append(window)
    ids = [str(r.get(F.F_ID)) for r in rows if r.get(F.F_ID)]
    pad = "00000000-0000-0000-0000-000000000000"
    size = ids_per_request(client.settings.filter_node_budget)
    chunk = (ids + [pad] * size)[:size]
    shapes = [
        ("changed question sets", changed_question_sets_url(base, since)),
        ("changed documents", changed_documents_url(base, since)),
        ("changed actors", changed_actors_url(base, since)),
        ("changed versions", changed_versions_url(base, since)),
        ("question sets by id", question_sets_by_id_url(base, chunk)),
        ("Zaak tombstones", tombstones_url(base, F.ZAAK, since)),
        ("Document tombstones", tombstones_url(base, F.DOCUMENT, since)),
        ("ZaakActor tombstones", tombstones_url(base, F.ZAAK_ACTOR, since)),
        ("reconcile ids", window_ids_url(base, today.replace(day=1), today + timedelta(days=1))),
    ]
    for name, url in shapes:
        probe = _probe(client, name, url)[0]
        if name == "question sets by id" and probe.status == 400 and "node count" not in probe.problem.lower():
            # the sync falls back to or-joined ids when the service refuses ``in``
            fallback = chunk[: ids_per_request(client.settings.filter_node_budget, use_in=False)]
            probe = _probe(client, "question sets by id (or)", question_sets_by_id_url(base, fallback, use_in=False))[0]
        report.probes.append(probe)
    for relatie in F.ACTOR_RELATIES:
        url = build_url(base, F.ZAAK_ACTOR, filter=eq(F.F_RELATIE, relatie), top=1)
        report.probes.append(_probe(client, f"Relatie '{relatie}'", url,
                                    need_rows=f"no ZaakActor with {F.F_RELATIE} eq '{relatie}' (a renamed value?)")[0])
