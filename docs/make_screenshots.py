"""The screenshots in docs/screenshots/: every page of a season's reports as a reader sees it on a desktop, on a
phone and printed (the print styles, A4 landscape), by headless Chromium. Run by `make screenshot` after the
batch; `python docs/make_screenshots.py [REPORTS_FOLDER [TARGET_FOLDER]]` (docs/screenshots/zh holds the pages of a
batch in Chinese, `tagkit report --language zh`)."""

import base64
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests._browser import Browser  # noqa: E402  (the same DevTools driver as the browser tests)

PAGES = ("index", "01_tag_health", "02_hit_tags", "03_season_plan")
VIEWS = {
    "desktop": ({"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False}, "screen"),
    "phone": ({"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}, "screen"),
    "print": ({"width": 1123, "height": 794, "deviceScaleFactor": 1, "mobile": False}, "print"),
}


def main(folder: Path, target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    with Browser() as browser:
        for page in PAGES:
            for view, (metrics, media) in VIEWS.items():
                (shot,) = browser.session(
                    folder / f"{page}.html",
                    [
                        ("Emulation.setDeviceMetricsOverride", metrics),
                        ("Emulation.setEmulatedMedia", {"media": media}),
                        ("Page.captureScreenshot", {"format": "png"}),
                    ],
                )[-1:]
                path = target / f"{page}-{view}.png"
                path.write_bytes(base64.b64decode(shot["data"]))
                written.append(path)
    return written


if __name__ == "__main__":
    reports = (Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "reports" / "2025Q4").resolve()
    target = (Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / "screenshots").resolve()
    for path in main(reports, target):
        print(path.relative_to(ROOT))
