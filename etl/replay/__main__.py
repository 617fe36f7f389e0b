"""``python -m etl.replay DIR [--host H] [--port N] [--page-size N]`` (same as `kamerspoor replay`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from etl.replay.live import Realism
from etl.replay.server import serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m etl.replay", description=__doc__)
    parser.add_argument("fixture_dir", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--page-size", type=int, default=250)
    parser.add_argument("--strict-live", action="store_true",
                        help="behave like the live v5 service (node limit, no nextLink, tombstones without ApiGewijzigdOp, …)")
    args = parser.parse_args(argv)
    serve(args.fixture_dir, args.host, args.port, args.page_size, Realism.strict_live() if args.strict_live else None)


if __name__ == "__main__":
    main()
