"""Accessibility: axe-core finds no violations on any page, in the light and
the dark colour scheme, once Python has run (read-outs filled, plots drawn)."""

from __future__ import annotations

import pytest
from helpers import PAGES, ROOT, goto_ready

AXE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()


def axe_violations(page) -> list[dict]:
    # evaluate() runs through the DevTools protocol, so the page's CSP (which
    # forbids inline scripts) does not block the injected axe-core source.
    page.evaluate(AXE + "\n;undefined")
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
        }"""
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations(browser, base_url, path, scheme):
    context = browser.new_context(base_url=base_url, color_scheme=scheme)
    page = context.new_page()
    try:
        goto_ready(page, path)
        # Scroll through the page so every lazily drawn plot is on the page.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(300)
        violations = axe_violations(page)
        assert violations == [], "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in violations)
    finally:
        context.close()
