"""Chinchilla scaling laws: parametric loss, training compute, compute-optimal
allocation and the dollars a training run costs.

Sources
-------
* Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models",
  arXiv 2203.15556. Eq. (2): the parametric loss
  ``L(N, D) = E + A / N**alpha + B / D**beta``; section 3.3 / eq. (10) fits
  (Approach 3) E = 1.69, A = 406.4, B = 410.7, alpha = 0.34, beta = 0.28;
  eq. (4): the efficient frontier ``N_opt(C) = G (C/6)**a``,
  ``D_opt(C) = G**-1 (C/6)**b`` with ``G = (alpha A / (beta B))**(1/(alpha+beta))``,
  ``a = beta/(alpha+beta)``, ``b = alpha/(alpha+beta)``; and the training-FLOP
  approximation ``C ≈ 6 N D`` (section 2 and appendix F).
  Table 2 (exponents of N_opt ∝ C^a and D_opt ∝ C^b): Approach 1 a = 0.50,
  b = 0.50; Approach 2 a = 0.49, b = 0.51; Approach 3 a = 0.46, b = 0.54.
* Besiroglu, Erdil, Barnett and You 2024, "Chinchilla Scaling: A replication
  attempt", arXiv 2404.10102: refit of Approach 3 on the paper's own data,
  E = 1.8172, A = 482.01, B = 2085.43, alpha = 0.3478, beta = 0.3658, whose
  optimum is close to 20 tokens per parameter (their section 4).
* The 20 tokens-per-parameter rule of thumb: Chinchilla itself (70 B
  parameters, 1.4 T tokens) and Hoffmann et al. Table 3, whose compute-optimal
  rows sit near D/N = 20. With C = 6 N D and D = 20 N, N = sqrt(C / 120).
* Dollars: GPU-hours = C / (peak FLOP/s × MFU) / 3600 (MFU, model FLOPs
  utilisation, as defined in Chowdhery et al. 2022, PaLM, arXiv 2204.02311,
  appendix B); cost = GPU-hours × price per GPU-hour.
* Derived here from eq. (2) and eq. (4), not printed in the paper: the lowest
  loss a budget C can buy, ``L_opt(C) = E + K (C/6)**-gamma`` with
  ``gamma = alpha beta / (alpha + beta)`` and ``K = A G**-alpha + B G**beta``,
  its inverse (the least compute that reaches a loss) and the iso-loss
  contour ``L(N, D) = L``, traced by the share of the reducible loss that the
  parameter term carries (:func:`iso_loss_point`).
* Published sizes of real models (:data:`REAL_MODELS`, each with its source)
  and the Approach-1 projections of Hoffmann et al. Table 3
  (:data:`APPROACH1_TABLE3`).

>>> round(loss(70e9, 1.4e12), 4)
1.9366
>>> training_flops(70e9, 1.4e12)
5.88e+23
>>> n, d = rule_of_thumb_allocation(5.88e23)
>>> round(n / 1e9, 1), round(d / 1e12, 2)
(70.0, 1.4)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

FLOPS_PER_PARAM_PER_TOKEN = 6.0
"""C ≈ 6 N D: 2 FLOPs per parameter per token forward, 4 backward
(Hoffmann et al. 2022, section 2; Kaplan et al. 2020, arXiv 2001.08361, section 2.1)."""

RULE_TOKENS_PER_PARAM = 20.0
"""The Chinchilla rule of thumb: about 20 training tokens per parameter."""

H100_BF16_DENSE_PEAK_FLOPS = 989.4e12
"""NVIDIA H100 SXM5 peak dense BF16 tensor throughput, FLOP/s (NVIDIA H100
Tensor Core GPU datasheet: 1,979 TFLOPS with 2:4 sparsity, half that dense)."""

DEFAULT_MFU = 0.40
"""Model FLOPs utilisation typical of large dense training runs: Llama 3
405B reports 38-43% BF16 MFU on H100s (Dubey et al. 2024, arXiv 2407.21783,
Table 4); PaLM 540B reports 46.2% on TPU v4 (arXiv 2204.02311, Table 3)."""

DEFAULT_USD_PER_GPU_HOUR = 2.00
"""An assumption, not a published price: a round figure for renting one H100
by the hour in 2025-2026 (on-demand list prices are higher, committed-use
prices lower). Editable on the page."""


@dataclass(frozen=True)
class Fit:
    """One fit of ``L(N, D) = E + A / N**alpha + B / D**beta``."""

    key: str
    label: str
    E: float
    A: float
    B: float
    alpha: float
    beta: float
    source: str

    @property
    def a(self) -> float:
        """Exponent of N_opt ∝ C^a (Hoffmann et al. eq. 4)."""
        return self.beta / (self.alpha + self.beta)

    @property
    def b(self) -> float:
        """Exponent of D_opt ∝ C^b (Hoffmann et al. eq. 4)."""
        return self.alpha / (self.alpha + self.beta)

    @property
    def G(self) -> float:
        """G = (alpha A / (beta B))^(1 / (alpha + beta)) (Hoffmann et al. eq. 4)."""
        return (self.alpha * self.A / (self.beta * self.B)) ** (1.0 / (self.alpha + self.beta))

    @property
    def gamma(self) -> float:
        """Exponent of the reducible loss along the frontier, L_opt - E ∝ C^-gamma,
        gamma = alpha beta / (alpha + beta) (eq. 4 substituted into eq. 2)."""
        return self.alpha * self.beta / (self.alpha + self.beta)

    @property
    def K(self) -> float:
        """Coefficient of L_opt(C) = E + K (C/6)^-gamma: K = A G^-alpha + B G^beta."""
        return self.A * self.G**-self.alpha + self.B * self.G**self.beta


FITS: dict[str, Fit] = {
    "hoffmann": Fit(
        key="hoffmann",
        label="Hoffmann et al. 2022, Approach 3",
        E=1.69,
        A=406.4,
        B=410.7,
        alpha=0.34,
        beta=0.28,
        source="arXiv 2203.15556, eq. (10)",
    ),
    "epoch": Fit(
        key="epoch",
        label="Besiroglu et al. 2024 (Epoch AI) refit",
        E=1.8172,
        A=482.01,
        B=2085.43,
        alpha=0.3478,
        beta=0.3658,
        source="arXiv 2404.10102, section 4",
    ),
}
DEFAULT_FIT = "hoffmann"

# Hoffmann et al. 2022, Table 2: exponents a (N_opt ∝ C^a) and b (D_opt ∝ C^b)
# of the three estimation approaches, as published.
APPROACH_EXPONENTS = {
    "Approach 1 (minimum over training curves)": (0.50, 0.50),
    "Approach 2 (IsoFLOP profiles)": (0.49, 0.51),
    "Approach 3 (parametric loss fit)": (0.46, 0.54),
}
KAPLAN_EXPONENTS = (0.73, 0.27)
"""(a, b) of Kaplan et al. 2020 (arXiv 2001.08361) as Hoffmann et al. Table 2
lists them: most of a larger budget goes into parameters."""


def _check_positive(**values: float) -> None:
    for name, value in values.items():
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be a positive finite number, got {value!r}")


def get_fit(key: str) -> Fit:
    """The fit named ``key`` (``hoffmann`` or ``epoch``)."""
    try:
        return FITS[key]
    except KeyError:
        raise ValueError(f"unknown fit {key!r}; choose one of {', '.join(FITS)}") from None


def loss(n_params: float, n_tokens: float, fit: str = DEFAULT_FIT) -> float:
    """Predicted pre-training loss (nats per token) of N parameters trained on D tokens."""
    _check_positive(n_params=n_params, n_tokens=n_tokens)
    f = get_fit(fit)
    return f.E + f.A / n_params**f.alpha + f.B / n_tokens**f.beta


def training_flops(n_params: float, n_tokens: float) -> float:
    """C ≈ 6 N D training FLOPs."""
    _check_positive(n_params=n_params, n_tokens=n_tokens)
    return FLOPS_PER_PARAM_PER_TOKEN * n_params * n_tokens


def compute_optimal(flops: float, fit: str = DEFAULT_FIT) -> tuple[float, float]:
    """(N_opt, D_opt) minimising L under C = 6 N D (Hoffmann et al. eq. 4)."""
    _check_positive(flops=flops)
    f = get_fit(fit)
    c6 = flops / FLOPS_PER_PARAM_PER_TOKEN
    return f.G * c6**f.a, c6**f.b / f.G


def rule_of_thumb_allocation(flops: float, tokens_per_param: float = RULE_TOKENS_PER_PARAM) -> tuple[float, float]:
    """(N, D) with D = k N and 6 N D = C, so N = sqrt(C / (6 k)); k = 20 by default."""
    _check_positive(flops=flops, tokens_per_param=tokens_per_param)
    n = math.sqrt(flops / (FLOPS_PER_PARAM_PER_TOKEN * tokens_per_param))
    return n, tokens_per_param * n


def optimal_tokens_per_param(flops: float, fit: str = DEFAULT_FIT) -> float:
    """D_opt / N_opt at budget C under ``fit`` (grows with C when a < b)."""
    n, d = compute_optimal(flops, fit)
    return d / n


def gpu_hours(flops: float, peak_flops_per_s: float, mfu: float) -> float:
    """GPU-hours = C / (peak FLOP/s × MFU) / 3600."""
    _check_positive(flops=flops, peak_flops_per_s=peak_flops_per_s, mfu=mfu)
    if mfu > 1:
        raise ValueError(f"mfu is a fraction of peak and cannot exceed 1, got {mfu!r}")
    return flops / (peak_flops_per_s * mfu) / 3600.0


def training_cost_usd(flops: float, peak_flops_per_s: float, mfu: float, usd_per_gpu_hour: float) -> float:
    """Dollars = GPU-hours × price per GPU-hour."""
    _check_positive(usd_per_gpu_hour=usd_per_gpu_hour)
    return gpu_hours(flops, peak_flops_per_s, mfu) * usd_per_gpu_hour


def optimal_loss(flops: float, fit: str = DEFAULT_FIT) -> float:
    """The lowest loss a budget C can buy: L at (N_opt, D_opt).

    With N_opt = G c^a and D_opt = c^b / G (c = C/6), both terms of eq. (2)
    fall as c^-gamma (a alpha = b beta = gamma), so
    ``L_opt(C) = E + (A G^-alpha + B G^beta) c^-gamma``.

    >>> round(optimal_loss(5.88e23), 4)
    1.93
    """
    _check_positive(flops=flops)
    f = get_fit(fit)
    return f.E + f.K * (flops / FLOPS_PER_PARAM_PER_TOKEN) ** -f.gamma


def flops_for_loss(target_loss: float, fit: str = DEFAULT_FIT) -> float:
    """The least training compute that reaches ``target_loss`` (the inverse of
    :func:`optimal_loss`): C = 6 ((L - E) / K)^(-1/gamma). A loss at or below
    the irreducible E is unreachable at any budget (ValueError).

    >>> f"{flops_for_loss(optimal_loss(1e24)):.6g}"
    '1e+24'
    """
    f = get_fit(fit)
    _check_positive(target_loss=target_loss)
    if target_loss <= f.E:
        raise ValueError(f"a loss of {target_loss!r} is at or below the irreducible E = {f.E} of the {fit} fit")
    return FLOPS_PER_PARAM_PER_TOKEN * ((target_loss - f.E) / f.K) ** (-1.0 / f.gamma)


def iso_loss_point(target_loss: float, param_share: float, fit: str = DEFAULT_FIT) -> tuple[float, float]:
    """The point (N, D) of the iso-loss contour L(N, D) = ``target_loss`` at
    which the parameter term A / N^alpha is ``param_share`` of the reducible
    loss R = L - E (the data term B / D^beta is the rest):
    N = (A / (s R))^(1/alpha), D = (B / ((1 - s) R))^(1/beta).

    Sweeping the share from 0 to 1 traces the whole contour, both of its
    asymptotes included (too few parameters, or too few tokens, to ever reach
    the loss), which a sweep over N alone would cut short.

    >>> n, d = iso_loss_point(2.0, 0.3)
    >>> round(loss(n, d), 12)
    2.0
    """
    f = get_fit(fit)
    _check_positive(target_loss=target_loss)
    if not 0 < param_share < 1:
        raise ValueError(f"param_share must lie strictly between 0 and 1, got {param_share!r}")
    reducible = target_loss - f.E
    if reducible <= 0:
        raise ValueError(f"a loss of {target_loss!r} is at or below the irreducible E = {f.E} of the {fit} fit")
    n_params = (f.A / (param_share * reducible)) ** (1.0 / f.alpha)
    n_tokens = (f.B / ((1.0 - param_share) * reducible)) ** (1.0 / f.beta)
    return n_params, n_tokens


@lru_cache(maxsize=8)
def loss_grid(
    fit: str,
    log_n_range: tuple[float, float],
    log_d_range: tuple[float, float],
    cells: int,
) -> tuple[tuple[float, ...], ...]:
    """Loss at the centres of a ``cells`` × ``cells`` grid over log10 N × log10 D.

    Row i holds log10 D = d_lo + (i + 1/2) step_d, column j log10 N =
    n_lo + (j + 1/2) step_n (the order of an image: rows run up the D axis).
    Memoised per (fit, ranges, cells): a lab recomputes it only when the fit
    changes. Separable terms are computed once per row and once per column.
    """
    f = get_fit(fit)
    if cells < 1:
        raise ValueError(f"cells must be at least 1, got {cells!r}")
    (n_lo, n_hi), (d_lo, d_hi) = log_n_range, log_d_range
    step_n, step_d = (n_hi - n_lo) / cells, (d_hi - d_lo) / cells
    param_terms = [f.A * 10 ** (-f.alpha * (n_lo + (j + 0.5) * step_n)) for j in range(cells)]
    rows = []
    for i in range(cells):
        base = f.E + f.B * 10 ** (-f.beta * (d_lo + (i + 0.5) * step_d))
        rows.append(tuple(base + term for term in param_terms))
    return tuple(rows)


@dataclass(frozen=True)
class PublishedModel:
    """A real model's published parameter count and training tokens."""

    name: str
    n_params: float
    n_tokens: float
    source: str

    @property
    def tokens_per_param(self) -> float:
        return self.n_tokens / self.n_params


REAL_MODELS: tuple[PublishedModel, ...] = (
    PublishedModel("GPT-3 175B", 175e9, 300e9, "Brown et al. 2020, arXiv 2005.14165, Table D.1; Hoffmann et al. Table 1"),
    PublishedModel("Gopher 280B", 280e9, 300e9, "Rae et al. 2021, arXiv 2112.11446; Hoffmann et al. Table 1"),
    PublishedModel("Chinchilla 70B", 70e9, 1.4e12, "Hoffmann et al. 2022, arXiv 2203.15556, Table 1"),
    PublishedModel("Llama 2 70B", 70e9, 2.0e12, "Touvron et al. 2023, arXiv 2307.09288, Table 1"),
    PublishedModel("Llama 3 8B", 8e9, 15e12, "Llama Team 2024, arXiv 2407.21783 (pre-trained on about 15 T tokens)"),
    PublishedModel("Llama 3 405B", 405e9, 15.6e12, "Llama Team 2024, arXiv 2407.21783, section 3.2.1 (15.6 T tokens)"),
)
"""Published (N, D) of well-known dense models, oldest first."""

APPROACH1_TABLE3: tuple[tuple[float, float, float], ...] = (
    (400e6, 1.92e19, 8.0e9),
    (1e9, 1.21e20, 20.2e9),
    (10e9, 1.23e22, 205.1e9),
    (67e9, 5.76e23, 1.5e12),
    (175e9, 3.85e24, 3.7e12),
    (280e9, 9.90e24, 5.9e12),
    (520e9, 3.43e25, 11.0e12),
    (1e12, 1.27e26, 21.2e12),
    (10e12, 1.30e28, 216.2e12),
)
"""Hoffmann et al. 2022, Table 3: (parameters, FLOPs, tokens) that Approach 1
projects as compute-optimal, as printed (tokens rounded to 3 digits)."""


SELF_CHECKS = {
    "loss.chinchilla.hoffmann": lambda: loss(70e9, 1.4e12, "hoffmann"),
    "loss.chinchilla.epoch": lambda: loss(70e9, 1.4e12, "epoch"),
    "optimal.1e24.hoffmann": lambda: list(compute_optimal(1e24, "hoffmann")),
    "optimal.1e24.epoch": lambda: list(compute_optimal(1e24, "epoch")),
    "rule.1e24": lambda: list(rule_of_thumb_allocation(1e24)),
    "cost.1e24": lambda: training_cost_usd(1e24, H100_BF16_DENSE_PEAK_FLOPS, DEFAULT_MFU, DEFAULT_USD_PER_GPU_HOUR),
    "optimal_loss.1e24.hoffmann": lambda: optimal_loss(1e24, "hoffmann"),
    "flops_for_loss.2.epoch": lambda: flops_for_loss(2.0, "epoch"),
    "contour.2.epoch": lambda: list(iso_loss_point(2.0, 0.4, "epoch")),
    "grid.corner.hoffmann": lambda: loss_grid("hoffmann", (7.0, 13.0), (9.0, 15.0), 4)[3][3],
}
"""Values the in-page test compares between Pyodide and CPython (course.selfcheck)."""
