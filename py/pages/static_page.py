"""A page without a lab yet (MicroPython, main thread): nothing to wire."""

import jsboundary as js

js.ready()
