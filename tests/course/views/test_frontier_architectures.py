"""The frontier-architectures view: read-outs from course.planner, the use
cases, bad input clamped with a message, the plot's columns, the comparison
table's numbers, the URL round trip and the speed."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from course import attention, moe, scaling
from course import planner as pl
from course import views
from course.views import frontier_architectures as fa

PAGE = "frontier-architectures"
HTML = (Path(__file__).resolve().parents[3] / "lessons" / "frontier-architectures.html").read_text()


def value(result, key):
    return float(result["readouts"][key]["value"])


def test_default_readouts_come_from_the_planner():
    result = views.render(PAGE, {})
    assert result["notices"] == {}
    p = pl.plan(pl.Inputs(5e6, 1e13, 640e9, "interactive", "chat", "epoch"))
    assert value(result, fa.REC_PARAMS) == p.n_active
    assert value(result, fa.REC_TOKENS) == p.n_tokens
    assert value(result, fa.REC_TOTAL) == p.n_total
    assert value(result, fa.LIFETIME) == p.lifetime_flops
    assert value(result, fa.CHIN_LIFETIME) == p.chinchilla_lifetime_flops
    assert value(result, fa.CHIN_PARAMS) == scaling.compute_optimal(pl.budget_flops(5e6), "epoch")[0]
    assert value(result, fa.BUDGET_FLOPS) == pl.budget_flops(5e6)
    assert value(result, fa.REASONING) == 0 and value(result, fa.MOE_FLAG) == 0
    assert value(result, fa.BITS) == 8
    assert 0 < value(result, fa.SAVING) < 1  # 10 T served tokens: over-training pays
    json.dumps(result, allow_nan=False)


def test_changing_the_use_case_changes_the_plan():
    device = views.render(PAGE, {fa.USE_CASE: "on-device", fa.MEMORY: "8"})
    assert value(device, fa.MOE_FLAG) == 0
    assert value(device, fa.BITS) == pytest.approx(4 + 20 / 128)
    assert value(device, fa.MEMORY_NEED) <= 8e9
    assert "hybrid" in json.dumps(device["panels"][fa.PLAN_TABLE])
    maths = views.render(PAGE, {fa.USE_CASE: "maths"})
    assert value(maths, fa.REASONING) == 1 and maths["readouts"][fa.REASONING]["text"] == "on"
    docs = views.render(PAGE, {fa.USE_CASE: "long-documents"})
    assert value(docs, fa.CONTEXT) == 262_144


def test_a_huge_serving_volume_recommends_an_over_trained_moe():
    result = views.render(PAGE, {fa.LOG_SERVED: "16"})
    assert value(result, fa.REC_TPP) > 1000
    assert value(result, fa.REC_PARAMS) < value(result, fa.CHIN_PARAMS)
    assert value(result, fa.LIFETIME) < value(result, fa.CHIN_LIFETIME)
    assert value(result, fa.MOE_FLAG) == 1 and value(result, fa.REC_TOTAL) > value(result, fa.REC_PARAMS)
    assert "(MoE)" in result["readouts"][fa.REC_TOTAL]["text"]


def test_out_of_range_input_is_clamped_with_a_message():
    result = views.render(PAGE, {fa.BUDGET: "5", fa.LOG_SERVED: "25", fa.MEMORY: "-3", fa.USE_CASE: "poetry",
                                 fa.LATENCY: "yesterday", fa.FIT: "kaplan"})
    notes, state = result["notices"], result["state"]
    assert notes[fa.BUDGET] == "5 is outside 1000 to 1e+30; using 1000."
    assert state[fa.BUDGET] == 1000.0
    assert "above the maximum 17" in notes[fa.LOG_SERVED] and state[fa.LOG_SERVED] == 17.0
    assert "using 0.5" in notes[fa.MEMORY] and state[fa.MEMORY] == 0.5
    assert "not one of chat, code" in notes[fa.USE_CASE] and state[fa.USE_CASE] == "chat"
    assert state[fa.LATENCY] == "interactive" and state[fa.FIT] == "epoch"
    assert result["query"][fa.BUDGET] == "1000"


def test_a_budget_above_the_dollar_range_is_clamped_by_the_view():
    result = views.render(PAGE, {fa.BUDGET: "1e15"})
    assert result["notices"][fa.BUDGET] == "$1.00 Q is outside the planner's $1,000 to $10 B; using $10.0 B."
    assert value(result, fa.BUDGET_DOLLARS) == 1e10
    assert value(result, fa.BUDGET_FLOPS) == pytest.approx(pl.budget_flops(1e10))


def test_a_budget_in_flops_is_planned_like_its_dollars():
    in_flops = views.render(PAGE, {fa.BUDGET: "1e24", fa.BUDGET_UNIT: "flops"})
    assert in_flops["notices"] == {}
    assert value(in_flops, fa.BUDGET_FLOPS) == pytest.approx(1e24, rel=1e-12)
    dollars = value(in_flops, fa.BUDGET_DOLLARS)
    assert dollars == pytest.approx(pl.flops_usd(1e24), rel=1e-12)
    in_usd = views.render(PAGE, {fa.BUDGET: repr(dollars)})
    assert value(in_usd, fa.REC_PARAMS) == pytest.approx(value(in_flops, fa.REC_PARAMS), rel=1e-9)
    low = views.render(PAGE, {fa.BUDGET: "5000000", fa.BUDGET_UNIT: "flops"})
    assert "outside the planner's 7.12 × 10²⁰ FLOP to 7.12 × 10²⁷ FLOP" in low["notices"][fa.BUDGET]
    assert value(low, fa.BUDGET_FLOPS) == pytest.approx(fa.FLOPS_RANGE[0])


def test_not_a_number_is_refused_with_the_default():
    result = views.render(PAGE, {fa.BUDGET: "lots"})
    assert "'lots' is not a number; using 5000000." == result["notices"][fa.BUDGET]


def test_a_replica_too_small_for_any_model_is_flagged():
    # 256K tokens of cache alone outgrow half a gigabyte, even for a million parameters.
    result = views.render(PAGE, {fa.MEMORY: "0.5", fa.USE_CASE: "long-documents"})
    assert "the plan assumes the smallest model" in result["notices"][fa.MEMORY]
    assert value(result, fa.REC_PARAMS) == pl.MIN_PARAMS and value(result, fa.MEMORY_NEED) > 0.5e9
    fine = views.render(PAGE, {fa.MEMORY: "0.5", fa.USE_CASE: "on-device"})
    assert fa.MEMORY not in fine["notices"] and value(fine, fa.MEMORY_NEED) <= 0.5e9


def test_the_plot_marks_the_chinchilla_point_and_the_plan_on_the_curve():
    result = views.render(PAGE, {fa.LOG_SERVED: "14"})
    curve = result["sources"][fa.SRC_CURVE]
    assert len(curve[fa.N]) == fa.CURVE_POINTS
    best = min(range(len(curve[fa.N])), key=lambda i: curve[fa.TOTAL][i])
    p = pl.plan(fa.inputs(result["state"]))
    # The curve's lowest sampled point sits next to the solver's optimum.
    assert curve[fa.N][best] == pytest.approx(p.inference_aware.n_params, rel=0.1)
    rec = result["sources"][fa.SRC_REC]
    assert rec[fa.N] == [p.n_active] and rec[fa.TOTAL][0] == pytest.approx(p.lifetime_flops)
    chin = result["sources"][fa.SRC_CHIN]
    assert chin[fa.TOTAL][0] == pytest.approx(p.chinchilla_lifetime_flops)
    caption = result["captions"][fa.FIG]
    assert result["readouts"][fa.SAVING]["text"] in caption and "Star: Chinchilla" in caption


def test_the_comparison_table_is_computed_from_the_configs():
    result = views.render(PAGE, {})
    table = result["panels"][fa.FRONTIER_TABLE][0]
    rows = {row[0]: row for row in table["rows"]}
    ds = rows["DeepSeek-V3 (Dec 2024)"]
    assert ds[1] == "671 B" and ds[2] == "36.6 B"
    assert attention.kv_bytes_per_token(attention.PRESETS["deepseek-v3"], 2) == 70272.0
    assert ds[5] == "70.3 KB"
    assert ds[4] == f"{(512 + 64) / 7168:.3g} × d_model"  # one latent and one RoPE key per layer
    qwen = moe.count_parameters(moe.PRESETS["qwen3-235b-a22b"].arch)
    assert rows["Qwen3-235B-A22B (Apr 2025)"][1] == "235 B" and qwen.total == pytest.approx(235e9, rel=0.01)
    assert rows["gpt-oss-120b (Aug 2025)"][2] == "5.13 B"
    # gpt-oss: 36 layers x 8 KV heads x 64 x 2 (K and V) x 2 bytes, half of the layers banded to 128 tokens.
    per_layer = 8 * 64 * 2 * 2
    assert rows["gpt-oss-120b (Aug 2025)"][6] == f"{per_layer * (18 * 131072 + 18 * 128) / 1e9:.2f} GB"
    scout = moe.count_parameters(fa.ARCHITECTURES["llama-4-scout"])
    assert rows["Llama 4 Scout (Apr 2025)"][1] == "108 B" and scout.total == pytest.approx(109e9, rel=0.02)
    assert rows["Transformer base (2017)"][5] == "12.3 KB"  # 6 layers x 8 heads x 64 x 2 x 2 bytes
    assert rows["Transformer base (2017)"][4] == "2 × d_model"  # a full key and value for every head


def test_state_round_trips_through_the_url_query():
    raw = {fa.BUDGET: "123456.5", fa.BUDGET_UNIT: "usd", fa.LOG_SERVED: "15.3", fa.MEMORY: "80", fa.USE_CASE: "code",
           fa.LATENCY: "steady", fa.FIT: "hoffmann"}
    first = views.render(PAGE, raw)
    again = views.render(PAGE, first["query"])
    assert again["state"] == first["state"] and again["readouts"] == first["readouts"]


def test_the_html_links_to_the_labs_it_builds_on():
    for target in ("pick-a-model.html", "cost-and-latency.html", "scaling-laws.html", "mixture-of-experts.html",
                   "long-context.html", "reasoning-models.html"):
        assert f'href="{target}"' in HTML
    assert 'src="../py/pages/frontier_architectures.py"' in HTML


@pytest.mark.parametrize("use_case", list(pl.USE_CASES))
@pytest.mark.parametrize("log_served", ["8", "12", "17"])
def test_every_use_case_renders_at_every_volume(use_case, log_served):
    result = views.render(PAGE, {fa.USE_CASE: use_case, fa.LOG_SERVED: log_served})
    assert value(result, fa.REC_PARAMS) > 0 and value(result, fa.LIFETIME) > 0
    json.dumps(result, allow_nan=False)


def test_an_update_is_fast():
    views.render(PAGE, {})
    started = time.perf_counter()
    for k in range(20):
        views.render(PAGE, {fa.LOG_SERVED: str(8 + k * 0.45), fa.USE_CASE: "on-device", fa.MEMORY: "8"})
    assert (time.perf_counter() - started) / 20 < 0.05


def test_the_plan_table_warns_when_the_tokens_outrun_public_text():
    rows = {r[0]: r for r in views.render(PAGE, {fa.LOG_SERVED: "17"})["panels"][fa.PLAN_TABLE][0]["rows"]}
    assert "passes over the public text" in rows["Data"][1] and "optimistic" in rows["Data"][2]
    rows = {r[0]: r for r in views.render(PAGE, {})["panels"][fa.PLAN_TABLE][0]["rows"]}
    assert rows["Data"][1].endswith("of the public text") and "one pass" in rows["Data"][2]


def test_a_capped_plan_that_outspends_the_budget_says_so():
    result = views.render(PAGE, {fa.BUDGET: "1e8", fa.LOG_SERVED: "17", fa.MEMORY: "80"})
    p = pl.plan(fa.inputs(result["state"]))
    assert p.capped and p.reachable and p.training_flops > 100 * p.budget_flops
    size = result["panels"][fa.PLAN_TABLE][0]["rows"][0]
    assert f"costs {p.training_flops / p.budget_flops:,.0f}× your budget" in size[2]


def test_an_unreachable_plan_qualifies_its_saving():
    result = views.render(PAGE, {fa.USE_CASE: "on-device", fa.MEMORY: "8"})
    assert result["readouts"][fa.SAVING]["text"].endswith("(at a higher loss)")
    assert "off the curve" in result["captions"][fa.FIG]
