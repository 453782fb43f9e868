"""A plain static file server that answers the way GitHub Pages does.

The site must work where it is deployed, so the local server sends only what
GitHub Pages sends for a static file: ``Content-Type`` (with the types Pages
uses for ``.mjs``, ``.wasm``, ``.toml``, ``.py`` ...), ``Content-Length``,
``Last-Modified`` and ``Cache-Control: max-age=600``. It sends no
cross-origin-isolation headers (COOP/COEP), no CSP header and no compression.

``--prefix /REPO/`` serves the site under a sub-path, as
``https://USER.github.io/REPO/`` does; anything outside it is a 404.

Used by ``./dev serve``, the end-to-end fixture (``e2e/conftest.py``) and the
benchmark, so every figure is measured against the same serving.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".mjs": "application/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".webmanifest": "application/manifest+json; charset=utf-8",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".toml": "application/toml",
    ".py": "text/x-python; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
}


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler with GitHub Pages' types, caching and sub-path."""

    prefix = "/"
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

    def send_head(self):  # noqa: D401 - stdlib override
        path = urlsplit(self.path).path
        if not unquote(path).startswith(self.prefix):
            self.send_error(404, "Not under the site prefix")
            return None
        return super().send_head()

    def translate_path(self, path):
        path = urlsplit(path).path
        if self.prefix != "/" and path.startswith(self.prefix):
            path = "/" + path[len(self.prefix):]
        return super().translate_path(path)

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def copyfile(self, source, outputfile):
        # Count body bytes served, per path, for the benchmark's traffic figures.
        start = source.tell() if hasattr(source, "tell") else 0
        super().copyfile(source, outputfile)
        sent = (source.tell() - start) if hasattr(source, "tell") else 0
        self.server.record(self.path, sent)

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        if os.environ.get("SERVE_LOG"):
            super().log_message(format, *args)


class CountingServer(http.server.ThreadingHTTPServer):
    """Remembers how many body bytes it served for each path (``served``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.served: list[tuple[str, int]] = []
        self._lock = threading.Lock()

    def record(self, path: str, size: int) -> None:
        with self._lock:
            self.served.append((path, size))

    def take_served(self) -> list[tuple[str, int]]:
        """The (path, bytes) served since the last call, and reset."""
        with self._lock:
            served, self.served = self.served, []
        return served


def make_server(port: int = 0, prefix: str = "/", root: Path = ROOT) -> http.server.ThreadingHTTPServer:
    """A server bound to 127.0.0.1 (port 0 picks a free one); call serve_forever()."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler_class = type("PrefixedPagesHandler", (PagesHandler,), {"prefix": prefix})
    handler = functools.partial(handler_class, directory=str(root))
    server = CountingServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    server.url = f"http://127.0.0.1:{server.server_address[1]}{prefix}"  # type: ignore[attr-defined]
    return server


def serve_in_thread(port: int = 0, prefix: str = "/", root: Path = ROOT):
    """Start a server in a daemon thread; returns it (``server.url``, ``server.shutdown()``)."""
    server = make_server(port, prefix, root)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--prefix", default="/", help="serve under this sub-path, e.g. /stage07/")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    server = make_server(args.port, args.prefix, args.root)
    print(f"Serving {args.root} at {server.url}  (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
