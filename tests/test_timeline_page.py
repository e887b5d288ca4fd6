"""The timeline page as a reader opens it: from a file:// URL in headless Chromium, with no network.

Selenium drives the system's Chromium through chromedriver (never a browser it downloads). Set
IPCOOP_SHOTS_DIR to keep the screenshots; otherwise they stay in pytest's temporary directory.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import ipcoop_data
from ipcoop_data.cli import main
from ipcoop_data.export.timeline import MAX_ROWS, TITLE
from ipcoop_data.model.dates import Precision

pytestmark = pytest.mark.slow

WIDTH, HEIGHT = 1600, 900  # a laptop's window: the size the options were chosen for
BROWSER = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
DRIVER = shutil.which("chromedriver")
#: Installed before the page loads: every uncaught error and rejected promise, kept for the test.
CATCH_ERRORS = """
window.__errors = [];
window.addEventListener('error', e => window.__errors.push(String(e.message || e)));
window.addEventListener('unhandledrejection', e => window.__errors.push('rejected: ' + String(e.reason)));
"""
#: Markers whose headline box lies mostly (over half) under another marker's.
COVERED_MARKERS = """
const boxes = [...document.querySelectorAll('.tl-timemarker')].map(m => {
  const r = m.querySelector('.tl-timemarker-content-container').getBoundingClientRect();
  return {id: m.id, x: parseFloat(m.style.left), y: parseFloat(m.style.top), w: r.width, h: r.height};
});
const covered = [];
for (const a of boxes) for (const b of boxes) {
  if (a === b) continue;
  const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const oy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (ox > 0 && oy > 0 && ox * oy > 0.5 * a.w * a.h) { covered.push(a.id); break; }
}
return covered;
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if BROWSER is None or DRIVER is None:
        if os.environ.get("IPCOOP_REQUIRE_CHROMIUM"):
            pytest.fail("Chromium and chromedriver are required here but not installed")
        pytest.skip("Chromium is not installed (apt-get install chromium chromium-driver); CI requires it")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    profile = tmp_path_factory.mktemp("chromium-profile")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
        )
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_ERRORS})
        yield driver
    finally:
        driver.quit()


def shots_dir(tmp_path: Path) -> Path:
    wanted = os.environ.get("IPCOOP_SHOTS_DIR")
    return Path(wanted) if wanted else tmp_path


def open_page(driver: Any, page: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get_log("browser"), driver.get_log("performance")  # drop what an earlier page left
    driver.get(page.resolve().as_uri())
    # wait for TimelineJS to finish building (a generous bound for a loaded machine, not a speed test)
    WebDriverWait(driver, 120).until(lambda d: d.execute_script("return !!(window.timeline && window.timeline.ready)"))
    time.sleep(1.5)  # the opening animation


def go_to(driver: Any, unique_id: str) -> None:
    driver.execute_script("window.timeline.goToId(arguments[0])", unique_id)
    time.sleep(1.8)  # the slide and the navigation move for a second (TimelineJS's duration)
    assert driver.execute_script("return window.timeline.current_id") == unique_id


def problems(driver: Any) -> list[str]:
    """Script errors, console errors, and any request that is not for the file itself or a data: URL."""
    found = [f"error: {e}" for e in driver.execute_script("return window.__errors")]
    found += [f"console: {e['message']}" for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if not url.startswith(("file:", "data:")):
                found.append(f"request: {url}")
    return found


def export_page(tmp_path: Path, *args: str) -> tuple[Path, dict[str, Any]]:
    target = tmp_path / "ipcoop-data.timeline.json"
    assert main(["export", "timeline", "--out", str(target), *args]) == 0
    page = tmp_path / "ipcoop-data.timeline.html"
    doc: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
    return page, doc


def densest_month() -> str:
    """The month (YYYY-MM) with the most events known to the month or the day; the earliest on a tie."""
    months = Counter(e.date.start[:7] for e in ipcoop_data.load().events if e.date.precision is not Precision.YEAR)
    return min(months, key=lambda m: (-months[m], m))


def test_the_page_renders_offline_without_errors(browser: Any, tmp_path: Path) -> None:
    page, doc = export_page(tmp_path)
    open_page(browser, page)
    shots = shots_dir(tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(shots / "1-title-slide.png"))
    assert problems(browser) == []
    slides = doc["events"]
    count = browser.execute_script
    assert count("return document.querySelectorAll('.tl-slide').length") == len(slides) + 1  # and the title
    assert count("return document.querySelectorAll('.tl-timemarker').length") == len(slides)
    groups = {s["group"] for s in slides}
    assert count("return document.querySelectorAll('.tl-timegroup').length") == len(groups) <= MAX_ROWS
    title = count("return document.querySelector('.tl-slide-titleslide .tl-headline').textContent")
    assert title.strip() == TITLE

    # TimelineJS kept every span (it drops an end it finds redundant), so no span became a point
    spans = {s["unique_id"] for s in slides if "end_date" in s}
    with_end = set(count("return [...document.querySelectorAll('.tl-timemarker-with-end')].map(m => m.id)"))
    assert with_end == {f"{i}-marker" for i in spans}
    # every marker is tall enough for two lines of its headline, and none lies under another
    assert count("return document.querySelectorAll('.tl-timemarker-content-small').length") == 0
    assert count(COVERED_MARKERS) == []

    year = max(
        (s for s in slides if s["group"] == "Known only to the year"), key=lambda s: s["text"]["text"].count("<details")
    )
    go_to(browser, year["unique_id"])
    browser.save_screenshot(str(shots / "2-year-only-events.png"))
    current = f"document.getElementById({json.dumps(year['unique_id'])})"
    assert count(f"return {current}.querySelectorAll('details').length") == year["text"]["text"].count("<details")
    # its marker spans the year: some twelve times as wide as the marker of a month (of 31 days)
    may = next(s for s in slides if re.fullmatch(r"(January|March|May|July|August|October) \d{4}", s["display_date"]))
    width = {
        s["unique_id"]: count(f"return document.getElementById({json.dumps(s['unique_id'] + '-marker')}).offsetWidth")
        for s in (year, may)
    }
    assert 11 < width[year["unique_id"]] / width[may["unique_id"]] < 13, width
    browser.execute_script(f"{current}.querySelector('details summary').click()")
    time.sleep(0.3)
    assert count(f"return {current}.querySelector('details[open] blockquote').offsetHeight") > 0
    browser.save_screenshot(str(shots / "3-year-only-event-opened.png"))

    dense = densest_month()
    first = next(s for s in slides if f"{s['start_date']['year']:04d}-{s['start_date']['month']:02d}" == dense)
    go_to(browser, first["unique_id"])
    browser.save_screenshot(str(shots / "4-densest-month.png"))
    assert problems(browser) == []


def test_the_page_by_series_renders_too(browser: Any, tmp_path: Path) -> None:
    page, doc = export_page(tmp_path, "--group-by", "series")
    open_page(browser, page)
    browser.save_screenshot(str(shots_dir(tmp_path) / "5-by-series.png"))
    assert problems(browser) == []
    groups = {s["group"] for s in doc["events"]}
    assert browser.execute_script("return document.querySelectorAll('.tl-timegroup').length") == len(groups) <= MAX_ROWS
    assert browser.execute_script("return document.querySelectorAll('.tl-timemarker-content-small').length") == 0
