"""Resources injected into the assets: where the data lives and which API to talk to."""


import sys
from pathlib import Path

import dagster as dg

from etl.config import Settings, from_env


class KamerspoorResource(dg.ConfigurableResource):
    """The project's settings as a Dagster resource.

    Every field defaults to None, meaning "as ``etl.config.Settings`` says" (its defaults, then
    the ``KAMERSPOOR_*`` variables read once by ``from_env``); set a field, or a ``dg.EnvVar``,
    to override one setting for this code location.
    """

    api_url: str | None = None
    data_dir: str | None = None
    warehouse_path: str | None = None
    pdf_engine: str | None = None
    parse_workers: int | None = None
    progress_bar: bool = False

    def settings(self) -> Settings:
        return from_env().with_overrides(
            api_url=self.api_url,
            data_dir=Path(self.data_dir) if self.data_dir else None,
            warehouse_path=Path(self.warehouse_path) if self.warehouse_path else None,
            pdf_engine=self.pdf_engine,
            parse_workers=self.parse_workers,
        )

    def progress(self, context: dg.AssetExecutionContext):
        """A progress callback: a bar on stderr for the CLI, sparse log lines otherwise."""
        last: dict[str, int] = {}
        current = [""]

        def report(stage: str, done: int, total: int | None) -> None:
            if self.progress_bar:
                if current[0] and current[0] != stage:
                    sys.stderr.write("\n")  # the previous stage's bar stays on its own line
                current[0] = stage
                end = "\n" if total is not None and done >= total else ""
                sys.stderr.write("\r" + progress_line(stage, done, total) + end)
                if end:
                    current[0] = ""
                sys.stderr.flush()
                return
            step = max(1, (total or 100) // 10)
            if done - last.get(stage, 0) >= step or (total is not None and done >= total):
                last[stage] = done
                context.log.info(progress_line(stage, done, total))

        return report


def progress_line(stage: str, done: int, total: int | None, width: int = 30) -> str:
    """``fetch   [#########.........]  30/100`` (or a plain counter when the total is unknown)."""
    if not total:
        return f"{stage:<9} {done}"
    filled = int(width * min(done, total) / total)
    return f"{stage:<9} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
