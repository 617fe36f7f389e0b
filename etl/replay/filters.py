"""A small OData ``$filter`` interpreter for the replay server.

Covers what our client sends and what the reference documents: ``eq ne gt ge lt le``,
``and or not``, parentheses, strings (``''`` escaped), numbers, booleans, ``null``, bare GUIDs,
date and date-time literals (with offset, ``Z`` or none = Dutch local time, like the service),
member paths through navigation properties (``Zaak/Soort``), lambdas
(``Zaak/any(z: z/Nummer eq '…')``, ``all``) and ``contains/startswith/endswith/tolower/toupper``.
Anything else is a :class:`FilterError` (the server answers HTTP 400, like the live service).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

from etl.source.timeutil import dutch_midnight, parse_datetime


class FilterError(ValueError):
    pass


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<string>'(?:[^']|'')*')
  | (?P<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-]))
  | (?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)
  | (?P<date>\d{4}-\d{2}-\d{2}(?![\w:]))
  | (?P<number>-?\d+(?:\.\d+)?(?![\w-]))
  | (?P<ident>[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<punct>[(),:/])
    """,
    re.VERBOSE,
)

COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le"}
FUNCTIONS = {"contains", "startswith", "endswith", "tolower", "toupper"}


class GuidValue(str):
    pass


@dataclass(frozen=True)
class Tok:
    kind: str
    value: Any


def tokenize(text: str) -> list[Tok]:
    out: list[Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise FilterError(f"cannot read $filter at position {pos}: {text[pos:pos + 30]!r}")
        pos = m.end()
        kind = m.lastgroup
        raw = m.group(kind)
        if kind == "ws":
            continue
        if kind == "string":
            out.append(Tok("lit", raw[1:-1].replace("''", "'")))
        elif kind == "guid":
            out.append(Tok("lit", GuidValue(raw.lower())))
        elif kind == "datetime":
            out.append(Tok("lit", parse_datetime(raw)))
        elif kind == "date":
            out.append(Tok("lit", date.fromisoformat(raw)))
        elif kind == "number":
            out.append(Tok("lit", float(raw) if "." in raw else int(raw)))
        elif kind == "ident":
            low = raw.lower()
            if low in ("true", "false"):
                out.append(Tok("lit", low == "true"))
            elif low == "null":
                out.append(Tok("lit", None))
            else:
                out.append(Tok("ident", raw))
        else:
            out.append(Tok("punct", raw))
    return out


class _Parser:
    def __init__(self, tokens: list[Tok], text: str):
        self.toks, self.i, self.text = tokens, 0, text

    def peek(self, offset: int = 0) -> Tok | None:
        j = self.i + offset
        return self.toks[j] if j < len(self.toks) else None

    def take(self) -> Tok:
        tok = self.peek()
        if tok is None:
            raise FilterError(f"unexpected end of $filter: {self.text!r}")
        self.i += 1
        return tok

    def expect(self, kind: str, value: str | None = None) -> Tok:
        tok = self.take()
        if tok.kind != kind or (value is not None and tok.value != value):
            raise FilterError(f"expected {value or kind!r}, got {tok.value!r} in $filter {self.text!r}")
        return tok

    def is_word(self, word: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "ident" and tok.value.lower() == word

    def parse(self) -> tuple:
        node = self.or_()
        if self.peek() is not None:
            raise FilterError(f"unexpected {self.peek().value!r} in $filter {self.text!r}")
        return node

    def or_(self) -> tuple:
        node = self.and_()
        while self.is_word("or"):
            self.take()
            node = ("or", node, self.and_())
        return node

    def and_(self) -> tuple:
        node = self.not_()
        while self.is_word("and"):
            self.take()
            node = ("and", node, self.not_())
        return node

    def not_(self) -> tuple:
        if self.is_word("not"):
            self.take()
            return ("not", self.not_())
        return self.comparison()

    def comparison(self) -> tuple:
        left = self.operand()
        tok = self.peek()
        if tok is not None and tok.kind == "ident" and tok.value.lower() == "in" and self._next_is("(", 1):
            self.take()
            self.expect("punct", "(")
            values = [self.operand()]
            while self._next_is(","):
                self.take()
                values.append(self.operand())
            self.expect("punct", ")")
            return ("in", left, values)
        if tok is not None and tok.kind == "ident" and tok.value.lower() in COMPARISONS:
            self.take()
            return ("cmp", tok.value.lower(), left, self.operand())
        return left

    def operand(self) -> tuple:
        tok = self.take()
        if tok.kind == "lit":
            return ("lit", tok.value)
        if tok.kind == "punct" and tok.value == "(":
            node = self.or_()
            self.expect("punct", ")")
            return node
        if tok.kind == "ident" and tok.value.lower() in FUNCTIONS and self._next_is("("):
            self.expect("punct", "(")
            args = [self.or_()]
            while self._next_is(","):
                self.take()
                args.append(self.or_())
            self.expect("punct", ")")
            return ("fn", tok.value.lower(), args)
        if tok.kind == "ident":
            segments = [tok.value]
            while self._next_is("/"):
                self.take()
                seg = self.expect("ident").value
                if seg.lower() in ("any", "all") and self._next_is("("):
                    self.expect("punct", "(")
                    var = self.expect("ident").value
                    self.expect("punct", ":")
                    body = self.or_()
                    self.expect("punct", ")")
                    return ("lambda", seg.lower(), segments, var, body)
                segments.append(seg)
            return ("path", segments)
        raise FilterError(f"unexpected {tok.value!r} in $filter {self.text!r}")

    def _next_is(self, punct: str, offset: int = 0) -> bool:
        tok = self.peek(offset)
        return tok is not None and tok.kind == "punct" and tok.value == punct


def parse_filter(text: str) -> tuple:
    return _Parser(tokenize(text), text).parse()


def uses_in(node: Any) -> bool:
    """Whether a parsed filter contains the ``in`` operator."""
    if not isinstance(node, tuple):
        return False
    if node and node[0] == "in":
        return True
    return any(uses_in(n) for n in node[1:] if isinstance(n, tuple)) or any(
        uses_in(x) for n in node[1:] if isinstance(n, list) for x in n
    )


# --------------------------------------------------------------------------- evaluation

#: resolve(entity, row, name) -> (target entity, value) for a navigation, or None if not one.
Resolver = Callable[[str, dict[str, Any], str], tuple[str, Any] | None]


def _coerce_pair(a: Any, b: Any) -> tuple[Any, Any]:
    """Bring a row value and a literal to comparable types."""
    if isinstance(b, (datetime, date)) and not isinstance(a, (datetime, date)):
        b2, a2 = _coerce_pair(b, a)
        return a2, b2
    if isinstance(a, (datetime, date)):
        if isinstance(b, str):
            try:
                b = parse_datetime(b) if "T" in b else dutch_midnight(date.fromisoformat(b))
            except ValueError:
                return str(a), b
        if isinstance(a, date) and not isinstance(a, datetime):
            a = dutch_midnight(a)
        if isinstance(b, date) and not isinstance(b, datetime):
            b = dutch_midnight(b)
        return a, b
    if isinstance(a, GuidValue) or isinstance(b, GuidValue):
        return str(a).lower(), str(b).lower()
    return a, b


def compare(op: str, a: Any, b: Any) -> bool:
    if a is None or b is None:
        if op == "eq":
            return a is None and b is None
        if op == "ne":
            return not (a is None and b is None)
        return False
    a, b = _coerce_pair(a, b)
    try:
        if op == "eq":
            return a == b
        if op == "ne":
            return a != b
        if op == "gt":
            return a > b
        if op == "ge":
            return a >= b
        if op == "lt":
            return a < b
        if op == "le":
            return a <= b
    except TypeError:
        raise FilterError(f"cannot compare {a!r} {op} {b!r}") from None
    raise FilterError(f"unknown operator {op}")


class Evaluator:
    def __init__(self, entity: str, resolve: Resolver):
        self.entity = entity
        self.resolve = resolve

    def matches(self, node: tuple, row: dict[str, Any]) -> bool:
        return bool(self.eval(node, self.entity, row, {}))

    def eval(self, node: tuple, entity: str, row: dict[str, Any], env: dict[str, tuple[str, Any]]) -> Any:
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "or":
            return bool(self.eval(node[1], entity, row, env)) or bool(self.eval(node[2], entity, row, env))
        if kind == "and":
            return bool(self.eval(node[1], entity, row, env)) and bool(self.eval(node[2], entity, row, env))
        if kind == "not":
            return not self.eval(node[1], entity, row, env)
        if kind == "cmp":
            return compare(node[1], self.eval(node[2], entity, row, env), self.eval(node[3], entity, row, env))
        if kind == "in":
            left = self.eval(node[1], entity, row, env)
            return any(compare("eq", left, self.eval(v, entity, row, env)) for v in node[2])
        if kind == "path":
            return self.path(node[1], entity, row, env)[1]
        if kind == "lambda":
            _, op, segments, var, body = node
            target, items = self.path(segments, entity, row, env)
            if items is None:
                items = []
            if not isinstance(items, list):
                raise FilterError(f"{'/'.join(segments)} is not a collection")
            results = (bool(self.eval(body, target, row, {**env, var: (target, it)})) for it in items)
            return any(results) if op == "any" else all(results)
        if kind == "fn":
            args = [self.eval(a, entity, row, env) for a in node[2]]
            name = node[1]
            if name in ("tolower", "toupper"):
                return None if args[0] is None else (str(args[0]).lower() if name == "tolower" else str(args[0]).upper())
            if args[0] is None or args[1] is None:
                return False
            s, sub = str(args[0]), str(args[1])
            return {"contains": sub in s, "startswith": s.startswith(sub), "endswith": s.endswith(sub)}[name]
        raise FilterError(f"cannot evaluate {node!r}")

    def path(self, segments: list[str], entity: str, row: dict[str, Any], env: dict[str, tuple[str, Any]]) -> tuple[str, Any]:
        cur_entity, cur = entity, row
        rest = segments
        if segments[0] in env:
            cur_entity, cur = env[segments[0]]
            rest = segments[1:]
        for seg in rest:
            if cur is None:
                return cur_entity, None
            if not isinstance(cur, dict):
                raise FilterError(f"cannot take {seg!r} of a collection (use any/all)")
            nav = self.resolve(cur_entity, cur, seg)
            if nav is not None:
                cur_entity, cur = nav
            elif seg in cur:
                cur = cur[seg]
            else:
                raise FilterError(f"unknown property {seg!r} of {cur_entity}")
        if cur_entity == "Edm" or not isinstance(cur, (dict, list)):
            if isinstance(cur, str) and segments[-1].endswith("Id") and re.fullmatch(r"[0-9a-fA-F-]{36}", cur):
                return cur_entity, GuidValue(cur.lower())
        return cur_entity, cur
