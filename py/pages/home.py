"""Home page (MicroPython, main thread): the budget teaser lab, and the
learner's self-check progress on the self-check card.

The score is read from ``localStorage`` on every update and sent to the home
view as it is stored; ``course.quiz`` (in the worker) parses it, tolerating
anything corrupt, and the view shows the progress only when there is some.
"""

import jsboundary as js
from lab import run

STORAGE_KEY = "stage07-self-check-v1"  # copy of course.quiz.STORAGE_KEY (a unit test keeps them equal)
MAX_STORED_CHARS = 20000  # course.quiz.MAX_PROGRESS_CHARS: longer is not a score


def progress_state():
    text = js.storage_get(STORAGE_KEY)
    if text is None or len(text) > MAX_STORED_CHARS:
        text = ""
    return {"progress": text}


run("home", extra_state=progress_state)
