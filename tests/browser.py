"""Headless Chromium with the network off: open a local page, return its DOM, console lines and
every URL the browser tried to reach (from Chromium's net log)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

# Requests Chromium makes for itself (time sync, accounts, component updates); never the page's.
BROWSER_OWN_HOSTS = re.compile(r"^https?://([a-z0-9.-]+\.)?(google\.com|gvt1\.com|googleapis\.com|gstatic\.com)(/|$)")
_OFFLINE_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # no name resolves
    "--proxy-server=127.0.0.1:9",  # and anything that tries goes to a closed local port
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-default-apps", "--disable-domain-reliability",
    "--disable-features=Translate,OptimizationHints,MediaRouter,SpellCheck",
]


def chromium_or_skip() -> str:
    """The Chromium binary; without it skip locally, fail under CI=true (CI installs it)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed (apt-get install -y chromium); the report test needs it under CI")
    pytest.skip("chromium is not installed (apt-get install -y chromium)")


@dataclass
class PageVisit:
    dom: str
    console: list[str]
    urls: list[str]

    @property
    def page_urls(self) -> list[str]:
        return [u for u in self.urls if not u.startswith(("file:", "data:", "blob:")) and not BROWSER_OWN_HOSTS.match(u)]


def visit(chromium: str, page: Path, work: Path, *, screenshot: Path | None = None, budget_ms: int = 15000) -> PageVisit:
    work.mkdir(parents=True, exist_ok=True)
    netlog = work / "netlog.json"
    common = [chromium, *_OFFLINE_FLAGS, f"--virtual-time-budget={budget_ms}"]
    proc = subprocess.run(
        [*common, "--enable-logging=stderr", "--v=0", f"--log-net-log={netlog}",
         f"--user-data-dir={work / 'profile-dom'}", "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    urls = sorted(set(re.findall(r'"url":"([^"]*)"', netlog.read_text(encoding="utf-8", errors="replace"))))
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        shot = subprocess.run(
            [*common, "--window-size=1280,3900", f"--screenshot={screenshot}",
             f"--user-data-dir={work / 'profile-shot'}", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=180,
        )
        assert shot.returncode == 0 and screenshot.is_file(), shot.stderr[-2000:]
    return PageVisit(proc.stdout, console, urls)


def dump_json(visit_: PageVisit) -> str:
    return json.dumps({"console": visit_.console, "urls": visit_.page_urls}, indent=1)
