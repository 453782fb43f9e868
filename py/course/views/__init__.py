"""Page views: the pure half of every interactive page.

A view module (one per page, named after it) defines

* ``CONTROLS``: control id -> a spec of :mod:`course.controls` (the single
  source of the ranges, defaults and options; the page's HTML carries the
  same ids, and a unit test checks the two agree);
* ``FIGURES``: declarative BokehJS figure specs (see
  ``py/pages/jsboundary.py:render_figure``);
* ``view(values) -> dict`` with any of ``readouts`` (element id ->
  :func:`course.units.readout`), ``sources`` (data-source name -> columns),
  ``captions`` (figure id -> text alternative), ``panels`` (element id ->
  text blocks), ``outputs`` (element id -> text beside a control) and
  ``show`` (element id -> bool: whether it is visible, e.g. the knobs that
  only some settings use);
* optionally ``QUERY = False`` to keep its state out of the URL;
* optionally ``STATE``: control id -> spec, like ``CONTROLS``, for values the
  page module supplies itself (``lab.run(extra_state=...)``) rather than a
  ``data-control`` element: e.g. a typed quiz answer or the score kept in
  ``localStorage``. They are validated the same way, never written to the URL
  and never taken from it (``py/pages/lab.py`` applies them after the URL's
  parameters).

The module's file name is the page key with ``-`` written as ``_``.

:func:`render` validates the raw control values, runs the view and adds the
normalised ``state``, the ``notices`` and the URL ``query``. The worker
(``py/worker.py``) calls it on every input; ``tools/build.py`` calls
:func:`build` under CPython to pre-render each page's first view.
"""

from __future__ import annotations

import importlib
import pkgutil

from course import controls as _controls

PAGES = {
    info.name.replace("_", "-"): f"{__name__}.{info.name}"
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
}
"""Page key (``data-page`` of the HTML, the build file's name) -> module.

Discovered, not registered: ``views/scaling_laws.py`` serves the page whose
``<html data-page="scaling-laws">``. Adding a page's view adds it here."""


def load(page: str):
    """The view module of ``page``; a ValueError names the known pages."""
    try:
        name = PAGES[page]
    except KeyError:
        raise ValueError(f"unknown page {page!r}; known pages: {', '.join(PAGES)}") from None
    return importlib.import_module(name)


def _query_text(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def render(page: str, raw: dict | None, previous: dict | None = None) -> dict:
    """Validate ``raw`` control values and compute the page's view."""
    module = load(page)
    specs = {**module.CONTROLS, **getattr(module, "STATE", {})}
    values, notices = _controls.parse(specs, raw or {}, previous)
    result = {
        "page": page,
        "state": values,
        "notices": notices,
        "readouts": {},
        "sources": {},
        "captions": {},
        "panels": {},
        "outputs": {},
        "show": {},
    }
    shown = module.view(values)
    # A view may add notices of its own (e.g. a knob longer than the sequence):
    # they join the validation notices instead of replacing them.
    view_notices = shown.pop("notices", None) or {}
    result.update(shown)
    result["notices"] = {**notices, **view_notices}
    if getattr(module, "QUERY", True):
        result["query"] = {key: _query_text(values[key]) for key in module.CONTROLS}
    else:
        result["query"] = None
    return result


def build(page: str) -> dict:
    """What the page draws before Python starts: its figures and default view."""
    module = load(page)
    return {"page": page, "figures": module.FIGURES, "initial": render(page, {})}
