"""Playwright against Debian's Chromium at a phone viewport.

Playwright's own browser download does not work here, so the launch points at
/usr/bin/chromium. The browser is started once per session (pytest-playwright's
`browser` fixture); each test gets a fresh context.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import missing

# Playwright's sync API runs an event loop; the ORM in the same test must still work.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-default-apps"]
SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.access(CHROMIUM, os.X_OK):
        # `make test` installs it as root (bin/system-packages); CI never skips (WEGWEISER_REQUIRE_ALL_TESTS).
        missing(f"no Chromium at {CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "device_scale_factor": 2, "is_mobile": True,
            "has_touch": True, "locale": "de-DE"}


@pytest.fixture
def site(live_server, page):
    """The live site in a phone browser; fails the test if anything is fetched from another host."""
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.site_url = live_server.url
    yield page
    own = urlsplit(live_server.url).netloc
    foreign = [url for url in requests if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != own]
    assert not foreign, f"requests to other hosts: {foreign}"
    assert requests, "the browser made no request at all"


def screenshot(page, name, width=None):
    """Save a full-page screenshot (git-ignored) to look at; optionally at another width."""
    SCREENSHOTS.mkdir(exist_ok=True)
    if width:
        page.set_viewport_size({"width": width, "height": PHONE["height"]})
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    if width:
        page.set_viewport_size(PHONE)
