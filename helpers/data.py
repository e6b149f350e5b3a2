"""Small seeded datasets for the notebooks. Every function takes ``seed`` and returns float64 arrays."""

from __future__ import annotations

import numpy as np


def regression(n=64, seed=0, noise=0.1):
    """y = sin(2 x1) + x2 / 2 + noise: x (n, 2) uniform in [-1.5, 1.5], y (n, 1)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.5, 1.5, (n, 2))
    y = np.sin(2 * x[:, :1]) + 0.5 * x[:, 1:] + noise * rng.standard_normal((n, 1))
    return x, y


def circles(n=200, seed=0, noise=0.1):
    """Two concentric rings, no line separates them: x (n, 2), labels y (n, 1) in {0, 1} (1 = inner)."""
    rng = np.random.default_rng(seed)
    y = (np.arange(n) % 2).astype(np.float64)
    r = np.where(y == 1, 0.5, 1.2) + noise * rng.standard_normal(n)
    angle = rng.uniform(0, 2 * np.pi, n)
    return np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1), y[:, None]
