"""Scaling-laws lab (MicroPython, main thread): the generic lab runner does
all the wiring; the maths is py/course/views/scaling_laws.py in the worker."""

from lab import run

run("scaling-laws")
