"""Data checks on the loaded warehouse, one SQL file each in ``warehouse/checks/``.

Each file returns one row: how many rows break the rule, and a few of them as examples, so a
failed check says what to look at. The orchestrator decides what a failure stops.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from etl.load.sql import read_sql


@dataclass(frozen=True)
class CheckOutcome:
    name: str
    violations: int
    examples: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return self.violations == 0


def run_check(con: duckdb.DuckDBPyConnection, name: str) -> CheckOutcome:
    """Run ``warehouse/checks/<name>.sql`` on ``con``."""
    violations, examples = con.execute(read_sql(f"checks/{name}.sql")).fetchone()
    return CheckOutcome(name, int(violations), tuple(examples or ()))
