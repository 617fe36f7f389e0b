"""Load layer: the DuckDB warehouse (schema, idempotent loads, search, export)."""

from etl.load.warehouse import (
    apply_schema,
    connect,
    load_letter,
    load_letters,
    load_metadata,
    publish_snapshot,
    read_text_units,
    refresh,
)

__all__ = [
    "apply_schema",
    "connect",
    "load_letter",
    "load_letters",
    "load_metadata",
    "publish_snapshot",
    "read_text_units",
    "refresh",
]
