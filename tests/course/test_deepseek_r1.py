"""The DeepSeek-R1 paper's numbers: one source per number, consistent with
course.reasoning (which the reasoning-models lab cites)."""

from __future__ import annotations

from course import deepseek_r1 as r1
from course import reasoning


def test_r1_zero_aime_points_are_the_reasoning_modules():
    assert r1.R1_ZERO_AIME_START == reasoning.evidence("R1-Zero, start of RL").percent == 15.6
    assert r1.R1_ZERO_AIME_END == reasoning.evidence("R1-Zero, end of RL").percent == 71.0
    assert r1.R1_ZERO_AIME_CONS64 == reasoning.evidence("R1-Zero, majority of 64").percent == 86.7
    assert [score for _, score in r1.AIME_POINTS] == [15.6, 71.0, 86.7, 79.8]


def test_headline_scores_of_table_4():
    scores = {(s.benchmark, s.metric): s.value for s in r1.R1_HEADLINE}
    assert scores == {
        ("AIME 2024", "pass@1"): 79.8, ("MATH-500", "pass@1"): 97.3, ("Codeforces", "rating"): 2029,
        ("Codeforces", "percentile"): 96.3, ("GPQA Diamond", "pass@1"): 71.5, ("MMLU", "pass@1"): 90.8,
    }
    for s in r1.R1_HEADLINE:
        assert s.text.rstrip("%") == f"{s.value:g}"


def test_distilled_models_of_table_5():
    aime = {d.name: d.aime_2024 for d in r1.DISTILLED}
    assert aime == {"R1-Distill-Qwen-1.5B": 28.9, "R1-Distill-Qwen-7B": 55.5, "R1-Distill-Qwen-14B": 69.7,
                    "R1-Distill-Qwen-32B": 72.6, "R1-Distill-Llama-8B": 50.4, "R1-Distill-Llama-70B": 70.0}
    distilled_in_reasoning = {e.label for e in reasoning.EVIDENCE if e.group == "distilled from R1"}
    assert distilled_in_reasoning == set(aime)
    # Bigger students score higher on AIME within each family (Table 5).
    qwen = [d.aime_2024 for d in r1.DISTILLED if "Qwen" in d.name]
    assert qwen == sorted(qwen)


def test_sft_sample_counts_add_up():
    assert r1.SFT_REASONING_SAMPLES + r1.SFT_NON_REASONING_SAMPLES == r1.SFT_SAMPLES == 800_000
