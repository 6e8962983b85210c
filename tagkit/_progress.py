"""What a long step is doing, for the person waiting: a line on stderr once a step has run ~2 s, and a bar for
loops over seasons. stderr, so that it shows in JupyterLab and in the terminal but never in a rendered report
(the batch drops stderr from its pages). ``TAGKIT_PROGRESS=off`` (``tagkit report --quiet``) silences it."""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager

from tagkit.language import translate as _

AFTER = 2.0  # seconds a step runs before it says what it is doing


def switched_off(variable: str) -> bool:
    """Whether one of tagkit's on/off environment variables (TAGKIT_PROGRESS, TAGKIT_KEEP_MEMORY) says off."""
    return os.environ.get(variable, "on").strip().lower() in {"0", "off", "no", "false"}


def enabled() -> bool:
    return not switched_off("TAGKIT_PROGRESS")


@contextmanager
def step(what: str):
    """``with step("Reading order_lines.csv.gz"):`` prints ``Reading order_lines.csv.gz …`` if the step is still
    running after :data:`AFTER` seconds, and how long it took when it ends."""
    if not enabled():
        yield
        return
    started = time.perf_counter()
    said = threading.Event()

    def say():
        said.set()
        print(_("{what} …", what=what), file=sys.stderr, flush=True)

    timer = threading.Timer(AFTER, say)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        if said.is_set():
            done = _("{what}: done in {seconds} s", what=what, seconds=f"{time.perf_counter() - started:.1f}")
            print(done, file=sys.stderr, flush=True)


def bar(iterable, what: str, total: int | None = None):
    """A progress bar (tqdm, on stderr) over ``iterable``; the iterable itself when progress is off."""
    if not enabled():
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, desc=what, total=total, file=sys.stderr, leave=False, mininterval=1.0, delay=AFTER)
