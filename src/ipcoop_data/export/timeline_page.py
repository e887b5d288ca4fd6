"""A standalone HTML page that shows the timeline: one file, offline, the same bytes every time.

The page holds everything it needs: TimelineJS (vendored, pinned, unchanged: ``vendor/timelinejs``),
its stylesheet and icon font, and the timeline document itself. A page opened from a file://
URL may not fetch a JSON file beside it (browsers refuse it), and a CDN would make it depend on
the network and on whatever the CDN serves that day; so nothing is fetched. TimelineJS's own
fetches are switched off: its default font (from Google Fonts) by ``font: null``, its language by
English, which it has built in.
"""

from __future__ import annotations

import base64
import json
import os
from functools import cache
from html import escape
from importlib.resources import files
from pathlib import Path
from typing import Any

from ipcoop_data.export.jsonstream import StreamedList

#: The TimelineJS release in ``vendor/timelinejs`` (its README says how to update it).
TIMELINEJS_VERSION = "3.9.11"
TIMELINEJS_SOURCE = "https://github.com/NUKnightLab/TimelineJS3"
_VENDOR = "vendor/timelinejs"

#: TimelineJS options, chosen by looking at the page at 1600x900 (and 1280x720, 1920x1080): the
#: navigation takes 55% of the window, which at 36 pixels a row gives the 7 or 8 groups their rows
#: and room for the markers of one month to stand one above the other, each 31 pixels high or more
#: (at half the window, two October 2021 markers of the "Other" row came to lie on each other once
#: February 2022 held two treaty markers and the agreements row took a second line; 53% is the
#: least that separates them, 55% leaves a margin)
#: (TimelineJS shows two lines of a headline from 31 pixels, one line below); 13 screen widths for
#: the whole timeline make a month about 180 pixels wide, so a marker shows some 50 characters.
OPTIONS: dict[str, Any] = {
    "font": None,
    "language": "en",
    "hash_bookmark": False,
    "timenav_height_percentage": 55,
    "timenav_mobile_height_percentage": 55,
    "marker_height_min": 36,
    "scale_factor": 13,
}

#: Beside TimelineJS's stylesheet: the page fills the window, the icon font comes from the page
#: itself (the stylesheet names files beside it), and the text of a digest slide reads as a list.
_PAGE_CSS = """\
html, body { height: 100%; margin: 0; }
#timeline { width: 100%; height: 100%; }
.tl-slide-content details { margin: 0 0 0.4em 0; }
.tl-slide-content details summary { cursor: pointer; font-weight: bold; }
.tl-slide-content details[open] { margin-bottom: 1em; }
.tl-timeline .tl-slide-content h3 { font-size: 20px; line-height: 1.3; margin: 1em 0 0.4em 0; }
noscript p { font: 16px/1.5 sans-serif; margin: 2em; }
"""


def page_path(json_path: str | os.PathLike[str]) -> Path:
    """``ipcoop-data.timeline.json`` -> ``ipcoop-data.timeline.html``; any other name gets ``.html`` added."""
    path = Path(json_path)
    return path.with_suffix(".html") if path.suffix == ".json" else path.with_name(path.name + ".html")


@cache
def _vendored(name: str) -> bytes:
    return files("ipcoop_data.export").joinpath(f"{_VENDOR}/{name}").read_bytes()


def script_safe(json_text: str) -> str:
    """JSON safe inside <script>: no '<' at all, so no '</script>' or '<!--' can end or bend the element.

    Character by character, so the pieces of a document can be made safe one at a time.
    """
    return json_text.replace("<", "\\u003c")


def _script_json(value: Any) -> str:
    return script_safe(json.dumps(value, ensure_ascii=False, sort_keys=True))


def script_form(title: dict[str, Any]) -> StreamedList:
    """The spelling of the page's copy of the timeline document (before ``script_safe``), slides streamed."""
    return StreamedList.around({"title": title}, "events", ensure_ascii=False, sort_keys=True)


def page_html(document: dict[str, Any], version: str) -> str:
    """The page for a timeline document (``export.timeline.timeline_document``)."""
    return "".join(page_parts(document, version))


def page_parts(document: dict[str, Any], version: str) -> list[str]:
    """The page in pieces: the page around the document, and the document's text."""
    head, tail = page_frame(version)
    return [*head, _script_json(document), *tail]


def page_frame(version: str) -> tuple[list[str], list[str]]:
    """The page before the timeline document's text and after it, in pieces.

    The document's text goes between them, made safe by ``script_safe``: ``to_timeline`` writes it
    a slide at a time, so that neither it nor the page is ever held whole.
    """
    icons = base64.b64encode(_vendored("tl-icons.woff2")).decode("ascii")
    title = f"International cooperation in intellectual property: a timeline (ipcoop-data {version})"
    notice = (
        f"TimelineJS {TIMELINEJS_VERSION}, Northwestern University Knight Lab. This Source Code Form is "
        "subject to the terms of the Mozilla Public License, v. 2.0 (https://mozilla.org/MPL/2.0/). "
        f"Its source form: {TIMELINEJS_SOURCE} (tag {TIMELINEJS_VERSION}), and the npm package "
        f"@knight-lab/timelinejs@{TIMELINEJS_VERSION}. It bundles DOMPurify: "
        + _vendored("timeline.js.LICENSE.txt").decode("utf-8").strip().removeprefix("/*!").removesuffix("*/").strip()
    )
    license_text = _vendored("LICENSE").decode("utf-8")
    head = [
        "<!DOCTYPE html>\n",
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{escape(title)}</title>\n",
        f"<!--\n{escape(notice)}\n-->\n",
        f"<style>\n{_vendored('timeline.css').decode('utf-8')}\n</style>\n",
        "<style>\n",
        "@font-face { font-family: 'tl-icons'; font-weight: normal; font-style: normal;\n",
        f"  src: url(data:font/woff2;base64,{icons}) format('woff2'); }}\n",
        _PAGE_CSS,
        "</style>\n</head>\n<body>\n",
        '<div id="timeline"></div>\n',
        "<noscript><p>This timeline needs JavaScript. The same events are in the JSON file written "
        "beside this page (ipcoop-data.timeline.json).</p></noscript>\n",
        '<script type="application/json" id="timeline-data">',
    ]
    tail = [
        "</script>\n",
        f'<pre id="timelinejs-license" hidden>{escape(license_text)}</pre>\n',
        f"<script>\n/* {notice} */\n{_vendored('timeline.js').decode('utf-8')}\n</script>\n",
        "<script>\n",
        "var data = JSON.parse(document.getElementById('timeline-data').textContent);\n",
        f"window.timeline = new TL.Timeline('timeline', data, {_script_json(OPTIONS)});\n",
        "</script>\n</body>\n</html>\n",
    ]
    return head, tail
