"""The self-check view: the quiz of the seed, one grade, the score to store."""

from __future__ import annotations

import json

from course import quiz, views
from course.views import self_check

PAGE = "self-check"


def _render(**raw):
    return views.render(PAGE, {key: str(value) for key, value in raw.items()})


def test_default_view_is_the_default_seed_with_no_grade():
    result = views.render(PAGE, {})
    assert result["state"][self_check.SEED] == quiz.DEFAULT_SEED
    assert [q["id"] for q in result["quiz"]["questions"]] == list(quiz.QUESTION_IDS)
    assert result["grade"] is None and result["progress"] is None
    assert result["readouts"]["score-answered"]["value"] == "0"
    assert result["outputs"]["score-text"] == "No answers yet."
    json.dumps(result, allow_nan=False)


def test_only_the_seed_goes_into_the_url():
    result = _render(seed=77, question="moe-why", answer="x", progress="{}")
    assert result["query"] == {"seed": "77"}


def test_a_seed_out_of_range_is_clamped_with_a_notice():
    result = _render(seed=5_000_000)
    assert result["state"]["seed"] == quiz.SEED_MAX
    assert "above the maximum 999999" in result["notices"]["seed"]
    assert result["quiz"]["seed"] == quiz.SEED_MAX


def test_a_right_answer_is_graded_and_recorded():
    q = quiz.question(77, "reasoning-cost")
    result = _render(seed=77, question=q.id, answer=repr(q.answer), progress="")
    assert result["grade"]["correct"] and result["grade"]["worked"] == list(q.worked)
    stored = json.loads(result["progress"])
    assert stored == {"v": 1, "answers": {q.id: {"correct": True, "seed": 77}}}
    assert result["readouts"]["score-correct"]["value"] == "1"
    assert result["earlier"] == {q.id: "correct"}


def test_a_wrong_choice_keeps_earlier_answers_and_explains_every_option():
    before = quiz.progress_text({"tokens-budget": {"correct": True, "seed": 3}})
    q = quiz.question(77, "moe-why")
    wrong = next(o for o in q.options if not o.correct)
    result = _render(seed=77, question=q.id, answer=wrong.key, progress=before)
    assert result["grade"]["valid"] and not result["grade"]["correct"]
    assert len(result["grade"]["options"]) == len(q.options)
    answers = quiz.parse_progress(result["progress"])
    assert answers == {"tokens-budget": {"correct": True, "seed": 3}, "moe-why": {"correct": False, "seed": 77}}
    assert result["outputs"]["score-text"] == "1 correct of 2 answered (12 questions)"


def test_a_hostile_answer_is_not_recorded_and_does_not_raise():
    for answer in ("<script>alert(1)</script>", "NaN", "1e999", "9" * 10_000, ""):
        result = _render(seed=9, question="budget-size", answer=answer, progress="")
        assert result["grade"]["valid"] is False and result["grade"]["message"]
        assert result["progress"] is None


def test_an_over_long_answer_says_so():
    result = _render(seed=9, question="budget-size", answer="1" * 5000)
    assert "characters long" in result["grade"]["message"]


def test_an_unknown_question_id_grades_nothing():
    result = _render(seed=9, question="<img>", answer="1")
    assert result["grade"] is None


def test_corrupt_stored_progress_reads_as_none():
    result = _render(seed=9, progress="{broken")
    assert result["readouts"]["score-answered"]["value"] == "0" and result["earlier"] == {}


def test_state_is_separate_from_the_controls_and_the_page_has_no_element_for_it():
    from pathlib import Path

    html = (Path(__file__).resolve().parents[3] / "lessons" / "self-check.html").read_text()
    assert not set(self_check.STATE) & set(self_check.CONTROLS)
    for key in self_check.STATE:
        assert f'id="{key}"' not in html
    assert 'id="seed" data-control' in html
