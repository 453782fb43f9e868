"""What every lab owes a learner, checked the same way on every page:

* a plot is on the page before Python is ready (a static picture of the
  build-time view), so no lab opens blank;
* BokehJS is not loaded until the learner reaches for the lab, then it
  replaces every picture it reaches; a link whose view differs from the
  pictured one gets the live plots without any interaction;
* the lab's main control is reachable with the Tab key alone, shows a visible
  focus ring, and moves with the arrow keys, updating the read-outs.
"""

from __future__ import annotations

import pytest
from helpers import PAGES, READY, READY_TIMEOUT_MS, ROOT, draw_all_plots, goto_ready

LAB_PAGES = [path for path in PAGES if 'id="plot-' in (ROOT / path).read_text()]
MAX_TABS = 250


STATIC_SHOWN = """() => [...document.querySelectorAll('.plot-box')].every(box => {
    const img = box.querySelector('img.plot-static');
    return img && img.complete && img.naturalWidth > 0 && box.getAttribute('data-drawn') === 'static'; })"""


@pytest.mark.parametrize("path", LAB_PAGES)
def test_a_plot_is_present_before_python_is_ready(page, guard, path):
    page.goto(path)
    page.wait_for_function(STATIC_SHOWN, timeout=READY_TIMEOUT_MS)
    assert page.evaluate("!document.documentElement.hasAttribute('data-py-ready')"), "the plot came only after Python"
    page.wait_for_selector(READY, state="attached", timeout=READY_TIMEOUT_MS)
    # Only a learner's interaction brings in BokehJS: a reading visit never
    # pays for it.
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.Bokeh === 'undefined'"), "BokehJS was loaded without any interaction"
    assert page.evaluate(STATIC_SHOWN)


@pytest.mark.parametrize("path", LAB_PAGES)
def test_the_first_interaction_swaps_each_picture_for_its_live_figure(page, guard, path):
    goto_ready(page, path)
    draw_all_plots(page)
    assert page.evaluate("document.querySelectorAll('img.plot-static').length") == 0
    # The live figure takes the height the box reserved for it: no layout shift.
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.plot-box[style]')].map(b =>
            [b.id, parseFloat(b.style.minHeight), b.getBoundingClientRect().height])"""
    )
    for box_id, reserved, height in boxes:
        assert height == pytest.approx(reserved, abs=1), box_id


def test_a_link_to_another_view_gets_live_plots_without_interaction(page, guard):
    goto_ready(page, "lessons/scaling-laws.html?log-n=9.5")
    page.locator("#plot-landscape").scroll_into_view_if_needed()
    page.wait_for_selector("#plot-landscape[data-drawn=true]", state="attached", timeout=READY_TIMEOUT_MS)


def _main_control(page) -> str:
    """The lab's main control: its first slider (else its first control)."""
    return page.evaluate(
        """() => { const all = [...document.querySelectorAll('[data-control]')].filter(el => el.offsetParent !== null);
                   const slider = all.find(el => el.type === 'range');
                   return (slider || all[0]).id; }"""
    )


def _readout_values(page) -> dict:
    return page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('[data-value]')].map(el => [el.id, el.getAttribute('data-value')]))"
    )


@pytest.mark.parametrize("path", [p for p in PAGES if 'data-control' in (ROOT / p).read_text()])
def test_main_control_works_from_the_keyboard_alone(page, guard, path):
    goto_ready(page, path)
    control = _main_control(page)
    # Reach it with Tab, as a keyboard user would.
    page.locator("body").focus()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == control:
            break
    else:
        pytest.fail(f"#{control} is not reachable with Tab within {MAX_TABS} presses")
    ring = page.evaluate(
        """(id) => { const s = getComputedStyle(document.getElementById(id));
                     return {style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }""",
        control,
    )
    assert ring["style"] != "none" and ring["width"] >= 2, f"#{control} has no visible focus ring: {ring}"
    before = _readout_values(page)
    count = page.evaluate("window.stage07.latencies.length")
    kind = page.evaluate("(id) => document.getElementById(id).type", control)
    page.keyboard.press("ArrowRight" if kind == "range" else "ArrowDown")
    page.wait_for_function("(n) => window.stage07.latencies.length > n", arg=count, timeout=10_000)
    after = _readout_values(page)
    assert any(after.get(key) != value for key, value in before.items()), f"moving #{control} changed no read-out"
