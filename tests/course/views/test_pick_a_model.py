"""The pick-a-model view: module numbers in the read-outs, bad input, the URL
round trip, the prose's numbers and the speed of an update."""

from __future__ import annotations

import json
import time

from course import catalog as cat
from course import views
from course.views import pick_a_model as pm

PAGE = "pick-a-model"


def test_default_view_ranks_with_the_module_and_shows_the_computation():
    result = views.render(PAGE, {})
    ranking = cat.rank(pm.weights(result["state"]), pm.constraints(result["state"]))
    best = ranking.ranked[0]
    assert result["readouts"][pm.TOP_MODEL]["text"] == cat.entry(best.key).label
    assert float(result["readouts"][pm.TOP_SCORE]["value"]) == best.score
    assert float(result["readouts"][pm.TOP_MEMORY]["value"]) == best.serving.memory_bytes
    assert result["readouts"][pm.CANDIDATES]["value"] == str(len(ranking.ranked))
    assert result["panels"][pm.COMPUTATION][0]["text"] == pm.computation_text(best, ranking.weights)
    assert f"= {best.score:.3f}" in result["panels"][pm.COMPUTATION][0]["text"]
    rows = result["panels"][pm.MATRIX][0]["rows"]
    assert len(rows) == len(cat.ENTRIES) and all(len(r) == len(pm.MATRIX_HEAD) for r in rows)
    assert sum("unknown" in r[9] for r in rows) == 5
    json.dumps(result, allow_nan=False)


def test_the_score_bars_add_up_to_each_score():
    result = views.render(PAGE, {"w-licence": "10", "precision": "q4_k"})
    src = result["sources"][pm.SRC_SCORES]
    ranking = cat.rank(pm.weights(result["state"]), pm.constraints(result["state"]))
    for i, r in enumerate(ranking.ranked):
        assert abs(src[pm.END][i] - r.score) < 1e-12
        assert src[pm._left("quality")][i] == 0.0


def test_bad_input_is_clamped_or_refused_with_a_message():
    result = views.render(PAGE, {"w-quality": "99", "gpu-memory": "-5", "max-gpus": "abc", "precision": "<b>x</b>",
                                 "commercial": "maybe"})
    notes = result["notices"]
    assert "above the maximum 10" in notes["w-quality"] and result["state"]["w-quality"] == 10
    assert "Enter a number from 1 to 1000" in notes["gpu-memory"] and result["state"]["gpu-memory"] == 80
    assert "not a whole number" in notes["max-gpus"]
    assert result["state"]["precision"] == "bf16" and result["state"]["commercial"] == "required"


def test_all_zero_weights_say_so():
    zero = {f"w-{n}": "0" for n in cat.CRITERIA}
    result = views.render(PAGE, zero)
    assert "Every weight is 0" in result["notices"]["w-quality"]


def test_no_candidate_left_is_explained():
    result = views.render(PAGE, {"deploy": "device", "device-memory": "1"})
    assert result["readouts"][pm.TOP_MODEL]["text"] == "none fits"
    assert "relax one" in result["panels"][pm.COMPUTATION][0]["text"]
    assert result["show"] == {pm.SERVER_BOX: False, pm.DEVICE_BOX: True}


def test_state_round_trips_through_the_url_query():
    raw = {"w-cost": "9", "precision": "int4", "context-need": "131072", "commercial": "not-required", "deploy": "device",
           "device-memory": "24.5", "bandwidth": "1.2"}
    first = views.render(PAGE, raw)
    again = views.render(PAGE, first["query"])
    assert again["state"] == first["state"] and again["readouts"] == first["readouts"]


def test_an_update_is_fast():
    views.render(PAGE, {})
    started = time.perf_counter()
    for weight in range(11):
        views.render(PAGE, {"w-quality": str(weight), "precision": "q4_k"})
    assert (time.perf_counter() - started) / 11 < 0.016
