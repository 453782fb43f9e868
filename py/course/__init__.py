"""Pure, DOM-free modules of the Stage 07 course: the maths every page shows.

Everything in this package uses the Python standard library only and imports
no ``pyscript``, ``js`` or ``pyodide``: CPython's pytest imports it directly,
and ``pyscript.toml`` ships it to the Pyodide worker that runs it in the page.

Layout:

* ``units``     human formatting of numbers with units, and the raw
                ``data-value`` representation;
* ``controls``  validation of control values (clamping, messages);
* ``views``     one module per page: raw control values in, read-outs,
                plot data, captions and notices out (``views.render``);
* the maths modules (``scaling``, ...), one per topic, each citing its sources.
"""
