"""Helpers shared by the end-to-end tests (imported as ``helpers``)."""

from __future__ import annotations

import math
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

READY = "html[data-py-ready=true]"
READY_TIMEOUT_MS = 30_000

# Every page of the site, from the one list that also builds the navigation.
PAGES = re.findall(r'href: "([^"]+\.html)"', (ROOT / "assets" / "js" / "site.js").read_text())


def goto_ready(page, path: str):
    """Open ``path`` and wait for the page contract's ready signal."""
    page.goto(path)
    page.wait_for_selector(READY, state="attached", timeout=READY_TIMEOUT_MS)
    return page


def readout(page, element_id: str) -> float:
    """The raw number of a read-out (its data-value)."""
    value = page.get_attribute(f"#{element_id}", "data-value")
    assert value is not None, f"#{element_id} has no data-value"
    return float(value)


def set_value(page, selector: str, value) -> None:
    """Set a control's value the way a person's input would, firing input+change."""
    page.eval_on_selector(
        selector,
        """(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true}));
                        el.dispatchEvent(new Event('change', {bubbles: true})); }""",
        str(value),
    )


def assert_same(ours, theirs, path="result"):
    """Equal JSON-like values; floats to 1e-12 relative (last-digit libm differences)."""
    if isinstance(ours, float) or isinstance(theirs, float):
        assert math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=0.0), f"{path}: {ours!r} != {theirs!r}"
    elif isinstance(ours, dict):
        assert set(ours) == set(theirs), f"{path}: keys differ"
        for key in ours:
            assert_same(ours[key], theirs[key], f"{path}.{key}")
    elif isinstance(ours, list):
        assert len(ours) == len(theirs), f"{path}: lengths differ"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same(a, b, f"{path}[{i}]")
    else:
        assert ours == theirs, f"{path}: {ours!r} != {theirs!r}"


def wait_for_url_state(page) -> None:
    """Wait until the URL query holds every control's current value: the lab
    writes it (history.replaceState) once input has rested for 250 ms."""
    page.wait_for_function(
        """() => { const q = new URLSearchParams(location.search);
            return [...document.querySelectorAll('[data-control]')].every(el =>
                q.get(el.id) === (el.type === 'checkbox' ? (el.checked ? '1' : '0') : el.value)); }"""
    )


def go_live(page) -> None:
    """Move the pointer, as a learner reaching for the lab does: the page then
    loads BokehJS in place of its static pictures (py/pages/lab.py)."""
    page.mouse.move(5, 5)
    page.mouse.move(40, 60)


def draw_all_plots(page) -> None:
    """Make the plots live, scroll every one into view and wait until BokehJS
    has drawn it: the lab draws each figure only as it nears the viewport."""
    go_live(page)
    boxes = page.locator(".plot-box")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        box.scroll_into_view_if_needed()
        box_id = box.get_attribute("id")
        page.wait_for_selector(f"#{box_id}[data-drawn=true]", state="attached", timeout=READY_TIMEOUT_MS)


def expect_view_readouts(page, page_key: str, raw: dict, keys=None) -> dict:
    """Wait until every read-out in ``keys`` (default: every read-out of the
    view) shows what the page's pure view computes for the raw control values
    ``raw`` (its data-value and its text); returns that view, for its
    captions and panels."""
    from playwright.sync_api import expect

    from course import views

    expected = views.render(page_key, raw)
    for key in expected["readouts"] if keys is None else keys:
        expect(page.locator(f"#{key}")).to_have_attribute("data-value", expected["readouts"][key]["value"])
        expect(page.locator(f"#{key}")).to_have_text(expected["readouts"][key]["text"])
    return expected
