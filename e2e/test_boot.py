"""The foundation's end-to-end contract: every page starts, Python runs in the
page from vendored files only, and every start-up failure is explained."""

from __future__ import annotations

import json
import math

import pytest
from helpers import PAGES, READY, READY_TIMEOUT_MS, ROOT, assert_same, goto_ready, readout, set_value
from playwright.sync_api import expect

from course import selfcheck, views

PANEL = "#error-panel"


@pytest.mark.parametrize("path", PAGES)
def test_every_page_reaches_ready_without_errors(page, guard, path):
    goto_ready(page, path)
    expect(page.locator(PANEL)).to_be_empty()
    # The shared header lists every page, marking the current one.
    nav = page.locator("nav.site-nav a")
    expect(nav).to_have_count(len(PAGES))
    expect(page.locator('nav.site-nav a[aria-current="page"]')).to_have_count(1)
    # Every standard-library and course module the worker loaded came from
    # the build's bytecode, none was compiled in the browser (tools/pycompile.py).
    loaded = json.loads(page.evaluate("async () => await window.stage07.maths.bytecode_report()"))
    assert "course.views" in loaded and "json" in loaded
    compiled_here = sorted(name for name, how in loaded.items() if how != "bytecode")
    assert not compiled_here, f"compiled from source in the browser: {compiled_here}; rebuild (tools/build.py)"


def test_home_slider_updates_readouts_like_the_module(page, guard):
    goto_ready(page, "index.html")
    for value in ("20.5", "25.25"):
        set_value(page, "#home-log-c", value)
        expected = views.render("home", {"home-log-c": value})["readouts"]
        for key in ("home-params", "home-tokens", "home-cost"):
            expect(page.locator(f"#{key}")).to_have_attribute("data-value", expected[key]["value"])
            expect(page.locator(f"#{key}")).to_have_text(expected[key]["text"])
    assert math.isclose(readout(page, "home-tokens"), 20 * readout(page, "home-params"), rel_tol=1e-12)


def test_home_plot_is_drawn_before_python_is_ready(page, guard):
    """The first plot is a picture of the build-time view, not from the worker."""
    page.goto("index.html")
    page.wait_for_selector("#plot-home-size[data-drawn=static] img.plot-static", state="attached", timeout=READY_TIMEOUT_MS)
    drawn_before_ready = page.evaluate("!document.documentElement.hasAttribute('data-py-ready')")
    assert drawn_before_ready
    page.wait_for_selector(READY, state="attached", timeout=READY_TIMEOUT_MS)


def test_pure_modules_give_the_same_numbers_under_pyodide_as_cpython(page, guard):
    goto_ready(page, "index.html")
    in_page = json.loads(page.evaluate("async () => await window.stage07.maths.self_check()"))
    in_cpython = json.loads(json.dumps(selfcheck.run()))
    assert set(in_page) == set(in_cpython)
    assert_same(in_page, in_cpython)
    version = page.evaluate("async () => await window.stage07.maths.python_version()")
    assert version.startswith("3.14"), "the worker should be Pyodide's CPython 3.14"


def test_pyodide_starts_after_the_main_thread_and_downloads_once(page, guard):
    """The worker's Pyodide starts once MicroPython's start-up is done (two
    starts competing for two cores made the main thread's long task up to
    four times longer), while the runtime downloads from the beginning and
    only once (pyodide-loader.mjs: mainThreadStarted, prefetch)."""
    page.add_init_script(
        """window.__boot = [];
        new BroadcastChannel("stage07-boot").onmessage = (event) =>
          window.__boot.push([event.data.type, event.data.stage || "", performance.now()]);"""
    )
    wasm_requests = []
    page.on("request", lambda request: wasm_requests.append(request.url) if request.url.endswith("pyodide.asm.wasm") else None)
    goto_ready(page, "lessons/scaling-laws.html")
    boot = page.evaluate("window.__boot")
    kinds = [kind if not stage else f"{kind}:{stage}" for kind, stage, _ in boot]
    assert "main-started" in kinds and "progress:interpreter" in kinds, kinds
    assert kinds.index("main-started") < kinds.index("progress:interpreter"), kinds
    assert len(wasm_requests) == 1, wasm_requests


def test_missing_vendored_file_is_explained(page):
    page.route("**/assets/vendor/pyodide/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="gone"))
    page.goto("index.html")
    panel = page.locator(PANEL)
    expect(panel).to_contain_text("assets/vendor/pyodide/pyodide.asm.wasm is missing (HTTP 404)", timeout=READY_TIMEOUT_MS)
    expect(panel).to_contain_text("./dev serve")
    expect(panel).to_have_attribute("role", "alert")
    # The picture of the build-time view stays: the page is never blank.
    expect(page.locator("#plot-home-size img.plot-static")).to_be_visible()


def test_missing_precompiled_standard_library_is_explained(page):
    """Without the build's python_stdlib.zip CPython cannot start; the panel
    names the file instead of waiting for the watchdog."""
    page.route("**/assets/build/python_stdlib.zip", lambda route: route.fulfill(status=404, body="gone"))
    page.goto("lessons/scaling-laws.html")
    panel = page.locator(PANEL)
    expect(panel).to_contain_text("assets/build/python_stdlib.zip is missing (HTTP 404)", timeout=READY_TIMEOUT_MS)
    expect(panel).to_contain_text("./dev serve")
    expect(page.locator("#plot-landscape img.plot-static")).to_be_visible()


def test_corrupt_vendored_file_is_explained(page):
    page.route(
        "**/assets/vendor/micropython/micropython.wasm",
        lambda route: route.fulfill(status=200, body=b"\x00asm-not-really", content_type="application/wasm"),
    )
    page.goto("lessons/long-context.html")
    expect(page.locator(PANEL)).to_contain_text("micropython.wasm is corrupt", timeout=READY_TIMEOUT_MS)


def test_page_opened_from_file_url_says_it_must_be_served(page):
    page.goto((ROOT / "index.html").as_uri())
    panel = page.locator(PANEL)
    expect(panel).to_contain_text("must be served over HTTP")
    expect(panel).to_contain_text("./dev serve")
    # The navigation still renders, so the page is not blank.
    expect(page.locator("nav.site-nav a")).to_have_count(len(PAGES))


def test_browser_without_webassembly_is_told_so(page):
    page.add_init_script("delete globalThis.WebAssembly")
    page.goto("index.html")
    expect(page.locator(PANEL)).to_contain_text("cannot run the Python")


def test_exception_in_page_code_is_shown_in_the_panel(page):
    page.route(
        "**/py/pages/exercise.py",
        lambda route: route.fulfill(status=200, body="raise RuntimeError('boom from page code')\n"),
    )
    page.goto("lessons/exercise.html")
    panel = page.locator(PANEL)
    expect(panel).to_contain_text("raised an error", timeout=READY_TIMEOUT_MS)
    expect(panel).to_contain_text("boom from page code")
