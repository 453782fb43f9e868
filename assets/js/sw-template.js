/* Service worker of the course site: offline after the first visit.
 *
 * tools/build.py writes /sw.js from this template, replacing the PRECACHE
 * placeholder with every published file and a content hash of each (sha256,
 * first 16 hex digits). A new release therefore changes sw.js byte for byte,
 * the browser installs the new worker, and the install step reuses every file
 * whose hash is unchanged from the previous cache and downloads only the
 * files that changed.
 *
 * Strategies:
 *  - assets/vendor/ (PyScript, Pyodide, MicroPython, BokehJS: large, named by
 *    version): cache-first;
 *  - everything else of the site (pages, Python modules, styles, build data):
 *    network-first, falling back to the cache when offline;
 *  - anything not in the precache list, or from another origin: untouched.
 *
 * A new version waits until the page's "Reload to update" button posts
 * {type: "skip-waiting"} (assets/js/site.js), so a learner is never switched
 * to new files in the middle of a lab.
 */
"use strict";

const PRECACHE = /*PRECACHE*/ {};
const VERSION = /*VERSION*/ "dev";
const PREFIX = "stage07-site-";
const CACHE = PREFIX + VERSION;
const HASH_HEADER = "x-stage07-sha256";
const SCOPE = new URL(self.registration.scope);

function relative(url) {
  let path = url.pathname.slice(SCOPE.pathname.length);
  if (path === "" || path.endsWith("/")) path += "index.html";
  return decodeURIComponent(path);
}

async function sha256Prefix(buffer) {
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function previousEntry(path, hash) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const cache = await caches.open(name);
    const response = await cache.match(new URL(path, SCOPE).href);
    if (response && response.headers.get(HASH_HEADER) === hash) return response;
  }
  return null;
}

async function download(path, hash) {
  const url = new URL(path, SCOPE).href;
  for (const mode of ["default", "reload"]) {
    const response = await fetch(url, { cache: mode });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    const body = await response.arrayBuffer();
    // The HTTP cache may hold an older copy: accept only the listed content.
    if ((await sha256Prefix(body)) === hash) {
      const headers = new Headers(response.headers);
      headers.set(HASH_HEADER, hash);
      return new Response(body, { status: 200, statusText: "OK", headers });
    }
  }
  throw new Error(`${path}: content does not match the release's hash`);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const paths = Object.keys(PRECACHE);
      let reused = 0;
      // A few at a time: the machine may be a phone.
      const queue = paths.slice();
      async function work() {
        while (queue.length) {
          const path = queue.shift();
          const hash = PRECACHE[path];
          let response = await previousEntry(path, hash);
          if (response) reused += 1;
          else response = await download(path, hash);
          await cache.put(new URL(path, SCOPE).href, response);
        }
      }
      await Promise.all([work(), work(), work(), work()]);
      self.__reused = reused;
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })()
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "skip-waiting") event.waitUntil(self.skipWaiting());
  if (event.data && event.data.type === "version" && event.ports[0]) {
    event.ports[0].postMessage({ version: VERSION, files: Object.keys(PRECACHE).length, reused: self.__reused ?? null });
  }
});

async function cacheFirst(request, key) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key);
  return hit || fetch(request);
}

async function networkFirst(request, key) {
  try {
    const response = await fetch(request);
    if (response.ok || response.status === 304) return response;
    throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(key);
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  const path = relative(url);
  if (!(path in PRECACHE)) return;
  const key = new URL(path, SCOPE).href;
  event.respondWith(path.startsWith("assets/vendor/") ? cacheFirst(request, key) : networkFirst(request, key));
});
