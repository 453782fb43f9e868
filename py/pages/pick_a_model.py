"""Pick-a-model lesson (MicroPython, main thread): the generic lab runner.

The ranking, the matrix and both plots come from
``py/course/views/pick_a_model.py`` in the ``maths`` worker; the constraint
boxes shown for server or on-device deployment are toggled by the view's
``show``.
"""

from lab import run

run("pick-a-model")
