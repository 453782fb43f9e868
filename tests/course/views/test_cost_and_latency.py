"""The cost-and-latency view: read-outs from course.serving, each lever,
bad input, the URL round trip, the prose's numbers and the speed."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from course import catalog as cat
from course import serving as sv
from course import views
from course.views import cost_and_latency as cl

PAGE = "cost-and-latency"
HTML = (Path(__file__).resolve().parents[3] / "lessons" / "cost-and-latency.html").read_text()


def value(result, key):
    return float(result["readouts"][key]["value"])


def test_default_readouts_come_from_the_serving_module():
    result = views.render(PAGE, {})
    state = result["state"]
    w, _ = cl.workload(state)
    served = sv.serve_workload(cl.deployment(state), w, cl.levers(state), cl.prices(state), 15.0)
    assert value(result, cl.MONTHLY) == served.monthly_usd
    assert value(result, cl.P50) == served.latency_p50_s
    assert value(result, cl.API_MONTHLY) == served.api_monthly_usd
    assert value(result, cl.TOKENS_PER_STEP) == sv.expected_tokens_per_step(0.8, 4)
    assert value(result, cl.SPEEDUP) == sv.speedup(0.8, 4, 0.05)
    assert value(result, cl.BREAK_EVEN) == 1
    assert result["readouts"][cl.WEIGHTS_BF16]["text"] == "16.1 GB"  # as the prose says
    assert result["readouts"][cl.WEIGHTS]["text"] == "4.52 GB"
    assert "16.1 GB" in HTML and "4.52 GB" in HTML
    json.dumps(result, allow_nan=False)


@pytest.mark.parametrize("lever", cl.LEVERS)
def test_each_lever_lowers_the_cost_and_the_latency_of_the_default_workload(lever):
    off = views.render(PAGE, {})
    on = views.render(PAGE, {lever: "1"})
    assert value(on, cl.MONTHLY) < value(off, cl.MONTHLY)
    assert value(on, cl.P50) < value(off, cl.P50)
    assert on["sources"][cl.SRC_LEVERS][cl.COST][-1] == value(on, cl.MONTHLY)


def test_caching_is_the_only_lever_that_moves_the_api_bill():
    base = value(views.render(PAGE, {}), cl.API_MONTHLY)
    assert value(views.render(PAGE, {"lever-quant": "1", "lever-spec": "1"}), cl.API_MONTHLY) == base
    assert value(views.render(PAGE, {"lever-cache": "1"}), cl.API_MONTHLY) < base


def test_the_speedup_curve_and_marker():
    result = views.render(PAGE, {"alpha": "0.9", "gamma": "7", "draft-cost": "0.1"})
    src = result["sources"][cl.SRC_SPEC]
    assert src[cl.G] == list(range(1, 17))
    assert src[cl.S_UP][6] == sv.speedup(0.9, 7, 0.1)
    assert result["sources"][cl.SRC_SPEC_HERE] == {cl.G: [7], cl.S_UP: [sv.speedup(0.9, 7, 0.1)]}
    assert value(result, cl.BEST_GAMMA) == sv.best_gamma(0.9, 0.1, 16)
    assert "α = 0.90" in result["captions"][cl.FIG_SPEC]


def test_bad_input_is_clamped_or_refused_with_a_message():
    result = views.render(PAGE, {"prefix-tokens": "9000", "prompt-tokens": "5000", "lever-spec": "<script>",
                                 "alpha": "2", "requests-per-day": "-3", "model": "gpt-5"})
    notes = result["notices"]
    assert "cannot be longer than the prompt" in notes["prefix-tokens"]
    assert "not on (1) or off (0)" in notes["lever-spec"] and result["state"]["lever-spec"] == 0
    assert "above the maximum 1" in notes["alpha"]
    assert "Enter a number" in notes["requests-per-day"]
    assert result["state"]["model"] == "llama-3.1-8b"


def test_a_prompt_longer_than_the_context_is_flagged():
    result = views.render(PAGE, {"model": "phi-4", "prompt-tokens": "20000"})
    assert "exceed Phi-4" in result["notices"]["prompt-tokens"]


def test_a_cache_read_as_dear_as_input_never_pays():
    result = views.render(PAGE, {"price-read": "3"})
    assert value(result, cl.BREAK_EVEN) == -1 and "never" in result["readouts"][cl.BREAK_EVEN]["text"]


def test_state_round_trips_through_the_url_query():
    raw = {"lever-quant": "1", "lever-spec": "1", "alpha": "0.66", "gamma": "9", "model": "qwen3-30b-a3b",
           "scheme": "mixed", "kv-bits": "8", "batch": "32", "requests-per-day": "2500.5"}
    first = views.render(PAGE, raw)
    again = views.render(PAGE, first["query"])
    assert again["state"] == first["state"] and again["readouts"] == first["readouts"]
    assert first["query"]["lever-quant"] == "1" and first["query"]["lever-cache"] == "0"


def test_every_model_renders():
    for key in cat.ENTRIES:
        result = views.render(PAGE, {"model": key, "lever-quant": "1"})
        assert result["notices"] == {}
        assert value(result, cl.GPUS) >= 1


def test_an_update_is_fast():
    views.render(PAGE, {})
    started = time.perf_counter()
    for alpha in range(0, 100, 5):
        views.render(PAGE, {"alpha": str(alpha / 100), "lever-spec": "1", "model": "qwen3-235b-a22b"})
    assert (time.perf_counter() - started) / 20 < 0.016
