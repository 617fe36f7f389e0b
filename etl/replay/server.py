"""The replay server: fixture files served in the shape of the TK OData v5 API.

Behaviour copied from the live service (see ``../shared/reference/tk-open-data-api.md``):
tombstones are returned unless filtered, pages end with an absolute ``@odata.nextLink``
carrying a ``$skiptoken``, ``$top`` suppresses the nextLink, unknown paths answer HTTP 500 with
an HTML page, a missing file answers a JSON 404, and a file's Content-Type is whatever the
Document row declares (so a Word file can be served as application/pdf). Fixture files are
re-read when they change on disk, so a test can edit a copied fixture between runs.
"""

from __future__ import annotations

import json
import mimetypes
import re
import socket
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from etl.replay.faults import NO_FAULTS, Faults
from etl.replay.filters import Evaluator, FilterError, parse_filter, uses_in
from etl.replay.live import NAVIGATION, NODE_LIMIT_MESSAGE, PLAIN, Realism, Schema, csdl, node_count, realize_rows
from etl.source.timeutil import parse_datetime

ENTITY_SETS = ("Zaak", "Document", "ZaakActor", "DocumentVersie")
#: Optional index of resource files by document id, for ids that cannot be file names.
RESOURCE_INDEX = "resources.json"
BASE_PATH = "/OData/v5"

IIS_500 = (
    "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\">\r\n<html><head><title>Runtime Error"
    "</title></head><body><h1>Server Error in '/' Application.</h1><h2><i>Runtime Error</i></h2>"
    "<p>An application error occurred on the server.</p></body></html>\r\n"
)
JSON_500 = json.dumps({"error": {"code": "", "message": "An error has occurred."}})


# --------------------------------------------------------------------------- fixture


@dataclass
class Fixture:
    rows: dict[str, list[dict[str, Any]]]
    links: list[tuple[str, str]]  # (zaak id, document id), lower-case
    resources: dict[str, Path]  # lower-case document id -> file
    by_id: dict[str, dict[str, dict[str, Any]]]
    docs_of_zaak: dict[str, list[str]]
    zaken_of_doc: dict[str, list[str]]
    actors_of_zaak: dict[str, list[dict[str, Any]]]
    versions_of_doc: dict[str, list[dict[str, Any]]]


def _key(v: Any) -> str:
    return str(v).lower()


def load_fixture(directory: Path) -> Fixture:
    """Read a fixture directory (format: docs/architecture.md, docs/source.md)."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for name in ENTITY_SETS:
        path = directory / f"{name}.json"
        if not path.exists():
            rows[name] = []
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        value = data.get("value") if isinstance(data, dict) else data
        if not isinstance(value, list):
            raise ValueError(f"{path}: expected {{\"value\": [...]}}")
        rows[name] = value
    links: list[tuple[str, str]] = []
    link_path = directory / "ZaakDocument.json"
    if link_path.exists():
        data = json.loads(link_path.read_text(encoding="utf-8"))
        data = data.get("value", []) if isinstance(data, dict) else data
        links = [(_key(r["Zaak_Id"]), _key(r["Document_Id"])) for r in data]
    resources: dict[str, Path] = {}
    res_dir = directory / "resources"
    if res_dir.is_dir():
        for p in sorted(res_dir.iterdir()):
            if p.is_file():
                resources[_key(p.name.split(".", 1)[0])] = p
    resources.update(_indexed_resources(directory))
    return index_fixture(rows, links, resources)


def _indexed_resources(directory: Path) -> dict[str, Path]:
    """``resources.json`` ({document id: file name in resources/}): the files of ids that cannot
    be file names (too long for the 255-byte limit, or holding ``/``); absent means none."""
    path = directory / RESOURCE_INDEX
    if not path.exists():
        return {}
    index = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(index, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in index.items()):
        raise ValueError(f"{path}: expected {{\"<document id>\": \"<file name in resources/>\"}}")
    out: dict[str, Path] = {}
    for doc_id, name in index.items():
        file = directory / "resources" / name
        if "/" in name or name.startswith(".") or not file.is_file():
            raise ValueError(f"{path}: no file resources/{name} for document {doc_id[:80]!r}")
        out[_key(doc_id)] = file
    return out


def index_fixture(
    rows: dict[str, list[dict[str, Any]]], links: list[tuple[str, str]], resources: dict[str, Path]
) -> Fixture:
    by_id = {name: {_key(r.get("Id")): r for r in rows[name]} for name in ENTITY_SETS}
    docs_of_zaak: dict[str, list[str]] = {}
    zaken_of_doc: dict[str, list[str]] = {}
    for z, d in links:
        docs_of_zaak.setdefault(z, []).append(d)
        zaken_of_doc.setdefault(d, []).append(z)
    actors_of_zaak: dict[str, list[dict[str, Any]]] = {}
    for a in rows["ZaakActor"]:
        actors_of_zaak.setdefault(_key(a.get("Zaak_Id")), []).append(a)
    versions_of_doc: dict[str, list[dict[str, Any]]] = {}
    for v in rows["DocumentVersie"]:
        versions_of_doc.setdefault(_key(v.get("Document_Id")), []).append(v)
    return Fixture(rows, links, resources, by_id, docs_of_zaak, zaken_of_doc, actors_of_zaak, versions_of_doc)


class FixtureCache:
    """Reloads the fixture when any of its files changes (tests edit copies between runs)."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._fixture: Fixture | None = None

    def _current_stamp(self) -> tuple:
        parts = []
        for p in sorted(self.directory.glob("*.json")):
            st = p.stat()
            parts.append((p.name, st.st_mtime_ns, st.st_size))
        res = self.directory / "resources"
        if res.is_dir():
            for p in sorted(res.iterdir()):
                st = p.stat()
                parts.append((p.name, st.st_mtime_ns, st.st_size))
        return tuple(parts)

    def get(self) -> Fixture:
        with self._lock:
            stamp = self._current_stamp()
            if self._fixture is None or stamp != self._stamp:
                self._fixture = load_fixture(self.directory)
                self._stamp = stamp
            return self._fixture


# --------------------------------------------------------------------------- query options


def split_top(text: str, sep: str) -> list[str]:
    """Split at ``sep`` outside parentheses and string literals."""
    out, depth, quote, start = [], 0, False, 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "'":
            quote = not quote
        elif not quote:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif ch == sep and depth == 0:
                out.append(text[start:i])
                start = i + 1
        i += 1
    out.append(text[start:])
    return [p.strip() for p in out if p.strip()]


@dataclass
class Options:
    filter: tuple | None = None
    select: list[str] | None = None
    expand: list[tuple[str, "Options"]] | None = None
    orderby: list[tuple[str, bool]] | None = None  # (path, descending)


def parse_options(pairs: dict[str, str]) -> Options:
    opts = Options()
    if pairs.get("$filter"):
        opts.filter = parse_filter(pairs["$filter"])
    if pairs.get("$select"):
        opts.select = [s.strip() for s in pairs["$select"].split(",") if s.strip()]
    if pairs.get("$expand"):
        opts.expand = []
        for item in split_top(pairs["$expand"], ","):
            m = re.fullmatch(r"([A-Za-z_]\w*)\s*(?:\((.*)\))?", item, re.S)
            if not m:
                raise FilterError(f"cannot read $expand item {item!r}")
            nested: dict[str, str] = {}
            for part in split_top(m.group(2) or "", ";"):
                k, _, v = part.partition("=")
                nested[k.strip()] = v
            opts.expand.append((m.group(1), parse_options(nested)))
    if pairs.get("$orderby"):
        opts.orderby = []
        for part in pairs["$orderby"].split(","):
            bits = part.split()
            if not bits:
                continue
            desc = len(bits) > 1 and bits[1].lower() == "desc"
            opts.orderby.append((bits[0], desc))
    return opts


_DT_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}T")


def _sort_value(v: Any) -> tuple:
    if v is None:
        return (0, 0)
    if isinstance(v, bool):
        return (1, int(v))
    if isinstance(v, (int, float)):
        return (1, v)
    if isinstance(v, str) and _DT_SHAPE.match(v):
        try:
            return (2, parse_datetime(v).timestamp())
        except ValueError:
            pass
    return (3, str(v))


# --------------------------------------------------------------------------- the model


class Model:
    """Entity sets and navigation over one fixture snapshot."""

    def __init__(self, fx: Fixture):
        self.fx = fx

    def resolve(self, entity: str, row: dict[str, Any], name: str) -> tuple[str, Any] | None:
        fx, rid = self.fx, _key(row.get("Id"))
        if entity == "Zaak" and name == "Document":
            return "Document", [fx.by_id["Document"][d] for d in fx.docs_of_zaak.get(rid, []) if d in fx.by_id["Document"]]
        if entity == "Zaak" and name == "ZaakActor":
            return "ZaakActor", list(fx.actors_of_zaak.get(rid, []))
        if entity == "Document" and name == "Zaak":
            return "Zaak", [fx.by_id["Zaak"][z] for z in fx.zaken_of_doc.get(rid, []) if z in fx.by_id["Zaak"]]
        if entity == "Document" and name == "DocumentVersie":
            return "DocumentVersie", list(fx.versions_of_doc.get(rid, []))
        if entity == "Document" and name == "HuidigeDocumentVersie":
            return "DocumentVersie", fx.by_id["DocumentVersie"].get(_key(row.get("HuidigeDocumentVersie_Id")))
        if entity == "ZaakActor" and name == "Zaak":
            return "Zaak", fx.by_id["Zaak"].get(_key(row.get("Zaak_Id")))
        if entity == "DocumentVersie" and name == "Document":
            return "Document", fx.by_id["Document"].get(_key(row.get("Document_Id")))
        return None

    def select(self, entity: str, rows: list[dict[str, Any]], opts: Options) -> list[dict[str, Any]]:
        """Filter and order a collection (no paging)."""
        if opts.filter is not None:
            ev = Evaluator(entity, self.resolve)
            rows = [r for r in rows if ev.matches(opts.filter, r)]
        if opts.orderby:
            ev = Evaluator(entity, self.resolve)
            for path, desc in reversed(opts.orderby):
                segs = path.split("/")
                rows = sorted(rows, key=lambda r: _sort_value(ev.path(segs, entity, r, {})[1]), reverse=desc)
        return rows

    def shape(self, entity: str, row: dict[str, Any], opts: Options) -> dict[str, Any]:
        """Apply $select and $expand to one row."""
        out = {k: v for k, v in row.items() if opts.select is None or k in opts.select}
        for nav, nested in opts.expand or []:
            res = self.resolve(entity, row, nav)
            if res is None:
                raise FilterError(f"{entity} has no navigation property {nav!r}")
            target, value = res
            if isinstance(value, list):
                value = [self.shape(target, r, nested) for r in self.select(target, value, nested)]
            elif value is not None:
                value = self.shape(target, value, nested)
            out[nav] = value
        return out


NAVIGATION_TARGETS = {k: v[0] for k, v in NAVIGATION.items()}


def _check_options(realism: Realism, schema: Schema, entity: str, opts: Options) -> None:
    """The live service's refusals of a query, as FilterError (HTTP 400)."""
    if opts.filter is not None:
        if realism.node_limit is not None and node_count(opts.filter) > realism.node_limit:
            raise FilterError(NODE_LIMIT_MESSAGE.format(limit=realism.node_limit))
        if not realism.in_operator and uses_in(opts.filter):
            raise FilterError("Syntax error: the 'in' operator is not supported.")
        if realism.strict_fields:
            schema.check_filter(opts.filter, entity)
    if realism.strict_fields:
        for name in opts.select or []:
            if not schema.has(entity, name):
                raise FilterError(f"Could not find a property named '{name}' on type 'TK.DA.GGM.OData.{entity}'.")
        for path, _ in opts.orderby or []:
            schema.check_path(entity, path.split("/"), {})
    for nav, nested in opts.expand or []:
        target = NAVIGATION_TARGETS.get((entity, nav))
        if target is not None:
            _check_options(realism, schema, target, nested)


# --------------------------------------------------------------------------- HTTP


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if self.server.owner.verbose:
            super().log_message(format, *args)

    # -------------------------------------------------------------- sending
    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        faults, target = self.server.owner.faults, self.path
        truncate = status == 200 and self.server.owner.take_fault("truncate", target)
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if truncate and faults.truncate_mode == "short":
                body = body[: len(body) // 2]
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if truncate and faults.truncate_mode == "close":
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if truncate and faults.truncate_mode == "close":
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                return
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
        self._send(status, body, "application/json; odata.metadata=minimal; charset=utf-8", headers)

    def _server_error_html(self) -> None:
        self._send(500, IIS_500.encode(), "text/html; charset=utf-8")

    def _options(self, entity: str, query: dict[str, str]) -> "Options":
        """Parse the query options, then apply the live service's refusals (HTTP 400)."""
        opts = parse_options(query)
        owner = self.server.owner
        _check_options(owner.realism, owner.schema(), entity, opts)
        return opts

    # -------------------------------------------------------------- routing
    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        owner = self.server.owner
        owner.request_log.append(self.path)
        target = self.path
        if owner.faults.latency:
            time.sleep(owner.faults.latency)
        if owner.slow_500_now():
            time.sleep(owner.realism.slow_500_seconds)
            return self._send(500, JSON_500.encode(), "application/json; charset=utf-8")
        if owner.take_fault("reset", target):
            self.close_connection = True
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            except OSError:
                pass
            return
        if owner.take_fault("status_500", target):
            n = owner.fault_count("status_500", target)
            body = owner.faults.body_500
            if body == "html" or (body == "mixed" and n % 2 == 0):
                return self._server_error_html()
            return self._send(500, JSON_500.encode(), "application/json; charset=utf-8")
        if owner.take_fault("status_429", target):
            return self._json(429, {"error": {"code": "", "message": "Too many requests"}},
                              {"Retry-After": owner.faults.retry_after})
        if owner.take_fault("slow", target):
            time.sleep(owner.faults.slow_seconds)
        try:
            self._route()
        except FilterError as exc:
            self._json(400, {"error": {"code": "", "message": f"The query specified in the URI is not valid. {exc}"}})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # a replay bug should look like the service's 500, and be visible
            print(f"replay: error serving {self.path}: {exc!r}", file=sys.stderr)
            self._server_error_html()

    def _route(self) -> None:
        owner = self.server.owner
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        koop = _KOOP_PATH.fullmatch(path)
        if koop:
            return self._koop_xml(koop.group(1))
        if not path.startswith(owner.base_path) or not parts.path.startswith(owner.base_path):
            return self._server_error_html()
        raw_rest = parts.path[len(owner.base_path):].strip("/")
        rest = unquote(raw_rest)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        model = Model(owner.fixture())
        if rest == "$metadata":
            return self._send(200, csdl(owner.schema()).encode("utf-8"), "application/xml; charset=utf-8")
        if rest == "":
            return self._json(200, {"@odata.context": f"{owner.base_url}/$metadata",
                                    "value": [{"name": n, "kind": "EntitySet", "url": n} for n in ENTITY_SETS]})
        # Matched on the path as sent, so a percent-quoted key (``x%29%2F..``) stays one key:
        # its ``)`` and ``/`` are data, unquoted only once the key is cut out.
        m = re.fullmatch(r"(\w+)(?:\(([^)/]*)\)|/([0-9A-Za-z-]+))?(?:/(.+))?", raw_rest)
        if not m or m.group(1) not in ENTITY_SETS:
            return self._server_error_html()
        entity, key, tail = m.group(1), m.group(3), unquote(m.group(4)) if m.group(4) else None
        if m.group(2) is not None:
            key = unquote(m.group(2))
            quoted = re.fullmatch(r"(?:guid)?'(.*)'", key, re.S)
            if quoted:
                key = quoted.group(1).replace("''", "'")
        if key is None:
            if tail:
                return self._server_error_html()
            return self._collection(model, entity, model.fx.rows[entity], query, parts.query)
        row = model.fx.by_id[entity].get(_key(key))
        if tail in ("resource", "TK.DA.GGM.OData.Resource()") and entity == "Document":
            return self._resource(model, key, row)
        if row is None:
            return self._json(404, {"error": {"code": "", "message": f"Resource not found for the segment '{entity}'."}})
        if tail is None:
            opts = self._options(entity, query)
            body = {"@odata.context": f"{owner.base_url}/$metadata#{entity}/$entity", **model.shape(entity, row, opts)}
            return self._json(200, body)
        res = model.resolve(entity, row, tail)
        if res is None or not isinstance(res[1], list):
            return self._server_error_html()
        return self._collection(model, res[0], res[1], query, parts.query)

    def _koop_xml(self, koop_id: str) -> None:
        """KOOP's ``/<publication id>.xml`` from the fixture's ``koop/`` folder (an HTML 404 if absent)."""
        path = self.server.owner.fixture_dir / "koop" / f"{koop_id}.xml"
        if not path.is_file():
            return self._send(404, b"<html><body>Niet gevonden</body></html>", "text/html; charset=utf-8")
        self._send(200, path.read_bytes(), "application/xml; charset=utf-8")

    def _collection(self, model: Model, entity: str, rows: list[dict[str, Any]], query: dict[str, str], raw_query: str) -> None:
        owner = self.server.owner
        realism = owner.realism
        opts = self._options(entity, query)
        if query.get("$top") and realism.max_top is not None and int(query["$top"]) > realism.max_top:
            raise FilterError(f"The limit of '{realism.max_top}' for Top query has been exceeded. The value from the incoming request is '{query['$top']}'.")
        matched = model.select(entity, rows, opts)
        total = len(matched)
        skip = int(query.get("$skip") or 0)
        matched = matched[skip:]
        body: dict[str, Any] = {"@odata.context": f"{owner.base_url}/$metadata#{entity}"}
        if query.get("$count", "").lower() == "true":
            body["@odata.count"] = total
        if query.get("$top"):
            page = matched[: int(query["$top"])]  # like the live service: $top, so no nextLink
            next_link = None
        elif realism.page_cap is not None:  # v5 may end a page without a nextLink
            page = matched[: min(realism.page_cap, owner.page_size)]
            next_link = None
        else:
            start = int(query.get("$skiptoken") or 0)
            page = matched[start : start + owner.page_size]
            end = start + owner.page_size
            next_link = None
            if end < len(matched):
                kept = "&".join(p for p in raw_query.split("&") if p and not p.startswith("$skiptoken=") and not p.startswith("%24skiptoken="))
                sep = "&" if kept else ""
                next_link = f"{owner.origin}{urlsplit(self.path).path}?{kept}{sep}$skiptoken={end}"
        body["value"] = [model.shape(entity, r, opts) for r in page]
        if next_link:
            body["@odata.nextLink"] = next_link
        self._json(200, body)

    def _resource(self, model: Model, key: str, row: dict[str, Any] | None) -> None:
        owner = self.server.owner
        path = model.fx.resources.get(_key(key))
        if _key(key) in {_key(k) for k in owner.faults.missing} or row is None or path is None or row.get("Verwijderd"):
            return self._json(404, {"error": {"code": "", "message": "Resource not found."}})
        data = path.read_bytes()
        ext = path.suffix.lower()
        ctype = row.get("ContentType") or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if owner.faults.word_as_pdf and ext == ".docx":
            ctype = "application/pdf"
        self._send(200, data, ctype, {"Content-Disposition": f"inline; filename={path.stem}{ext}",
                                      "Pragma": "no-cache", "Expires": "-1"})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: "ReplayServer"


# KOOP (officielebekendmakingen.nl) paths served next to the API: /ah-tk-20252026-38.xml
_KOOP_PATH = re.compile(r"/((?:ah|kv)-tk-[0-9A-Za-z][0-9A-Za-z-]*)\.xml")


class ReplayServer:
    """A real ``ThreadingHTTPServer`` on a background thread; use as a context manager.

    ``faults`` may be replaced while running (per-URL fault counters then restart).
    """

    def __init__(
        self,
        fixture_dir: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        page_size: int = 250,
        faults: Faults | None = None,
        *,
        base_path: str = BASE_PATH,
        verbose: bool = False,
        realism: Realism | None = None,
    ):
        self.fixture_dir = Path(fixture_dir)
        if not self.fixture_dir.is_dir():
            raise FileNotFoundError(f"replay fixture directory not found: {self.fixture_dir}")
        load_fixture(self.fixture_dir)  # fail now, with the file name, rather than per request
        self.cache = FixtureCache(self.fixture_dir)
        self.host, self.port, self.page_size = host, port, page_size
        self.base_path = "/" + base_path.strip("/")
        self.verbose = verbose
        self.request_log: list[str] = []
        self._faults = faults or NO_FAULTS
        self._fault_lock = threading.Lock()
        self._fault_counts: dict[tuple[str, str], int] = {}
        self._fault_totals: dict[str, int] = {}
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._origin: str | None = None
        self.realism = realism or PLAIN
        self._real: tuple[int, Fixture, Schema] | None = None
        self._requests = 0

    # -------------------------------------------------------------- realism
    def _realized(self) -> tuple[Fixture, Schema]:
        base = self.cache.get()
        with self._fault_lock:
            if self._real is None or self._real[0] != id(base):
                fx = base
                if self.realism.rewrites_rows:
                    rows = {e: realize_rows(e, base.rows[e], self.realism) for e in ENTITY_SETS}
                    fx = index_fixture(rows, base.links, base.resources)
                self._real = (id(base), fx, Schema(fx.rows))
            return self._real[1], self._real[2]

    def fixture(self) -> Fixture:
        """The fixture as served (rows rewritten by ``realism``)."""
        return self._realized()[0]

    def schema(self) -> Schema:
        return self._realized()[1]

    def slow_500_now(self) -> bool:
        """Whether this request is one of the occasional slow 500s."""
        every = self.realism.slow_500_every
        if not every:
            return False
        with self._fault_lock:
            self._requests += 1
            return self._requests % every == 0

    # -------------------------------------------------------------- faults
    @property
    def faults(self) -> Faults:
        return self._faults

    @faults.setter
    def faults(self, value: Faults | None) -> None:
        with self._fault_lock:
            self._faults = value or NO_FAULTS
            self._fault_counts.clear()
            self._fault_totals.clear()

    def take_fault(self, kind: str, target: str) -> bool:
        """Whether this request gets fault ``kind`` (and count it if so)."""
        with self._fault_lock:
            f = self._faults
            times = getattr(f, kind)
            if not times or not f.applies_to(target):
                return False
            if self._fault_counts.get((kind, target), 0) >= times:
                return False
            if f.limit is not None and self._fault_totals.get(kind, 0) >= f.limit:
                return False
            self._fault_counts[(kind, target)] = self._fault_counts.get((kind, target), 0) + 1
            self._fault_totals[kind] = self._fault_totals.get(kind, 0) + 1
            return True

    def fault_count(self, kind: str, target: str) -> int:
        with self._fault_lock:
            return self._fault_counts.get((kind, target), 0)

    def faults_served(self) -> dict[str, int]:
        with self._fault_lock:
            return dict(self._fault_totals)

    # -------------------------------------------------------------- lifecycle
    @property
    def origin(self) -> str:
        if self._origin is None:
            raise RuntimeError("replay server not started")
        return self._origin

    @property
    def base_url(self) -> str:
        return self.origin + self.base_path

    def start(self) -> "ReplayServer":
        self._httpd = _Server((self.host, self.port), _Handler)
        self._httpd.owner = self
        host, port = self._httpd.server_address[:2]
        self._origin = f"http://{host}:{port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="replay-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "ReplayServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(
    fixture_dir: Path, host: str = "127.0.0.1", port: int = 0, page_size: int = 250, realism: Realism | None = None
) -> None:
    """Serve ``fixture_dir`` until interrupted; the first stdout line is the base URL."""
    server = ReplayServer(Path(fixture_dir), host=host, port=port, page_size=page_size, realism=realism)
    server.start()
    print(server.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
