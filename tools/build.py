"""Build-time work: pre-render every page's first view with CPython.

    python tools/build.py

1. For each page in ``course.views.PAGES`` it writes ``assets/build/<page>.json``:
the page's figure specs and its default view, computed by the same pure
modules the page runs under Pyodide. The page draws its plots and fills its
read-outs from this file while Python is still starting, so the first plot is
on screen in a fraction of a second; Python then takes over.

2. It draws each figure's first view as static SVG pictures
   (``assets/build/plots/<page>--<figure>-<width>.svg``, one per width of
   :data:`PLOT_WIDTHS`) with :mod:`course.svgplot`. ``assets/js/site.js``
   shows the one nearest each plot box's width at once; BokehJS replaces it
   when the learner reaches for the lab (``py/pages/lab.py``).

3. It packs ``py/course/`` into ``assets/build/course.zip``, which the worker's
   config (``pyscript.toml``) unpacks into Pyodide's file system, and has the
   vendored Pyodide (under Node) add bytecode to it and write
   ``assets/build/python_stdlib.zip``, the standard library with every module
   the course imports precompiled (``tools/pycompile.py``: Pyodide's start
   falls from about 2 s to about 0.7 s of CPU).

4. It writes ``sw.js`` (the service worker) from ``assets/js/sw-template.js``
   with every published file and its content hash (see ``published_files``).
   Run it after the vendoring step: the vendored runtime is in the list.

``assets/build/`` is git-ignored: ``./dev setup`` (and so ``./dev serve`` and
``./dev test``) runs this whenever a source under ``py/`` is newer.
"""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "assets" / "build"
sys.path.insert(0, str(ROOT / "py"))

from course import views  # noqa: E402

# Each page's build-time view, computed once: the JSON file and the static
# pictures are drawn from the same one.
built_view = functools.cache(views.build)


def build_views() -> list[Path]:
    BUILD.mkdir(parents=True, exist_ok=True)
    written = []
    for page in views.PAGES:
        path = BUILD / f"{page}.json"
        try:
            text = json.dumps(built_view(page), separators=(",", ":"), allow_nan=False)
        except Exception as error:  # noqa: BLE001 - one broken view must not stop the others
            # The page's own tests (and tests/test_site.py) fail loudly on it.
            print(f"warning: could not pre-render {page}: {error!r}", file=sys.stderr)
            continue
        path.write_text(text)
        written.append(path)
    return written


PLOTS = BUILD / "plots"
# Widths (CSS px) of the static pictures: the plot boxes are 278-1184 px wide
# across the layouts (measured at 360, 800 and 1350 px viewports). site.js
# picks the narrowest picture at least as wide as the box (its copy of this
# list is checked by tests/test_site.py). Steps of 12-18%: the picture is
# scaled by 0.85-1 and so fills at least 85% of the height its box reserves.
PLOT_WIDTHS = (300, 340, 380, 430, 480, 540, 610, 690, 780, 880, 1000, 1180)


def build_plots() -> list[Path]:
    from course import svgplot

    PLOTS.mkdir(parents=True, exist_ok=True)
    written = []
    for page in views.PAGES:
        built = built_view(page)
        for spec in built["figures"]:
            for width in PLOT_WIDTHS:
                path = PLOTS / f"{page}--{spec['id']}-{width}.svg"
                path.write_text(svgplot.render(spec, built["initial"]["sources"], width))
                written.append(path)
    # Pictures of figures or widths that no longer exist would still be
    # published and precached: remove them.
    for stale in set(PLOTS.glob("*.svg")) - set(written):
        stale.unlink()
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


PYODIDE = ROOT / "node_modules" / "pyodide"
STDLIB_ZIP = BUILD / "python_stdlib.zip"
# Last run's outputs and the digest of its inputs, kept out of the published
# assets/build/ (git-ignored, like assets/build/).
PYCOMPILE_CACHE = ROOT / ".cache" / "pycompile"


def precompile() -> str:
    """Rewrite course.zip and write python_stdlib.zip with bytecode made by
    the vendored Pyodide itself (tools/pycompile.py says why). Skipped when
    neither the sources nor the tools changed since the last run (it boots
    Pyodide under Node: about 4 s)."""
    inputs = [COURSE_ZIP, PYODIDE / "python_stdlib.zip", PYODIDE / "package.json"]
    inputs += [ROOT / "tools" / "pycompile.py", ROOT / "tools" / "pycompile.mjs"]
    digest = hashlib.sha256()
    for path in inputs:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    key = digest.hexdigest()
    PYCOMPILE_CACHE.mkdir(parents=True, exist_ok=True)
    cached, stdlib, stamp = (PYCOMPILE_CACHE / n for n in ("course.zip", "python_stdlib.zip", "key"))
    if cached.exists() and stdlib.exists() and stamp.exists() and stamp.read_text() == key:
        shutil.copyfile(cached, COURSE_ZIP)
        shutil.copyfile(stdlib, STDLIB_ZIP)
        return "unchanged"
    subprocess.run(
        ["node", str(ROOT / "tools" / "pycompile.mjs"), str(PYODIDE), str(PYODIDE / "python_stdlib.zip"),
         str(stdlib), str(COURSE_ZIP), str(cached)],
        check=True, cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    shutil.copyfile(cached, COURSE_ZIP)
    shutil.copyfile(stdlib, STDLIB_ZIP)
    stamp.write_text(key)
    return "compiled"


SW_TEMPLATE = ROOT / "assets" / "js" / "sw-template.js"
SERVICE_WORKER = ROOT / "sw.js"


def published_files(root: Path = ROOT) -> list[str]:
    """Every file the deployed site serves (paths relative to the site root),
    except sw.js itself. This one list drives the service worker's precache
    and the folder that tools/dist.py publishes."""
    patterns = [
        "index.html",
        "lessons/*.html",
        "manifest.webmanifest",
        "pyscript.toml",
        "py/worker.py",
        "py/main.toml",
        "py/pages/*.py",
        "assets/css/**/*",
        "assets/js/**/*",
        "assets/icons/**/*",
        "assets/vendor/**/*",
        "assets/build/**/*",
    ]
    found = set()
    for pattern in patterns:
        for path in root.glob(pattern):
            if path.is_file() and path != SW_TEMPLATE and path.suffix != ".tmp":
                found.add(path.relative_to(root).as_posix())
    return sorted(found)


def short_hash(path: Path) -> str:
    """First 16 hex digits of the file's sha256 (what sw.js compares)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def build_service_worker(root: Path = ROOT) -> Path:
    """Write sw.js: the template with every published file and its hash."""
    precache = {name: short_hash(root / name) for name in published_files(root)}
    version = hashlib.sha256(json.dumps(precache, sort_keys=True).encode()).hexdigest()[:12]
    template = SW_TEMPLATE.read_text()
    for marker in ("/*PRECACHE*/ {}", '/*VERSION*/ "dev"'):
        if marker not in template:
            raise SystemExit(f"{SW_TEMPLATE} lost its placeholder {marker}")
    text = template.replace("/*PRECACHE*/ {}", json.dumps(precache, indent=1, sort_keys=True))
    text = text.replace('/*VERSION*/ "dev"', json.dumps(version))
    target = root / "sw.js"
    target.write_text(text)
    return target


def main() -> int:
    written = build_views()
    print(f"pre-rendered {len(written)} page views into {BUILD.relative_to(ROOT)}")
    plots = build_plots()
    size = sum(p.stat().st_size for p in plots)
    print(f"drew {len(plots)} static plot pictures into {PLOTS.relative_to(ROOT)} ({size:,} bytes)")
    archive = build_course_zip()
    state = precompile()
    print(f"packed py/course into {archive.relative_to(ROOT)} ({archive.stat().st_size:,} bytes)")
    print(f"bytecode for the worker ({state}): {STDLIB_ZIP.relative_to(ROOT)} ({STDLIB_ZIP.stat().st_size:,} bytes)")
    worker = build_service_worker()
    print(f"wrote {worker.relative_to(ROOT)} precaching {len(published_files())} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
