"""Offline use, release updates and sub-path hosting (GitHub Pages).

These tests serve ``dist/``-style copies of the site (``tools/dist.py``), so
they see exactly what GitHub Pages publishes, including ``sw.js``.
"""

from __future__ import annotations

import sys

import pytest
from helpers import PAGES, READY, READY_TIMEOUT_MS, ROOT, goto_ready
from playwright.sync_api import expect

sys.path.insert(0, str(ROOT / "tools"))

import build  # noqa: E402
import dist  # noqa: E402
from serve import serve_in_thread  # noqa: E402

MARKER = "/* release-2 */"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A fresh copy of the published folder."""
    out = tmp_path_factory.mktemp("site") / "dist"
    dist.assemble(out)
    return out


def wait_for_service_worker(page):
    """Until the service worker has precached everything and controls the page."""
    page.evaluate(
        """async () => {
            const registration = await navigator.serviceWorker.ready;
            while (registration.active.state !== 'activated') await new Promise(r => setTimeout(r, 50));
            while (!navigator.serviceWorker.controller) await new Promise(r => setTimeout(r, 50));
        }"""
    )


def first_control_changes(page):
    """Move a page's first range or select control; True when the lab answered."""
    control = page.locator("[data-control]").first
    if control.count() == 0:
        return None
    before = page.evaluate("window.stage07.latencies.length")
    page.eval_on_selector(
        "[data-control]",
        """el => { if (el.tagName === 'SELECT') { el.selectedIndex = (el.selectedIndex + 1) % el.options.length; }
                   else if (el.type === 'range') { el.value = el.min; }
                   else { el.value = el.value + ' offline'; }
                   el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', {bubbles: true})); }""",
    )
    page.wait_for_function("(n) => window.stage07.latencies.length > n", arg=before, timeout=10_000)
    return True


def test_every_page_works_offline_after_the_first_visit(page, context, published):
    server = serve_in_thread(root=published)
    try:
        goto_ready(page, server.url + "index.html")
        wait_for_service_worker(page)
        for path in PAGES:
            goto_ready(page, server.url + path)
        context.set_offline(True)
        for path in PAGES:
            page.goto(server.url + path)
            page.wait_for_selector(READY, state="attached", timeout=READY_TIMEOUT_MS)
            expect(page.locator("#error-panel")).to_be_empty()
            first_control_changes(page)
    finally:
        context.set_offline(False)
        server.shutdown()


def test_a_new_release_is_announced_and_used_after_reload(page, tmp_path):
    site = tmp_path / "site"
    dist.assemble(site)
    server = serve_in_thread(root=site)
    try:
        goto_ready(page, server.url + "index.html")
        wait_for_service_worker(page)
        css = "assets/vendor/pyscript/core.css"
        # Release 2 changes one vendored file; sw.js lists its new hash.
        with (site / css).open("a") as handle:
            handle.write(MARKER + "\n")
        build.build_service_worker(root=site)
        served = page.evaluate(f"async () => (await fetch('{css}')).text()")
        assert MARKER not in served, "vendored files are served cache-first until the update"
        page.reload()
        notice = page.locator("#update-notice")
        expect(notice).to_contain_text("new version", timeout=READY_TIMEOUT_MS)
        with page.expect_navigation():
            page.locator("#update-reload").click()
        page.wait_for_selector(READY, state="attached", timeout=READY_TIMEOUT_MS)
        served = page.evaluate(f"async () => (await fetch('{css}')).text()")
        assert MARKER in served
        info = page.evaluate(
            """() => new Promise(resolve => {
                const channel = new MessageChannel();
                channel.port1.onmessage = e => resolve(e.data);
                navigator.serviceWorker.controller.postMessage({type: 'version'}, [channel.port2]);
            })"""
        )
        # Exactly one file changed: every other file was reused, not downloaded.
        assert info["reused"] == info["files"] - 1
    finally:
        server.shutdown()


def test_every_page_works_under_a_sub_path(page, guard, published):
    server = serve_in_thread(root=published, prefix="/stage07/")
    try:
        assert server.url.endswith("/stage07/")
        for path in PAGES:
            goto_ready(page, server.url + path)
            expect(page.locator("#error-panel")).to_be_empty()
            expect(page.locator("nav.site-nav a").first).to_have_attribute("href", server.url + "index.html")
        # The directory URL serves the home page, as on GitHub Pages.
        goto_ready(page, server.url)
    finally:
        server.shutdown()
