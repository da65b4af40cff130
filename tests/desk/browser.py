"""Open a page in headless Chromium (Debian's ``chromium``) from a file:// URL with the
network off, and return the DOM after its scripts ran, plus a screenshot."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

#: HTML elements that never have an end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def chromium() -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:  # .ci/run installs it; a test that needs it fails rather than skips
        raise RuntimeError("chromium is not installed: apt-get install -y chromium (as .ci/run does)")
    return binary


def _offline_prefix() -> list[str]:
    """Run in a network namespace of its own (no interface but a down loopback) when allowed."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "--net", "true"], capture_output=True).returncode == 0:
        return [unshare, "--net"]
    return []


def render(page: Path, out_dir: Path, width: int = 1400, height: int = 2400) -> tuple[str, Path]:
    """(the DOM after the page's scripts ran, the path of a PNG screenshot)."""
    screenshot = out_dir / f"{page.stem}.png"
    # The profile lives outside the test's folder: Chromium leaves socket links in it.
    with tempfile.TemporaryDirectory(prefix="chromium-", ignore_cleanup_errors=True) as profile:
        return _render(page, screenshot, Path(profile), width, height)


def _render(page: Path, screenshot: Path, profile: Path, width: int, height: int) -> tuple[str, Path]:
    command = [
        *_offline_prefix(),
        chromium(),
        "--headless",
        "--no-sandbox",  # we run as root in CI
        "--disable-gpu",
        "--no-first-run",
        # Every request that would leave the machine goes to a closed port.
        "--proxy-server=http://127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        "--virtual-time-budget=30000",
    ]
    url = page.resolve().as_uri()
    dom = subprocess.run([*command, "--dump-dom", url], capture_output=True, text=True, timeout=180, check=True)
    subprocess.run([*command, f"--screenshot={screenshot}", url], capture_output=True, timeout=180, check=True)
    return dom.stdout, screenshot


class _Counter(HTMLParser):
    """Counts (tag, class) pairs under each element whose id is watched."""

    def __init__(self, ids: set[str]):
        super().__init__()
        self.ids, self.stack = ids, []  # stack of (tag, watched id or None)
        self.counts: dict[str, Counter] = {i: Counter() for i in ids}
        self.attributes: dict[str, dict] = {}

    def _inside(self) -> str | None:
        return next((i for _, i in reversed(self.stack) if i), None)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.attributes[attrs["id"]] = attrs
        watched = attrs.get("id") if attrs.get("id") in self.ids else None
        inside = watched or self._inside()
        if inside:
            for name in (attrs.get("class") or "").split() or [""]:
                self.counts[inside][(tag, name)] += 1
        if tag not in VOID:
            self.stack.append((tag, watched))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


def count_elements(dom: str, ids: set[str]) -> tuple[dict[str, Counter], dict[str, dict]]:
    """For each watched id, how many elements of each (tag, class) it holds; and every id's attributes."""
    parser = _Counter(ids)
    parser.feed(dom)
    return parser.counts, parser.attributes
