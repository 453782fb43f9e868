/* The Pyodide that PyScript's worker loads: the vendored pyodide.mjs, plus a
 * memory snapshot kept in the browser's Cache Storage.
 *
 * pyscript.toml names this module as the worker's `interpreter`; PyScript
 * imports it and calls its `loadPyodide` export like Pyodide's own.
 *
 * Why: starting CPython inside WebAssembly costs about 0.7 s of CPU on this
 * project's reference machine (2 s before the build precompiled the standard
 * library), every visit, even with every byte cached. On
 * the first visit this loader asks Pyodide to make a memory snapshot right
 * after start-up (before any page code runs: the snapshot holds only
 * Pyodide's own state) and stores it in Cache Storage; on later visits it
 * restores from the snapshot in about 0.2 s. A snapshot that fails to restore
 * is deleted and Python starts the normal way, so the cache can only make a
 * visit faster, never break it. The snapshot's key carries the Pyodide
 * version, so a new runtime never meets an old snapshot.
 *
 * It also reports its stages (and errors) on the "stage07-boot"
 * BroadcastChannel, which assets/js/site.js shows as start-up progress.
 */
import * as pyodide from "../vendor/pyodide/pyodide.mjs";

export const version = pyodide.version;

const INDEX_URL = new URL("../vendor/pyodide/", import.meta.url).href;
// The standard library with the modules the course imports precompiled to
// bytecode (tools/pycompile.py): Pyodide's own archive is source only, and
// compiling it was most of the 2 s start.
const STDLIB_URL = new URL("../build/python_stdlib.zip", import.meta.url).href;
const SNAPSHOT_CACHE = "stage07-pyodide-snapshot";
const SNAPSHOT_KEY = new URL(`snapshot-${pyodide.version}.bin`, INDEX_URL).href;

const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("stage07-boot") : null;
const report = (message) => {
  try {
    channel?.postMessage(message);
  } catch {
    /* progress is cosmetic */
  }
};

const RUNTIME_FILES = [
  ...["pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide-lock.json"].map((name) => new URL(name, INDEX_URL).href),
  STDLIB_URL,
];
const SLOW_START_MS = 8000;

// Emscripten reports a failed WebAssembly instantiation (a missing or corrupt
// pyodide.asm.wasm) with console.warn, and CPython a standard library it
// cannot import (a missing python_stdlib.zip) with console.error; after
// either, loadPyodide's promise never settles. Watch for those messages, and
// after SLOW_START_MS check the runtime files, so a broken install fails fast
// with a reason instead of hanging.
const FAILURE_TEXT =
  /wasm instantiation failed|Aborted\(|HTTP status code is not ok|expected magic word|Fatal Python error|installing the standard library/i;

function failureWatch() {
  let reject;
  const failed = new Promise((_, r) => (reject = r));
  const originals = { warn: console.warn, error: console.error };
  for (const level of ["warn", "error"]) {
    console[level] = function (...args) {
      const text = args.map(String).join(" ");
      if (FAILURE_TEXT.test(text)) reject(new Error(text));
      return originals[level].apply(this, args);
    };
  }
  const timer = setTimeout(async () => {
    for (const url of RUNTIME_FILES) {
      const name = url.slice(url.indexOf("/assets/") + 1);
      try {
        const response = await fetch(url, { method: "HEAD", cache: "no-store" });
        if (!response.ok) reject(new Error(`${name}: HTTP ${response.status}`));
      } catch (error) {
        reject(new Error(`${name}: ${error}`));
      }
    }
  }, SLOW_START_MS);
  const stop = () => {
    clearTimeout(timer);
    Object.assign(console, originals);
  };
  return { failed, stop };
}

async function openCache() {
  try {
    return typeof caches === "object" ? await caches.open(SNAPSHOT_CACHE) : null;
  } catch {
    return null; // e.g. storage disabled: start the normal way
  }
}

// Pyodide's start waits until the page's main-thread Python (MicroPython)
// has done its own start-up work, signalled by py/pages/lab.py through
// site.js ("main-started" on the boot channel), or MAIN_WAIT_MS at most.
// Why: on a 2-core machine the two starts overlapping made MicroPython's
// one long main-thread task 63-409 ms under Lighthouse (the worker, the
// WebAssembly compiler and the compositor sharing two cores), against
// 113-148 ms once Pyodide waited, and ready came no later (four pages: cold
// 1.39-1.73 s, warm 1.13-1.25 s, against 1.45-1.81 and 1.06-1.28 s). The
// runtime's download does not wait: on a first visit it starts at once
// (prefetch), so a slow network loses nothing.
const MAIN_WAIT_MS = 1500;

function mainThreadStarted() {
  if (!channel) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      channel.removeEventListener("message", listener);
      resolve();
    };
    const timer = setTimeout(done, MAIN_WAIT_MS);
    const listener = (event) => {
      if (event.data && event.data.type === "main-started") done();
    };
    channel.addEventListener("message", listener);
    // The page may have started before this worker listened: ask.
    channel.postMessage({ type: "main-started?" });
  });
}

// Start downloading the two big runtime files while Pyodide waits, and hand
// Pyodide these very responses when it asks for the same URLs. (Merely
// warming the HTTP cache does not work: Chromium downloaded the files a
// second time, 21.3 MB instead of 11.7 MB in the benchmark.)
function prefetch() {
  const pending = new Map();
  for (const url of [new URL("pyodide.asm.wasm", INDEX_URL).href, STDLIB_URL]) {
    const response = fetch(url);
    response.catch(() => {}); // unclaimed: Pyodide's own use reports failures
    pending.set(url, response);
  }
  const originalFetch = globalThis.fetch;
  globalThis.fetch = function (input, init) {
    const url = String(input instanceof Request ? input.url : input);
    const response = pending.get(url);
    if (response) {
      pending.delete(url);
      if (!pending.size) globalThis.fetch = originalFetch;
      return response;
    }
    return originalFetch.call(this, input, init);
  };
}

export async function loadPyodide(options = {}) {
  // PyScript derives indexURL from this module's folder; the runtime lives
  // in the vendored folder instead.
  const base = { ...options, indexURL: INDEX_URL, stdLibURL: STDLIB_URL };
  const cache = await openCache();
  const stored = cache ? await cache.match(SNAPSHOT_KEY) : null;
  if (!stored) prefetch();
  await mainThreadStarted();
  report({ type: "progress", stage: "interpreter" });
  if (stored) {
    try {
      const snapshot = new Uint8Array(await stored.arrayBuffer());
      const py = await pyodide.loadPyodide({ ...base, _loadSnapshot: snapshot });
      report({ type: "progress", stage: "lab", snapshot: true });
      return py;
    } catch (error) {
      await cache.delete(SNAPSHOT_KEY);
    }
  }
  let py;
  const watch = failureWatch();
  try {
    py = await Promise.race([pyodide.loadPyodide({ ...base, _makeSnapshot: Boolean(cache) }), watch.failed]);
  } catch (error) {
    report({ type: "error", message: String(error && (error.message || error)) });
    throw error;
  } finally {
    watch.stop();
  }
  if (cache) {
    try {
      const snapshot = py.makeMemorySnapshot();
      // Not awaited: storing 30 MB must not delay the page.
      cache.put(SNAPSHOT_KEY, new Response(snapshot)).catch(() => {});
    } catch {
      /* a missing snapshot only costs speed */
    }
  }
  report({ type: "progress", stage: "lab", snapshot: false });
  return py;
}
