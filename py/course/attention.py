"""Attention-mask topology and its cost, from 16 tokens to a million.

A mask says which key position ``j`` each query position ``i`` may attend to
(both 0-based, ``0 <= i, j < N``). The patterns, exactly:

* ``full``: every pair (bidirectional, as in BERT-style encoders).
* ``causal``: ``j <= i`` (Vaswani et al. 2017, arXiv 1706.03762, section 3.2.3).
* ``sliding`` (window ``w``): ``i - w < j <= i``; each query sees itself and
  the ``w - 1`` tokens before it (Longformer, Beltagy et al. 2020,
  arXiv 2004.05150, section 3.1; Mistral 7B, Jiang et al. 2023,
  arXiv 2310.06825, section 2).
* ``strided`` (stride ``l``): ``j <= i and ((i - j) < l or (i - j) mod l == 0)``,
  the two heads of the strided pattern of the Sparse Transformer drawn in one
  mask (Child et al. 2019, arXiv 1904.10509, section 4.2, eq. 3 and Fig. 3b).
* ``global-local`` (window ``w``, ``g`` global tokens):
  ``j <= i and (i - j < w or j < g)``; the first ``g`` tokens are global
  *keys* that every later query sees (Longformer section 3.1, made causal: a
  global token cannot attend to the future, so it has no global row here).
* ``bigbird`` (block size ``b``, window of ``W`` blocks, ``G`` global blocks,
  ``r`` random blocks; Zaheer et al. 2020, arXiv 2007.14062, section 2 and
  appendix D, in its causal form): token ``t`` lies in block ``t // b``.
  Block row ``I`` attends to key block ``J <= I`` when ``I - J < W`` (its
  window, itself included) or ``J < G`` (global) or ``J`` is one of its
  random blocks; inside an allowed block pair the token rule is ``j <= i``.
  The random blocks of row ``I`` are drawn from the blocks that are neither
  in its window nor global, ``[G, I - W]`` (``c = I - W - G + 1`` of them):
  all of them when ``c <= r``; otherwise one from each of ``r`` equal strata
  of that range (stratified sampling, so the ``r`` blocks are distinct),
  chosen by the SplitMix64 hash (Steele, Lea and Flood 2014, "Fast splittable
  pseudorandom number generators", OOPSLA) of ``(seed, I, k)``.

Every pair count is analytic (closed forms and sums over a constant number of
pieces, never a loop over N or N²), so a million tokens cost as little as 16;
``tests/course/test_attention.py`` checks each against a mask materialised by
numpy over a grid of sizes and edge cases.

Cost for a model (see :class:`Model` for the published configurations):

* attention FLOPs of one forward pass over the sequence, all layers:
  ``2 · pairs · heads · (d_qk + d_v) · layers``, i.e. ``4 · pairs · heads ·
  head_dim · layers`` when queries, keys and values share one head size. Per
  allowed pair and head: ``2 d_qk`` for the query-key logit and ``2 d_v`` for
  the weighted sum of values (Hoffmann et al. 2022, arXiv 2203.15556,
  appendix F, Table 4: "Key @ Query logits" and "Softmax @ query reductions",
  each ``2 × seq_len × seq_len × key_size × num_heads`` for the full mask).
  The softmax itself, the projections and the MLP are not counted: this is
  the part that grows with the pattern.
* KV-cache bytes with ``T`` tokens kept: ``T · layers · kv_heads · (d_k +
  d_v) · bytes_per_element`` (``2 · layers · kv_heads · head_dim`` elements
  per token with grouped-query attention, Ainslie et al. 2023,
  arXiv 2305.13245); for multi-head latent attention the cache holds one
  compressed latent and one shared RoPE key per token and layer:
  ``T · layers · (kv_lora_rank + qk_rope_head_dim) · bytes_per_element``
  (DeepSeek-V2, arXiv 2405.04434, section 2.1 and Table 1).
  ``T`` is :func:`kv_tokens_kept`: N, or at most ``w`` for a sliding window
  (a rolling buffer, Mistral 7B section 2), ``w + g`` for global-local.
* receptive field: the number of input positions whose token can influence
  the output at the last position ``N - 1`` after ``L`` stacked attention
  layers, i.e. the positions joined to it by a path of at most ``L`` allowed
  pairs (every pattern lets a token attend to itself). For a sliding window
  it is ``L (w - 1) + 1`` (Mistral 7B section 2: "after k attention layers,
  information can move forward by up to k × W tokens").

>>> pair_count(causal(), 4)
10
>>> pair_count(sliding(2), 4)   # rows see 1, 2, 2, 2 keys
7
>>> pair_count(strided(2), 5)   # rows see 1, 2, 3, 3, 4 keys
13
>>> pair_count(global_local(2, 1), 4)
9
>>> pair_count(sliding(4096), 2**20)  # a million tokens, instantly
4286580736
>>> receptive_field(sliding(4096), 2**20, 32)[-1]   # Mistral 7B: "131K tokens"
131041
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

PATTERNS = ("full", "causal", "sliding", "strided", "global-local", "bigbird")
"""The mask patterns, in the order the page lists them."""

BIGBIRD_SEED = 2020
"""The documented seed of BigBird's random blocks (the paper's year)."""

_MASK64 = (1 << 64) - 1


# ---------------------------------------------------------------- the masks


@dataclass(frozen=True)
class Mask:
    """One attention pattern and its knobs (units in the field names).

    Build masks with :func:`full`, :func:`causal`, :func:`sliding`,
    :func:`strided`, :func:`global_local` and :func:`bigbird`, which check
    their arguments.
    """

    pattern: str
    window: int = 0  # w, tokens (sliding, global-local)
    stride: int = 0  # l, tokens (strided)
    global_tokens: int = 0  # g, tokens (global-local)
    block_size: int = 0  # b, tokens (bigbird)
    window_blocks: int = 0  # W, blocks (bigbird)
    global_blocks: int = 0  # G, blocks (bigbird)
    random_blocks: int = 0  # r, blocks (bigbird)
    seed: int = BIGBIRD_SEED


def _check_int(name: str, value: object, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{name} must be a whole number of at least {low}, got {value!r}")
    return value


def full() -> Mask:
    """Every pair attends (bidirectional)."""
    return Mask("full")


def causal() -> Mask:
    """``j <= i``."""
    return Mask("causal")


def sliding(window: int) -> Mask:
    """``i - w < j <= i`` (w >= 1; w >= N is the causal mask)."""
    return Mask("sliding", window=_check_int("window", window, 1))


def strided(stride: int) -> Mask:
    """``j <= i and (i - j < l or (i - j) mod l == 0)`` (l >= 1; l = 1 is causal)."""
    return Mask("strided", stride=_check_int("stride", stride, 1))


def global_local(window: int, global_tokens: int) -> Mask:
    """``j <= i and (i - j < w or j < g)`` (w >= 1, g >= 0)."""
    return Mask(
        "global-local",
        window=_check_int("window", window, 1),
        global_tokens=_check_int("global tokens", global_tokens, 0),
    )


def bigbird(
    block_size: int,
    window_blocks: int,
    global_blocks: int,
    random_blocks: int,
    seed: int = BIGBIRD_SEED,
) -> Mask:
    """Causal block-sparse BigBird: window, global and random blocks."""
    return Mask(
        "bigbird",
        block_size=_check_int("block size", block_size, 1),
        window_blocks=_check_int("window blocks", window_blocks, 1),
        global_blocks=_check_int("global blocks", global_blocks, 0),
        random_blocks=_check_int("random blocks", random_blocks, 0),
        seed=_check_int("seed", seed, 0),
    )


def splitmix64(x: int) -> int:
    """SplitMix64: one 64-bit pseudorandom output for the counter ``x``.

    >>> hex(splitmix64(0))
    '0xe220a8397b1dcdaf'
    """
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def bigbird_random_blocks(mask: Mask, block_row: int) -> tuple[int, ...]:
    """The random key blocks of ``block_row`` (ascending), as defined above.

    >>> m = bigbird(16, 2, 1, 3)
    >>> bigbird_random_blocks(m, 3)      # candidates [1, 1]: take them all
    (1,)
    >>> blocks = bigbird_random_blocks(m, 40)
    >>> len(blocks), all(1 <= j <= 38 for j in blocks)
    (3, True)
    """
    return _random_block_rows(mask, range(block_row, block_row + 1))[0]


def _random_block_rows(mask: Mask, rows: range) -> list[tuple[int, ...]]:
    """Random blocks of each block row in ``rows``; SplitMix64 is inlined
    here because a picture of 1,024 blocks with 8 random blocks each needs 8,192
    draws, and any change of the blocks redraws it."""
    first, window, r = mask.global_blocks, mask.window_blocks, mask.random_blocks
    seed_base = mask.seed << 40
    out: list[tuple[int, ...]] = []
    for row in rows:
        count = row - window + 1 - first  # candidates [G, I - W]
        if count <= 0 or r == 0:
            out.append(())
        elif count <= r:
            out.append(tuple(range(first, first + count)))
        else:
            base = seed_base + (row << 8) + 0x9E3779B97F4A7C15
            picks = []
            for k in range(r):
                x = (base + k) & _MASK64  # splitmix64(seed·2^40 + row·2^8 + k)
                x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
                x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
                lo = first + (k * count) // r
                picks.append(lo + (x ^ (x >> 31)) % (first + ((k + 1) * count) // r - lo))
            out.append(tuple(picks))
    return out


@lru_cache(maxsize=16)
def _random_rows(mask: Mask, n_blocks: int) -> tuple[tuple[int, ...], ...]:
    """Random blocks of every block row (cached: the picture and the
    receptive field both need them, and most updates change neither)."""
    return tuple(_random_block_rows(mask, range(n_blocks)))


def allows(mask: Mask, i: int, j: int) -> bool:
    """Whether query ``i`` may attend to key ``j``: the definitions, literally.

    >>> allows(sliding(3), 5, 3), allows(sliding(3), 5, 2)
    (True, False)
    >>> allows(strided(4), 9, 1), allows(strided(4), 9, 2)
    (True, False)
    """
    p = mask.pattern
    if p == "full":
        return True
    if j > i:
        return False
    if p == "causal":
        return True
    if p == "sliding":
        return i - j < mask.window
    if p == "strided":
        return (i - j) < mask.stride or (i - j) % mask.stride == 0
    if p == "global-local":
        return i - j < mask.window or j < mask.global_tokens
    if p == "bigbird":
        row, col = i // mask.block_size, j // mask.block_size
        return (
            row - col < mask.window_blocks
            or col < mask.global_blocks
            or col in bigbird_random_blocks(mask, row)
        )
    raise ValueError(f"unknown pattern {p!r}; choose one of {', '.join(PATTERNS)}")


# ---------------------------------------------------------------- pair counts


def _ramp_sum(rows: int, shift: int, cap: int) -> int:
    """``sum(min(cap, max(0, i - shift)) for i in range(rows))`` in O(1).

    Every pattern's row count is a sum of such ramps: a row ``i`` of the
    sliding mask sees ``1 + min(i, w - 1)`` keys, for instance.

    >>> _ramp_sum(10, 2, 3), sum(min(3, max(0, i - 2)) for i in range(10))
    (18, 18)
    """
    top = rows - 1 - shift  # the largest i - shift
    if top <= 0 or cap <= 0:
        return 0
    if top <= cap:
        return top * (top + 1) // 2
    return cap * (cap + 1) // 2 + (top - cap) * cap


def _floor_sum(rows: int, step: int) -> int:
    """``sum(i // step for i in range(rows))`` in O(1)."""
    q, rem = divmod(rows, step)
    return step * q * (q - 1) // 2 + q * rem


def causal_pairs(n: int) -> int:
    """N (N + 1) / 2, the pairs of the causal mask."""
    return n * (n + 1) // 2


def _bigbird_row_blocks(mask: Mask, rows: int) -> int:
    """Off-diagonal key blocks summed over block rows ``0 .. rows - 1``."""
    w, g, r = mask.window_blocks, mask.global_blocks, mask.random_blocks
    return _ramp_sum(rows, 0, w - 1) + _ramp_sum(rows, w - 1, g) + _ramp_sum(rows, w - 1 + g, r)


def bigbird_blocks(n: int, block_size: int) -> int:
    """Number of blocks, ceil(N / b) (the last may be partial)."""
    return -(-n // block_size)


def pair_count(mask: Mask, n: int) -> int:
    """Exact number of allowed (query, key) pairs among ``n`` tokens."""
    _check_int("sequence length", n, 1)
    p = mask.pattern
    if p == "full":
        return n * n
    if p == "causal":
        return causal_pairs(n)
    if p == "sliding":
        return n + _ramp_sum(n, 0, mask.window - 1)
    if p == "strided":
        return n + _ramp_sum(n, 0, mask.stride - 1) + _floor_sum(n, mask.stride)
    if p == "global-local":
        return n + _ramp_sum(n, 0, mask.window - 1) + _ramp_sum(n, mask.window - 1, mask.global_tokens)
    if p == "bigbird":
        b = mask.block_size
        blocks = bigbird_blocks(n, b)
        last = n - (blocks - 1) * b  # tokens in the last block
        full_rows = _bigbird_row_blocks(mask, blocks - 1)
        last_row = _bigbird_row_blocks(mask, blocks) - full_rows
        return (
            b * b * full_rows
            + (blocks - 1) * b * (b + 1) // 2  # the causal triangle of each diagonal block
            + last * b * last_row
            + last * (last + 1) // 2
        )
    raise ValueError(f"unknown pattern {p!r}; choose one of {', '.join(PATTERNS)}")


def density(mask: Mask, n: int) -> float:
    """Allowed pairs / N² (1 for the full mask, about 1/2 for causal)."""
    return pair_count(mask, n) / (n * n)


def causal_ratio(mask: Mask, n: int) -> float:
    """Allowed pairs relative to the causal mask's N (N + 1) / 2."""
    return pair_count(mask, n) / causal_pairs(n)


# ---------------------------------------------------------------- the picture
#
# The picture divides the N × N mask into cells × cells squares of s = N / cells
# tokens a side and reports, for each, how many of its s² pairs are allowed.
# With s = 1 each cell is one pair (the exact mask). The counts are analytic:
# for masks that depend on i - j only, a cell's count depends only on its
# offset P - Q from the diagonal, so a row of cells is a slice of one list of
# 2·cells - 1 values; global columns and BigBird's blocks are slices too.


def _pairs_below(t: int, s: int) -> int:
    """Pairs (a, b) of an s × s cell with a - b < t (difference a - b = e
    occurs s - |e| times)."""
    if t <= 1 - s:
        return 0
    if t >= s:
        return s * s
    if t <= 0:
        m = s + t - 1
        return m * (m + 1) // 2
    m = s - t
    return s * s - m * (m + 1) // 2


def _stride_hits(c: int, s: int, stride: int) -> int:
    """Pairs of a cell whose i - j (= c + a - b) is a positive multiple of
    ``stride``: sum over k >= 1 of max(0, s - |k·stride - c|), as two
    arithmetic series."""
    total = 0
    lo, hi = max(1, (c - s) // stride + 1), c // stride  # k·l in (c - s, c]
    if hi >= lo:
        count = hi - lo + 1
        total += count * (s - c) + stride * (lo + hi) * count // 2
    lo, hi = max(1, c // stride + 1), (c + s - 1) // stride  # k·l in (c, c + s)
    if hi >= lo:
        count = hi - lo + 1
        total += count * (s + c) - stride * (lo + hi) * count // 2
    return total


def _toeplitz_count(mask: Mask, offset: int, s: int) -> int:
    """Allowed pairs in a cell ``offset`` cells below the diagonal, for the
    masks that depend on i - j only (and the local part of global-local)."""
    c = offset * s  # i - j = c + (a - b)
    p = mask.pattern
    if p == "full":
        return s * s
    if p in ("causal", "bigbird"):  # bigbird: the diagonal blocks
        return s * s - _pairs_below(-c, s)
    if p in ("sliding", "global-local"):
        return _pairs_below(mask.window - c, s) - _pairs_below(-c, s)
    if p == "strided":
        return _pairs_below(mask.stride - c, s) - _pairs_below(-c, s) + _stride_hits(c, s, mask.stride)
    raise ValueError(f"unknown pattern {p!r}")


def _global_column_count(mask: Mask, row: int, col: int, s: int) -> int:
    """Global-local: allowed pairs of cell (row, col) whose key columns
    straddle g (col·s < g < col·s + s)."""
    local = _toeplitz_count(mask, row - col, s)
    # Keys j in [col·s, g) add the rows that see them only as globals,
    # i - j >= w: min(s, max(0, reach - j)) of the cell's s rows.
    reach = row * s + s - mask.window
    highest, lowest = reach - col * s, reach - (mask.global_tokens - 1)
    # sum of min(s, max(0, t)) for t in [lowest, highest], as two ramps
    return local + _ramp_sum(highest + 1, 0, s) - _ramp_sum(lowest, 0, s)


def _cell_rows(mask: Mask, n: int, cells: int, convert, make) -> list:
    """Rows of per-cell values ``convert(count, s*s)``, each row a ``make``
    (``list`` for counts, ``bytearray`` for colour levels)."""
    if n % cells:
        raise ValueError(f"{cells} cells do not divide {n} tokens evenly")
    s = n // cells
    total = s * s
    # rev[k] is the value at offset P - Q = cells - 1 - k, so row P is the
    # slice rev[cells - 1 - P : 2 cells - 1 - P] (column Q at index cells - 1 - P + Q).
    offsets = range(cells - 1, -cells, -1)

    def toeplitz(m: Mask):
        seen: dict[int, int] = {}  # count -> value: most offsets share a few counts
        values = []
        for d in offsets:
            count = _toeplitz_count(m, d, s)
            if count not in seen:
                seen[count] = convert(count, total)
            values.append(seen[count])
        return make(values)

    p = mask.pattern
    if p in ("full", "causal", "sliding", "strided"):
        rev = toeplitz(mask)
        return [rev[cells - 1 - row : 2 * cells - 1 - row] for row in range(cells)]
    if p == "global-local":
        rev, causal_rev = toeplitz(mask), toeplitz(causal())
        whole, part = divmod(mask.global_tokens, s)  # cells entirely global, and a straddling one
        whole = min(whole, cells)
        rows = []
        for row in range(cells):
            start = cells - 1 - row
            line = causal_rev[start : start + whole] + rev[start + whole : start + cells]
            if part and whole < cells:
                line[whole] = convert(_global_column_count(mask, row, whole, s), total)
            rows.append(line)
        return rows
    if p == "bigbird":
        b = mask.block_size
        per = b // s  # cells per block side
        if b % s or cells % per:
            raise ValueError(f"block size {b} must be a multiple of the cell size {s} and divide {n}")
        blocks = cells // per
        causal_rev = toeplitz(causal())
        values = make([convert(0, total), convert(total, total)])  # a key block off / on
        tail_cell = values[0:1]
        table = _flag_table(values) if make is bytearray else None
        randoms = _random_rows(mask, blocks)
        rows = []
        for block_row in range(blocks):
            keep = bytearray(block_row)  # 1 for each earlier key block this row attends to
            window = min(block_row, mask.window_blocks - 1)
            keep[block_row - window :] = b"\x01" * window
            head = min(mask.global_blocks, block_row)
            keep[:head] = b"\x01" * head
            for col in randoms[block_row]:
                keep[col] = 1
            if per > 1:  # each block is per × per cells: repeat every flag per times
                wide = bytearray(block_row * per)
                for k in range(per):
                    wide[k::per] = keep
                keep = wide
            prefix = keep.translate(table) if table else make(values[flag] for flag in keep)
            tail = tail_cell * ((blocks - 1 - block_row) * per)
            for k in range(per):
                row = block_row * per + k
                start = cells - 1 - row + block_row * per
                rows.append(prefix + causal_rev[start : start + per] + tail)
        return rows
    raise ValueError(f"unknown pattern {p!r}")


def _flag_table(values: bytearray) -> bytes:
    """A bytes.translate table mapping flag 0 / 1 to the two colour levels."""
    table = bytearray(range(256))
    table[0], table[1] = values[0], values[1]
    return bytes(table)


def cell_counts(mask: Mask, n: int, cells: int) -> list[list[int]]:
    """Allowed pairs in each of cells × cells squares of the mask (rows are
    queries, columns keys). ``cells`` must divide ``n``; for BigBird the
    block size must be a multiple of ``n // cells``.

    >>> cell_counts(sliding(2), 4, 2)   # 2 × 2 cells of 2 × 2 tokens
    [[3, 0], [1, 3]]
    """
    return _cell_rows(mask, n, cells, lambda count, total: count, list)


LEVELS = 256
"""Colour levels of the picture: 0 = no pair allowed, 255 = all pairs."""

DECADES = 4
"""The picture's colour scale is logarithmic over this many decades of the
allowed fraction (1 in 10,000 to 1), so a one-token diagonal among 4,096 × 4,096
pairs stays visible; any allowed pair gets at least level 1."""


def fraction_level(count: int, total: int) -> int:
    """Colour level 0..255 of a cell with ``count`` of ``total`` pairs allowed.

    >>> fraction_level(0, 16), fraction_level(16, 16), fraction_level(1, 10**4), fraction_level(1, 10**9)
    (0, 255, 1, 1)
    >>> fraction_level(1, 100)
    128
    """
    if count <= 0:
        return 0
    position = 1.0 + math.log10(count / total) / DECADES
    return 1 + round((LEVELS - 2) * min(1.0, max(0.0, position)))


def cell_levels(mask: Mask, n: int, cells: int) -> list[bytearray]:
    """The picture: one byte (:func:`fraction_level`) per cell, row by row."""
    return _cell_rows(mask, n, cells, fraction_level, bytearray)


# ---------------------------------------------------------------- receptive field


def receptive_field(mask: Mask, n: int, layers: int) -> list[int]:
    """Tokens that can influence the output at position N - 1 after 1, 2, ...,
    ``layers`` stacked layers of this mask (see the module docstring).

    >>> receptive_field(sliding(3), 100, 4)
    [3, 5, 7, 9]
    >>> receptive_field(strided(10), 100, 3)   # one hop: 10 local + 9 strided; two: all
    [19, 100, 100]
    """
    _check_int("sequence length", n, 1)
    _check_int("layers", layers, 1)
    last = n - 1
    p = mask.pattern
    if p in ("full", "causal"):
        return [n] * layers
    if p == "strided":
        one = min(n, mask.stride) + last // mask.stride
        return [one] + [n] * (layers - 1)
    if p in ("sliding", "global-local"):
        out = []
        for depth in range(1, layers + 1):
            back = depth * (mask.window - 1)  # the window's reach after `depth` hops
            reached = min(n, back + 1)
            if p == "global-local":
                reached += max(0, min(mask.global_tokens, last - back))
            out.append(reached)
        return out
    if p == "bigbird":
        return _bigbird_receptive_field(mask, n, layers)
    raise ValueError(f"unknown pattern {p!r}")


def _bigbird_receptive_field(mask: Mask, n: int, layers: int) -> list[int]:
    """Breadth-first search over blocks, with a Python int as the bit set of
    reached blocks (bit J = block J). The last token is the last of its block,
    so every block it reaches, it reaches whole."""
    b = mask.block_size
    blocks = bigbird_blocks(n, b)
    last_size = n - (blocks - 1) * b
    randoms = _random_rows(mask, blocks) if mask.random_blocks else None
    everything = (1 << blocks) - 1
    globals_bits = (1 << min(mask.global_blocks, blocks)) - 1
    reached = 1 << (blocks - 1)
    expanded = 0  # blocks whose random keys are already in `reached`
    out = []
    for _ in range(layers):
        if reached != everything:
            grown, covered = reached, 1
            while covered < mask.window_blocks:  # OR in shifts by 1 .. W - 1, by doubling
                step = min(covered, mask.window_blocks - covered)
                grown |= grown >> step
                covered += step
            grown |= globals_bits
            if randoms is not None:
                fresh = reached & ~expanded
                expanded |= fresh
                while fresh:
                    low = fresh & -fresh
                    for col in randoms[low.bit_length() - 1]:
                        grown |= 1 << col
                    fresh ^= low
            reached = grown
        count = bin(reached).count("1")
        out.append(count * b - (b - last_size))
    return out


# ---------------------------------------------------------------- models and cost


@dataclass(frozen=True)
class Model:
    """Attention shape of a model, from its published ``config.json``.

    ``head_dim`` is the query/key head size and ``v_head_dim`` the value head
    size (equal except in DeepSeek's MLA, where queries and keys carry an
    extra 64-dimensional RoPE part). ``kv_lora_rank`` and ``rope_dim`` are
    set for multi-head latent attention only.
    """

    key: str
    label: str
    layers: int
    heads: int
    kv_heads: int
    head_dim: int
    v_head_dim: int
    context_limit: int | None
    source: str
    kv_lora_rank: int | None = None
    rope_dim: int | None = None
    sliding_window: int | None = None

    def __post_init__(self) -> None:
        for name in ("layers", "heads", "kv_heads", "head_dim", "v_head_dim"):
            _check_int(name, getattr(self, name), 1)
        if self.heads % self.kv_heads:
            raise ValueError(f"{self.heads} query heads cannot share {self.kv_heads} KV heads evenly")

    @property
    def is_latent(self) -> bool:
        """Multi-head latent attention (DeepSeek-V2/V3)?"""
        return self.kv_lora_rank is not None


PRESETS: dict[str, Model] = {
    # hidden_size 4096 / num_attention_heads 32 = head size 128.
    "llama-3-8b": Model(
        key="llama-3-8b",
        label="Llama 3 8B",
        layers=32,
        heads=32,
        kv_heads=8,
        head_dim=128,
        v_head_dim=128,
        context_limit=8192,
        source="https://huggingface.co/meta-llama/Meta-Llama-3-8B/blob/main/config.json",
    ),
    # hidden_size 8192 / 64 heads = 128.
    "llama-3-70b": Model(
        key="llama-3-70b",
        label="Llama 3 70B",
        layers=80,
        heads=64,
        kv_heads=8,
        head_dim=128,
        v_head_dim=128,
        context_limit=8192,
        source="https://huggingface.co/meta-llama/Meta-Llama-3-70B/blob/main/config.json",
    ),
    # hidden_size 4096 / 32 heads = 128; sliding_window 4096 (Jiang et al. 2023, Table 1).
    "mistral-7b": Model(
        key="mistral-7b",
        label="Mistral 7B v0.1",
        layers=32,
        heads=32,
        kv_heads=8,
        head_dim=128,
        v_head_dim=128,
        context_limit=32768,
        source="https://huggingface.co/mistralai/Mistral-7B-v0.1/blob/main/config.json",
        sliding_window=4096,
    ),
    # qk_nope_head_dim 128 + qk_rope_head_dim 64 = 192 per query/key head;
    # v_head_dim 128; kv_lora_rank 512; num_key_value_heads 128.
    "deepseek-v3": Model(
        key="deepseek-v3",
        label="DeepSeek-V3",
        layers=61,
        heads=128,
        kv_heads=128,
        head_dim=192,
        v_head_dim=128,
        context_limit=163840,
        source="https://huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/config.json",
        kv_lora_rank=512,
        rope_dim=64,
    ),
}
"""Published configurations (``num_hidden_layers``, ``num_attention_heads``,
``num_key_value_heads``, head sizes, ``max_position_embeddings``). The
context limit is ``max_position_embeddings``: Llama 3 was trained at 8,192
tokens (Llama 3.1 extends it to 128K, arXiv 2407.21783); Mistral 7B v0.1's
paper lists a context length of 8,192 and its config 32,768; DeepSeek-V3's
model card says 128K and its config 163,840."""


def custom_model(layers: int, heads: int, kv_heads: int, head_dim: int) -> Model:
    """A grouped-query model of your own shape (no context limit)."""
    return Model(
        key="custom",
        label="Custom",
        layers=layers,
        heads=heads,
        kv_heads=kv_heads,
        head_dim=head_dim,
        v_head_dim=head_dim,
        context_limit=None,
        source="your own numbers",
    )


def attention_flops(model: Model, pairs: int) -> float:
    """Score-and-value FLOPs of one forward pass, all layers:
    2 · pairs · heads · (d_qk + d_v) · layers.

    >>> attention_flops(PRESETS["llama-3-8b"], causal_pairs(8192)) / 1e12
    17.59...
    """
    return 2.0 * pairs * model.heads * (model.head_dim + model.v_head_dim) * model.layers


def kv_bytes_per_token(model: Model, bytes_per_element: float) -> float:
    """KV-cache bytes one token costs, all layers.

    >>> kv_bytes_per_token(PRESETS["llama-3-8b"], 2)   # 2 · 32 · 8 · 128 · 2
    131072.0
    >>> kv_bytes_per_token(PRESETS["deepseek-v3"], 2)  # 61 · (512 + 64) · 2
    70272.0
    """
    if not (bytes_per_element > 0 and math.isfinite(bytes_per_element)):
        raise ValueError(f"bytes per element must be positive, got {bytes_per_element!r}")
    if model.is_latent:
        return float(model.layers * (model.kv_lora_rank + model.rope_dim) * bytes_per_element)
    return float(model.layers * model.kv_heads * (model.head_dim + model.v_head_dim) * bytes_per_element)


def kv_tokens_kept(mask: Mask, n: int) -> int:
    """Tokens whose keys and values must stay cached while generating at
    length ``n``: a key that no later query can attend to can be dropped.

    sliding: the last w (a rolling buffer); global-local: the last w and the
    first g; BigBird without random blocks: the window and global blocks;
    otherwise (full, causal, strided, BigBird with random blocks) any past key
    may be needed again, so all n.

    >>> kv_tokens_kept(sliding(4096), 10**6), kv_tokens_kept(global_local(512, 16), 10**6)
    (4096, 528)
    """
    p = mask.pattern
    if p == "sliding":
        return min(n, mask.window)
    if p == "global-local":
        return min(n, mask.window + mask.global_tokens)
    if p == "bigbird" and mask.random_blocks == 0:
        return min(n, (mask.window_blocks + mask.global_blocks) * mask.block_size)
    return n


def kv_cache_bytes(model: Model, tokens: int, bytes_per_element: float) -> float:
    """KV-cache bytes holding ``tokens`` tokens, all layers, one sequence.

    >>> kv_cache_bytes(PRESETS["llama-3-70b"], 8192, 2) / 1e9   # 2 · 80 · 8 · 128 · 2 B × 8192
    2.68435456
    """
    return tokens * kv_bytes_per_token(model, bytes_per_element)


SELF_CHECKS = {
    "pairs.sliding.1M": lambda: pair_count(sliding(4096), 2**20),
    "pairs.strided.1M": lambda: pair_count(strided(1024), 2**20),
    "pairs.global_local.1M": lambda: pair_count(global_local(512, 64), 2**20),
    "pairs.bigbird.1M": lambda: pair_count(bigbird(1024, 3, 2, 3), 2**20),
    "random_blocks": lambda: list(bigbird_random_blocks(bigbird(64, 3, 2, 3), 1000)),
    "levels.strided": lambda: [list(row) for row in cell_levels(strided(5), 64, 16)],
    "receptive.bigbird": lambda: receptive_field(bigbird(64, 2, 1, 2), 65536, 12),
    "flops.deepseek": lambda: attention_flops(PRESETS["deepseek-v3"], causal_pairs(131072)),
    "kv.deepseek": lambda: kv_cache_bytes(PRESETS["deepseek-v3"], 163840, 2),
}
"""Values the in-page test compares between Pyodide and CPython (course.selfcheck)."""
