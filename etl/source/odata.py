"""OData query strings: literals, filters, expansions, URLs.

Pure string building so the exact requests are unit-testable. Literal rules follow the
service: strings in single quotes with ``'`` doubled, GUIDs bare, date-times with an explicit
offset (a ``Z`` midnight is a different instant than a Dutch midnight and drops rows, #185).
``+`` in offsets is percent-encoded, otherwise it arrives as a space.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
import re
from typing import Iterable
from urllib.parse import parse_qsl, quote, urlsplit

from etl.source.timeutil import format_odata_datetime


class Guid(str):
    """A GUID key: written bare in filters (``Id eq 7a9b…``); ``guid'…'`` gives HTTP 400."""


Literal = str | int | float | bool | None | datetime | date | Guid


def literal(value: Literal) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Guid):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, datetime):
        return format_odata_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"no OData literal for {value!r}")


def _cmp(op: str, path: str, value: Literal) -> str:
    return f"{path} {op} {literal(value)}"


def eq(path: str, value: Literal) -> str:
    return _cmp("eq", path, value)


def ne(path: str, value: Literal) -> str:
    return _cmp("ne", path, value)


def gt(path: str, value: Literal) -> str:
    return _cmp("gt", path, value)


def ge(path: str, value: Literal) -> str:
    return _cmp("ge", path, value)


def lt(path: str, value: Literal) -> str:
    return _cmp("lt", path, value)


def le(path: str, value: Literal) -> str:
    return _cmp("le", path, value)


def and_(*parts: str | None) -> str:
    kept = [p for p in parts if p]
    return " and ".join(f"({p})" if " or " in p and not _wrapped(p) else p for p in kept)


def or_(*parts: str | None) -> str:
    kept = [p for p in parts if p]
    if len(kept) == 1:
        return kept[0]
    return "(" + " or ".join(kept) + ")"


def not_(part: str) -> str:
    return f"not ({part})"


def any_(nav: str, var: str, condition: str) -> str:
    """Lambda over a navigation collection: ``Zaak/any(z: z/Soort eq '…')``."""
    return f"{nav}/any({var}: {condition})"


def in_(path: str, values: Iterable[Literal]) -> str:
    """``path in (a, b, …)``: OData 4.01 membership, far cheaper in filter nodes than ``or``."""
    return f"{path} in (" + ", ".join(literal(v) for v in values) + ")"


def any_of(path: str, values: Iterable[Literal]) -> str:
    """``path eq a or path eq b …``: the same test for a service that refuses ``in``."""
    return or_(*(eq(path, v) for v in values))


# --------------------------------------------------------------------------- node cost

#: The service refuses a ``$filter`` of more than 100 nodes (HTTP 400, "The node count limit
#: of '100' has been exceeded"). Our model of its count, from the reported figures: a member
#: path costs 1 per segment, a comparison 1, ``and``/``or``/``not`` 1 each, a literal 3 for a
#: GUID, 2 for a string and 1 otherwise; ``in`` costs 1 plus its literals; a lambda 1, a
#: function call 1. So ``Id eq <guid>`` is 5 and ``Soort eq '…'`` 4, as observed.
NODE_LIMIT_MESSAGE = "node count limit"

_COST_TOKEN = re.compile(
    r"""(?P<string>'(?:[^']|'')*')
      | (?P<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-]))
      | (?P<datetime>\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)
      | (?P<number>-?\d+(?:\.\d+)?(?![\w-]))
      | (?P<word>[A-Za-z_][A-Za-z0-9_.]*(?:/[A-Za-z_][A-Za-z0-9_.]*)*)
      | (?P<other>\S)""",
    re.VERBOSE,
)
_OPERATORS = {"eq", "ne", "gt", "ge", "lt", "le", "and", "or", "not", "in", "has"}
_LITERAL_WORDS = {"true", "false", "null"}


def node_cost(filter_text: str | None) -> int:
    """How many nodes the service counts in a ``$filter`` (the model documented above)."""
    if not filter_text:
        return 0
    cost = 0
    for m in _COST_TOKEN.finditer(filter_text.replace("%2B", "+")):
        kind, text = m.lastgroup, m.group()
        if kind == "guid":
            cost += 3
        elif kind == "string":
            cost += 2
        elif kind in ("datetime", "number"):
            cost += 1
        elif kind == "word":
            low = text.lower()
            if low in _OPERATORS or low in _LITERAL_WORDS:
                cost += 1
            else:  # a member path (each segment), a lambda ``x/any`` or a function name
                cost += len(text.split("/"))
    return cost


def _wrapped(p: str) -> bool:
    if not (p.startswith("(") and p.endswith(")")):
        return False
    depth = 0
    for i, ch in enumerate(p):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and i < len(p) - 1:
            return False
    return True


@dataclass(frozen=True)
class Expand:
    """One ``$expand`` item with nested options: ``Nav($filter=…;$select=…;$expand=…)``."""

    nav: str
    filter: str | None = None
    select: tuple[str, ...] = ()
    expand: tuple["Expand", ...] = field(default=())
    orderby: str | None = None

    def render(self) -> str:
        options = []
        if self.filter:
            options.append(f"$filter={self.filter}")
        if self.select:
            options.append("$select=" + ",".join(self.select))
        if self.expand:
            options.append("$expand=" + ",".join(e.render() for e in self.expand))
        if self.orderby:
            options.append(f"$orderby={self.orderby}")
        return f"{self.nav}({';'.join(options)})" if options else self.nav


_SAFE = "'(),/:;=@$*-_.!~"


def encode_query(params: dict[str, str]) -> str:
    """``k=v&…`` with spaces as %20 and ``+`` as %2B; OData punctuation left readable."""
    return "&".join(f"{quote(k, safe='$')}={quote(v, safe=_SAFE)}" for k, v in params.items())


def build_url(
    base: str,
    path: str,
    *,
    filter: str | None = None,
    expand: Iterable[Expand] = (),
    select: Iterable[str] = (),
    orderby: str | None = None,
    top: int | None = None,
    skip: int | None = None,
) -> str:
    """An absolute URL under ``base`` (e.g. ``…/OData/v5``) with the given options."""
    params: dict[str, str] = {}
    if filter:
        params["$filter"] = filter
    items = [e.render() for e in expand]
    if items:
        params["$expand"] = ",".join(items)
    sel = list(select)
    if sel:
        params["$select"] = ",".join(sel)
    if orderby:
        params["$orderby"] = orderby
    if skip is not None:
        params["$skip"] = str(skip)
    if top is not None:
        params["$top"] = str(top)
    url = base.rstrip("/") + "/" + path.lstrip("/")
    return url + ("?" + encode_query(params) if params else "")


def url_filter(url: str) -> str | None:
    """The top-level ``$filter`` of a URL, decoded."""
    for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if k == "$filter":
            return v
    return None


def quote_key(key: str) -> str:
    """A key as one path segment: every character outside ``[A-Za-z0-9-_.~]`` percent-quoted,
    so an id like ``x)/../../evil?q=1#`` can never change the path, query or fragment."""
    return quote(str(key), safe="")


def resource_url(base: str, document_id: str) -> str:
    """The file of a document's current version (the id percent-quoted)."""
    return f"{base.rstrip('/')}/Document({quote_key(document_id)})/resource"
