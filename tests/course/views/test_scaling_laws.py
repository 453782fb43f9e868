"""The scaling-laws view: read-outs, plot columns, validation, URL round trip
and the numbers the lesson's prose states."""

from __future__ import annotations

import base64
import io
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from bokeh.palettes import Viridis256
from PIL import Image

from course import scaling, views
from course.views import scaling_laws as v

PAGE = "scaling-laws"
HTML = Path(__file__).resolve().parents[3] / "lessons" / "scaling-laws.html"


def render(**raw):
    return views.render(PAGE, {key.replace("_", "-"): value for key, value in raw.items()})


def value(result, key):
    return float(result["readouts"][key]["value"])


# ---------------------------------------------------------------- read-outs


def test_defaults_are_chinchilla_on_h100s():
    result = render()
    assert result["state"] == {
        "log-n": 10.85, "log-d": 12.15, "fit": "hoffmann",
        "gpu-peak-flops": 989.4, "mfu": 0.4, "usd-per-gpu-hour": 2.0,
    }
    assert result["notices"] == {}


def test_readouts_by_hand():
    result = render(log_n="10", log_d="12", fit="hoffmann", gpu_peak_flops="1000", mfu="0.5", usd_per_gpu_hour="3")
    # N = 1e10, D = 1e12: L = 1.69 + 406.4 / 1e10^0.34 + 410.7 / 1e12^0.28.
    assert value(result, v.LOSS) == pytest.approx(1.69 + 406.4 * 10 ** (-3.4) + 410.7 * 10 ** (-3.36), rel=1e-12)
    assert value(result, v.FLOPS) == pytest.approx(6e22, rel=1e-12)
    assert value(result, v.TOKENS_PER_PARAM) == pytest.approx(100.0, rel=1e-12)
    # 6e22 FLOP / (1e15 FLOP/s × 0.5) / 3600 s/h = 33,333.3 GPU-hours, at $3.
    assert value(result, v.GPU_HOURS) == pytest.approx(6e22 / 5e14 / 3600, rel=1e-12)
    assert value(result, v.COST) == pytest.approx(3 * 6e22 / 5e14 / 3600, rel=1e-12)
    assert result["readouts"][v.COST]["text"] == "$100,000"
    # The 20-tokens rule: N = sqrt(C / 120) = sqrt(5e20).
    assert value(result, v.RULE_PARAMS) == pytest.approx(math.sqrt(5e20), rel=1e-12)
    assert value(result, v.RULE_TOKENS) == pytest.approx(20 * math.sqrt(5e20), rel=1e-12)


@pytest.mark.parametrize("fit", ["hoffmann", "epoch"])
def test_optimum_readouts_are_the_modules_closed_form(fit):
    result = render(log_n="9.3", log_d="11.7", fit=fit)
    flops = 6 * 10**9.3 * 10**11.7
    n, d = scaling.compute_optimal(flops, fit)
    assert value(result, v.OPT_PARAMS) == pytest.approx(n, rel=1e-12)
    assert value(result, v.OPT_TOKENS) == pytest.approx(d, rel=1e-12)
    assert value(result, v.OPT_RATIO) == pytest.approx(d / n, rel=1e-12)
    assert value(result, v.OPT_LOSS) == pytest.approx(scaling.optimal_loss(flops, fit), rel=1e-12)
    assert value(result, v.OPT_LOSS) <= value(result, v.LOSS)
    assert value(result, v.OPT_LOSS) <= value(result, v.RULE_LOSS)


def test_same_loss_readouts_trade_training_for_serving():
    # Llama 3 8B: far more tokens than optimal. The optimal model with its
    # loss is bigger (serves each token at a higher cost) and trains cheaper.
    result = render(log_n=f"{math.log10(8e9):.2f}", log_d=f"{math.log10(15e12):.2f}", fit="epoch")
    loss = value(result, v.LOSS)
    same_flops = value(result, v.SAME_LOSS_FLOPS)
    assert scaling.optimal_loss(same_flops, "epoch") == pytest.approx(loss, rel=1e-12)
    assert value(result, v.EXTRA_COMPUTE) == pytest.approx(value(result, v.FLOPS) / same_flops - 1, rel=1e-12)
    assert value(result, v.EXTRA_COMPUTE) > 3
    assert value(result, v.SERVE_RATIO) < 0.3
    assert value(result, v.SERVE_RATIO) == pytest.approx(10**9.9 / value(result, v.SAME_LOSS_PARAMS), rel=1e-12)


def test_at_the_optimum_no_compute_is_wasted():
    n, d = scaling.compute_optimal(1e23, "epoch")
    result = render(log_n=f"{math.log10(n):.2f}", log_d=f"{math.log10(d):.2f}", fit="epoch")
    assert 0 <= value(result, v.EXTRA_COMPUTE) < 1e-3
    assert value(result, v.SERVE_RATIO) == pytest.approx(1.0, abs=0.03)


# ---------------------------------------------------------------- plot columns


def test_iso_flop_line_passes_through_the_point_at_constant_compute():
    result = render(log_n="9.5", log_d="12.2")
    line = result["sources"][v.ISO_LINE]
    sums = [x + y for x, y in zip(line[v.X], line[v.Y])]
    assert sums == pytest.approx([21.7, 21.7], abs=2e-5)  # log10(N D) fixed: C fixed
    assert result["sources"][v.HERE] == {v.X: [9.5], v.Y: [12.2]}
    # Its ends lie on the edges of the plot.
    for x, y in zip(line[v.X], line[v.Y]):
        assert min(abs(x - e) for e in v.BOX_N) < 1e-9 or min(abs(y - e) for e in v.BOX_D) < 1e-9


def test_optimum_and_rule_points_lie_on_the_iso_flop_line():
    result = render(log_n="11.3", log_d="11.1", fit="epoch")
    for name in (v.OPTIMUM, v.RULE_POINT):
        point = result["sources"][name]
        assert point[v.X][0] + point[v.Y][0] == pytest.approx(22.4, abs=2e-5)
    rule = result["sources"][v.RULE_POINT]
    assert rule[v.Y][0] - rule[v.X][0] == pytest.approx(math.log10(20), abs=2e-5)


@pytest.mark.parametrize("fit", ["hoffmann", "epoch"])
def test_frontier_is_the_closed_form_optimum_of_the_selected_fit(fit):
    frontier = render(fit=fit)["sources"][v.FRONTIER]
    assert len(frontier[v.X]) == 2
    for x, y in zip(frontier[v.X], frontier[v.Y]):
        n, d = scaling.compute_optimal(6 * 10 ** (x + y), fit)
        assert (math.log10(n), math.log10(d)) == pytest.approx((x, y), abs=1e-4)


def test_switching_the_fit_changes_the_frontier_and_the_optimum():
    hoffmann, epoch = render(fit="hoffmann"), render(fit="epoch")
    assert hoffmann["sources"][v.FRONTIER] != epoch["sources"][v.FRONTIER]
    assert value(hoffmann, v.OPT_RATIO) > 60 and 15 < value(epoch, v.OPT_RATIO) < 25


def test_rule_line_is_d_equals_20_n():
    line = render()["sources"][v.RULE_LINE]
    for x, y in zip(line[v.X], line[v.Y]):
        assert y - x == pytest.approx(math.log10(20), abs=2e-5)


@pytest.mark.parametrize("fit", ["hoffmann", "epoch"])
def test_landscape_picture_is_the_loss_colour_mapped(fit):
    """Decode the PNG (Pillow) and compare every pixel with the loss at its
    cell centre, computed with numpy and coloured with Bokeh's Viridis256."""
    url = render(fit=fit)["sources"][v.GRID][v.URL][0]
    pixels = np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB"))
    cells = v.GRID_CELLS
    assert pixels.shape == (cells, cells, 3)
    f = scaling.FITS[fit]
    step = 6.0 / cells
    log_n = v.BOX_N[0] + (np.arange(cells) + 0.5) * step
    log_d = v.BOX_D[1] - (np.arange(cells) + 0.5) * step  # the picture's top row is the largest D
    loss = f.E + f.A * 10.0 ** (-f.alpha * log_n)[None, :] + f.B * 10.0 ** (-f.beta * log_d)[:, None]
    index = np.clip(np.floor((loss - v.COLOUR_LOW) / (v.COLOUR_HIGH - v.COLOUR_LOW) * 256), 0, 255).astype(int)
    rgb = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in Viridis256])
    np.testing.assert_array_equal(pixels, rgb[index])


@pytest.mark.parametrize("fit", ["hoffmann", "epoch"])
def test_contours_are_at_their_levels(fit):
    f = scaling.FITS[fit]
    result = render(fit=fit)
    contours, labels = result["sources"][v.CONTOURS], result["sources"][v.CONTOUR_LABELS]
    assert len(contours[v.XS]) == len(labels[v.LABEL]) >= 6
    for xs, ys, level in zip(contours[v.XS], contours[v.YS], labels[v.LABEL]):
        x, y = np.array(xs), np.array(ys)
        assert np.all((x >= v.BOX_N[0]) & (x <= v.BOX_N[1]) & (y >= v.BOX_D[0]) & (y <= v.BOX_D[1]))
        loss = f.E + f.A * 10.0 ** (-f.alpha * x) + f.B * 10.0 ** (-f.beta * y)
        # Points are rounded to 1e-3 decade; the loss changes by at most 1.3
        # nats per decade in the plot (small N), so by under 1.5e-3 here.
        np.testing.assert_allclose(loss, float(level), atol=1.5e-3)


def test_iso_flop_curve_has_its_minimum_at_the_optimum():
    result = render(log_n="10.2", log_d="12.6", fit="hoffmann")
    curve = result["sources"][v.CURVE]
    n, loss = np.array(curve[v.PARAMS]), np.array(curve[v.LOSS_COL])
    flops = 6 * 10**10.2 * 10**12.6
    f = scaling.FITS["hoffmann"]
    np.testing.assert_allclose(loss, f.E + f.A / n**f.alpha + f.B / (flops / (6 * n)) ** f.beta, atol=1e-5)
    n_opt = value(result, v.OPT_PARAMS)
    assert n[np.argmin(loss)] == pytest.approx(n_opt, rel=0.1)
    assert loss.min() >= value(result, v.OPT_LOSS) - 1e-5
    assert result["sources"][v.CURVE_MIN] == {v.PARAMS: [n_opt], v.LOSS_COL: [round(value(result, v.OPT_LOSS), 5)]}
    # The curve spans the learner's N, the optimum and the rule's N.
    assert n.min() < min(10**10.2, n_opt, value(result, v.RULE_PARAMS)) < max(10**10.2, n_opt) < n.max()


def test_real_models_are_plotted_where_they_were_trained():
    models = render()["sources"][v.MODELS]
    assert models[v.LABEL] == [m.name for m in scaling.REAL_MODELS]
    for m, x, y in zip(scaling.REAL_MODELS, models[v.X], models[v.Y]):
        assert (x, y) == pytest.approx((math.log10(m.n_params), math.log10(m.n_tokens)), abs=1e-5)


def test_landscape_and_contours_are_computed_once_per_fit():
    render(log_n="8", fit="epoch")
    before = (v.landscape.cache_info(), v.contours.cache_info(), scaling.loss_grid.cache_info())
    for log_n in ("8.5", "9", "12.99"):
        render(log_n=log_n, fit="epoch")
    after = (v.landscape.cache_info(), v.contours.cache_info(), scaling.loss_grid.cache_info())
    assert [a.misses for a in after] == [b.misses for b in before]
    assert after[0].hits == before[0].hits + 3


def test_line_in_box_misses_and_vertical_lines():
    assert v.line_in_box((0, 0), (1, 1), (5, 6), (0, 1)) == {v.X: [], v.Y: []}
    assert v.line_in_box((8, 0), (0, 1), (7, 13), (9, 15)) == {v.X: [8.0, 8.0], v.Y: [9.0, 15.0]}


# ---------------------------------------------------------------- tables and captions


def test_models_table_under_each_fit():
    for fit in scaling.FITS:
        table = render(fit=fit)["panels"][v.MODELS_PANEL][0]
        assert [row[0] for row in table["rows"]] == [m.name for m in scaling.REAL_MODELS]
        gpt3 = table["rows"][0]
        assert gpt3[-1].startswith("under-trained")
    llama3_8b = render(fit="epoch")["panels"][v.MODELS_PANEL][0]["rows"][4]
    assert llama3_8b[0] == "Llama 3 8B" and llama3_8b[-1].startswith("over-trained")
    chinchilla = render(fit="epoch")["panels"][v.MODELS_PANEL][0]["rows"][2]
    assert chinchilla[-1] == "near compute-optimal"


@pytest.mark.parametrize(
    "ratio, expected",
    [(20.0, "near compute-optimal"), (29.9, "near compute-optimal"), (2.0, "under-trained (10× too few tokens)"),
     (200.0, "over-trained (10× the tokens)")],
)
def test_verdict_thresholds(ratio, expected):
    assert v.verdict(ratio, 20.0) == expected


def test_compare_table_lists_four_splits_of_the_same_budget():
    result = render(log_n="10", log_d="11")
    table = result["panels"][v.COMPARE_PANEL][0]
    assert [row[0] for row in table["rows"]] == [
        "Your run", "Optimum, Hoffmann Approach 3", "Optimum, Epoch refit", "20 tokens per parameter"]
    assert table["rows"][0][3] == "10.0"


def test_captions_state_the_current_values():
    result = render(log_n="9", log_d="11", fit="epoch")
    landscape = result["captions"][v.LANDSCAPE_FIG]
    assert "1.00 B parameters on 100 B tokens" in landscape and "Epoch AI" in landscape
    assert result["readouts"][v.LOSS]["text"] in landscape
    curve = result["captions"][v.CURVE_FIG]
    assert "6.00 × 10²⁰ FLOP" in curve and result["readouts"][v.OPT_PARAMS]["text"].replace("params", "parameters") in curve


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "raw, control, kept, message",
    [
        ({"log-n": "99"}, "log-n", 13.0, "above the maximum 13"),
        ({"log-n": "-4"}, "log-n", 7.0, "below the minimum 7"),
        ({"log-d": "abc"}, "log-d", 12.15, "'abc' is not a number"),
        ({"log-d": "NaN"}, "log-d", 12.15, "is not a number"),
        ({"fit": "kaplan"}, "fit", "hoffmann", "'kaplan' is not one of hoffmann, epoch"),
    ],
)
def test_link_parameters_are_clamped_with_a_notice(raw, control, kept, message):
    result = views.render(PAGE, raw)
    assert result["state"][control] == kept
    assert message in result["notices"][control]
    assert math.isfinite(value(result, v.LOSS))


@pytest.mark.parametrize("bad", ["", "0", "-1", "abc", "1e400", "2"])
def test_bad_mfu_keeps_the_last_valid_value(bad):
    previous = dict(render(mfu="0.5")["state"])
    result = views.render(PAGE, {**previous, "mfu": bad}, previous)
    assert result["state"]["mfu"] == 0.5
    assert result["notices"]["mfu"] == "Enter a number from 0.01 to 1 (kept 0.5)."
    assert value(result, v.GPU_HOURS) == pytest.approx(value(render(mfu="0.5"), v.GPU_HOURS))


@pytest.mark.parametrize("control", ["gpu-peak-flops", "usd-per-gpu-hour"])
@pytest.mark.parametrize("bad", ["", "0", "-5", "lots"])
def test_bad_cost_inputs_keep_the_last_result(control, bad):
    previous = dict(render()["state"])
    before = render()
    result = views.render(PAGE, {**previous, control: bad}, previous)
    assert result["state"] == previous
    assert result["notices"][control].startswith("Enter a number from")
    assert result["readouts"][v.COST] == before["readouts"][v.COST]


def test_hostile_text_is_quoted_back_as_text_and_never_reaches_the_maths():
    result = views.render(PAGE, {"fit": "<img src=x onerror=alert(1)>", "log-n": "<script>"})
    assert result["state"]["fit"] == "hoffmann" and result["state"]["log-n"] == 10.85
    assert "<img src=x onerror=al" in result["notices"]["fit"]  # shown with textContent by the page


def test_query_round_trips_the_state():
    first = render(log_n="9.37", log_d="13.02", fit="epoch", gpu_peak_flops="2250", mfu="0.35", usd_per_gpu_hour="3.1")
    again = views.render(PAGE, first["query"])
    assert again["state"] == first["state"] and again["notices"] == {}
    assert again["readouts"] == first["readouts"]


# ---------------------------------------------------------------- the lesson's prose


class _ProseNumbers(HTMLParser):
    """Collects the text of every element with a data-prose attribute."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._open: list[list] = []

    def handle_starttag(self, tag, attrs):
        key = dict(attrs).get("data-prose")
        if key is not None:
            self._open.append([key, ""])

    def handle_data(self, data):
        for item in self._open:
            item[1] += data

    def handle_endtag(self, tag):
        if self._open and tag == "span":
            key, text = self._open.pop()
            self.found.append((key, text))


def test_every_number_in_the_prose_is_computed_by_the_module():
    parser = _ProseNumbers()
    parser.feed(HTML.read_text())
    numbers = v.prose_numbers()
    assert parser.found, "the lesson marks its computed numbers with data-prose"
    for key, text in parser.found:
        assert key in numbers, f"data-prose={key!r} is not computed by the view"
        assert text == numbers[key], f"prose says {text!r} for {key}, the module computes {numbers[key]!r}"
    assert {key for key, _ in parser.found} == set(numbers), "every computed prose number appears on the page"


def test_prose_claims_hold():
    numbers = v.prose_numbers()
    assert int(numbers["hoffmann-opt-ratio"]) > 60  # "many more than 20"
    assert 15 <= int(numbers["epoch-opt-ratio"]) <= 25  # "about 20"
    assert float(numbers["chinchilla-loss"]) < float(numbers["gopher-loss"])
    assert float(numbers["llama3-8b-extra"]) > 1 and float(numbers["llama3-8b-serve"]) > 1


def test_static_control_defaults_in_the_html_match_the_first_view():
    """The page's pre-filled outputs and fit note equal the view's defaults."""
    html = HTML.read_text()
    outputs = render()["outputs"]
    for element_id, text in outputs.items():
        match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
        assert match and match.group(1) == text, element_id
