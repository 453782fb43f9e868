"""Field report DeepSeek-R1: one GRPO step on a group of sampled answers.

The learner scores up to eight answers to one question (accuracy reward +
format reward, as R1-Zero's rules do), picks how eq. 3 normalises them, and
sets the clip range ε, one shared policy ratio ρ and the KL weight β. Every
number comes from :mod:`course.grpo` (equations and sources in its
docstring). The lab takes π_ref = π_θold, so the KL term's π_ref / π_θ is 1/ρ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from course import deepseek_r1 as r1
from course import grpo
from course.controls import Choice, Integer, Range
from course.units import readout

# ------------------------------------------------------------------ controls

MAX_G = 8
GROUP_SIZE = "group-size"
NORMALISATION = "normalisation"
EPSILON, RATIO, BETA = "epsilon", "ratio", "beta"
REWARD_MAX = 2.0  # accuracy (0 or 1) + format (0 or 1)
# A mixed default group: right and well formatted (2), right or formatted (1), neither (0).
DEFAULT_REWARDS = (2.0, 1.0, 0.0, 2.0, 1.0, 0.0, 1.0, 2.0)
DEFAULT_G = 6


def reward_id(i: int) -> str:
    """The control id of answer ``i``'s reward (1-based)."""
    return f"reward-{i}"


CONTROLS = {
    GROUP_SIZE: Integer(2, MAX_G, DEFAULT_G),
    **{reward_id(i): Range(0.0, REWARD_MAX, 0.1, DEFAULT_REWARDS[i - 1]) for i in range(1, MAX_G + 1)},
    NORMALISATION: Choice(grpo.NORMALISATIONS, grpo.POPULATION),
    EPSILON: Range(0.0, 0.5, 0.01, grpo.PPO_EPSILON),
    RATIO: Range(0.5, 1.5, 0.01, 1.3),
    BETA: Range(0.0, 0.2, 0.01, grpo.DEEPSEEKMATH_BETA),
}

# ------------------------------------------------------------------ element ids


def advantage_id(i: int) -> str:
    return f"advantage-{i}"


def term_id(i: int) -> str:
    """Answer ``i``'s clipped surrogate (its part of the objective before the KL)."""
    return f"surrogate-{i}"


def row_id(i: int) -> str:
    return f"answer-{i}"


def reward_out_id(i: int) -> str:
    return f"reward-{i}-out"


MEAN, STD, OBJECTIVE, KL, CLIPPED = "mean-reward", "std-reward", "objective", "kl-penalty", "clipped-count"
GROUP_OUT, EPSILON_OUT, RATIO_OUT, BETA_OUT = "group-size-out", "epsilon-out", "ratio-out", "beta-out"
MATH, NOTE = "grpo-math", "group-note"

FIG_ADV, FIG_CLIP = "advantages", "clip"
SRC_ADV, SRC_CLIP, SRC_CLIP_HERE = FIG_ADV, FIG_CLIP, "clip-here"
ANSWER, REWARD, ADV, TERM, COLOUR, LABEL, LABEL_Y = "answer", "reward", "advantage", "term", "colour", "label", "label_y"
RHO, POS, NEG, POS_RAW, NEG_RAW = "rho", "positive", "negative", "positive_raw", "negative_raw"

FIG_AIME = SRC_AIME = "r1-zero-aime"
MODEL, SCORE, SCORE_LABEL = "model", "score", "score_label"

_UP, _DOWN = "#2ca02c", "#d62728"  # readable on the light and the dark theme
_RHO_GRID = [round(0.5 + k * 0.005, 3) for k in range(201)]

FIGURES = [
    {
        "id": FIG_ADV,
        "figure": {
            "height": 260,
            "x_range": {"$model": "DataRange1d", "range_padding": 0.05},
            "y_range": {"$model": "DataRange1d", "range_padding": 0.25},
            "x_axis_label": "answer i (reward r_i below)",
            "y_axis_label": "A_i (bars) · surrogate (◆)",
        },
        "glyphs": [
            {"kind": "vbar", "source": SRC_ADV, "fields": {"x": ANSWER, "top": ADV, "fill_color": COLOUR},
             "props": {"width": 0.7, "bottom": 0, "line_color": None, "fill_alpha": 0.85}},
            {"kind": "scatter", "source": SRC_ADV, "fields": {"x": ANSWER, "y": TERM},
             "props": {"size": 10, "marker": "diamond", "fill_color": {"$theme": "fg"}, "line_color": {"$theme": "fg"}}},
            # Each answer's reward, in a row under the lowest bar.
            {"kind": "text", "source": SRC_ADV, "fields": {"x": ANSWER, "y": LABEL_Y, "text": LABEL},
             "props": {"text_font_size": "11px", "text_align": "center", "text_baseline": "middle",
                       "text_color": {"$theme": "fg"}}},
        ],
        "hover": [["answer", "@answer"], ["reward", "@reward{0.0}"], ["advantage", "@advantage{0.000}"],
                  ["surrogate", "@term{0.000}"]],
    },
    {
        "id": FIG_CLIP,
        "figure": {
            "height": 260,
            "x_range": [0.5, 1.5],
            "y_range": [-1.6, 1.6],
            "x_axis_label": "policy ratio ρ = π_θ / π_θold",
            "y_axis_label": "surrogate for A = +1 and A = −1",
        },
        "glyphs": [
            {"kind": "line", "source": SRC_CLIP, "fields": {"x": RHO, "y": POS_RAW},
             "props": {"line_width": 1.5, "line_dash": "dashed", "line_color": {"$theme": "muted"}, "legend_label": "ρA, unclipped"}},
            {"kind": "line", "source": SRC_CLIP, "fields": {"x": RHO, "y": NEG_RAW},
             "props": {"line_width": 1.5, "line_dash": "dashed", "line_color": {"$theme": "muted"}}},
            {"kind": "line", "source": SRC_CLIP, "fields": {"x": RHO, "y": POS},
             "props": {"line_width": 2.5, "line_color": _UP, "legend_label": "A = +1"}},
            {"kind": "line", "source": SRC_CLIP, "fields": {"x": RHO, "y": NEG},
             "props": {"line_width": 2.5, "line_color": _DOWN, "legend_label": "A = −1"}},
            {"kind": "scatter", "source": SRC_CLIP_HERE, "fields": {"x": RHO, "y": POS},
             "props": {"size": 11, "fill_color": "#e4572e", "line_color": {"$theme": "fg"}}},
            {"kind": "scatter", "source": SRC_CLIP_HERE, "fields": {"x": RHO, "y": NEG},
             "props": {"size": 11, "fill_color": "#e4572e", "line_color": {"$theme": "fg"}}},
        ],
        "hover": [["ρ", "@rho{0.000}"], ["A = +1", "@positive{0.000}"], ["A = −1", "@negative{0.000}"]],
        "legend": "right",
    },
    {
        "id": FIG_AIME,
        "figure": {
            "height": 200,
            "y_range": [label for label, _ in reversed(r1.AIME_POINTS)],
            "x_range": [0, 100],
            "x_axis_label": "AIME 2024 accuracy, % (published points only)",
        },
        "glyphs": [
            {"kind": "hbar", "source": SRC_AIME, "fields": {"y": MODEL, "right": SCORE},
             "props": {"height": 0.6, "fill_color": {"$theme": "accent"}, "fill_alpha": 0.85, "line_color": None}},
            {"kind": "text", "source": SRC_AIME, "fields": {"x": SCORE, "y": MODEL, "text": SCORE_LABEL},
             "props": {"text_font_size": "11px", "x_offset": 4, "text_baseline": "middle", "text_color": {"$theme": "fg"}}},
        ],
        "hover": [["", "@model"], ["AIME 2024", "@score_label"]],
    },
]

_AIME_SOURCE = {
    MODEL: [label for label, _ in r1.AIME_POINTS],
    SCORE: [score for _, score in r1.AIME_POINTS],
    SCORE_LABEL: [f"{score:.1f}%" for _, score in r1.AIME_POINTS],
}
_AIME_CAPTION = (
    "Horizontal bars of AIME 2024 accuracy published in arXiv 2501.12948: "
    + "; ".join(f"{label} {score:.1f}%" for label, score in r1.AIME_POINTS)
    + ". Only these published points are drawn, no curve between them."
)

_NORM_TEXT = {
    grpo.POPULATION: "population std: divide by G",
    grpo.SAMPLE: "sample std: divide by G − 1",
    grpo.NONE: "no std (Dr. GRPO): divide by 1",
}


def _f(x: float, digits: int = 4) -> str:
    """A number as the panel prints it: fixed decimals, a true minus sign, no −0."""
    text = f"{x:.{digits}f}"
    if float(text) == 0:
        text = f"{0:.{digits}f}"
    return text.replace("-", "−")


def _r(x: float) -> str:
    return f"{x:.1f}"


@dataclass(frozen=True)
class Step:
    """One GRPO step on the learner's group, everything the page shows."""

    rewards: list[float]
    normalisation: str
    epsilon: float
    ratio: float
    beta: float

    @property
    def g(self) -> int:
        return len(self.rewards)

    @property
    def mean(self) -> float:
        return grpo.mean(self.rewards)

    @property
    def divisor(self) -> float:
        """What eq. 3 divides by (1 for Dr. GRPO)."""
        return grpo.std(self.rewards, self.normalisation)

    @property
    def spread(self) -> float:
        """The std shown in the read-out: Dr. GRPO's divides by nothing, so show the population std."""
        return grpo.std(self.rewards, grpo.POPULATION if self.normalisation == grpo.NONE else self.normalisation)

    @property
    def advantages(self) -> list[float]:
        return grpo.advantages(self.rewards, self.normalisation)

    @property
    def terms(self) -> list[float]:
        return [grpo.clipped_objective(self.ratio, a, self.epsilon) for a in self.advantages]

    @property
    def clipped(self) -> list[bool]:
        return [grpo.is_clipped(self.ratio, a, self.epsilon) for a in self.advantages]

    @property
    def ref_over_policy(self) -> float:
        return 1.0 / self.ratio  # π_ref = π_θold in this lab

    @property
    def kl(self) -> float:
        return grpo.kl_estimate(self.ref_over_policy)

    @property
    def objective(self) -> float:
        g = self.g
        return grpo.objective(self.rewards, [self.ratio] * g, self.epsilon, self.beta, [self.ref_over_policy] * g,
                              self.normalisation)

    @property
    def bounds(self) -> tuple[float, float]:
        return 1.0 - self.epsilon, 1.0 + self.epsilon


def step(values: dict) -> Step:
    g = int(values[GROUP_SIZE])
    return Step(
        rewards=[float(values[reward_id(i)]) for i in range(1, g + 1)],
        normalisation=values[NORMALISATION],
        epsilon=float(values[EPSILON]),
        ratio=float(values[RATIO]),
        beta=float(values[BETA]),
    )


def _readouts(st: Step) -> dict:
    clipped = st.clipped
    readouts = {
        MEAN: readout(st.mean, _f(st.mean, 3)),
        STD: readout(st.spread, _f(st.spread, 3)),
        KL: readout(st.beta * st.kl, _f(st.beta * st.kl, 5)),
        OBJECTIVE: readout(st.objective, _f(st.objective)),
        CLIPPED: readout(sum(clipped), f"{sum(clipped)} of {st.g}"),
    }
    for i, (a, t, c) in enumerate(zip(st.advantages, st.terms, clipped), start=1):
        readouts[advantage_id(i)] = readout(a, _f(a, 3))
        readouts[term_id(i)] = readout(t, _f(t, 3) + (" (clipped)" if c else ""))
    return readouts


def _panel(st: Step) -> list[dict]:
    """The live computation, step by step, in the panel's text blocks."""
    g, m, d, rho, beta, kl = st.g, st.mean, st.divisor, st.ratio, st.beta, st.kl
    lo, hi = st.bounds
    if st.normalisation == grpo.NONE:
        std_line = f"Dr. GRPO divides by nothing (std := 1); the population spread would be {_f(st.spread)}."
    else:
        n = g if st.normalisation == grpo.POPULATION else g - 1
        squares = math.fsum((r - m) ** 2 for r in st.rewards)
        std_line = f"std = √(Σ(r_i − mean)² / {n}) = √({_f(squares)} / {n}) = {_f(d)}   ({_NORM_TEXT[st.normalisation]})"
    if grpo.all_equal(st.rewards):
        adv_lines = [{"tag": "p", "text": f"Every reward is {_r(st.rewards[0])}: r_i − mean = 0 for every answer and "
                      "std = 0, so 0 / 0 is taken as 0: every A_i = 0."}]
    else:
        adv_lines = [{"tag": "p", "text": f"A_{i} = ({_r(r)} − {_f(m)}) / {_f(d)} = {_f(a)}"}
                     for i, (r, a) in enumerate(zip(st.rewards, st.advantages), start=1)]
    rows = [
        [str(i), _r(r), _f(a), _f(rho * a), _f(grpo.clip(rho, st.epsilon) * a), _f(t), "yes" if c else "no"]
        for i, (r, a, t, c) in enumerate(zip(st.rewards, st.advantages, st.terms, st.clipped), start=1)
    ]
    return [
        {"tag": "h4", "text": f"1 · Group of G = {g}: mean and spread (eq. 3)"},
        {"tag": "p", "text": f"mean = ({' + '.join(_r(r) for r in st.rewards)}) / {g} = {_f(m)}"},
        {"tag": "p", "text": std_line},
        {"tag": "h4", "text": "2 · Advantages A_i = (r_i − mean) / std"},
        *adv_lines,
        {"tag": "h4", "text": f"3 · Clipped surrogate min(ρA_i, clip(ρ, {_f(lo, 2)}, {_f(hi, 2)})·A_i), ρ = {rho:.2f}"},
        {"tag": "p", "text": f"clip(ρ) = {_f(grpo.clip(rho, st.epsilon), 2)}"},
        {"tag": "table", "head": ["answer i", "r_i", "A_i", "ρ·A_i", "clip(ρ)·A_i", "min", "clipped?"], "rows": rows},
        {"tag": "h4", "text": "4 · KL penalty (eq. 2), with π_ref = π_θold so π_ref / π_θ = 1/ρ"},
        {"tag": "p", "text": f"D_KL = 1/ρ − log(1/ρ) − 1 = {_f(st.ref_over_policy)} − ({_f(-math.log(rho))}) − 1 = "
                             f"{_f(kl, 5)}; β·D_KL = {beta:.2f} × {_f(kl, 5)} = {_f(beta * kl, 5)}"},
        {"tag": "h4", "text": "5 · Objective (eq. 1), maximised"},
        {"tag": "p", "text": f"J = (1/{g}) Σ_i [min_i − β·D_KL] = ({_f(math.fsum(st.terms))} − {g} × "
                             f"{_f(beta * kl, 5)}) / {g} = {_f(st.objective)}"},
    ]


def _note(st: Step) -> str:
    """What this group teaches, in a sentence (the all-equal case said plainly)."""
    if grpo.all_equal(st.rewards):
        return (f"All {st.g} rewards are equal ({_r(st.rewards[0])}), so std = 0 and every advantage is 0: this group "
                "teaches the policy nothing (only the KL term acts). GRPO learns from a question only when its "
                "sampled answers differ.")
    lo, hi = st.bounds
    n_clipped = sum(st.clipped)
    up, down = sum(a > 0 for a in st.advantages), sum(a < 0 for a in st.advantages)
    return (f"Above the group mean {_f(st.mean, 2)}: {up} of {st.g} answers, pushed up (A > 0); below it: {down}, "
            "pushed down (A < 0). "
            + (f"With ρ = {st.ratio:.2f} outside [{_f(lo, 2)}, {_f(hi, 2)}], the clip caps {n_clipped} of them."
               if n_clipped else f"With ρ = {st.ratio:.2f}, no answer is clipped."))


def view(values: dict) -> dict:
    st = step(values)
    g, adv, terms, rho, eps = st.g, st.advantages, st.terms, st.ratio, st.epsilon
    lo, hi = st.bounds
    n_clipped = sum(st.clipped)
    pos = [grpo.clipped_objective(x, 1.0, eps) for x in _RHO_GRID]
    neg = [grpo.clipped_objective(x, -1.0, eps) for x in _RHO_GRID]
    pos_here, neg_here = grpo.clipped_objective(rho, 1.0, eps), grpo.clipped_objective(rho, -1.0, eps)
    adv_caption = (
        f"Bar chart of the advantages of {g} sampled answers with rewards {', '.join(_r(r) for r in st.rewards)} "
        f"(mean {_f(st.mean, 2)}, {_NORM_TEXT[st.normalisation]}): "
        + ", ".join(f"answer {i} {_f(a, 2)}" for i, a in enumerate(adv, start=1))
        + f". Under the bars, each answer's reward. Diamonds: each answer's clipped surrogate at ρ = {rho:.2f}, "
        f"ε = {eps:.2f}" + (f"; {n_clipped} clipped." if n_clipped else "; none clipped.")
    )
    clip_caption = (
        f"Line chart of the clipped surrogate against the policy ratio ρ from 0.5 to 1.5 with ε = {eps:.2f}: for "
        f"A = +1 it rises with ρ and goes flat above {_f(hi, 2)}; for A = −1 it falls with ρ and goes flat below "
        f"{_f(lo, 2)}; dashed, the unclipped ρA. Marked at ρ = {rho:.2f}: {_f(pos_here, 2)} "
        f"for A = +1 and {_f(neg_here, 2)} for A = −1."
    )
    return {
        "readouts": _readouts(st),
        "outputs": {
            GROUP_OUT: str(g),
            EPSILON_OUT: f"{eps:.2f}",
            RATIO_OUT: f"{rho:.2f}",
            BETA_OUT: f"{st.beta:.2f}",
            **{reward_out_id(i): _r(float(values[reward_id(i)])) for i in range(1, MAX_G + 1)},
        },
        "show": {row_id(i): i <= g for i in range(1, MAX_G + 1)},
        "sources": {
            SRC_ADV: {ANSWER: list(range(1, g + 1)), REWARD: st.rewards, ADV: adv, TERM: terms,
                      COLOUR: [_UP if a >= 0 else _DOWN for a in adv], LABEL: [_r(r) for r in st.rewards],
                      LABEL_Y: [min([0.0, *adv, *terms]) - 0.35] * g},
            SRC_CLIP: {RHO: _RHO_GRID, POS: pos, NEG: neg, POS_RAW: list(_RHO_GRID), NEG_RAW: [-x for x in _RHO_GRID]},
            SRC_CLIP_HERE: {RHO: [rho], POS: [pos_here], NEG: [neg_here]},
            SRC_AIME: _AIME_SOURCE,
        },
        "captions": {FIG_ADV: adv_caption, FIG_CLIP: clip_caption, FIG_AIME: _AIME_CAPTION},
        "panels": {MATH: _panel(st), NOTE: [{"tag": "p", "text": _note(st)}]},
    }
