"""Measuring helpers shared by the benchmarks."""

from __future__ import annotations


def peak_rss_gb() -> float:
    """This process's peak resident set (VmHWM), in GB.

    Not ``getrusage(RUSAGE_SELF).ru_maxrss``: Linux carries a process's peak over fork and exec into the program
    it starts, so a benchmark's child started by a parent that had just generated gigabytes of data would report
    at least the parent's size."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 2**20
    raise RuntimeError("/proc/self/status has no VmHWM line: the benchmarks measure memory on Linux only")


def load_tagkit():
    """tagkit with every module of its public API imported. `import tagkit` alone loads a module when one of its
    names is first used; a benchmark that times a step calls this first, so that no clock counts an import."""
    import tagkit as tk

    for name in tk.__all__:
        getattr(tk, name)
    return tk
