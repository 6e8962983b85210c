"""Freed memory kept for reuse in the processes tagkit starts: the command line and the batch's notebook kernels.

A step over a million products builds arrays of tens of millions of rows and frees them for the next step. By
default glibc hands every large block back to the operating system as soon as it is freed, and Arrow's allocator
does the same, so the next step gets fresh pages that the kernel must zero first (on a virtual machine whose host
takes freed memory back, it must find them again too). On this project's 2-core virtual machine the intake of
1,000,000 products touched 8.6 GB of fresh memory for a 3.0 GB peak, and the kernel's share was about half of its
time. With freed memory kept, 3.8 GB was fresh and the intake took less time, at a higher peak (figures in
docs/benchmarks.md, *Tag intake*).

The processes tagkit starts (the command line, the batch's notebook kernels) keep freed memory from start to end
(:func:`keep_freed_memory`). In any other process, a notebook opened in JupyterLab or a script, the heavy steps
keep it while they run and put glibc's and Arrow's settings back when they return (:func:`freed_memory_kept`):
the memory a step frees is reused by the next step instead of being handed back and zeroed again, and glibc
hands it back as usual once they are back. ``TAGKIT_KEEP_MEMORY=off`` turns both off; a variable the
user has set is left as it is.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import platform
import sys
import threading

from tagkit._progress import switched_off

# the environment variables, read by glibc when a process starts and by Arrow when it is first imported
SETTINGS = {
    "MALLOC_MMAP_MAX_": "0",  # large blocks from the heap, not a mapping of their own handed back on free
    "MALLOC_TRIM_THRESHOLD_": str(2**31 - 1),  # the heap is not shrunk: freed memory stays for the next step
    "MALLOC_ARENA_MAX": "1",  # one heap for every thread, so that a block one thread frees another reuses
    "ARROW_DEFAULT_MEMORY_POOL": "system",  # Arrow allocates from that heap too
}
# the same for glibc in a process already running: mallopt's option numbers (malloc.h)
_MALLOPT = {"MALLOC_MMAP_MAX_": -4, "MALLOC_TRIM_THRESHOLD_": -1, "MALLOC_ARENA_MAX": -8}
# put back after a step (64-bit glibc). Any mallopt call stops glibc raising its mmap threshold as large blocks
# are freed (from 128 KB up to 32 MB), so the threshold is put where that rise ends, not at its start: at 128 KB
# every array over 16,000 numbers would be a fresh mapping, zeroed again each time (a sixth more time, measured).
_M_MMAP_THRESHOLD = -3
_AFTER_A_STEP = {
    "MALLOC_MMAP_MAX_": 65536,
    "MALLOC_TRIM_THRESHOLD_": 64 * 2**20,
    "MALLOC_ARENA_MAX": 8 * (os.cpu_count() or 1),
}
_MMAP_THRESHOLD_AFTER = 32 * 2**20


def _applies() -> bool:
    return not switched_off("TAGKIT_KEEP_MEMORY") and sys.platform == "linux" and platform.libc_ver()[0] == "glibc"


def keep_freed_memory() -> dict[str, str]:
    """Keep freed memory in this process and in the processes it starts (notebook kernels inherit the
    environment). Returns the settings made: none where they would not apply (not Linux with glibc, turned off,
    or every variable set by the user already)."""
    if not _applies():
        return {}
    chosen = {name: value for name, value in SETTINGS.items() if name not in os.environ}
    if not chosen:
        return {}
    libc = ctypes.CDLL(None)  # the running program's C library
    for name, value in list(chosen.items()):
        if name in _MALLOPT and not libc.mallopt(_MALLOPT[name], int(value)):
            del chosen[name]  # refused by this glibc: leave the default here and in the kernels
    if "ARROW_DEFAULT_MEMORY_POOL" in chosen and "pyarrow" in sys.modules:
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())
    os.environ.update(chosen)
    return chosen


_lock = threading.Lock()
_depth = 0  # steps running: the settings come back when the outermost returns
_restore: list = []  # what the outermost step changed, undone in reverse order


def _keep_for_a_step() -> list:
    """glibc's and Arrow's settings of :data:`SETTINGS` not chosen already (by the user, or by
    :func:`keep_freed_memory`), applied; returns how to undo each."""
    undo = []
    libc = ctypes.CDLL(None)
    for name, option in _MALLOPT.items():
        if name not in os.environ and libc.mallopt(option, int(SETTINGS[name])):
            undo.append(functools.partial(libc.mallopt, option, _AFTER_A_STEP[name]))
    if undo and "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        undo.append(functools.partial(libc.mallopt, _M_MMAP_THRESHOLD, _MMAP_THRESHOLD_AFTER))
    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        import pyarrow as pa

        before = pa.default_memory_pool()
        pa.set_memory_pool(pa.system_memory_pool())
        undo.append(functools.partial(pa.set_memory_pool, before))
    return undo


@contextlib.contextmanager
def _kept():
    global _depth
    with _lock:
        if _depth == 0 and _applies():
            _restore[:] = _keep_for_a_step()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                while _restore:
                    _restore.pop()()


def freed_memory_kept(function):
    """Decorator of a step over a whole catalogue: freed memory is kept while it runs (and while the steps it
    calls run); glibc's settings (see _AFTER_A_STEP) and Arrow's pool come back when it returns."""

    @functools.wraps(function)
    def step(*args, **kwargs):
        with _kept():
            return function(*args, **kwargs)

    return step
