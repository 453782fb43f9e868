"""Lighthouse scores for every page (a command, not a test): ``./dev lighthouse``.

Runs the pinned npm ``lighthouse`` against the site served by
``tools/serve.py`` (no custom headers, as GitHub Pages serves it) with
Debian's Chromium (``CHROME_PATH``), desktop form factor and
``--throttling-method=provided`` (this machine, unthrottled), and prints
performance, accessibility, best practices, SEO and total blocking time per
page. Full reports go to ``lighthouse-results/``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "e2e"))

from helpers import PAGES  # noqa: E402
from serve import serve_in_thread  # noqa: E402

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"


def run_one(url: str, out: Path) -> dict:
    cli = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROMIUM", "/usr/bin/chromium")}
    subprocess.run(
        [
            "node", str(cli), url,
            "--quiet",
            "--preset=desktop",
            "--throttling-method=provided",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--output=json",
            f"--output-path={out}",
        ],
        check=True,
        env=env,
        cwd=ROOT,
    )
    report = json.loads(out.read_text())
    scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
    audits = report["audits"]
    scores["tbt_ms"] = audits["total-blocking-time"]["numericValue"]
    scores["fcp_ms"] = audits["first-contentful-paint"]["numericValue"]
    scores["tti_ms"] = audits.get("interactive", {}).get("numericValue")
    scores["failed"] = sorted(
        audit_id
        for cat in ("accessibility", "best-practices", "seo")
        for ref in report["categories"][cat]["auditRefs"]
        if ref["weight"] > 0
        and (audit_id := ref["id"]) in audits
        and audits[audit_id]["score"] is not None
        and audits[audit_id]["score"] < 1
    )
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lighthouse on every page")
    parser.add_argument("--pages", nargs="*", default=PAGES)
    args = parser.parse_args(argv)
    results_dir = ROOT / "lighthouse-results"
    results_dir.mkdir(exist_ok=True)
    server = serve_in_thread()
    results = {}
    try:
        for path in args.pages:
            out = results_dir / (path.replace("/", "_").removesuffix(".html") + ".json")
            results[path] = run_one(server.url + path, out)
    finally:
        server.shutdown()
    header = f"{'page':40} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5} {'TBT ms':>7} {'FCP ms':>7}  failing audits"
    print(header)
    print("-" * len(header))
    for path, s in results.items():
        print(
            f"{path:40} {s['performance']:5.2f} {s['accessibility']:5.2f} {s['best-practices']:5.2f}"
            f" {s['seo']:5.2f} {s['tbt_ms']:7.0f} {s['fcp_ms']:7.0f}  {' '.join(s['failed']) or '-'}"
        )
    (results_dir / "summary.json").write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
