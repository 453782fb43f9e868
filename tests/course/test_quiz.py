"""The self-check quiz: seeded generation, answers against independent
computations (numpy and the published closed forms), grading edges, hostile
input and the stored score."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from course import quiz

ROOT = Path(__file__).resolve().parents[2]
SEEDS = [quiz.SEED_MIN, 2, 7, 99, quiz.DEFAULT_SEED, 31337, 500_000, quiz.SEED_MAX]
ALL = [(seed, q) for seed in SEEDS for q in quiz.questions(seed)]


def _ids(item):
    seed, q = item
    return f"{seed}-{q.id}"


# ------------------------------------------------------------------ generation


def test_same_seed_gives_the_same_questions():
    assert quiz.questions(31337) == quiz.questions(31337)
    assert [q.inputs for q in quiz.questions(31337)] == [q.inputs for q in quiz.questions(31337)]


def test_different_seeds_give_different_questions():
    texts = {tuple(q.text for q in quiz.questions(seed)) for seed in range(1, 41)}
    assert len(texts) == 40
    # Every numeric question varies with the seed, not only some of them.
    for qid in quiz.QUESTION_IDS:
        q = quiz.question(1, qid)
        if q.kind == "numeric":
            assert len({quiz.question(seed, qid).answer for seed in range(1, 41)}) > 3, qid


def test_twelve_questions_with_stable_ids_three_per_ability():
    for seed in SEEDS:
        questions = quiz.questions(seed)
        assert [q.id for q in questions] == list(quiz.QUESTION_IDS)
        for ability in quiz.ABILITIES:
            mine = [q for q in questions if q.ability == ability]
            assert len(mine) == 3
            assert sum(q.kind == "choice" for q in mine) == 1


@pytest.mark.parametrize("seed", [0, -1, quiz.SEED_MAX + 1, 2.5, True, "7"])
def test_a_seed_out_of_range_is_refused_with_the_bounds(seed):
    with pytest.raises(ValueError, match="from 1 to 999999"):
        quiz.questions(seed)


def test_unknown_question_id_is_refused():
    with pytest.raises(ValueError, match="unknown question 'nope'"):
        quiz.question(1, "nope")


def test_every_question_links_to_an_existing_lesson():
    for q in quiz.questions(quiz.DEFAULT_SEED):
        assert (ROOT / "lessons" / q.lab).is_file()
        assert q.to_json()["lab"] == q.lab


def test_the_page_data_never_carries_the_answer():
    for seed, q in ALL[:24]:
        data = json.dumps(q.to_json())
        assert "correct" not in data and "explanation" not in data
        assert "answer" not in q.to_json()


# ------------------------------------------------------------------ multiple choice


@pytest.mark.parametrize("item", [i for i in ALL if i[1].kind == "choice"], ids=_ids)
def test_every_option_has_an_explanation_and_exactly_one_is_correct(item):
    _, q = item
    assert len(q.options) >= 3
    assert sum(o.correct for o in q.options) == 1
    assert len({o.key for o in q.options}) == len(q.options)
    for option in q.options:
        assert len(option.explanation) > 30, option.key
        assert option.text


def test_option_order_depends_on_the_seed():
    orders = {tuple(o.key for o in quiz.question(seed, "moe-why").options) for seed in range(1, 30)}
    assert len(orders) > 3


def test_budget_scenario_sizes_follow_the_closed_form():
    # Whichever scenario a seed picks, the compute-optimal one states N = sqrt(C / 120).
    for seed in range(1, 60):
        q = quiz.question(seed, "budget-arch")
        optimal = [o for o in q.options if o.key == "optimal" and o.correct]
        if optimal:
            n = math.sqrt(1e23 / 120)
            assert f"{n / 1e9:.1f} B" in optimal[0].text
            return
    pytest.fail("no seed picked the compute-optimal scenario")


# ------------------------------------------------------------------ numeric answers, independently


def _oracle(q: quiz.Question) -> float:
    """Each answer recomputed from the numbers the question states, with numpy
    or the published closed form, without the course modules."""
    x = q.inputs
    if q.id == "tokens-budget":
        # C = 6 N D, D = k N  =>  D = k sqrt(C / 6k)
        return float(x["tokens_per_param"] * np.sqrt(x["flops"] / (6 * x["tokens_per_param"])))
    if q.id == "tokens-chinchilla":
        # Hoffmann et al. 2022, eq. (4): N_opt = G (C/6)^(beta/(alpha+beta)), G = (alpha A / beta B)^(1/(alpha+beta))
        a, b = x["alpha"], x["beta"]
        g = (a * x["A"] / (b * x["B"])) ** (1 / (a + b))
        closed = g * (x["flops"] / 6) ** (b / (a + b))
        # ... and, a second way, the minimum of L(N, C/6N) on a fine log grid.
        n = np.logspace(7, 14, 200_001)
        loss = x["A"] / n**a + x["B"] / (x["flops"] / (6 * n)) ** b
        assert n[np.argmin(loss)] == pytest.approx(closed, rel=1e-3)
        return closed
    if q.id == "moe-active":
        expert = 3 * x["d_model"] * x["expert_ffn"]
        return float(np.sum([x["layers"] * x["top_k"] * expert, x["shared"]]))
    if q.id == "moe-memory":
        expert = 3 * x["d_model"] * x["expert_ffn"]
        return (x["layers"] * x["experts"] * expert + x["shared"]) * x["bytes_per_param"] / 1e9
    if q.id == "reasoning-cost":
        tokens = np.array([x["input_tokens"], x["reasoning_tokens"] + x["answer_tokens"]])
        prices = np.array([x["usd_per_m_input"], x["usd_per_m_output"]]) / 1e6
        return float(tokens @ prices)
    if q.id == "reasoning-latency":
        return x["ttft_s"] + (x["reasoning_tokens"] + x["answer_tokens"]) / x["tokens_per_s"]
    if q.id == "budget-size":
        flops = x["usd"] / x["usd_per_gpu_hour"] * 3600 * x["peak_flops_per_s"] * x["mfu"]
        return math.sqrt(flops / 120)
    if q.id == "budget-memory":
        return x["params"] * x["bits_per_weight"] / 8 / 1e9
    raise AssertionError(q.id)


@pytest.mark.parametrize("item", [i for i in ALL if i[1].kind == "numeric"], ids=_ids)
def test_every_numeric_answer_equals_an_independent_computation(item):
    _, q = item
    assert q.answer == pytest.approx(_oracle(q), rel=1e-9)
    assert q.worked and q.answer_text and q.tolerance_text


def test_moe_shared_parameters_match_the_mixtral_architecture():
    """The 'everything else' a question states, counted by hand for Mixtral's
    attention (32 heads, 8 KV heads of 128), norms, router, and head."""
    for seed in SEEDS:
        x = quiz.question(seed, "moe-active").inputs
        d, layers, vocab = 4096, 32, 32000
        attention = layers * (d * 4096 + 2 * d * 1024 + 4096 * d)
        shared = attention + 2 * d * layers + d + layers * d * x["experts"] + vocab * d
        assert x["shared"] == shared


def test_question_text_states_its_numbers():
    for seed in SEEDS:
        q = quiz.question(seed, "reasoning-cost")
        for key in ("input_tokens", "reasoning_tokens", "answer_tokens"):
            assert f"{q.inputs[key]:,}" in q.text
        q = quiz.question(seed, "moe-active")
        assert f"{q.inputs['shared']:,}" in q.text and f"top-{q.inputs['top_k']}" in q.text


# ------------------------------------------------------------------ grading


def _numeric(qid="tokens-budget", seed=7):
    return quiz.question(seed, qid)


def test_exact_answer_is_correct_and_shows_the_worked_solution():
    q = _numeric()
    g = quiz.grade(q, repr(q.answer))
    assert g.correct and g.valid
    assert g.worked == q.worked and "Correct" in g.message


def test_relative_tolerance_edges():
    q = _numeric()  # ±5%
    assert quiz.grade(q, repr(q.answer * 1.0499)).correct
    assert quiz.grade(q, repr(q.answer * 0.9501)).correct
    assert not quiz.grade(q, repr(q.answer * 1.0501)).correct
    assert not quiz.grade(q, repr(q.answer * 0.9499)).correct
    wrong = quiz.grade(q, repr(q.answer * 2))
    assert wrong.valid and not wrong.correct and "Not quite" in wrong.message and "±5%" in wrong.message


def test_log_scale_tolerance_edges():
    q = _numeric("tokens-chinchilla")  # ±0.1 in log10
    assert quiz.grade(q, repr(q.answer * 10**0.099)).correct
    assert quiz.grade(q, repr(q.answer / 10**0.099)).correct
    assert not quiz.grade(q, repr(q.answer * 10**0.101)).correct
    assert not quiz.grade(q, repr(q.answer / 10**0.101)).correct
    assert "factor of 1.26" in q.tolerance_text


@pytest.mark.parametrize(
    "text, value",
    [
        ("1.4e12", 1.4e12), ("1.4E12", 1.4e12), ("1,400,000,000,000", 1.4e12), ("1.4T", 1.4e12),
        ("70B", 70e9), ("70 B", 70e9), ("70bn", 70e9), ("12k", 12e3), ("3M", 3e6), ("$0.0286", 0.0286),
        ("2×10^23", 2e23), ("2 x 10^23", 2e23), ("2*10**23", 2e23), ("  19.7  ", 19.7), ("1_000", 1000.0),
    ],
)
def test_readable_numbers_are_accepted(text, value):
    assert quiz.parse_number(text) == (pytest.approx(value, rel=1e-15), "")


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Enter a number"),
        ("   ", "Enter a number"),
        ("<script>alert(1)</script>", "is not a number"),
        ("NaN", "is not a number"),
        ("nan", "is not a number"),
        ("inf", "is not a number"),
        ("1e999", "not a finite number"),
        ("9" * 60 + "e300", "not a finite number"),
        ("-5", "positive number"),
        ("0", "positive number"),
        ("1e12 tokens please", "is not a number"),
        ("x" * 10_000_000, "10,000,000 characters long"),
        ("1.2.3", "is not a number"),
        ("\u202e1e12", "is not a number"),
    ],
)
def test_hostile_or_malformed_answers_are_wrong_with_a_message(text, message):
    q = _numeric()
    g = quiz.grade(q, text)
    assert not g.correct and not g.valid
    assert message in g.message
    assert len(g.given) <= quiz.SHOWN_ANSWER_CHARS
    assert len(g.message) < 300


@pytest.mark.parametrize("answer", [None, 12, ["a"], {"k": 1}, b"bytes"])
def test_non_text_answers_never_raise(answer):
    for q in quiz.questions(3):
        g = quiz.grade(q, answer)
        assert g.correct is False


def test_choice_grading():
    q = quiz.question(5, "tokens-why")
    right = next(o for o in q.options if o.correct)
    wrong = next(o for o in q.options if not o.correct)
    g = quiz.grade(q, right.key)
    assert g.correct and g.valid and g.options == q.options
    g = quiz.grade(q, wrong.key)
    assert g.valid and not g.correct and right.text in g.message
    g = quiz.grade(q, "<script>")
    assert not g.valid and "Choose one of the options" in g.message
    assert not quiz.grade(q, "").valid


def test_grade_json_carries_every_option_explanation():
    q = quiz.question(5, "budget-arch")
    data = quiz.grade(q, q.options[0].key).to_json()
    assert {o["explanation"] for o in data["options"]} == {o.explanation for o in q.options}
    json.dumps(data, allow_nan=False)


# ------------------------------------------------------------------ the stored score


def _graded(qid, correct, seed=1):
    q = quiz.question(seed, qid)
    if q.kind == "choice":
        option = next(o for o in q.options if o.correct == correct)
        return quiz.grade(q, option.key)
    return quiz.grade(q, repr(q.answer if correct else q.answer * 3))


def test_recording_answers_and_summary():
    text = ""
    text = quiz.record_answer(text, _graded("tokens-budget", True), 1)
    text = quiz.record_answer(text, _graded("moe-why", False), 1)
    text = quiz.record_answer(text, _graded("moe-why", True), 2)  # the latest answer counts
    text = quiz.record_answer(text, quiz.grade(quiz.question(1, "budget-size"), "NaN"), 1)  # not counted
    answers = quiz.parse_progress(text)
    assert answers == {"tokens-budget": {"correct": True, "seed": 1}, "moe-why": {"correct": True, "seed": 2}}
    s = quiz.summary(answers)
    assert (s["answered"], s["correct"], s["total"]) == (2, 2, 12)
    assert s["by_ability"]["moe"] == {"answered": 1, "correct": 1, "total": 3}
    assert quiz.summary_text(answers) == "Self-check: 2 of 12 answered, 2 correct"
    assert "MoE 1/3 ·" in quiz.ability_text(answers)
    assert json.loads(text)["v"] == quiz.STORAGE_VERSION


def test_no_progress_shows_nothing():
    assert quiz.summary_text({}) == "" and quiz.ability_text({}) == ""


@pytest.mark.parametrize(
    "text",
    [
        None, "", "{", "null", "[]", "42", '"text"', '{"v": 2, "answers": {}}', '{"v": 1}',
        '{"v": 1, "answers": []}', "[" * 100_000, "x" * (quiz.MAX_PROGRESS_CHARS + 1),
        '{"v": 1, "answers": {"nope": {"correct": true, "seed": 1}}}',
        '{"v": 1, "answers": {"moe-why": {"correct": "yes", "seed": 1}}}',
        '{"v": 1, "answers": {"moe-why": {"correct": true, "seed": true}}}',
        '{"v": 1, "answers": {"moe-why": 3}}', 12,
    ],
)
def test_corrupt_progress_reads_as_none(text):
    assert quiz.parse_progress(text) == {}


def test_corrupt_entries_are_dropped_and_good_ones_kept():
    text = json.dumps({"v": 1, "answers": {"moe-why": {"correct": False, "seed": 4}, "tokens-why": "bad"}})
    assert quiz.parse_progress(text) == {"moe-why": {"correct": False, "seed": 4}}


def test_page_modules_use_the_storage_key_and_limits_of_the_quiz():
    """The MicroPython page modules cannot import course.quiz (it runs in the
    worker): they copy the key and the size limit, checked here."""
    for name in ("self_check.py", "home.py"):
        source = (ROOT / "py" / "pages" / name).read_text()
        assert re.search(rf'^STORAGE_KEY = "{re.escape(quiz.STORAGE_KEY)}"', source, re.M), name
        assert re.search(rf"^MAX_STORED_CHARS = {quiz.MAX_PROGRESS_CHARS}\b", source, re.M), name
    source = (ROOT / "py" / "pages" / "self_check.py").read_text()
    assert re.search(rf"^MAX_SENT_CHARS = {quiz.MAX_ANSWER_CHARS + 1}\b", source, re.M)
