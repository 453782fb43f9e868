"""Self-check page (MicroPython, main thread): the quiz, its feedback, the score.

Design
------
* **The pure module decides everything.** ``py/course/quiz.py`` generates the
  twelve questions of a seed (stable ids, three per ability, answers computed
  by the labs' modules), grades an answer and owns the score's
  ``localStorage`` schema; ``py/course/views/self_check.py`` runs it in the
  worker. This module only draws and moves text: no answer, tolerance or
  schema is known here, so CPython's tests cover all the logic.
* **The runner carries the answers.** ``lab.run`` wires ``#seed`` (in the URL,
  so a link reproduces the quiz); ``extra_state`` adds the answer being
  checked and the stored score (the view's ``STATE``, never in the URL). A
  check is one worker round trip: the grade, the worked solution (or every
  option's explanation) and the new score text come back together, and the
  score text is stored as it came.
* **The questions are real form controls**, built with textContent only (by
  ``stage07.renderQuiz`` in site.js, one call per quiz: element by element
  from MicroPython they were a 100-150 ms main-thread task): one
  ``<form>`` per question (Enter or the button checks it), radio buttons in a
  ``<fieldset>`` whose ``<legend>`` is the question, or a labelled text box
  (``inputmode=decimal``: exponent notation and suffixes such as ``70B`` must
  be typable, which ``type=number`` refuses). Feedback lands in a per-question
  ``aria-live`` region, the score in a ``role=status`` line. One submit
  listener per ability's list serves its cards (submit events bubble).
* Typed answers are echoed back only as text; an answer is cut to
  ``MAX_SENT_CHARS`` before it is sent (the grade then says it is too long),
  and a stored score longer than any this page writes is ignored.

MicroPython: keep to the subset of Python it shares with CPython.
"""

import json

import jsboundary as js
from lab import run

PAGE = "self-check"
STORAGE_KEY = "stage07-self-check-v1"  # copy of course.quiz.STORAGE_KEY (a unit test keeps them equal)
MAX_STORED_CHARS = 20000  # course.quiz.MAX_PROGRESS_CHARS
MAX_SENT_CHARS = 101  # course.quiz.MAX_ANSWER_CHARS + 1
SEED = "seed"
NEW = "new-questions"
RESET = "reset-score"
STATUS = "quiz-status"
ABILITIES = ("tokens", "moe", "reasoning", "budget")


def qid_node(qid, part=""):
    return js.element("q-" + qid + ("-" + part if part else ""))


class Quiz:
    def __init__(self):
        self.seed = None
        self.questions = {}  # id -> {"kind": ...} of the questions on show
        self.pending = []  # (question id, answer) pairs waiting to be sent, oldest first
        self.lab = None
        js.on(js.element(NEW), "click", self.on_new)
        js.on(js.element(RESET), "click", self.on_reset)
        for ability in ABILITIES:
            js.on_submit(js.element("questions-" + ability), self.on_submit)

    # ------------------------------------------------------------ state sent to the view

    def stored(self):
        text = js.storage_get(STORAGE_KEY)
        if text is None or len(text) > MAX_STORED_CHARS:
            return ""
        return text

    def extra_state(self):
        """One checked answer per request: the view grades one at a time."""
        qid, answer = self.pending.pop(0) if self.pending else ("", "")
        return {"question": qid, "answer": answer, "progress": self.stored()}

    # ------------------------------------------------------------ building the questions

    def build(self, questions):
        """Show the cards of ``questions`` (the view's JS array). Only each
        question's kind is kept on this side: converting the whole quiz to
        Python dicts cost more than drawing it."""
        self.questions = {}
        for i in range(int(questions.length)):
            q = questions[i]
            self.questions[str(q.id)] = {"kind": str(q.kind)}
        js.render_quiz(ABILITIES, questions)

    def on_submit(self, event):
        """A card's form was submitted (one listener per list: submit bubbles)."""
        form_id = str(event.target.id)
        if form_id.startswith("q-") and form_id.endswith("-form"):
            self.check(form_id[2 : -len("-form")], event)

    def check(self, qid, event):
        """Send the answer to question ``qid`` to be graded."""
        q = self.questions.get(qid)
        if q is None:
            return
        if q["kind"] == "choice":
            answer = js.checked_value(qid_node(qid, "form"), "q-" + qid) or ""
        else:
            answer = str(qid_node(qid, "answer").value)
        self.pending = [item for item in self.pending if item[0] != qid]
        self.pending.append((qid, answer[:MAX_SENT_CHARS]))
        js.set_text(qid_node(qid, "feedback"), "Checking…")
        self.lab.on_input(event)

    def show_grade(self, g):
        node = qid_node(g["question"], "feedback")
        if node is None:
            return
        if not g["valid"]:
            verdict, head = "invalid", "Not checked."
        elif g["correct"]:
            verdict, head = "correct", "✓ Correct."
        else:
            verdict, head = "wrong", "✗ Not correct."
        blocks = [{"tag": "p", "text": head}, {"tag": "p", "text": "Your answer: " + g["given"]}]
        blocks.append({"tag": "p", "text": g["message"]})
        if g["worked"]:
            blocks.append({"tag": "h4", "text": "Worked solution"})
            for line in g["worked"]:
                blocks.append({"tag": "p", "text": line})
        if g["options"]:
            blocks.append({"tag": "h4", "text": "Every option"})
            for option in g["options"]:
                mark = "✓ " if option["correct"] else "✗ "
                blocks.append({"tag": "p", "text": mark + option["text"] + " — " + option["explanation"]})
        node.setAttribute("data-verdict", verdict)
        answer_box = qid_node(g["question"], "answer")
        if answer_box is not None:
            if verdict == "invalid":
                answer_box.setAttribute("aria-invalid", "true")
            else:
                answer_box.removeAttribute("aria-invalid")
        js.render_blocks(node, js.parse_json(json.dumps(blocks)))

    # ------------------------------------------------------------ results

    def on_result(self, result):
        seed = str(result.quiz.seed)
        if seed != self.seed:
            self.build(result.quiz.questions)
            self.seed = seed
        earlier = js.to_python(result.earlier)
        for qid in self.questions:
            status = earlier.get(qid)
            js.set_text(qid_node(qid, "status"), ("In your score: " + status + ".") if status else "")
        grade = js.to_python(result.grade)
        if grade is not None:
            self.show_grade(grade)
        if self.pending:
            # Two questions checked within one round trip: the runner sends
            # the next request as soon as this answer has been applied.
            self.lab.dirty = True
        progress = js.to_python(result.progress)
        if progress:
            if not js.storage_set(STORAGE_KEY, progress):
                js.set_text(js.element(STATUS), "Your browser refused to store the score; it lasts until you leave.")

    # ------------------------------------------------------------ buttons

    def on_new(self, event):
        seed_node = js.element(SEED)
        seed_node.value = str(js.random_int(1, 999999))
        js.set_text(js.element(STATUS), "New questions.")
        js.fire_input(seed_node)

    def on_reset(self, event):
        js.storage_remove(STORAGE_KEY)
        for qid in self.questions:
            js.set_text(qid_node(qid, "feedback"), "")
            qid_node(qid, "feedback").removeAttribute("data-verdict")
        js.set_text(js.element(STATUS), "Score reset.")
        js.fire_input(js.element(SEED))


def main():
    quiz = Quiz()
    quiz.lab = run(PAGE, on_result=quiz.on_result, extra_state=quiz.extra_state)
    return quiz


main()
