"""Rewrite the "Relations and columns" section of warehouse/README.md from the DDL comments.

    python scripts/warehouse_reference.py           # rewrite the section
    python scripts/warehouse_reference.py --check   # exit 1 when it is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.load.reference import current_reference, reference_markdown, replace_reference

README = Path(__file__).resolve().parents[1] / "warehouse" / "README.md"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only report whether the section is current")
    args = ap.parse_args()
    readme = README.read_text(encoding="utf-8")
    section = reference_markdown()
    if current_reference(readme) == section:
        print(f"{README.name}: the column reference is current")
        return 0
    if args.check:
        print(f"{README.name}: the column reference is stale (run scripts/warehouse_reference.py)", file=sys.stderr)
        return 1
    README.write_text(replace_reference(readme, section), encoding="utf-8")
    print(f"{README.name}: column reference rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
