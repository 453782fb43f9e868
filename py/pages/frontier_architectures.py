"""Frontier-architectures lesson (MicroPython, main thread): the generic lab runner.

Control ids (``data-control``; ranges and defaults in
``py/course/views/frontier_architectures.py``, which computes everything the
page shows in the ``maths`` worker):

* ``budget``: the training budget, in the unit of ``budget-unit``
  (``usd`` or ``flops``);
* ``log-served-tokens``: log10 of the tokens served over the model's life;
* ``use-case``: chat, code, maths, long-documents or on-device;
* ``replica-memory-gb``: serving memory of one replica, GB;
* ``latency-need``: interactive, steady or batch;
* ``fit``: the Chinchilla loss fit (epoch or hoffmann).

Read-outs (``data-value`` raw numbers): ``rec-params``, ``rec-total-params``,
``rec-tokens``, ``rec-tokens-per-param``, ``train-cost``, ``reasoning``
(1 on, 0 off), ``moe`` (1 MoE, 0 dense), ``context-tokens``,
``precision-bits``, ``memory-need``, ``kv-bytes``, ``decode-tps``,
``budget-flops``, ``budget-dollars``, ``target-loss``, ``chinchilla-params``,
``chinchilla-tokens``, ``lifetime-flops``, ``chinchilla-lifetime-flops``,
``lifetime-saving``. Panels: ``frontier-table``, ``plan-table``,
``plan-assumptions``; figure ``lifetime`` with its text alternative
``cap-lifetime``.
"""

from lab import run

run("frontier-architectures")
