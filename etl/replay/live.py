"""What the live v5 service does that a plain replay would not, each behind an option.

Sources (see ``docs/source.md``, assumptions table): the 100-node ``$filter`` limit and its
message, ``in`` accepted, HTTP 400 on an unknown field, tombstones whose fields are all null
except ``Id`` and ``GewijzigdOp`` (so ``ApiGewijzigdOp gt …`` never returns a deletion),
``$top`` above 100 refused, pages whose end carries no nextLink, 7-digit fractional seconds,
``Ondernummer -1`` for none, and a heavy query that answers 500 after a long wait.
:meth:`Realism.strict_live` switches all of them on; the integration tests run in that mode.
The CSDL ``$metadata`` document is built here too, from the fixture itself.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import quoteattr

from etl.replay.filters import FilterError, GuidValue
from etl.source.timeutil import dutch_tz_at, parse_datetime

NODE_LIMIT_MESSAGE = "The node count limit of '{limit}' has been exceeded. To increase the limit, set the 'MaxNodeCount' property on EnableQueryAttribute or ODataValidationSettings."

#: (entity, navigation) -> (target entity, is a collection): the model the replay serves.
NAVIGATION: dict[tuple[str, str], tuple[str, bool]] = {
    ("Zaak", "Document"): ("Document", True),
    ("Zaak", "ZaakActor"): ("ZaakActor", True),
    ("Document", "Zaak"): ("Zaak", True),
    ("Document", "DocumentVersie"): ("DocumentVersie", True),
    ("Document", "HuidigeDocumentVersie"): ("DocumentVersie", False),
    ("ZaakActor", "Zaak"): ("Zaak", False),
    ("DocumentVersie", "Document"): ("Document", False),
}


@dataclass(frozen=True)
class Realism:
    """Switches for live-service behaviour; all off is the plain replay."""

    #: Refuse a ``$filter`` (top level or nested) with more nodes than this: HTTP 400.
    node_limit: int | None = None
    #: Accept ``path in (a, b, …)``; otherwise it is an unknown operator (HTTP 400).
    in_operator: bool = False
    #: HTTP 400 on a ``$select``/``$filter``/``$orderby`` field the entity does not have.
    strict_fields: bool = False
    #: Tombstones keep only ``Id``, ``GewijzigdOp`` (the deletion, Dutch offset) and
    #: ``Verwijderd``; ``ApiGewijzigdOp`` is null.
    tombstones_without_api_changed: bool = False
    #: Rows per page and never a nextLink (the client must count and use ``$skip``).
    page_cap: int | None = None
    #: ``$top`` above this is HTTP 400.
    max_top: int | None = None
    #: Date-times with 7 fractional digits (``…T10:14:31.0000000+02:00``).
    fraction7: bool = False
    #: Documents without an ondernummer carry ``Ondernummer: -1``.
    ondernummer_minus_one: bool = False
    #: Every n-th request waits ``slow_500_seconds`` and answers HTTP 500 (0 = never).
    slow_500_every: int = 0
    slow_500_seconds: float = 0.3

    @classmethod
    def strict_live(cls, *, slow_500_seconds: float = 0.3) -> "Realism":
        return cls(
            node_limit=100, in_operator=True, strict_fields=True, tombstones_without_api_changed=True,
            page_cap=100, max_top=100, fraction7=True, ondernummer_minus_one=True,
            slow_500_every=23, slow_500_seconds=slow_500_seconds,
        )

    @property
    def rewrites_rows(self) -> bool:
        return self.tombstones_without_api_changed or self.fraction7 or self.ondernummer_minus_one


PLAIN = Realism()

# --------------------------------------------------------------------------- rows

_DT = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$")


def seven_digits(value: str) -> str:
    """The same instant written with exactly 7 fractional digits."""
    m = _DT.match(value)
    if not m:
        return value
    return f"{m.group(1)}.{(m.group(2) or '')[:7].ljust(7, '0')}{m.group(3)}"


def realize_rows(entity: str, rows: list[dict[str, Any]], realism: Realism) -> list[dict[str, Any]]:
    """Fixture rows as the live service would serve them under ``realism``."""
    out = []
    for row in rows:
        row = copy.deepcopy(row)
        if realism.tombstones_without_api_changed and row.get("Verwijderd"):
            when = row.get("GewijzigdOp") or row.get("ApiGewijzigdOp")
            if when:
                instant = parse_datetime(str(when))
                when = instant.astimezone(dutch_tz_at(instant)).isoformat()
            row = {k: None for k in row} | {"Id": row.get("Id"), "GewijzigdOp": when, "Verwijderd": True}
        if realism.ondernummer_minus_one and entity == "Document" and row.get("Ondernummer") is None and not row.get("Verwijderd"):
            row["Ondernummer"] = -1
        if realism.fraction7:
            row = {k: seven_digits(v) if isinstance(v, str) else v for k, v in row.items()}
        out.append(row)
    return out


# --------------------------------------------------------------------------- filters


def node_count(node: tuple) -> int:
    """Nodes in a parsed ``$filter``, by the model in ``etl.source.odata.node_cost``."""
    kind = node[0]
    if kind == "lit":
        v = node[1]
        return 3 if isinstance(v, GuidValue) else 2 if isinstance(v, str) else 1
    if kind == "path":
        return len(node[1])
    if kind in ("and", "or"):
        return 1 + node_count(node[1]) + node_count(node[2])
    if kind == "not":
        return 1 + node_count(node[1])
    if kind == "cmp":
        return 1 + node_count(node[2]) + node_count(node[3])
    if kind == "in":
        return 1 + node_count(node[1]) + sum(node_count(v) for v in node[2])
    if kind == "lambda":
        return len(node[2]) + 2 + node_count(node[4])
    if kind == "fn":
        return 1 + sum(node_count(a) for a in node[2])
    return 1


class Schema:
    """Property names per entity, read from the (realized) fixture rows."""

    def __init__(self, rows: dict[str, list[dict[str, Any]]]):
        self.properties: dict[str, dict[str, str]] = {}
        for entity, entity_rows in rows.items():
            props: dict[str, str] = {"Id": "Edm.Guid"}
            for r in entity_rows:
                for k, v in r.items():
                    if v is not None or k not in props:
                        props[k] = _edm_type(k, v) if v is not None else props.get(k, "Edm.String")
            self.properties[entity] = props

    def has(self, entity: str, name: str) -> bool:
        return name in self.properties.get(entity, {}) or (entity, name) in NAVIGATION

    def check_path(self, entity: str, segments: list[str], env: dict[str, str]) -> str:
        """The entity reached by a member path; FilterError on an unknown field."""
        cur = entity
        rest = segments
        if segments[0] in env:
            cur, rest = env[segments[0]], segments[1:]
        for seg in rest:
            if (cur, seg) in NAVIGATION:
                cur = NAVIGATION[(cur, seg)][0]
            elif seg in self.properties.get(cur, {}):
                cur = "Edm"
            else:
                raise FilterError(f"Could not find a property named '{seg}' on type 'TK.DA.GGM.OData.{cur}'.")
        return cur

    def check_filter(self, node: tuple, entity: str, env: dict[str, str] | None = None) -> None:
        env = env or {}
        kind = node[0]
        if kind == "path":
            self.check_path(entity, node[1], env)
        elif kind == "lambda":
            target = self.check_path(entity, node[2], env)
            self.check_filter(node[4], entity, {**env, node[3]: target})
        elif kind in ("and", "or"):
            self.check_filter(node[1], entity, env)
            self.check_filter(node[2], entity, env)
        elif kind == "not":
            self.check_filter(node[1], entity, env)
        elif kind == "cmp":
            self.check_filter(node[2], entity, env)
            self.check_filter(node[3], entity, env)
        elif kind == "in":
            self.check_filter(node[1], entity, env)
        elif kind == "fn":
            for a in node[2]:
                self.check_filter(a, entity, env)


def _edm_type(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "Edm.Boolean"
    if isinstance(value, int):
        return "Edm.Int64"
    if isinstance(value, float):
        return "Edm.Double"
    if isinstance(value, str):
        if (name == "Id" or name.endswith("_Id")) and re.fullmatch(r"[0-9a-fA-F-]{36}", value):
            return "Edm.Guid"
        if _DT.match(value):
            return "Edm.DateTimeOffset"
    return "Edm.String"


# --------------------------------------------------------------------------- $metadata


def csdl(schema: Schema, namespace: str = "TK.DA.GGM.OData") -> str:
    """A CSDL (OData v4 EDMX) document for the entity sets and fields the fixture holds."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
        "<edmx:DataServices>",
        f'<Schema Namespace={quoteattr(namespace)} xmlns="http://docs.oasis-open.org/odata/ns/edm">',
    ]
    for entity, props in schema.properties.items():
        lines.append(f"<EntityType Name={quoteattr(entity)}>")
        lines.append('<Key><PropertyRef Name="Id"/></Key>')
        for name, edm in props.items():
            nullable = ' Nullable="false"' if name == "Id" else ""
            lines.append(f"<Property Name={quoteattr(name)} Type={quoteattr(edm)}{nullable}/>")
        for (source, nav), (target, many) in NAVIGATION.items():
            if source == entity:
                typ = f"{namespace}.{target}"
                typ = f"Collection({typ})" if many else typ
                lines.append(f"<NavigationProperty Name={quoteattr(nav)} Type={quoteattr(typ)}/>")
        lines.append("</EntityType>")
    lines.append('<EntityContainer Name="Container">')
    for entity in schema.properties:
        lines.append(f"<EntitySet Name={quoteattr(entity)} EntityType={quoteattr(namespace + '.' + entity)}/>")
    lines += ["</EntityContainer>", "</Schema>", "</edmx:DataServices>", "</edmx:Edmx>"]
    return "\n".join(lines) + "\n"
