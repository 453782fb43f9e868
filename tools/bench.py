"""Load and latency benchmark (a command, not a test): ``./dev bench``.

Serves the site with ``tools/serve.py`` (the plain, GitHub-Pages-like server:
no custom headers) and drives Debian's Chromium headless through Playwright.

For every page, a cold load (new browser profile: empty HTTP cache, no
service worker, no Pyodide snapshot) and a warm load (the same profile,
second visit, once the service worker has precached the site):

* ``fcp_ms``     first contentful paint (Paint Timing API);
* ``plot_ms``    first frame in which a plot is on screen (the static picture
                 of the build-time view, assets/js/site.js);
* ``ready_ms``   ``data-py-ready`` (site.js records performance.now());
* ``bytes``      body bytes the server sent for the page and its workers
                 (counted by tools/serve.py; a cache hit never reaches it);
* ``runtime_bytes`` the part of ``bytes`` under ``assets/vendor/``;
* ``precache_bytes`` (cold only) what the service worker then fetched to make
                 the whole site available offline (mostly HTTP-cache hits
                 revalidated; the rest of the runtime on the first page).

On the warm visit, ``live_ms``: from the learner's first pointer movement to
the frame that shows the first BokehJS figure in its place (BokehJS is
loaded only then, py/pages/lab.py); the latencies below are measured after it.

For every control (``data-control``) of every lab: at least 50 value changes,
each waited for, and the input-to-updated-read-out latency the page itself
records (``window.stage07.latencies``: input event timestamp to the moment
the read-outs and plot sources were written), reported as p50 and p95.

Prints tables and writes ``bench-results/bench.json``. Timings on a shared
2-core machine are noisy: compare figures taken in one run.
"""

from __future__ import annotations

import argparse
import os
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "e2e"))

from helpers import PAGES  # noqa: E402
from serve import serve_in_thread  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Recorded in the page from its very start: site.js marks a plot box
# data-drawn="static" once its picture has loaded (BokehJS, later, "true");
# the next animation frame is the first one that paints it.
PLOT_PROBE = """
(() => {
  const tick = () => {
    if (document.querySelector('.plot-box[data-drawn]')) {
      requestAnimationFrame(() => { window.__plotPaintedMs = performance.now(); });
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""

WAIT_FOR_SERVICE_WORKER = """async () => {
    const registration = await navigator.serviceWorker.ready;
    while (registration.active.state !== 'activated') await new Promise(r => setTimeout(r, 50));
}"""

# The learner's first pointer movement (py/pages/lab.py listens for it) and
# the frame that then shows a BokehJS figure in place of a picture.
GO_LIVE = """async () => {
    const box = document.querySelector('.plot-box');
    if (!box) return null;
    box.scrollIntoView({block: 'center'});
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const started = performance.now();
    document.dispatchEvent(new PointerEvent('pointermove', {bubbles: true, clientX: 10, clientY: 10}));
    await new Promise(r => { const check = () => document.querySelector('.plot-box[data-drawn=true]') ? r() : requestAnimationFrame(check); check(); });
    await new Promise(r => requestAnimationFrame(r));
    return performance.now() - started;
}"""

CHANGES_PER_CONTROL = 60


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def load(server, context, url: str, timeout_ms: int = 60_000) -> dict:
    page = context.new_page()
    server.take_served()
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("html[data-py-ready=true]", state="attached", timeout=timeout_ms)
    metrics = page.evaluate(
        """() => ({
            fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime ?? null,
            plot: window.__plotPaintedMs ?? null,
            ready: Number(document.documentElement.getAttribute('data-py-ready-ms')),
        })"""
    )
    served = server.take_served()
    result = {
        "fcp_ms": metrics["fcp"],
        "plot_ms": metrics["plot"],
        "ready_ms": metrics["ready"],
        "bytes": sum(size for _, size in served),
        "runtime_bytes": sum(size for path, size in served if "/assets/vendor/" in path),
        "requests": len(served),
        "wall_s": time.perf_counter() - started,
    }
    return {"page": page, "result": result}


def control_values(page, control_id: str) -> list[str]:
    """A sequence of valid values that exercises the control."""
    info = page.evaluate(
        """(id) => { const el = document.getElementById(id);
            return {tag: el.tagName, type: el.type, min: el.min, max: el.max, step: el.step, value: el.value,
                    options: el.tagName === 'SELECT' ? [...el.options].map(o => o.value) : []}; }""",
        control_id,
    )
    n = CHANGES_PER_CONTROL
    if info["type"] == "checkbox":
        return ["0" if i % 2 else "1" for i in range(n)]  # toggled each time: see latency()
    if info["tag"] == "SELECT":
        options = info["options"]
        return [options[(i + 1) % len(options)] for i in range(max(n, len(options)))]
    if info["type"] == "range":
        lo, hi = float(info["min"]), float(info["max"])
        step = float(info["step"] or 1)
        values = []
        for i in range(n):
            x = lo + (hi - lo) * ((i * 37) % n) / (n - 1)
            values.append(repr(round(round((x - lo) / step) * step + lo, 6)))
        return values
    if info["type"] == "number":
        base = float(info["value"] or 1)
        return [repr(base * (1 + 0.01 * ((i % 10) + 1))) for i in range(n)]
    words = ["router", "expert", "token", "attention", "scaling", "reasoning", "context", "model"]
    return [" ".join(words[: (i % len(words)) + 1]) for i in range(n)]


def latency(page, control_id: str, values: list[str]) -> list[float]:
    page.evaluate("() => { window.stage07.latencies.length = 0; }")
    for i, value in enumerate(values):
        page.eval_on_selector(
            f"#{control_id}",
            """(el, v) => {
                // A checkbox is toggled and announces 'change', as a click does; the
                // lab listens for 'change' on selects and checkboxes, 'input' elsewhere.
                const box = el.type === 'checkbox';
                if (box) el.checked = !el.checked; else el.value = v;
                const kind = (el.tagName === 'SELECT' || box) ? 'change' : 'input';
                el.dispatchEvent(new Event(kind, {bubbles: true})); }""",
            value,
        )
        page.wait_for_function("(n) => window.stage07.latencies.length >= n", arg=i + 1, timeout=10_000)
    return [float(ms) for _, ms in page.evaluate("() => window.stage07.latencies")]


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description="Load and latency benchmark")
    parser.add_argument("--pages", nargs="*", default=PAGES)
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "bench.json")
    args = parser.parse_args(argv)

    server = serve_in_thread()
    report = {"loads": {}, "latency": {}, "machine": {"cpus": os.cpu_count()}}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS)
        report["machine"]["chromium"] = browser.version
        for path in args.pages:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_init_script(PLOT_PROBE)
            cold = load(server, context, server.url + path)
            # The repeat visit is the one a learner makes after the service
            # worker has precached the site (and the Pyodide snapshot is stored).
            cold["page"].evaluate(WAIT_FOR_SERVICE_WORKER)
            cold["result"]["precache_bytes"] = sum(size for _, size in server.take_served())
            cold["page"].close()
            warm = load(server, context, server.url + path)
            warm["result"]["live_ms"] = warm["page"].evaluate(GO_LIVE)
            report["loads"][path] = {"cold": cold["result"], "warm": warm["result"]}
            if not args.no_latency:
                page = warm["page"]
                ids = page.eval_on_selector_all("[data-control]", "els => els.map(e => e.id)")
                for control_id in ids:
                    samples = latency(page, control_id, control_values(page, control_id))
                    report["latency"][f"{path}#{control_id}"] = {
                        "n": len(samples),
                        "p50_ms": percentile(samples, 0.5),
                        "p95_ms": percentile(samples, 0.95),
                        "max_ms": max(samples),
                    }
            context.close()
        browser.close()
    server.shutdown()

    print_report(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))
    print(f"\nwrote {args.out.relative_to(ROOT)}")
    return 0


def _ms(value) -> str:
    return "-" if value is None else f"{value:7.0f}"


def print_report(report: dict) -> None:
    print("\nPage loads (ms after navigation start; bytes received from the network)")
    header = f"{'page':40} {'visit':5} {'FCP':>7} {'plot':>7} {'ready':>7} {'live':>7} {'bytes':>11} {'runtime':>11} {'precache':>11}"
    print(header)
    print("-" * len(header))
    for path, visits in report["loads"].items():
        for visit in ("cold", "warm"):
            r = visits[visit]
            print(
                f"{path:40} {visit:5} {_ms(r['fcp_ms'])} {_ms(r['plot_ms'])} {_ms(r['ready_ms'])} {_ms(r.get('live_ms'))}"
                f" {r['bytes']:11,d} {r['runtime_bytes']:11,d} {r.get('precache_bytes', 0):11,d}"
            )
    if report["latency"]:
        print("\nInput to updated read-outs (ms, measured in the page)")
        header = f"{'control':60} {'n':>4} {'p50':>7} {'p95':>7} {'max':>7}"
        print(header)
        print("-" * len(header))
        for key, r in report["latency"].items():
            print(f"{key:60} {r['n']:4d} {r['p50_ms']:7.1f} {r['p95_ms']:7.1f} {r['max_ms']:7.1f}")
    ready = [v["cold"]["ready_ms"] for v in report["loads"].values()]
    warm = [v["warm"]["ready_ms"] for v in report["loads"].values()]
    if ready:
        print(f"\ncold ready median {statistics.median(ready):.0f} ms, warm ready median {statistics.median(warm):.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
