"""Self-check page: the quiz of a seed, the grade of one answer, the score.

Controls: ``seed`` (in the URL, so a link reproduces the quiz). The page
module supplies three more values (``STATE``, never in the URL):

* ``question`` and ``answer``: the question id and the typed answer (or the
  chosen option's key) being checked, both empty when nothing is checked;
* ``progress``: the score as stored in ``localStorage`` (:mod:`course.quiz`
  documents the key and schema), read tolerantly.

The view returns, besides read-outs of the score,

* ``quiz``: ``{"seed", "questions": [...]}``, what the page draws (no answers);
* ``grade``: the verdict on ``answer`` with the worked solution or every
  option's explanation, or ``None``;
* ``progress``: the score text to store (unchanged unless a valid answer was
  graded) and ``earlier``: question id -> "correct" / "not correct" of the
  last stored answer.
"""

from __future__ import annotations

from course import quiz
from course.controls import Integer, Text
from course.units import readout

SEED = "seed"
QUESTION, ANSWER, PROGRESS = "question", "answer", "progress"

CONTROLS = {SEED: Integer(quiz.SEED_MIN, quiz.SEED_MAX, quiz.DEFAULT_SEED)}
STATE = {
    QUESTION: Text(40),
    # One more character than an answer may have: the grade then says it is too long.
    ANSWER: Text(quiz.MAX_ANSWER_CHARS + 1),
    PROGRESS: Text(quiz.MAX_PROGRESS_CHARS),
}
FIGURES: list = []


def view(values: dict) -> dict:
    seed = values[SEED]
    questions = quiz.questions(seed)
    stored = values[PROGRESS]
    grade = None
    qid = values[QUESTION]
    if qid in quiz.QUESTION_IDS:
        graded = quiz.grade(questions[quiz.QUESTION_IDS.index(qid)], values[ANSWER])
        stored = quiz.record_answer(stored, graded, seed)
        grade = graded.to_json()
    answers = quiz.parse_progress(stored)
    s = quiz.summary(answers)
    score = f"{s['correct']} correct of {s['answered']} answered ({s['total']} questions)"
    return {
        "readouts": {
            "score-answered": readout(s["answered"], f"{s['answered']} of {s['total']}"),
            "score-correct": readout(s["correct"], str(s["correct"])),
            "quiz-seed": readout(seed, str(seed)),
        },
        "outputs": {"score-text": score if s["answered"] else "No answers yet.",
                    "score-abilities": quiz.ability_text(answers)},
        "quiz": {"seed": seed, "questions": [q.to_json() for q in questions]},
        "grade": grade,
        "progress": quiz.progress_text(answers) if grade and grade["valid"] else None,
        "earlier": {key: ("correct" if entry["correct"] else "not correct") for key, entry in answers.items()},
    }
