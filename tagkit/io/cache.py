"""A disk cache for what is slow to compute and wholly determined by its inputs: the loaded brand, mined rules.

An entry's key is a SHA-256 over everything that shapes it: the content digests of the input files (the
same digests the run manifest records), the dataset's configuration, the parameters, and the version of
tagkit's own code and of the libraries that pickle the tables. So an unchanged input and parameter set is
read back instead of computed again (by every notebook of a batch, and by every re-run in JupyterLab), and a
change to any of them is a different key: a cache entry is never stale, only unused.

Where: ``$TAGKIT_CACHE`` if set (``off`` turns the cache off), else ``$XDG_CACHE_HOME/tagkit`` or
``~/.cache/tagkit``. Entries are written whole (to a temporary file, then renamed) and the oldest are removed
beyond :data:`KEEP` entries. The entries are Python pickles: the cache folder must be writable by you only,
as your home directory is.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from functools import lru_cache
from pathlib import Path

from tagkit.io._files import atomic_write

KEEP = 12  # entries kept; the oldest read are removed first
_OFF = {"0", "off", "no", "false", "none"}


def cache_folder() -> Path | None:
    """The cache folder, or None when ``TAGKIT_CACHE=off``."""
    value = os.environ.get("TAGKIT_CACHE", "").strip()
    if value.lower() in _OFF:
        return None
    if value:
        return Path(value).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tagkit"


def file_digest(path) -> str:
    """SHA-256 of a file's content. Remembered (in the cache folder) by path, size and modification time, so
    that a large unchanged order-lines file is not read again by every notebook."""
    path = Path(path).resolve()
    stat = path.stat()
    memo_key = f"{path}|{stat.st_size}|{stat.st_mtime_ns}"
    folder = cache_folder()
    memo = _read_json(folder / "digests.json") if folder else {}
    if memo_key in memo:
        return memo[memo_key]
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    if folder:
        memo = {k: v for k, v in memo.items() if not k.startswith(f"{path}|")}  # the file's older versions go
        memo[memo_key] = digest.hexdigest()
        _write_bytes(folder / "digests.json", json.dumps(memo, sort_keys=True).encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """tagkit's own code (every module's size and modification time) and the versions of the libraries whose
    objects the cache pickles: a change to either is a new key."""
    import numpy
    import pandas

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"pandas {pandas.__version__} numpy {numpy.__version__}".encode())
    for module in sorted(root.rglob("*.py")):
        stat = module.stat()
        digest.update(f"{module.relative_to(root)}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def key_of(kind: str, parts: dict) -> str:
    """The key of an entry of ``kind`` from its parts (JSON-serialisable)."""
    text = json.dumps({"kind": kind, "code": code_version(), **parts}, sort_keys=True, default=str)
    return f"{kind}-{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def load(key: str):
    """The entry stored under ``key``, or None (absent, unreadable, or the cache is off)."""
    folder = cache_folder()
    path = folder / f"{key}.pickle" if folder else None
    if path is None or not path.exists():
        return None
    try:
        with open(path, "rb") as fh:
            value = pickle.load(fh)
    except Exception:  # a damaged or foreign entry is computed again and replaced
        return None
    os.utime(path)  # read recently: kept longest
    return value


def store(key: str, value) -> None:
    """Store ``value`` under ``key`` (whole or not at all); a cache that cannot be written is skipped."""
    folder = cache_folder()
    if folder is None:
        return
    try:
        _write_bytes(folder / f"{key}.pickle", pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def value_digest(value) -> str:
    """A digest of a value's content (tables, taxonomies, parameters) for the key of a result computed from it.

    By content, not by pickle: a table read back from the cache and the same table computed afresh (whose
    memory layout differs) have one digest."""
    digest = hashlib.sha256()
    _feed(digest, value)
    return digest.hexdigest()


def _feed(digest, value) -> None:
    import numpy as np
    import pandas as pd

    digest.update(type(value).__qualname__.encode() + b"\0")
    if isinstance(value, (pd.DataFrame, pd.Series, pd.Index)):
        names = list(value.columns) if isinstance(value, pd.DataFrame) else [value.name]
        dtypes = list(value.dtypes) if isinstance(value, pd.DataFrame) else [value.dtype]
        digest.update(
            repr((names, [str(t) for t in dtypes], list(getattr(value, "index", value).names), value.shape)).encode()
        )
        digest.update(pd.util.hash_pandas_object(value, index=not isinstance(value, pd.Index)).to_numpy().tobytes())
    elif isinstance(value, np.ndarray):
        digest.update(repr((value.dtype.str, value.shape)).encode())
        digest.update(np.ascontiguousarray(value).tobytes() if value.dtype != object else pickle.dumps(value.tolist()))
    elif value is None or isinstance(value, (str, bytes, int, float, bool, np.generic)):
        digest.update(repr(value).encode())
    elif isinstance(value, (list, tuple)):
        digest.update(f"{len(value)}".encode())
        for item in value:
            _feed(digest, item)
    elif isinstance(value, dict):
        digest.update(f"{len(value)}".encode())
        for key in sorted(value, key=repr):
            _feed(digest, key)
            _feed(digest, value[key])
    elif isinstance(value, (set, frozenset)):
        _feed(digest, sorted(value, key=repr))
    elif hasattr(value, "__dict__"):
        _feed(digest, vars(value))
    else:
        digest.update(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def cached(function, *args, **kwargs):
    """``function(*args, **kwargs)``, read from the cache when the same function was called with arguments of
    the same content before (say the hit-tags notebook's rules, reused by the plan notebook)."""
    name = f"{function.__module__}.{function.__qualname__}"
    key = key_of("call", {"function": name, "arguments": value_digest((args, kwargs))})
    found = load(key)
    if found is not None:
        return found
    value = function(*args, **kwargs)
    store(key, value)
    return value


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_bytes(path: Path, data: bytes) -> None:
    atomic_write(path, lambda tmp: tmp.write_bytes(data))
