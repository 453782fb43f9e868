"""Home page teaser: "how big should a model be for my compute budget?"

One slider, log10 of the training budget C in FLOPs; the 20 tokens/parameter
rule turns it into a model size N = sqrt(C / 120) and a token count D = 20 N
(Hoffmann et al. 2022, arXiv 2203.15556), and the default H100 assumptions of
:mod:`course.scaling` turn it into dollars. The scaling-laws lab goes further.
"""

from __future__ import annotations

import math

from course import quiz, scaling
from course.controls import Range, Text
from course.units import count, readout, sci, usd

BUDGET = "home-log-c"
CONTROLS = {
    # Default: Chinchilla's own budget, 6 × 70e9 × 1.4e12 = 5.88e23 FLOPs.
    BUDGET: Range(18.0, 26.0, 0.01, 23.77),
}
QUERY = False  # the home page keeps a clean URL
PROGRESS = "progress"
STATE = {
    # The self-check score as stored in localStorage (course.quiz documents the
    # key and schema), supplied by py/pages/home.py; shown on the self-check card.
    PROGRESS: Text(quiz.MAX_PROGRESS_CHARS),
}
SELF_CHECK_PROGRESS, SELF_CHECK_ABILITIES = "home-self-check-progress", "home-self-check-abilities"

# Data-source and column names shared by the view and its figure spec.
RULE, HERE, MODELS = "rule", "here", "models"
FLOPS, PARAMS, LABEL = "flops", "params", "label"

# Published (parameters, training tokens) of well-known models, for context:
# the scaling module's list, each entry with its source.
REFERENCE_MODELS = tuple(m for m in scaling.REAL_MODELS if m.name != "Llama 3 405B")

_GRID = [10 ** (18 + 0.25 * i) for i in range(33)]

FIGURES = [
    {
        "id": "home-size",
        "figure": {
            "height": 260,
            "x_axis_type": "log",
            "y_axis_type": "log",
            "x_axis_label": "training compute C (FLOP)",
            "y_axis_label": "parameters N",
        },
        "glyphs": [
            {
                "kind": "line",
                "source": RULE,
                "fields": {"x": FLOPS, "y": PARAMS},
                "props": {"line_width": 2, "line_color": {"$theme": "accent"}, "legend_label": "20 tokens / parameter"},
            },
            {
                "kind": "scatter",
                "source": MODELS,
                "fields": {"x": FLOPS, "y": PARAMS},
                "props": {"size": 8, "marker": "square", "fill_color": {"$theme": "muted"}, "line_color": {"$theme": "muted"}},
            },
            {
                "kind": "text",
                "source": MODELS,
                "fields": {"x": FLOPS, "y": PARAMS, "text": LABEL},
                "props": {"text_font_size": "11px", "x_offset": 6, "y_offset": -4, "text_color": {"$theme": "muted"}},
            },
            {
                "kind": "scatter",
                "source": HERE,
                "fields": {"x": FLOPS, "y": PARAMS},
                "props": {"size": 13, "fill_color": "#e4572e", "line_color": {"$theme": "fg"}, "legend_label": "your budget"},
            },
        ],
        "legend": "top_left",
    }
]


def view(values: dict) -> dict:
    flops = 10 ** values[BUDGET]
    n_params, n_tokens = scaling.rule_of_thumb_allocation(flops)
    cost = scaling.training_cost_usd(
        flops,
        scaling.H100_BF16_DENSE_PEAK_FLOPS,
        scaling.DEFAULT_MFU,
        scaling.DEFAULT_USD_PER_GPU_HOUR,
    )
    hours = scaling.gpu_hours(flops, scaling.H100_BF16_DENSE_PEAK_FLOPS, scaling.DEFAULT_MFU)
    answers = quiz.parse_progress(values[PROGRESS])
    models = {LABEL: [], FLOPS: [], PARAMS: []}
    for model in REFERENCE_MODELS:
        models[LABEL].append(model.name)
        models[FLOPS].append(scaling.training_flops(model.n_params, model.n_tokens))
        models[PARAMS].append(model.n_params)
    return {
        "readouts": {
            "home-flops": readout(flops, sci(flops, "FLOP")),
            "home-params": readout(n_params, count(n_params, "parameters")),
            "home-tokens": readout(n_tokens, count(n_tokens, "tokens")),
            "home-cost": readout(cost, usd(cost)),
            "home-gpu-hours": readout(hours, count(hours, "H100-hours")),
        },
        "outputs": {
            "home-log-c-out": f"10^{values[BUDGET]:.2f} = {sci(flops)} FLOP",
            SELF_CHECK_PROGRESS: quiz.summary_text(answers),
            SELF_CHECK_ABILITIES: quiz.ability_text(answers),
        },
        # Nothing is shown before the learner has answered a question.
        "show": {SELF_CHECK_PROGRESS: bool(answers), SELF_CHECK_ABILITIES: bool(answers)},
        "sources": {
            RULE: {FLOPS: _GRID, PARAMS: [math.sqrt(c / 120.0) for c in _GRID]},
            HERE: {FLOPS: [flops], PARAMS: [n_params]},
            MODELS: models,
        },
        "captions": {
            "home-size": (
                f"Log-log plot of compute-optimal model size against training compute under the "
                f"20 tokens per parameter rule. Your budget of {sci(flops, 'FLOP')} gives "
                f"{count(n_params, 'parameters')} trained on {count(n_tokens, 'tokens')}."
            )
        },
    }
