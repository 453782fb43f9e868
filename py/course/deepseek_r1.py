"""Published numbers of the DeepSeek-R1 paper (Guo et al. 2025, "DeepSeek-R1:
Incentivizing Reasoning Capability in LLMs via Reinforcement Learning",
arXiv 2501.12948, version 1), each with its table or section.

The field-report page quotes these; its unit test checks the page's text
against them, so the prose and the numbers cannot drift apart. The AIME 2024
scores are not repeated here: they come from :data:`course.reasoning.EVIDENCE`,
which the reasoning-models lab already cites.

>>> R1_ZERO_AIME_START, R1_ZERO_AIME_END, R1_ZERO_AIME_CONS64
(15.6, 71.0, 86.7)
>>> SFT_REASONING_SAMPLES + SFT_NON_REASONING_SAMPLES == SFT_SAMPLES
True
"""

from __future__ import annotations

from dataclasses import dataclass

from course import reasoning

PAPER = reasoning.R1_PAPER
CRITIQUE = 'Liu et al. 2025, "Understanding R1-Zero-Like Training: A Critical Perspective", arXiv 2503.20783'

# ------------------------------------------------------------------ R1-Zero (section 2.2.4, Table 2)

R1_ZERO_AIME_START = reasoning.evidence("R1-Zero, start of RL").percent
"""AIME 2024 pass@1 of R1-Zero at the start of RL (section 2.2.4, Figure 2)."""
R1_ZERO_AIME_END = reasoning.evidence("R1-Zero, end of RL").percent
"""AIME 2024 pass@1 at the end of RL (Table 2)."""
R1_ZERO_AIME_CONS64 = reasoning.evidence("R1-Zero, majority of 64").percent
"""AIME 2024 with majority voting over 64 samples, cons@64 (Table 2)."""

AIME_POINTS: tuple[tuple[str, float], ...] = (
    ("R1-Zero, start of RL (pass@1)", R1_ZERO_AIME_START),
    ("R1-Zero, end of RL (pass@1)", R1_ZERO_AIME_END),
    ("R1-Zero, end of RL (cons@64)", R1_ZERO_AIME_CONS64),
    ("DeepSeek-R1 (pass@1)", reasoning.evidence("DeepSeek-R1").percent),
)
"""The published AIME 2024 points the page plots (sections 2.2.4, Tables 2
and 4); the paper's Figure 2 curve between them is not reproduced."""

# ------------------------------------------------------------------ R1's pipeline (section 2.3.3)

SFT_REASONING_SAMPLES = 600_000
"""About 600k reasoning samples from rejection sampling (section 2.3.3)."""
SFT_NON_REASONING_SAMPLES = 200_000
"""About 200k non-reasoning samples: writing, factual QA, self-cognition,
translation (section 2.3.3)."""
SFT_SAMPLES = 800_000
"""The about 800k samples of the SFT stage, reused for distillation (sections 2.3.3 and 2.4)."""


# ------------------------------------------------------------------ DeepSeek-R1 (Table 4)


@dataclass(frozen=True)
class Score:
    benchmark: str
    metric: str
    value: float
    text: str  # as the page writes it
    source: str


R1_HEADLINE: tuple[Score, ...] = (
    Score("AIME 2024", "pass@1", reasoning.evidence("DeepSeek-R1").percent, "79.8%", "Table 4"),
    Score("MATH-500", "pass@1", 97.3, "97.3%", "Table 4"),
    Score("Codeforces", "rating", 2029, "2029", "Table 4"),
    Score("Codeforces", "percentile", 96.3, "96.3", "Table 4"),
    Score("GPQA Diamond", "pass@1", 71.5, "71.5%", "Table 4"),
    Score("MMLU", "pass@1", 90.8, "90.8%", "Table 4"),
)

# ------------------------------------------------------------------ distillation (section 2.4, Table 5)


@dataclass(frozen=True)
class Distilled:
    name: str
    base: str
    aime_2024: float  # pass@1, %
    math_500: float  # pass@1, %


DISTILLED: tuple[Distilled, ...] = (
    Distilled("R1-Distill-Qwen-1.5B", "Qwen2.5-Math-1.5B", reasoning.evidence("R1-Distill-Qwen-1.5B").percent, 83.9),
    Distilled("R1-Distill-Qwen-7B", "Qwen2.5-Math-7B", reasoning.evidence("R1-Distill-Qwen-7B").percent, 92.8),
    Distilled("R1-Distill-Qwen-14B", "Qwen2.5-14B", reasoning.evidence("R1-Distill-Qwen-14B").percent, 93.9),
    Distilled("R1-Distill-Qwen-32B", "Qwen2.5-32B", reasoning.evidence("R1-Distill-Qwen-32B").percent, 94.3),
    Distilled("R1-Distill-Llama-8B", "Llama-3.1-8B", reasoning.evidence("R1-Distill-Llama-8B").percent, 89.1),
    Distilled("R1-Distill-Llama-70B", "Llama-3.3-70B-Instruct", reasoning.evidence("R1-Distill-Llama-70B").percent, 94.5),
)
"""The distilled models of Table 5 (AIME 2024 and MATH-500 pass@1) and their
base models (section 2.4): supervised fine-tuning on the 800k samples, no RL."""
