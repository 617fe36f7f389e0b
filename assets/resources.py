"""Resources injected into the assets: where the data lives and which API to talk to."""


import sys
from pathlib import Path

import dagster as dg

from etl.config import Settings, from_env, from_json, to_json


class KamerspoorResource(dg.ConfigurableResource):
    """The project's settings as a Dagster resource.

    Every field defaults to ``None``: "use Settings" (the defaults and ``KAMERSPOOR_*``
    variables, read by ``etl.config.from_env``); a value, or an ``EnvVar``, overrides that one
    setting. ``settings_json`` carries a whole ``Settings`` already read (the CLI's in-process
    runs), so the environment is not read again. Paths are relative to the working directory.
    """

    settings_json: str | None = None

    api_url: str | None = None
    data_dir: str | None = None
    warehouse_path: str | None = None
    pdf_engine: str | None = None
    parse_workers: int | None = None
    concurrency: int | None = None
    connect_timeout: float | None = None
    read_timeout: float | None = None
    max_retries: int | None = None
    max_file_bytes: int | None = None
    overlap_minutes: int | None = None
    progress_bar: bool = False

    @classmethod
    def from_settings(cls, settings: Settings, **extra) -> "KamerspoorResource":
        """A resource that gives back exactly ``settings`` (every field, not only its own)."""
        return cls(settings_json=to_json(settings), **extra)

    def settings(self) -> Settings:
        """The settings given whole, else ``from_env()``; this resource's non-None fields on top."""
        own = {n: getattr(self, n) for n in type(self).model_fields if n not in ("progress_bar", "settings_json")}
        paths = {n: Path(v) for n, v in own.items() if n in ("data_dir", "warehouse_path") and v is not None}
        base = from_json(self.settings_json) if self.settings_json else from_env()
        return base.with_overrides(**{**own, **paths})

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
