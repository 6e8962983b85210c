"""Freed memory kept for reuse in the processes tagkit starts: the command line and the batch's notebook kernels.

A step over a million products builds arrays of tens of millions of rows and frees them for the next step. By
default glibc hands every large block back to the operating system as soon as it is freed, and Arrow's allocator
does the same, so the next step gets fresh pages that the kernel must zero first (on a virtual machine whose host
takes freed memory back, it must find them again too). On this project's 2-core virtual machine the intake of
1,000,000 products touched 8.6 GB of fresh memory for a 3.0 GB peak, and the kernel's share was about half of its
time. With freed memory kept, 3.8 GB was fresh and the intake took less time, at a higher peak (figures in
docs/benchmarks.md, *Tag intake*).

Only processes tagkit starts are changed: a notebook opened in JupyterLab keeps the defaults (the variables of
:data:`SETTINGS`, set before starting JupyterLab, give it the same). ``TAGKIT_KEEP_MEMORY=off`` turns it off;
a variable the user has set is left as it is.
"""

from __future__ import annotations

import ctypes
import os
import platform
import sys

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


def keep_freed_memory() -> dict[str, str]:
    """Keep freed memory in this process and in the processes it starts (notebook kernels inherit the
    environment). Returns the settings made: none where they would not apply (not Linux with glibc, turned off,
    or every variable set by the user already)."""
    if switched_off("TAGKIT_KEEP_MEMORY") or sys.platform != "linux" or platform.libc_ver()[0] != "glibc":
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
