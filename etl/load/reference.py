"""The column reference of ``warehouse/README.md``, written from the DDL's own comments.

Every analyst relation and column carries a COMMENT in ``warehouse/NN_*.sql``; the README's
"Relations and columns" section is that catalogue as Markdown, so it cannot leave a relation
out or drift from the schema. ``scripts/warehouse_reference.py`` rewrites the section; a test
fails when it is stale.
"""

from __future__ import annotations

from collections.abc import Iterable

from etl.load.schema import Relation, declared_relations

HEADING = "## Relations and columns"
NOTE = ("<!-- Generated from the COMMENTs in warehouse/NN_*.sql by `python scripts/warehouse_reference.py`:"
        " edit the comments, then rerun it. -->")


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def relation_markdown(rel: Relation) -> str:
    lines = [f"### `{rel.name}` ({rel.kind})", "", _cell(rel.comment) or "(no comment)", "",
             "| column | type | meaning |", "|---|---|---|"]
    lines += [f"| `{c.name}` | {c.type} | {_cell(c.comment)} |" for c in rel.columns]
    return "\n".join(lines) + "\n"


def reference_markdown(relations: Iterable[Relation] | None = None) -> str:
    """The whole section, heading first, one subsection per relation in name order."""
    rels = sorted(declared_relations() if relations is None else relations, key=lambda r: r.name)
    return "\n".join([HEADING, "", NOTE, "", *(relation_markdown(r) for r in rels)])


def replace_reference(readme: str, section: str) -> str:
    """``readme`` with everything from the section heading to the end replaced by ``section``."""
    head, found, _ = readme.partition(HEADING)
    if not found:
        raise ValueError(f"no {HEADING!r} heading in the README")
    return head + section


def current_reference(readme: str) -> str:
    """The section as the README has it now (from the heading to the end)."""
    _, found, tail = readme.partition(HEADING)
    return found + tail if found else ""


__all__ = ["HEADING", "current_reference", "reference_markdown", "relation_markdown", "replace_reference"]
