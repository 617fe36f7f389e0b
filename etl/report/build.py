"""Build the report: query the snapshot, turn rows into figures and tables, write one HTML file.

The file carries everything it needs (plotly.min.js from the plotly wheel, our styles and
drawing script, the data as JSON), so it opens offline and can be mailed or archived as is.
"""

from __future__ import annotations

import html
import json
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from etl.config import Settings
from etl.load.sql import read_sql
from etl.report.figures import SECTIONS, Section
from etl.store.atomic import atomic_write_bytes


def open_snapshot(path: Path):
    """Open a published snapshot in the SQL sandbox (``etl.load.sandbox``): the one place readers
    of the report and alerts connect."""
    from etl.load.sandbox import open_readonly

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such snapshot (run `kamerspoor demo` or `run` first)")
    return open_readonly(path)


def default_report_path(settings: Settings) -> Path:
    """``warehouse/kamerspoor.report.html`` next to the warehouse (the demo: ``demo.report.html``)."""
    return settings.warehouse_path.with_suffix(".report.html")


def plotly_js() -> str:
    """The plotly.min.js shipped inside the plotly wheel (vendored at install time, never a CDN)."""
    return resources.files("plotly").joinpath("package_data/plotly.min.js").read_text(encoding="utf-8")


def _asset(name: str) -> str:
    return resources.files("etl.report").joinpath(name).read_text(encoding="utf-8")


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def section_rows(con, section: Section) -> list[dict[str, Any]]:
    """The rows of one section's query (``warehouse/report/<file>``), dates as ISO strings."""
    params = dict(section.params) or None
    cur = con.execute(read_sql(f"report/{section.sql}"), params)
    names = [d[0] for d in cur.description]
    return [{n: _jsonable(v) for n, v in zip(names, row)} for row in cur.fetchall()]


def collect(con) -> list[dict[str, Any]]:
    """Every section with its title, explanation and drawn content (figure or table)."""
    out = []
    for section in SECTIONS:
        rows = section_rows(con, section)
        out.append({
            "key": section.key, "title": section.title, "kind": section.kind, "explain": section.explain,
            "rows": len(rows), "content": section.build(rows), "empty": section.empty,
        })
    return out


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element (no '</script>' or '<!--' can close it early)."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(sections: list[dict[str, Any]], *, snapshot_name: str, generated_at: datetime, reference_date: str | None) -> str:
    """The complete HTML page as text."""
    nav = "\n".join(
        f'<li><a href="#{html.escape(s["key"])}">{html.escape(s["title"])}</a></li>' for s in sections
    )
    body = "\n".join(
        f'<section id="{html.escape(s["key"])}" class="{s["kind"]}" data-rows="{s["rows"]}">'
        f'<h2>{html.escape(s["title"])}</h2><p class="explain">{html.escape(s["explain"])}</p>'
        f'<div class="content" id="content-{html.escape(s["key"])}"></div></section>'
        for s in sections
    )
    meta = (
        f"Gemaakt {generated_at:%Y-%m-%d %H:%M} UTC uit {html.escape(snapshot_name)}"
        + (f"; peildatum {html.escape(reference_date)}" if reference_date else "")
    )
    page = _asset("template.html")
    replacements = {
        "{{style}}": _asset("report.css"),
        "{{meta}}": meta,
        "{{nav}}": nav,
        "{{sections}}": body,
        "{{data}}": _script_json(sections),
        "{{plotly}}": plotly_js().replace("</script", "<\\/script"),
        "{{script}}": _asset("report.js"),
    }
    for marker, value in replacements.items():
        page = page.replace(marker, value, 1)
    return page


def build_report(settings: Settings, out: Path | None = None, *, snapshot: Path | None = None) -> Path:
    """Write the report for the published snapshot to ``out`` (atomically) and return its path."""
    snapshot = Path(snapshot or settings.snapshot_path)
    out = Path(out or default_report_path(settings))
    con = open_snapshot(snapshot)
    try:
        sections = collect(con)
        ref = con.execute(read_sql("report/_reference_date.sql")).fetchone()[0]
    finally:
        con.close()
    page = render(sections, snapshot_name=snapshot.name, generated_at=datetime.now(timezone.utc).replace(tzinfo=None),
                  reference_date=_jsonable(ref))
    atomic_write_bytes(out, page.encode("utf-8"))  # a reader never sees half a report
    return out
