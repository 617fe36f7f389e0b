"""A real local HTTP server replaying the Tweede Kamer OData v5 API from fixture files.

Used by the tests (over 127.0.0.1) and by ``kamerspoor demo``/``kamerspoor replay``; see
``docs/source.md`` for the fixture format and the faults.
"""

from etl.replay.faults import Faults
from etl.replay.live import Realism
from etl.replay.server import ReplayServer, serve

__all__ = ["Faults", "Realism", "ReplayServer", "serve"]
