"""Headless Chromium driven over the DevTools protocol (tornado's websocket client, installed with Jupyter): run
scripts in a report page as a reader's clicks would, and print a page to PDF. Used by the browser tests."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    """Debian's chromium, which `make test` installs."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    assert binary, "Debian's chromium is needed for this test: `make test` installs it (apt-get install chromium)"
    return binary


class Browser:
    def __init__(self):
        binary = chromium()
        self._profile = tempfile.TemporaryDirectory(ignore_cleanup_errors=True)
        self._process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self._profile.name}", "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: closing stops every Chromium process, not just the first
        )
        port_file = Path(self._profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not port_file.exists() or not port_file.read_text().strip():
            assert time.monotonic() < deadline and self._process.poll() is None, "chromium did not start"
            time.sleep(0.1)
        self._port = int(port_file.read_text().split()[0])

    def close(self):
        """Stop Chromium and all its processes, then remove its profile (a process still writing to it while it is
        removed is not a test failure: the folder is temporary)."""
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
            try:
                os.killpg(self._process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self._process.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        time.sleep(0.2)  # the renderers leave after the browser
        self._profile.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _page_socket(self) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self._port}/json") as response:
            targets = json.loads(response.read())
        return next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")

    def session(self, page: Path, commands):
        """Open ``page``, then run ``commands`` (a list of (method, params)); returns their results."""
        return asyncio.run(self._session(page, commands))

    async def _session(self, page, commands):
        from tornado.websocket import websocket_connect

        socket = await websocket_connect(self._page_socket(), max_message_size=256 * 1024 * 1024)
        counter = [0]

        async def call(method, params=None):
            counter[0] += 1
            wanted = counter[0]
            socket.write_message(json.dumps({"id": wanted, "method": method, "params": params or {}}))
            while True:
                message = json.loads(await socket.read_message())
                if message.get("id") == wanted:
                    if "error" in message:
                        raise RuntimeError(f"{method}: {message['error']}")
                    return message["result"]

        await call("Page.enable")
        await call("Page.navigate", {"url": Path(page).as_uri()})
        for _ in range(100):  # until the page has loaded
            ready = await call("Runtime.evaluate", {"expression": "document.readyState", "returnByValue": True})
            if ready["result"].get("value") == "complete":
                break
            await asyncio.sleep(0.1)
        results = []
        for method, params in commands:
            results.append(await call(method, params))
        socket.close()
        return results

    def evaluate(self, page: Path, *expressions: str) -> list:
        """The values of JavaScript ``expressions`` run in turn in the loaded ``page``."""
        results = self.session(
            page, [("Runtime.evaluate", {"expression": e, "returnByValue": True}) for e in expressions]
        )
        return [r["result"].get("value") for r in results]

    def pdf(self, page: Path) -> bytes:
        result = self.session(page, [("Page.printToPDF", {"printBackground": True})])[0]
        return base64.b64decode(result["data"])
