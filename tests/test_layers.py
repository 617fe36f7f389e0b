"""The library stays a library: importing every etl module pulls in neither Dagster nor pandas."""

import subprocess
import sys

PROBE = """
import importlib, pkgutil, sys
import etl
for info in pkgutil.walk_packages(etl.__path__, "etl."):
    importlib.import_module(info.name)
banned = sorted(m for m in sys.modules if m.split(".")[0] in {"dagster", "pandas"})
print(",".join(banned))
"""


def test_importing_every_etl_module_loads_neither_dagster_nor_pandas():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
