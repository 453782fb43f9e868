"""Build-time work: pre-render every page's first view with CPython.

    python tools/build.py

For each page in ``course.views.PAGES`` it writes ``assets/build/<page>.json``:
the page's figure specs and its default view, computed by the same pure
modules the page runs under Pyodide. The page draws its plots and fills its
read-outs from this file while Python is still starting, so the first plot is
on screen in a fraction of a second; Python then takes over.

``assets/build/`` is git-ignored: ``./dev setup`` (and so ``./dev serve`` and
``./dev test``) runs this whenever a source under ``py/`` is newer.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "assets" / "build"
sys.path.insert(0, str(ROOT / "py"))

from course import views  # noqa: E402


def build_views() -> list[Path]:
    BUILD.mkdir(parents=True, exist_ok=True)
    written = []
    for page in views.PAGES:
        path = BUILD / f"{page}.json"
        path.write_text(json.dumps(views.build(page), separators=(",", ":"), allow_nan=False))
        written.append(path)
    return written


def main() -> int:
    written = build_views()
    print(f"pre-rendered {len(written)} page views into {BUILD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
