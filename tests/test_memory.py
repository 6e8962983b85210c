"""Freed memory kept for reuse in tagkit's own processes: checked in fresh interpreters, by what the process
does with memory it frees (its resident size, read from the kernel), not by the settings' names alone."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys

import pytest

from tagkit._memory import SETTINGS

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or platform.libc_ver()[0] != "glibc", reason="the settings are glibc's"
)

# the child's resident size, read from the kernel
_RESIDENT_MB = """
def resident_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
"""

# a child that frees a 400 MB array and reports how much of it its resident size still holds
_FREE_AND_MEASURE = (
    _RESIDENT_MB
    + """
import json, os, sys
import numpy as np
from tagkit._memory import keep_freed_memory


made = keep_freed_memory() if sys.argv[1] == "keep" else {}
import pyarrow as pa
before = resident_mb()
block = np.ones(50_000_000)  # 400 MB, touched
del block
started = os.popen(f"{sys.executable} -c 'import json, os; print(json.dumps(dict(os.environ)))'").read()
print(json.dumps({"made": made, "kept_mb": resident_mb() - before, "arrow": pa.default_memory_pool().backend_name,
                  "inherited": json.loads(started)}))
"""
)


def _clean_environment(**env) -> dict:
    """This process's environment without the settings, with ``env`` on top."""
    return {**{k: v for k, v in os.environ.items() if k not in SETTINGS and k != "TAGKIT_KEEP_MEMORY"}, **env}


def _child(mode: str, script: str = _FREE_AND_MEASURE, **env) -> dict:
    """What ``script`` prints (one JSON line), run in a fresh interpreter with ``mode`` as its argument."""
    done = subprocess.run(
        [sys.executable, "-c", script, mode], capture_output=True, text=True, env=_clean_environment(**env)
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_freed_block_stays_in_the_process_and_arrow_uses_the_same_heap():
    plain, kept = _child("plain"), _child("keep")
    assert plain["kept_mb"] < 100, "by default glibc hands a freed 400 MB block back at once"
    assert kept["kept_mb"] > 300, "kept: the block stays for the next step"
    assert plain["arrow"] != "system" and kept["arrow"] == "system"
    assert kept["made"] == SETTINGS
    assert {k: kept["inherited"].get(k) for k in SETTINGS} == SETTINGS, "a process it starts (a kernel) gets them too"


def test_turned_off_or_set_by_the_user_it_is_left_alone():
    off = _child("keep", TAGKIT_KEEP_MEMORY="off")
    assert off["made"] == {} and off["kept_mb"] < 100 and off["arrow"] != "system"
    mine = _child("keep", MALLOC_ARENA_MAX="4", ARROW_DEFAULT_MEMORY_POOL="jemalloc")
    assert "MALLOC_ARENA_MAX" not in mine["made"] and "ARROW_DEFAULT_MEMORY_POOL" not in mine["made"]
    assert mine["arrow"] == "jemalloc"
    assert mine["inherited"]["MALLOC_ARENA_MAX"] == "4" and mine["inherited"]["MALLOC_MMAP_MAX_"] == "0"


def test_the_tagkit_command_keeps_freed_memory_before_it_runs():
    script = (
        "import json, os, tagkit.cli as cli\n"
        f"cli.main = lambda: print(json.dumps({{k: os.environ.get(k) for k in {list(SETTINGS)!r}}})) or 0\n"
        "raise SystemExit(cli.console())"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=_clean_environment())
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == SETTINGS


# a child in which steps over a catalogue run one inside the other, as load_brand runs normalise_tags
_STEPS = (
    _RESIDENT_MB
    + """
import ctypes, json, sys
import numpy as np
import pyarrow as pa
from tagkit._memory import freed_memory_kept, keep_freed_memory


def churn():
    block = np.ones(50_000_000)  # 400 MB, touched, freed
    del block

@freed_memory_kept
def inner():
    churn()
    return pa.default_memory_pool().backend_name

@freed_memory_kept
def outer():
    return inner(), resident_mb()

class MallInfo2(ctypes.Structure):  # glibc's malloc statistics (2.33 and later)
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                       "fsmblks", "uordblks", "fordblks", "keepcost")]

def own_mapping(n_numbers):  # does an array of n_numbers get a mapping of its own (glibc's hblks grows)?
    mallinfo2 = ctypes.CDLL(None).mallinfo2
    mallinfo2.restype = MallInfo2
    before = mallinfo2().hblks
    block = np.ones(n_numbers)
    return mallinfo2().hblks > before

@freed_memory_kept
def failing():
    raise ValueError("a step that fails")

if sys.argv[1] == "command":
    keep_freed_memory()
pool_before = pa.default_memory_pool().backend_name
start = resident_mb()
pool_inside, inside = outer()
try:
    failing()
except ValueError:
    pass
churn()
print(json.dumps({"own_mapping_24_mb": own_mapping(3_000_000), "own_mapping_400_mb": own_mapping(50_000_000),
                  "pool_before": pool_before, "pool_inside": pool_inside, "pool_after": pa.default_memory_pool().backend_name,
                  "kept_inside_mb": inside - start, "kept_after_mb": resident_mb() - start}))
"""
)


def test_in_a_plain_process_a_step_keeps_freed_memory_while_it_runs_and_puts_the_defaults_back():
    plain = _child("plain", _STEPS)
    assert plain["kept_inside_mb"] > 300, "the block freed by the inner step stays for the outer one"
    assert plain["pool_inside"] == "system" and plain["pool_before"] != "system"
    assert plain["kept_after_mb"] < 100, "after the outermost step (and one that failed) glibc hands memory back"
    assert plain["pool_after"] == plain["pool_before"]
    # glibc's threshold for a mapping of its own is where its own rise ends (32 MB), not back at 128 KB, where
    # every array over 16,000 numbers would be a fresh mapping, zeroed each time
    assert not plain["own_mapping_24_mb"] and plain["own_mapping_400_mb"]


def test_a_step_leaves_the_settings_of_the_command_and_of_the_switch_alone():
    command = _child("command", _STEPS)
    assert command["kept_after_mb"] > 300 and command["pool_after"] == "system", "the command keeps memory to its end"
    off = _child("plain", _STEPS, TAGKIT_KEEP_MEMORY="off")
    assert off["kept_inside_mb"] < 100 and off["pool_inside"] == off["pool_before"] != "system"
