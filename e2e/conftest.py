"""End-to-end fixtures: the site served on an ephemeral loopback port, driven
by Debian's Chromium through pytest-playwright, with guards that fail a test
on any console error, any failed request (4xx/5xx or network error) and any
request that leaves loopback.

Chromium is launched by path (``CHROMIUM``, default ``/usr/bin/chromium``):
``playwright install`` cannot download browsers on this project's machines.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "py"))
sys.path.insert(0, str(ROOT / "e2e"))

from helpers import READY  # noqa: E402
from serve import serve_in_thread  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]



@pytest.fixture(scope="session")
def server():
    srv = serve_in_thread()
    yield srv
    srv.shutdown()


@pytest.fixture(scope="session")
def base_url(server):
    """pytest-playwright's base_url: relative page.goto() paths resolve here."""
    return server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def _is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "file"):
        return True
    return parts.hostname in ("127.0.0.1", "localhost", "::1")


class Guard:
    """Collects what must never happen on a page."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.failed_requests: list[str] = []
        self.outside_requests: list[str] = []
        self.allowed_console: list[str] = []

    def attach(self, page):
        def on_console(message):
            if message.type == "error":
                text = message.text
                if not any(allowed in text for allowed in self.allowed_console):
                    self.console_errors.append(text)

        def on_response(response):
            if response.status >= 400:
                self.failed_requests.append(f"{response.status} {response.url}")

        def on_failed(request):
            failure = request.failure or ""
            # A navigation away cancels in-flight requests: not a failure.
            if "ERR_ABORTED" not in failure:
                self.failed_requests.append(f"{failure} {request.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"pageerror: {error}"))
        page.on("response", on_response)
        page.on("requestfailed", on_failed)

    def check(self):
        problems = []
        if self.console_errors:
            problems.append("console errors:\n  " + "\n  ".join(self.console_errors))
        if self.failed_requests:
            problems.append("failed requests:\n  " + "\n  ".join(self.failed_requests))
        if self.outside_requests:
            problems.append("requests outside loopback:\n  " + "\n  ".join(self.outside_requests))
        assert not problems, "\n".join(problems)


@pytest.fixture
def context(context):
    """Every request that leaves loopback is recorded and aborted."""
    outside: list[str] = []

    def route(route):
        if _is_loopback(route.request.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    context.outside_requests = outside
    return context


@pytest.fixture
def guard(page, context):
    """Attach to ``page``; fails the test at teardown on errors or leaks."""
    g = Guard()
    g.attach(page)
    yield g
    g.outside_requests = list(context.outside_requests)
    g.check()
