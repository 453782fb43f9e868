"""Copy the browser runtime into ``assets/vendor/`` and write its manifest.

Run with the project's virtual environment (``./dev setup`` does it):

    .venv/bin/python tools/vendor.py

Sources, all pinned:

* PyScript core     npm ``@pyscript/core``        (package-lock.json)
* Pyodide core      npm ``pyodide``               (package-lock.json)
* MicroPython       npm ``@micropython/micropython-webassembly-pyscript``
* BokehJS           the static files inside the PyPI ``bokeh`` wheel
                    (pyproject.toml pins the wheel, so it pins BokehJS too)

Nothing here is committed: ``assets/vendor/`` is git-ignored and rebuilt from
``node_modules`` and the virtual environment. The manifest
(``assets/vendor/manifest.json``) lists every file with its size, sha256 and
the version of the package it came from; the service worker's precache list
and the end-to-end tests read it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "assets" / "vendor"
MANIFEST = VENDOR / "manifest.json"

# Which files of each package the page may load. PyScript's dist/ is copied
# whole (minus source maps): core.js imports its chunks lazily by name, and the
# chunk names carry content hashes that change between releases.
#
# Pyodide's python_stdlib.zip is not among them: the page loads the copy that
# tools/build.py precompiles to bytecode (assets/build/python_stdlib.zip; see
# tools/pycompile.py), made from node_modules/pyodide/python_stdlib.zip.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "pyodide-lock.json",
)
MICROPYTHON_FILES = ("micropython.mjs", "micropython.wasm")
BOKEH_FILES = ("bokeh.min.js", "bokeh-api.min.js")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def npm_version(package: str) -> str:
    meta = json.loads((NODE_MODULES / package / "package.json").read_text())
    return meta["version"]


def bokeh_static_js() -> tuple[Path, str]:
    """The BokehJS build shipped inside the installed bokeh wheel."""
    try:
        import bokeh
    except ImportError as exc:  # pragma: no cover - setup order error
        raise SystemExit(
            "bokeh is not installed: run this with .venv/bin/python (./dev setup)"
        ) from exc
    return Path(bokeh.__file__).parent / "server" / "static" / "js", bokeh.__version__


def plan() -> list[tuple[Path, str, str, str]]:
    """(source, destination relative to VENDOR, package, version) for every file."""
    entries: list[tuple[Path, str, str, str]] = []
    pyscript_dist = NODE_MODULES / "@pyscript" / "core" / "dist"
    if not pyscript_dist.is_dir():
        raise SystemExit(f"missing {pyscript_dist}: run `npm ci` first (./dev setup)")
    version = npm_version("@pyscript/core")
    for src in sorted(pyscript_dist.iterdir()):
        if src.is_file() and not src.name.endswith(".map"):
            entries.append((src, f"pyscript/{src.name}", "@pyscript/core", version))
    version = npm_version("pyodide")
    for name in PYODIDE_FILES:
        entries.append((NODE_MODULES / "pyodide" / name, f"pyodide/{name}", "pyodide", version))
    mpy = "@micropython/micropython-webassembly-pyscript"
    version = npm_version(mpy)
    for name in MICROPYTHON_FILES:
        entries.append((NODE_MODULES / mpy / name, f"micropython/{name}", mpy, version))
    bokeh_js, version = bokeh_static_js()
    for name in BOKEH_FILES:
        entries.append((bokeh_js / name, f"bokeh/{name}", "bokeh (PyPI wheel)", version))
    return entries


def vendor() -> dict:
    entries = plan()
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    files = []
    for src, rel, package, version in entries:
        if not src.is_file():
            raise SystemExit(f"missing runtime file {src}")
        dest = VENDOR / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        files.append(
            {
                "file": f"assets/vendor/{rel}",
                "size": dest.stat().st_size,
                "sha256": sha256_of(dest),
                "package": package,
                "version": version,
            }
        )
    manifest = {
        "versions": {f["package"]: f["version"] for f in files},
        "files": files,
    }
    MANIFEST.write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def main() -> int:
    manifest = vendor()
    total = sum(f["size"] for f in manifest["files"])
    print(f"vendored {len(manifest['files'])} files, {total / 1e6:.1f} MB into {VENDOR.relative_to(ROOT)}")
    for package, version in manifest["versions"].items():
        print(f"  {package} {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
