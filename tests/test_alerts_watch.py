"""The watch file: the packaged default loads, and a bad file is one line naming file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.alerts.watch import WatchFileError, load_watch, parse_watch
from etl.enrich.themes import load_themes


def test_packaged_watch_file_watches_known_themes_and_has_no_sinks() -> None:
    watch = load_watch()
    theme_ids = {t.id for t in load_themes()}
    assert watch.themes and set(watch.themes) <= theme_ids
    assert watch.sinks == ()


def test_sinks_get_default_names_and_settings() -> None:
    watch = parse_watch(
        '[[sink]]\ntype = "webhook"\nurl = "https://example.org/h"\n'
        '[[sink]]\ntype = "smtp"\nhost = "mail"\nfrom = "a@b"\nto = "c@d"\nstarttls = true\n', "w.toml")
    hook, mail = watch.sinks
    assert (hook.name, hook.retries, hook.timeout) == ("webhook:https://example.org/h", 3, 10.0)
    assert (mail.to, mail.port, mail.starttls) == (("c@d",), 25, True)


@pytest.mark.parametrize(
    "text, message",
    [
        ("[watch]\nthemes = 'ict'\n", r"^w\.toml: \[watch\] themes must be a list of strings$"),
        ("[watch]\nthemse = []\n", r"unknown key\(s\) in \[watch\]: themse"),
        ('[[sink]]\ntype = "pigeon"\n', r"^w\.toml: sink 1: type must be one of jsonl, webhook, smtp"),
        ('[[sink]]\ntype = "webhook"\nurl = "ftp://x"\n', r"url must be an http\(s\) URL"),
        ('[[sink]]\ntype = "smtp"\nhost = "h"\nfrom = "a@b"\n', r"`to` must name at least one address"),
        ('[[sink]]\ntype = "jsonl"\npath = "a"\nname = "x"\n[[sink]]\ntype = "jsonl"\npath = "b"\nname = "x"\n',
         "two sinks have the same name"),
        ("[watch\n", r"^w\.toml: not valid TOML"),
        ("[watch]\nsince = '2026'\n", r"since must be a date"),
    ],
)
def test_a_bad_watch_file_is_one_clear_error(text: str, message: str) -> None:
    with pytest.raises(WatchFileError, match=message):
        parse_watch(text, "w.toml")


def test_a_missing_watch_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(WatchFileError, match="nope.toml: cannot read the watch file"):
        load_watch(tmp_path / "nope.toml")
