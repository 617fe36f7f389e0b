"""`kamerspoor check-api`: the contract table and probes against the replay (issue 10, item 6)."""

from __future__ import annotations

import socket

import pytest

from etl.cli import main
from etl.replay import Realism, ReplayServer
from etl.source.contract import CSDLError, parse_csdl
from replay_fixtures.helpers import SMALL, copy_fixture, edit_rows


@pytest.mark.parametrize("realism", [None, Realism.strict_live(slow_500_seconds=0.05)], ids=["default", "strict"])
def test_check_api_passes_on_the_replay(realism, capsys):
    with ReplayServer(SMALL, realism=realism) as srv:
        assert main(["check-api", "--api-url", srv.base_url]) == 0
    out = capsys.readouterr().out
    assert "DocumentVersie.ExterneIdentifier" in out and "contract holds" in out


def test_check_api_names_a_renamed_field(tmp_path, capsys):
    fx = copy_fixture(tmp_path / "api")
    edit_rows(fx, "DocumentVersie", lambda rows: [r.update(ExterneIdentifiers=r.pop("ExterneIdentifier")) for r in rows] and None)
    with ReplayServer(fx, realism=Realism.strict_live()) as srv:
        assert main(["check-api", "--api-url", srv.base_url]) == 1
    out = capsys.readouterr().out
    assert "FAILED DocumentVersie.ExterneIdentifier (KOOP id): missing (renamed to ExterneIdentifiers?)" in out


def test_check_api_names_a_renamed_soort_value(tmp_path, capsys):
    fx = copy_fixture(tmp_path / "api")
    edit_rows(fx, "Zaak", lambda rows: [r.update(Soort="Schriftelijke vraag") for r in rows] and None)
    with ReplayServer(fx) as srv:
        assert main(["check-api", "--api-url", srv.base_url]) == 1
    out = capsys.readouterr().out
    assert "FAILED probe window: no question sets at all for Zaak Soort eq 'Schriftelijke vragen'" in out


def test_check_api_exits_2_with_one_line_on_a_closed_port(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends
    assert main(["check-api", "--api-url", f"http://127.0.0.1:{port}/OData/v5"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"check-api: cannot reach http://127.0.0.1:{port}/OData/v5")


def test_csdl_with_a_doctype_or_entities_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>'
    with pytest.raises(CSDLError, match="DOCTYPE"):
        parse_csdl(bomb)
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(CSDLError):
        parse_csdl(xxe)
