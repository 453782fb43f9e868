"""Build-time work: pre-render every page's first view with CPython.

    python tools/build.py

1. For each page in ``course.views.PAGES`` it writes ``assets/build/<page>.json``:
the page's figure specs and its default view, computed by the same pure
modules the page runs under Pyodide. The page draws its plots and fills its
read-outs from this file while Python is still starting, so the first plot is
on screen in a fraction of a second; Python then takes over.

2. It packs ``py/course/`` into ``assets/build/course.zip``, which the worker's
   config (``pyscript.toml``) unpacks into Pyodide's file system.

``assets/build/`` is git-ignored: ``./dev setup`` (and so ``./dev serve`` and
``./dev test``) runs this whenever a source under ``py/`` is newer.
"""

from __future__ import annotations

import json
import sys
import zipfile
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
        try:
            text = json.dumps(views.build(page), separators=(",", ":"), allow_nan=False)
        except Exception as error:  # noqa: BLE001 - one broken view must not stop the others
            # The page's own tests (and tests/test_site.py) fail loudly on it.
            print(f"warning: could not pre-render {page}: {error!r}", file=sys.stderr)
            continue
        path.write_text(text)
        written.append(path)
    return written


COURSE_ZIP = BUILD / "course.zip"


def build_course_zip() -> Path:
    """Every module of py/course in one archive, which pyscript.toml unpacks
    into the worker's file system: one request instead of one per module, and
    a new module ships without editing the config."""
    BUILD.mkdir(parents=True, exist_ok=True)
    source = ROOT / "py"
    tmp = COURSE_ZIP.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((source / "course").rglob("*.py")):
            info = zipfile.ZipInfo(path.relative_to(source).as_posix(), date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    tmp.replace(COURSE_ZIP)
    return COURSE_ZIP


def main() -> int:
    written = build_views()
    print(f"pre-rendered {len(written)} page views into {BUILD.relative_to(ROOT)}")
    archive = build_course_zip()
    print(f"packed py/course into {archive.relative_to(ROOT)} ({archive.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
