"""End-to-end: the self-check quiz and the home page's progress.

Correct answers are recomputed in Python by the same pure module the page's
worker runs (``course.quiz``), for the seed the page shows.
"""

from __future__ import annotations

from playwright.sync_api import expect

from course import quiz
from helpers import goto_ready, readout

PATH = "lessons/self-check.html"
SEED = 4242


def _open(page, seed=SEED):
    goto_ready(page, f"{PATH}?seed={seed}")
    expect(page.locator("#q-tokens-budget-answer")).to_be_visible()


def _answer_numeric(page, qid, text):
    page.get_by_label("Your answer", exact=False).and_(page.locator(f"#q-{qid}-answer")).fill(text)
    page.locator(f"#q-{qid}-answer").press("Enter")  # Enter submits, as a keyboard user would


def _feedback(page, qid):
    return page.locator(f"#q-{qid}-feedback")


def test_right_and_wrong_answers_get_feedback_and_the_score_persists(page, guard):
    _open(page)
    question = quiz.question(SEED, "tokens-budget")
    _answer_numeric(page, "tokens-budget", f"{question.answer:.4e}")
    feedback = _feedback(page, "tokens-budget")
    expect(feedback).to_have_attribute("data-verdict", "correct")
    expect(feedback).to_contain_text("Worked solution")
    expect(feedback).to_contain_text("N = √(")

    # A wrong multiple-choice answer: every option's explanation is shown.
    why = quiz.question(SEED, "moe-why")
    wrong = next(o for o in why.options if not o.correct)
    page.get_by_label(wrong.text).check()
    page.locator("#q-moe-why-check").click()
    feedback = _feedback(page, "moe-why")
    expect(feedback).to_have_attribute("data-verdict", "wrong")
    for option in why.options:
        expect(feedback).to_contain_text(option.explanation)
    expect(page.locator("#score-answered")).to_have_attribute("data-value", "2")
    expect(page.locator("#score-correct")).to_have_attribute("data-value", "1")

    # Reload: the score is still there, and each question says how it went.
    _open(page)
    expect(page.locator("#score-answered")).to_have_attribute("data-value", "2")
    expect(page.locator("#q-moe-why-status")).to_contain_text("not correct")

    # The home page shows the progress on the self-check card.
    goto_ready(page, "index.html")
    progress = page.locator("#home-self-check-progress")
    expect(progress).to_be_visible()
    expect(progress).to_have_text("Self-check: 2 of 12 answered, 1 correct")
    expect(page.locator("#home-self-check-abilities")).to_contain_text("20 tokens/param 1/3 · MoE 0/3")

    # Reset clears it, here and on the home page.
    _open(page)
    page.get_by_role("button", name="Reset score").click()
    expect(page.locator("#score-answered")).to_have_attribute("data-value", "0")
    assert page.evaluate(f"localStorage.getItem('{quiz.STORAGE_KEY}')") is None
    goto_ready(page, "index.html")
    expect(page.locator("#home-self-check-progress")).to_be_hidden()


def test_home_shows_nothing_with_empty_or_corrupt_storage(page, guard):
    goto_ready(page, "index.html")
    expect(page.locator("#home-self-check-progress")).to_be_hidden()
    page.evaluate(f"localStorage.setItem('{quiz.STORAGE_KEY}', '{{not json')")
    goto_ready(page, "index.html")
    expect(page.locator("#home-self-check-progress")).to_be_hidden()
    expect(page.locator("#home-self-check-abilities")).to_be_hidden()


def test_hostile_answers_are_shown_as_text_with_a_message(page, guard):
    _open(page)
    hostile = "<img src=x id=pwned><script>window.pwned=1</script>"
    _answer_numeric(page, "reasoning-cost", hostile)
    feedback = _feedback(page, "reasoning-cost")
    expect(feedback).to_have_attribute("data-verdict", "invalid")
    expect(feedback).to_contain_text("Your answer: <img src=x")
    expect(feedback).to_contain_text("is not a number")
    assert page.locator("#pwned").count() == 0
    assert page.evaluate("window.pwned") is None

    for text, message in (("NaN", "is not a number"), ("1e999", "not a finite number")):
        _answer_numeric(page, "reasoning-latency", text)
        expect(_feedback(page, "reasoning-latency")).to_contain_text(message)

    page.locator("#q-budget-size-answer").evaluate("(el) => { el.value = '9'.repeat(10 * 1024 * 1024); }")
    page.locator("#q-budget-size-check").click()
    expect(_feedback(page, "budget-size")).to_contain_text("an answer is a number of at most 100 characters")
    # Invalid answers are not counted.
    expect(page.locator("#score-answered")).to_have_attribute("data-value", "0")


def test_the_seed_is_in_the_url_and_new_questions_change_it(page, guard):
    _open(page)
    expect(page.locator("#q-tokens-budget-text")).to_contain_text(quiz.question(SEED, "tokens-budget").text[:40])
    page.get_by_role("button", name="New questions").click()
    page.wait_for_function(f"() => document.getElementById('seed').value !== '{SEED}'")
    seed = int(page.locator("#seed").input_value())
    expect(page.locator("#quiz-seed")).to_have_attribute("data-value", str(seed))
    expect(page.locator("#q-reasoning-cost-text")).to_have_text(quiz.question(seed, "reasoning-cost").text)
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('seed') === '{seed}'")
    assert readout(page, "quiz-seed") == seed


def test_a_question_can_be_answered_by_keyboard_alone_and_stays_accessible(page, guard):
    from test_accessibility import axe_violations

    _open(page)
    q = quiz.question(SEED, "reasoning-when")
    first = page.locator("#q-reasoning-when-form input[type=radio]").first
    first.focus()
    page.keyboard.press("Space")  # select the focused option
    expect(first).to_be_checked()
    page.keyboard.press("Tab")  # to the Check answer button
    expect(page.locator("#q-reasoning-when-check")).to_be_focused()
    page.keyboard.press("Enter")
    feedback = _feedback(page, "reasoning-when")
    expect(feedback).to_have_attribute("aria-live", "polite")
    verdict = "correct" if q.options[0].correct else "wrong"
    expect(feedback).to_have_attribute("data-verdict", verdict)
    for option in q.options:
        expect(feedback).to_contain_text(option.explanation)

    # With feedback of every kind on the page, axe still finds nothing.
    _answer_numeric(page, "moe-active", "<b>bold</b>")
    _answer_numeric(page, "moe-memory", "1")
    expect(_feedback(page, "moe-memory")).to_have_attribute("data-verdict", "wrong")
    expect(page.locator("#q-moe-active-answer")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []


def test_questions_checked_at_once_are_all_graded(page, guard):
    _open(page)
    answers = {qid: quiz.question(SEED, qid).answer for qid in ("tokens-budget", "reasoning-cost", "budget-memory")}
    page.evaluate(
        """(answers) => { for (const [qid, value] of Object.entries(answers)) {
               document.getElementById(`q-${qid}-answer`).value = String(value);
               document.getElementById(`q-${qid}-form`).requestSubmit(); } }""",
        answers,
    )
    for qid in answers:
        expect(_feedback(page, qid)).to_have_attribute("data-verdict", "correct")
    expect(page.locator("#score-correct")).to_have_attribute("data-value", "3")


def test_a_link_sets_the_seed_but_never_an_answer_or_the_score(page, guard):
    from urllib.parse import urlencode

    forged = quiz.progress_text({qid: {"correct": True, "seed": 1} for qid in quiz.QUESTION_IDS})
    q = quiz.question(5, "tokens-budget")
    query = urlencode({"seed": "5", "question": q.id, "answer": repr(q.answer), "progress": forged})
    goto_ready(page, f"{PATH}?{query}")
    expect(page.locator("#quiz-seed")).to_have_attribute("data-value", "5")
    expect(page.locator("#score-answered")).to_have_attribute("data-value", "0")
    expect(_feedback(page, "tokens-budget")).to_be_empty()
    assert page.evaluate(f"localStorage.getItem('{quiz.STORAGE_KEY}')") is None


def test_a_hostile_seed_in_the_link_is_explained_as_text(page, guard):
    goto_ready(page, f"{PATH}?seed=%3Cimg%20src%3Dx%20id%3Dpwned%3E")
    expect(page.locator("#quiz-seed")).to_have_attribute("data-value", str(quiz.DEFAULT_SEED))
    expect(page.locator("#lab-notices")).to_contain_text("<img src=x id=pwned>")
    assert page.locator("#pwned").count() == 0
