"""Atomic writes: readers see all of a file or none of it, even after a crash or SIGKILL.

A temporary file next to the target, fsync, rename, fsync of the directory. A writer killed
mid-write leaves only a hidden ``.<name>.tmp-*`` file, which :func:`clean_stale_tmp` removes.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path
from typing import Any


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable (best effort where unsupported)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def file_stamp(path: Path | str) -> tuple[int, int, int] | None:
    """What changes whenever a file is replaced (a rename brings a new inode) or grows: its
    inode, size and mtime; None when it does not exist. Readers keep what they parsed under it."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see all of it or none of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def dumps(obj: Any) -> bytes:
    """Stable, readable JSON (sorted keys) for state files and digests."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def atomic_write_json(path: Path, obj: Any, *, compact: bool = False) -> None:
    data = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() if compact else dumps(obj)
    atomic_write_bytes(path, data)


def clean_stale_tmp(root: Path, older_than_s: float = 3600.0) -> int:
    """Remove temporary files a killed writer left behind (only old ones, to spare live writers)."""
    removed = 0
    now = time.time()
    for folder, _dirs, names in os.walk(root):  # os.walk: a third of rglob's time on a big store
        for name in names:
            if not (name.startswith(".") and ".tmp-" in name[1:]):  # .<name>.tmp-<pid>-<hex>
                continue
            path = os.path.join(folder, name)
            try:
                if now - os.stat(path).st_mtime > older_than_s:
                    os.unlink(path)
                    removed += 1
            except FileNotFoundError:
                pass
    return removed
