"""Reasoning-model maths against hand computation, independent solvers, numpy,
the real o200k_base tokenizer (recorded counts) and the published figures."""

import hashlib
import json
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from course import reasoning as rs

ROOT = Path(__file__).resolve().parents[2]
O200K = json.loads(Path(__file__).with_name("reasoning_o200k_counts.json").read_text())["counts"]
LESSON = (ROOT / "lessons" / "reasoning-models.html").read_text()
ALL = [(key, effort) for key in rs.PROBLEMS for effort in range(len(rs.EFFORTS))]


def _texts():
    for key, problem in rs.PROBLEMS.items():
        yield f"{key}/prompt", problem.prompt
        for effort, shown in zip(rs.EFFORTS, problem.responses):
            if shown.trace:
                yield f"{key}/{effort}/trace", shown.trace
            yield f"{key}/{effort}/answer", shown.answer


# ------------------------------------------------------------------ the flip


def test_bat_and_ball_flips_from_wrong_to_right_between_none_and_low():
    none, low = rs.attempt("bat-and-ball", 0), rs.attempt("bat-and-ball", 1)
    assert (none.answer, none.correct) == (0.10, False)
    assert (low.answer, low.correct) == (0.05, True)


@pytest.mark.parametrize("key", ["bat-and-ball", "widgets", "lily-pads"])
def test_crt_items_are_intuitive_at_none_and_right_from_low(key):
    problem = rs.PROBLEMS[key]
    attempts = [rs.attempt(key, e) for e in range(4)]
    assert attempts[0].answer == problem.intuitive and not attempts[0].correct
    assert all(a.correct for a in attempts[1:])


def test_multi_step_problem_needs_medium_effort():
    attempts = [rs.attempt("jacket", e) for e in range(4)]
    assert [a.correct for a in attempts] == [False, False, True, True]
    assert attempts[0].answer == rs.PROBLEMS["jacket"].intuitive  # "the markup and discount cancel"
    assert attempts[1].answer == 83.20  # tax taken on the original price


def test_no_trace_at_none_and_a_trace_at_every_other_level():
    for problem in rs.PROBLEMS.values():
        assert problem.responses[0].trace == ""
        assert all(r.trace for r in problem.responses[1:])


@pytest.mark.parametrize("key, effort", ALL)
def test_every_answer_uses_the_graded_format_once(key, effort):
    answer = rs.response(key, effort).answer
    assert answer.count("Final answer:") == 1
    assert answer.rstrip().splitlines()[-1].startswith("Final answer:")
    assert rs.graded_answer(answer) is not None


def test_traces_read_like_reasoning():
    """At least the medium and high traces check and backtrack."""
    for problem in rs.PROBLEMS.values():
        for shown in problem.responses[2:]:
            assert re.search(r"\b(Wait|wait|Hmm|Check|check)\b", shown.trace)


# ------------------------------------------------------------------ solvers


def test_bat_and_ball_solves_the_linear_system():
    # bat + ball = 1.10, bat - ball = 1.00, solved by numpy.
    bat, ball = np.linalg.solve(np.array([[1.0, 1.0], [1.0, -1.0]]), np.array([1.10, 1.00]))
    assert rs.PROBLEMS["bat-and-ball"].correct == pytest.approx(ball, abs=1e-12)
    assert bat == pytest.approx(1.05)
    assert rs.PROBLEMS["bat-and-ball"].intuitive == 0.10  # Frederick 2005


def test_widgets_by_simulating_the_machines():
    # Each machine finishes one widget every 5 minutes; step through minutes.
    made, minute = 0, 0
    while made < 100:
        minute += 1
        if minute % 5 == 0:
            made += 100
    assert rs.PROBLEMS["widgets"].correct == minute == 5
    assert rs.PROBLEMS["widgets"].intuitive == 100


def test_lily_pads_by_halving_back_from_day_48():
    area = {48: Fraction(1)}
    for day in range(47, 0, -1):
        area[day] = area[day + 1] / 2
    half_day = next(day for day, value in area.items() if value == Fraction(1, 2))
    assert rs.PROBLEMS["lily-pads"].correct == half_day == 47
    assert rs.PROBLEMS["lily-pads"].intuitive == 24


def test_jacket_in_exact_decimal_cents():
    price = Decimal("80") * Decimal("1.20") * Decimal("0.80")
    total = (price * Decimal("1.08")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert rs.PROBLEMS["jacket"].correct == float(total) == 82.94
    assert rs.PROBLEMS["jacket"].intuitive == 86.40


# ------------------------------------------------------------------ grading


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Final answer: $0.05", 0.05),
        ("Final answer: 47 days", 47.0),
        ("Final answer:$ 82.94", 82.94),
        ("Final answer: -3", -3.0),
        ("first Final answer: 1\nFinal answer: 2", 2.0),
        ("The answer is 5 cents.", None),
        ("Final answer: five", None),
        ("", None),
    ],
)
def test_graded_answer_reads_only_the_fixed_format(text, expected):
    assert rs.graded_answer(text) == expected


def test_is_correct_is_exact_to_the_cent():
    assert rs.is_correct(82.94, 82.94)
    assert not rs.is_correct(82.95, 82.94)
    assert not rs.is_correct(None, 82.94)


def test_unknown_problem_and_effort_are_refused():
    with pytest.raises(ValueError, match="unknown problem 'nope'"):
        rs.response("nope", 1)
    with pytest.raises(ValueError, match="from 0 to 3"):
        rs.response("widgets", 4)


# ------------------------------------------------------------------ tokens


@pytest.mark.parametrize("key, effort", ALL)
def test_token_counts_are_the_counted_tokens_of_the_stored_texts(key, effort):
    shown, attempt = rs.response(key, effort), rs.attempt(key, effort)
    assert attempt.reasoning_tokens == rs.tokens(shown.trace)
    assert attempt.answer_tokens == rs.tokens(shown.answer)
    assert attempt.input_tokens == rs.tokens(rs.PROBLEMS[key].prompt)
    assert attempt.output_tokens == attempt.reasoning_tokens + attempt.answer_tokens


@pytest.mark.parametrize("key", list(rs.PROBLEMS))
def test_tokens_never_decrease_as_effort_rises(key):
    attempts = [rs.attempt(key, e) for e in range(4)]
    for lower, higher in zip(attempts, attempts[1:]):
        assert higher.reasoning_tokens > lower.reasoning_tokens
        assert higher.answer_tokens >= lower.answer_tokens
        assert higher.output_tokens > lower.output_tokens


def test_pretokens_rebuild_the_text():
    for _, text in _texts():
        assert "".join(rs.pieces(text)) == text


def test_pretokeniser_follows_o200k_rules():
    assert rs.pieces("It's 12345 apples") == ["It's", " ", "123", "45", " apples"]
    assert rs.pieces("x + (x + 1.00)") == ["x", " +", " (", "x", " +", " ", "1", ".", "00", ")"]
    assert rs.pieces("CamelCase") == ["Camel", "Case"]
    assert rs.pieces("a\n\nb") == ["a", "\n\n", "b"]


def test_long_words_count_extra_tokens():
    assert rs.LETTERS_PER_TOKEN == 8
    assert rs.tokens(" abcdefgh") == 1
    assert rs.tokens(" abcdefghi") == 2
    assert rs.tokens(" " + "a" * 17) == 3


def test_token_ends_match_the_count_and_the_text():
    for _, text in _texts():
        ends = rs.token_ends(text)
        assert len(ends) == rs.tokens(text)
        assert ends[-1] == len(text)
        assert all(a < b for a, b in zip(ends, ends[1:]))


def test_recorded_o200k_counts_are_of_the_current_texts():
    current = dict(_texts())
    assert set(O200K) == set(current), "texts changed: run tests/course/make_o200k_counts.py"
    for key, text in current.items():
        assert O200K[key]["sha256"] == hashlib.sha256(text.encode()).hexdigest(), (
            f"{key} changed: run tests/course/make_o200k_counts.py"
        )


def test_approximation_is_within_3_percent_of_o200k_on_traces_and_one_token_on_the_rest():
    """The claim the page makes about its token counts."""
    for key, text in _texts():
        ours, real = rs.tokens(text), O200K[key]["tokens"]
        if key.endswith("/trace"):
            assert abs(ours - real) <= 0.03 * real, key
        else:
            assert abs(ours - real) <= 1, key


# ------------------------------------------------------------------ latency and cost


def test_latency_by_hand():
    # 1.0 s to the first token, then 578 tokens at 120 tokens/s.
    assert rs.latency_s(578, 1.0, 120.0) == pytest.approx(1.0 + 578 / 120, rel=1e-15)
    assert rs.latency_s(0, 0.5, 150.0) == 0.5


def test_cost_by_hand():
    # 32 input tokens at $1.10/M + 578 output tokens at $4.40/M = $0.0025784.
    assert rs.cost_usd(32, 578, 1.10, 4.40) == pytest.approx(0.0025784, rel=1e-12)
    # Reasoning tokens are billed as output: 1 M of them at $15/M is $15.
    assert rs.cost_usd(0, 1_000_000, 3.0, 15.0) == pytest.approx(15.0)


def test_latency_and_cost_match_a_vectorised_numpy_computation():
    out_tokens = np.array([a.output_tokens for a in map(lambda ke: rs.attempt(*ke), ALL)], dtype=float)
    in_tokens = np.array([a.input_tokens for a in map(lambda ke: rs.attempt(*ke), ALL)], dtype=float)
    ttft = np.array([0.3, 1.0, 2.5])[:, None]
    speed = np.array([40.0, 120.0, 400.0])[:, None]
    prices = np.array([[1.0, 5.0], [3.0, 15.0], [1.1, 4.4]])
    expected_latency = ttft + out_tokens[None, :] / speed
    expected_cost = (in_tokens[None, :] * prices[:, :1] + out_tokens[None, :] * prices[:, 1:]) / 1e6
    for i in range(3):
        for j, (key, effort) in enumerate(ALL):
            a = rs.attempt(key, effort)
            assert rs.latency_s(a.output_tokens, float(ttft[i, 0]), float(speed[i, 0])) == pytest.approx(expected_latency[i, j], rel=1e-12)
            assert rs.cost_usd(a.input_tokens, a.output_tokens, *map(float, prices[i])) == pytest.approx(expected_cost[i, j], rel=1e-12)


@pytest.mark.parametrize("key", list(rs.PROBLEMS))
@pytest.mark.parametrize("profile", list(rs.PROFILES.values()), ids=lambda p: p.key)
def test_latency_and_cost_never_decrease_as_effort_rises(key, profile):
    attempts = [rs.attempt(key, e) for e in range(4)]
    latency = [rs.latency_s(a.output_tokens, profile.ttft_s, profile.output_tokens_per_s) for a in attempts]
    cost = [rs.cost_usd(a.input_tokens, a.output_tokens, profile.usd_per_m_input, profile.usd_per_m_output) for a in attempts]
    assert latency == sorted(latency) and len(set(latency)) == 4
    assert cost == sorted(cost) and len(set(cost)) == 4


@pytest.mark.parametrize("bad", [0, -1.0, math.nan, math.inf, "2", True, None])
def test_latency_and_cost_refuse_bad_rates_and_prices(bad):
    with pytest.raises(ValueError, match="positive finite number"):
        rs.latency_s(10, bad, 100.0)
    with pytest.raises(ValueError, match="positive finite number"):
        rs.latency_s(10, 1.0, bad)
    with pytest.raises(ValueError, match="positive finite number"):
        rs.cost_usd(10, 10, bad, 1.0)


@pytest.mark.parametrize("bad", [-1, 1.5, "3", None])
def test_token_counts_must_be_whole_and_not_negative(bad):
    with pytest.raises(ValueError, match="whole number of tokens"):
        rs.latency_s(bad, 1.0, 100.0)
    with pytest.raises(ValueError, match="whole number of tokens"):
        rs.cost_usd(bad, 10, 1.0, 1.0)


# ------------------------------------------------------------------ published figures


def test_prices_are_the_published_ones():
    assert (rs.PROFILES["haiku-4-5"].usd_per_m_input, rs.PROFILES["haiku-4-5"].usd_per_m_output) == (1.0, 5.0)
    assert (rs.PROFILES["sonnet-4-6"].usd_per_m_input, rs.PROFILES["sonnet-4-6"].usd_per_m_output) == (3.0, 15.0)
    assert (rs.PROFILES["o4-mini"].usd_per_m_input, rs.PROFILES["o4-mini"].usd_per_m_output) == (1.10, 4.40)


def test_evidence_is_the_deepseek_r1_papers():
    published = {  # arXiv 2501.12948: section 2.2.4, Tables 2, 4 and 5 (AIME 2024)
        "R1-Zero, start of RL": 15.6, "R1-Zero, end of RL": 71.0, "R1-Zero, majority of 64": 86.7,
        "DeepSeek-R1": 79.8, "OpenAI o1-1217": 79.2, "DeepSeek-V3": 39.2,
        "Claude-3.5-Sonnet-1022": 16.0, "GPT-4o-0513": 9.3,
        "R1-Distill-Qwen-1.5B": 28.9, "R1-Distill-Qwen-7B": 55.5, "R1-Distill-Llama-8B": 50.4,
        "R1-Distill-Qwen-14B": 69.7, "R1-Distill-Qwen-32B": 72.6, "R1-Distill-Llama-70B": 70.0,
    }
    assert {e.label: e.percent for e in rs.EVIDENCE} == published
    assert all("2501.12948" in e.source and ("Table" in e.source or "Figure" in e.source) for e in rs.EVIDENCE)
    with pytest.raises(ValueError, match="no published score"):
        rs.evidence("GPT-5")


# ------------------------------------------------------------------ the lesson's own numbers


class _Prose(HTMLParser):
    """The page's text outside the lab (which the view fills)."""

    def __init__(self):
        super().__init__()
        self.text = []

    def handle_data(self, data):
        self.text.append(data)


def _lesson_text() -> str:
    parser = _Prose()
    parser.feed(LESSON)
    return " ".join(parser.text)


def test_every_percentage_in_the_lesson_is_a_published_figure_or_the_tokenizer_bound():
    text = _lesson_text()
    found = {float(x) for x in re.findall(r"(\d+(?:\.\d+)?)%", text)}
    allowed = {e.percent for e in rs.EVIDENCE} | {3.0}
    assert found, "the lesson quotes published figures"
    assert found <= allowed, found - allowed


def test_every_price_in_the_lesson_is_a_profile_price():
    text = _lesson_text()
    pairs = {(float(a), float(b)) for a, b in re.findall(r"\$(\d+(?:\.\d+)?) / \$(\d+(?:\.\d+)?)", text)}
    published = {(p.usd_per_m_input, p.usd_per_m_output) for p in rs.PROFILES.values()}
    assert pairs == published


def test_the_lesson_states_the_tokenizer_rule_the_module_uses():
    assert f"one extra token per {rs.LETTERS_PER_TOKEN} letters" in " ".join(_lesson_text().split())


def test_self_checks_are_json_numbers():
    results = {name: check() for name, check in rs.SELF_CHECKS.items()}
    json.dumps(results, allow_nan=False)
    assert results["tokens_of_every_response"]["bat-and-ball/low"][3] is True
