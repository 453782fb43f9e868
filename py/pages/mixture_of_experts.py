"""Mixture-of-Experts lesson (MicroPython, main thread): the generic lab runner.

Everything the page computes comes from ``py/course/views/mixture_of_experts.py``
in the ``maths`` worker; text the learner types reaches the page only through
textContent and BokehJS text glyphs, never as markup.
"""

from lab import run

run("mixture-of-experts")
