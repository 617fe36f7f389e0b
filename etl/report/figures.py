"""Report sections as data: each turns the rows of its query into a Plotly figure or a table.

Figures are plain dicts in Plotly's JSON format (traces + layout), so nothing here needs the
plotly Python API; the page draws them with the vendored plotly.min.js. Pure functions over
lists of row dicts: easy to test without a browser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Rows = list[dict[str, Any]]

NORM_DAYS = 21  # the three-week norm for answering written questions
STATUS_COLOURS = {"open": "#1f77b4", "due": "#ff7f0e", "overdue": "#d62728", "superseded": "#7f7f7f"}


@dataclass(frozen=True)
class Section:
    """One part of the report: a plot or a table, the SQL file that feeds it and how to draw it."""

    key: str
    title: str
    sql: str  # file under warehouse/report/
    kind: str  # "plot" or "table"
    explain: str
    build: Callable[[Rows], Any]
    params: tuple[tuple[str, Any], ...] = ()
    empty: str = "Geen gegevens voor dit onderdeel."  # shown instead when the query returns no rows


def _layout(title_y: str, **extra: Any) -> dict[str, Any]:
    return {
        "margin": {"l": 60, "r": 20, "t": 10, "b": 50},
        "height": 380,
        "yaxis": {"title": {"text": title_y}, "automargin": True},
        "legend": {"orientation": "h", "y": -0.2},
        **extra,
    }


def _grouped(rows: Rows, key: Callable[[dict[str, Any]], str]) -> dict[str, Rows]:
    out: dict[str, Rows] = {}
    for row in rows:
        out.setdefault(key(row), []).append(row)
    return out


def response_times_figure(rows: Rows) -> dict[str, Any]:
    """Median days to answer per ministry and month, with and without a delay notice, and the norm."""
    groups = _grouped(rows, lambda r: f"{r['ministry']} — {'met' if r['with_notice'] else 'zonder'} uitstelbericht")
    traces = [
        {
            "type": "scatter", "mode": "lines+markers", "name": name,
            "x": [r["month"] for r in grp], "y": [r["median_days"] for r in grp],
            "marker": {"symbol": "diamond" if grp[0]["with_notice"] else "circle", "size": 9},
            "line": {"dash": "dot" if grp[0]["with_notice"] else "solid"},
            "customdata": [[r["question_sets"], r["still_open"]] for r in grp],
            "hovertemplate": "%{x|%b %Y}: %{y} dagen<br>%{customdata[0]} sets, %{customdata[1]} nog open<extra>%{fullData.name}</extra>",
        }
        for name, grp in groups.items()
    ]
    layout = _layout(
        "dagen (mediaan)",
        xaxis={"type": "date", "title": {"text": "maand van indiening"}},
        shapes=[{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": NORM_DAYS, "y1": NORM_DAYS,
                 "line": {"color": "#d62728", "dash": "dash", "width": 1.5}}],
        annotations=[{"xref": "paper", "x": 1, "y": NORM_DAYS, "xanchor": "right", "yanchor": "bottom",
                      "text": f"norm: {NORM_DAYS} dagen", "showarrow": False, "font": {"color": "#d62728"}}],
    )
    return {"data": traces, "layout": layout}


def answers_per_theme_figure(rows: Rows) -> dict[str, Any]:
    """Stacked bars: answer blocks per theme per month of the answer letter."""
    traces = [
        {"type": "bar", "name": name, "x": [r["month"] for r in grp], "y": [r["answers"] for r in grp],
         "hovertemplate": "%{x|%b %Y}: %{y} antwoorden<extra>%{fullData.name}</extra>"}
        for name, grp in _grouped(rows, lambda r: r["theme"]).items()
    ]
    layout = _layout("antwoorden", barmode="stack", xaxis={"type": "date", "title": {"text": "maand van de antwoordbrief"}})
    return {"data": traces, "layout": layout}


def commitments_figure(rows: Rows) -> dict[str, Any]:
    """One marker per dated promise: due date across, theme down, colour by status."""
    traces = [
        {
            "type": "scatter", "mode": "markers", "name": status,
            "x": [r["due_on"] for r in grp], "y": [r["theme"] for r in grp],
            "marker": {"size": 12, "color": STATUS_COLOURS.get(status, "#2ca02c"), "opacity": 0.8},
            "customdata": [[r["date_text"], r["letter_date"], r["evidence"]] for r in grp],
            "hovertemplate": "%{customdata[0]} (brief %{customdata[1]})<br>%{customdata[2]}<extra>%{fullData.name}</extra>",
        }
        for status, grp in _grouped(rows, lambda r: r["status"]).items()
    ]
    layout = _layout("", xaxis={"type": "date", "title": {"text": "uiterste datum van de toezegging"}})
    layout["yaxis"] = {"type": "category", "automargin": True}
    return {"data": traces, "layout": layout}


def promised_dates_figure(rows: Rows) -> dict[str, Any]:
    """Per subject, the promised date against the date of the letter that promised it."""
    traces = [
        {
            "type": "scatter", "mode": "lines+markers", "name": subject,
            "x": [r["letter_date"] for r in grp], "y": [r["promised_on"] for r in grp],
            "text": [r["date_text"] for r in grp],
            "hovertemplate": "brief %{x}: \"%{text}\" (%{y})<extra>%{fullData.name}</extra>",
        }
        for subject, grp in _grouped(rows, lambda r: r["subject"]).items()
    ]
    layout = _layout("beloofde datum", xaxis={"type": "date", "title": {"text": "datum van de brief"}})
    layout["yaxis"]["type"] = "date"
    return {"data": traces, "layout": layout}


def late_share_figure(rows: Rows) -> dict[str, Any]:
    """Horizontal bars: share of answered sets that were late without a delay notice."""
    trace = {
        "type": "bar", "orientation": "h", "name": "te laat zonder uitstelbericht",
        "y": [r["ministry"] for r in rows], "x": [r["share_late_without_notice"] for r in rows],
        "customdata": [[r["late_without_notice"], r["answered"]] for r in rows],
        "hovertemplate": "%{x:.0%} (%{customdata[0]} van %{customdata[1]})<extra></extra>",
        "marker": {"color": "#d62728"},
    }
    layout = _layout("", xaxis={"tickformat": ".0%", "range": [0, 1], "title": {"text": "aandeel van de beantwoorde sets"}},
                     height=140 + 45 * len(rows), bargap=0.35)
    layout["yaxis"] = {"automargin": True, "type": "category"}
    return {"data": [trace], "layout": layout}


def table(columns: list[tuple[str, str]], links: dict[str, str] | None = None) -> Callable[[Rows], dict[str, Any]]:
    """A table section: (column, heading) pairs and link columns {heading: url column}."""

    def build(rows: Rows) -> dict[str, Any]:
        return {"columns": columns, "links": links or {}, "rows": rows}

    return build


MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december")
MAX_REASONS = 5  # reasons listed per month; the rest are counted


def _month_nl(iso: str | None) -> str:
    """'2025-09-01' → 'september 2025'; a letter without a date → 'zonder datum'."""
    if not iso:
        return "zonder datum"
    year, month = iso[:4], int(iso[5:7])
    return f"{MONTHS_NL[month - 1]} {year}"


def parity_table(rows: Rows) -> dict[str, Any]:
    """PDF/XML parity per month as a table for readers who do not write SQL: the month in words,
    the share as a percentage, the reasons spelled out (at most five, then a count), and a last
    line for all months together."""
    out = []
    for r in rows:
        reasons = list(r["reasons"] or [])
        shown = "; ".join(reasons[:MAX_REASONS]) or "geen: alle brieven gelijk gelezen"
        if len(reasons) > MAX_REASONS:
            shown += f"; … en nog {len(reasons) - MAX_REASONS}"
        out.append({
            "month": _month_nl(r["month"]), "letters": r["letters"], "agreeing": r["agreeing"],
            "share": f"{round(100 * float(r['share_agreeing']))}%", "xml_chosen": r["xml_chosen"], "reasons": shown,
        })
    if len(rows) > 1:  # the whole period in one line
        letters, agreeing = sum(r["letters"] for r in rows), sum(r["agreeing"] for r in rows)
        out.append({"month": "alle maanden", "letters": letters, "agreeing": agreeing,
                    "share": f"{round(100 * agreeing / letters)}%", "xml_chosen": sum(r["xml_chosen"] for r in rows),
                    "reasons": ""})
    return table([("month", "maand"), ("letters", "brieven met PDF én XML"), ("agreeing", "gelijk gelezen"),
                  ("share", "aandeel gelijk"), ("xml_chosen", "blokken uit de XML"),
                  ("reasons", "waar ze verschilden")])(out)


SECTIONS: tuple[Section, ...] = (
    Section("response_times", "Antwoordtermijn per ministerie per maand", "response_times_monthly.sql", "plot",
            "Mediaan aantal kalenderdagen tot het eerste antwoord (open sets: tot de peildatum), per maand van "
            "indiening, met en zonder uitstelbericht; de stippellijn is de norm van drie weken.",
            response_times_figure),
    Section("answers_per_theme", "Antwoorden per thema per maand", "answers_per_theme_monthly.sql", "plot",
            "Antwoordblokken die aan een thema gekoppeld zijn, per maand van de antwoordbrief.",
            answers_per_theme_figure),
    Section("commitments", "Toezeggingen naar uiterste datum per thema", "commitments_by_due.sql", "plot",
            "Elke gedateerde toezegging of verwachting, gekleurd naar status op de peildatum "
            "(open, due, overdue, superseded).",
            commitments_figure),
    Section("promised_dates", "Beloofde data per onderwerp over brieven heen", "promised_dates.sql", "plot",
            "Per onderwerp de datum die elke brief beloofde; een stijgende lijn is een belofte die opschoof.",
            promised_dates_figure),
    Section("late_without_notice", "Te laat zonder uitstelbericht, per ministerie", "late_without_notice.sql", "plot",
            "Aandeel van de beantwoorde sets dat na de termijn van 21 dagen kwam zonder uitstelbericht vooraf.",
            late_share_figure),
    Section("latest_answers", "Laatste antwoorden per thema", "latest_answers.sql", "table",
            "De nieuwste antwoordblokken per thema, met links naar de Tweede Kamer en officielebekendmakingen.",
            table([("theme", "thema"), ("letter_date", "datum"), ("question_sets", "set"), ("label", "blok"),
                   ("excerpt", "antwoord")], {"TK": "tk_url", "KOOP": "koop_url"}),
            params=(("per_theme", 3),)),
    Section("open_past_norm", "Open vragensets voorbij de norm", "open_past_norm.sql", "table",
            "Onbeantwoorde sets waarvan de drie weken op de peildatum verstreken waren.",
            table([("number", "set"), ("subject", "onderwerp"), ("submitted_on", "ingediend"), ("due_on", "uiterlijk"),
                   ("days_open", "dagen open"), ("delay_notice_count", "uitstelberichten"), ("ministries", "ministerie")],
                  {"TK": "tk_url"})),
    Section("parity", "PDF en XML vergeleken, per maand", "parity_monthly.sql", "table",
            "Van veel brieven (vragen en antwoorden) staat ook een XML-versie op officielebekendmakingen.nl. "
            "Die lezen we naast de PDF, en we vergelijken beide blok voor blok: vraagnummers, labels, tekst, "
            "voetnoten en data. Per maand van de brief: hoeveel brieven beide versies hebben, hoeveel we uit "
            "beide hetzelfde lazen, en waar ze verschilden. Was de indeling anders, dan komen de vragen en "
            "antwoorden in de tabellen uit de XML (kolom 'blokken uit de XML').",
            parity_table,
            empty="Nog geen brief met een XML-versie op officielebekendmakingen.nl: er is niets te vergelijken."),
)
