"""Numbers the pure modules must give identically under CPython and Pyodide.

``run()`` evaluates every module's ``SELF_CHECKS`` (a dict of name ->
zero-argument callable returning JSON-able numbers) and every page view at
its defaults. The unit tests call it under CPython; an end-to-end test calls
the same function inside the page's Pyodide worker
(``py/worker.py:self_check``) and compares the two results value by value,
proving that what the tests check is what the learner's browser computes.

Modules are discovered: any module of the ``course`` package that defines
``SELF_CHECKS`` takes part.
"""

from __future__ import annotations

import importlib
import pkgutil

import course
from course import views


def checks() -> dict:
    """name -> callable, from every course module that defines SELF_CHECKS."""
    found = {}
    for info in sorted(pkgutil.iter_modules(course.__path__), key=lambda info: info.name):
        if info.ispkg or info.name == "selfcheck":
            continue
        module = importlib.import_module(f"course.{info.name}")
        for name, check in getattr(module, "SELF_CHECKS", {}).items():
            found[f"{info.name}.{name}"] = check
    return found


def run() -> dict:
    """Every check's value, plus every page's default view."""
    results = {name: check() for name, check in checks().items()}
    for page in views.PAGES:
        results[f"view.{page}"] = views.render(page, {})
    return results
