"""Home page (MicroPython, main thread): the budget teaser lab."""

from lab import run

run("home")
