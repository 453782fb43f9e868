"""Helpers shared by the end-to-end tests (imported as ``helpers``)."""

from __future__ import annotations

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
