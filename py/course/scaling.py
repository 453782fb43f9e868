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


SELF_CHECKS = {
    "loss.chinchilla.hoffmann": lambda: loss(70e9, 1.4e12, "hoffmann"),
    "loss.chinchilla.epoch": lambda: loss(70e9, 1.4e12, "epoch"),
    "optimal.1e24.hoffmann": lambda: list(compute_optimal(1e24, "hoffmann")),
    "optimal.1e24.epoch": lambda: list(compute_optimal(1e24, "epoch")),
    "rule.1e24": lambda: list(rule_of_thumb_allocation(1e24)),
    "cost.1e24": lambda: training_cost_usd(1e24, H100_BF16_DENSE_PEAK_FLOPS, DEFAULT_MFU, DEFAULT_USD_PER_GPU_HOUR),
}
"""Values the in-page test compares between Pyodide and CPython (course.selfcheck)."""
