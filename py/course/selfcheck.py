"""Numbers the pure modules must give identically under CPython and Pyodide.

``run()`` evaluates a fixed set of computations, one entry per named check,
and every page view at its defaults. The unit tests call it under CPython;
an end-to-end test calls the same function inside the page's Pyodide worker
(``py/worker.py:self_check``) and compares the two results value by value,
proving that what the tests check is what the learner's browser computes.

Each module adds its checks to ``CHECKS`` (name -> zero-argument callable).
"""

from __future__ import annotations

from course import scaling, views

CHECKS = {
    "scaling.loss.chinchilla.hoffmann": lambda: scaling.loss(70e9, 1.4e12, "hoffmann"),
    "scaling.loss.chinchilla.epoch": lambda: scaling.loss(70e9, 1.4e12, "epoch"),
    "scaling.optimal.1e24.hoffmann": lambda: list(scaling.compute_optimal(1e24, "hoffmann")),
    "scaling.optimal.1e24.epoch": lambda: list(scaling.compute_optimal(1e24, "epoch")),
    "scaling.rule.1e24": lambda: list(scaling.rule_of_thumb_allocation(1e24)),
    "scaling.cost.1e24": lambda: scaling.training_cost_usd(1e24, 989.4e12, 0.4, 2.0),
}


def run() -> dict:
    """Every check's value, plus every page's default view."""
    results = {name: check() for name, check in CHECKS.items()}
    for page in views.PAGES:
        results[f"view.{page}"] = views.render(page, {})
    return results
