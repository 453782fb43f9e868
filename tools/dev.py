"""Developer entry point: ``./dev setup | serve | test | dist | bench | lighthouse``.

Every command first performs whatever setup is missing, so each works from a
fresh clone on a machine of this project's kind (Debian 12, Python 3.11,
Node 20; only PyPI, npm and Debian registries reachable):

1. Chromium from Debian (``apt-get install -y chromium``), for test, bench
   and lighthouse only; Playwright drives it by path, never downloads one;
2. ``.venv`` with the pinned native dependencies of ``pyproject.toml``;
3. ``node_modules`` from ``package-lock.json`` (``npm ci``);
4. the vendored runtime in ``assets/vendor/`` (``tools/vendor.py``);
5. the pre-rendered first views, static pictures and the worker's precompiled
   Python in ``assets/build/`` (``tools/build.py``; Node runs Pyodide for it).

Steps 2-4 are skipped when a stamp file says their inputs have not changed.
This script uses only the standard library, so the system ``python3`` runs it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
VENV_PY = VENV / "bin" / "python"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
STAMPS = ROOT / ".venv" / "stamps"


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def run(cmd: list[str], **kwargs) -> None:
    say("$ " + " ".join(str(c) for c in cmd))
    subprocess.run(cmd, check=True, cwd=kwargs.pop("cwd", ROOT), **kwargs)


def digest(*parts: Path | str) -> str:
    """sha256 over file contents (Path) and literal strings (str)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.read_bytes() if isinstance(part, Path) else part.encode())
    return h.hexdigest()


def stamp_ok(name: str, value: str) -> bool:
    path = STAMPS / name
    return path.exists() and path.read_text() == value


def write_stamp(name: str, value: str) -> None:
    STAMPS.mkdir(parents=True, exist_ok=True)
    (STAMPS / name).write_text(value)


def as_root(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return cmd
    if shutil.which("sudo"):
        return ["sudo", "-n", *cmd]
    raise SystemExit(f"need root to run {' '.join(cmd)}; run it yourself, then retry")


def apt_install(*packages: str) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        run(as_root(["apt-get", "install", "-y", "--no-install-recommends", *packages]), env=env)
    except subprocess.CalledProcessError:
        run(as_root(["apt-get", "update"]), env=env)
        run(as_root(["apt-get", "install", "-y", "--no-install-recommends", *packages]), env=env)


def ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    say("Chromium is missing: installing Debian's chromium package")
    apt_install("chromium")


def ensure_node() -> None:
    if shutil.which("npm") and shutil.which("node"):
        return
    say("Node.js/npm are missing: installing Debian's nodejs and npm")
    apt_install("nodejs", "npm")


def pinned_python_deps() -> list[str]:
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return list(data["project"]["dependencies"])


def ensure_venv() -> None:
    deps = pinned_python_deps()
    key = digest(*deps)
    if VENV_PY.exists() and stamp_ok("venv", key):
        return
    if not VENV_PY.exists():
        run([sys.executable, "-m", "venv", str(VENV)])
    run([str(VENV_PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *deps])
    write_stamp("venv", key)


def ensure_node_modules() -> None:
    ensure_node()
    key = digest(ROOT / "package-lock.json")
    if (ROOT / "node_modules").is_dir() and stamp_ok("npm", key):
        return
    run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"])
    write_stamp("npm", key)


def ensure_vendor() -> None:
    key = digest(ROOT / "package-lock.json", *pinned_python_deps(), ROOT / "tools" / "vendor.py")
    if (ROOT / "assets" / "vendor" / "manifest.json").exists() and stamp_ok("vendor", key):
        return
    run([str(VENV_PY), str(ROOT / "tools" / "vendor.py")])
    write_stamp("vendor", key)


def build() -> None:
    run([str(VENV_PY), str(ROOT / "tools" / "build.py")])


def setup(browser: bool) -> None:
    if browser:
        ensure_chromium()
    ensure_venv()
    ensure_node_modules()
    ensure_vendor()
    build()


USAGE = """usage: ./dev COMMAND [ARGS...]

  setup        install and vendor whatever is missing (no server)
  serve        set up, then serve the site on http://127.0.0.1:8000/ (--port N, --prefix /sub/)
  test         set up (Chromium included), then run every test: unit + end-to-end (pytest ARGS)
  dist         set up, then assemble dist/, the folder GitHub Pages publishes
  bench        set up, then run the load and latency benchmark (tools/bench.py ARGS)
  lighthouse   set up, then run Lighthouse on every page and print the scores
"""


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    command, args = argv[0], argv[1:]
    if command == "setup":
        setup(browser="--no-browser" not in args)
        return 0
    if command == "serve":
        setup(browser=False)
        os.execv(str(VENV_PY), [str(VENV_PY), str(ROOT / "tools" / "serve.py"), *args])
    if command == "test":
        setup(browser=True)
        return subprocess.call([str(VENV_PY), "-m", "pytest", *args], cwd=ROOT)
    if command == "dist":
        setup(browser=False)
        return subprocess.call([str(VENV_PY), str(ROOT / "tools" / "dist.py"), *args], cwd=ROOT)
    if command == "bench":
        setup(browser=True)
        return subprocess.call([str(VENV_PY), str(ROOT / "tools" / "bench.py"), *args], cwd=ROOT)
    if command == "lighthouse":
        setup(browser=True)
        return subprocess.call([str(VENV_PY), str(ROOT / "tools" / "lighthouse.py"), *args], cwd=ROOT)
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
