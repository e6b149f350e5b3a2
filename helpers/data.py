"""Small seeded datasets for the notebooks. Every function takes ``seed`` and returns float64 arrays."""

from __future__ import annotations

import numpy as np

from helpers._validate import integer, real

#: The most samples a dataset may have, so that a typo (10**12) fails at once instead of filling the memory.
MAX_SAMPLES = 10**6


def _args(n, seed, noise):
    n = integer(n, "n", minimum=1, maximum=MAX_SAMPLES)
    seed = integer(seed, "seed", minimum=0)
    noise = real(noise, "noise")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise:g}")
    return n, np.random.default_rng(seed), noise


def regression(n=64, seed=0, noise=0.1):
    """y = sin(2 x1) + x2 / 2 + noise: x (n, 2) uniform in [-1.5, 1.5], y (n, 1)."""
    n, rng, noise = _args(n, seed, noise)
    x = rng.uniform(-1.5, 1.5, (n, 2))
    y = np.sin(2 * x[:, :1]) + 0.5 * x[:, 1:] + noise * rng.standard_normal((n, 1))
    return x, y


def circles(n=200, seed=0, noise=0.1):
    """Two concentric rings, no line separates them: x (n, 2), labels y (n, 1) in {0, 1} (1 = inner)."""
    n, rng, noise = _args(n, seed, noise)
    y = (np.arange(n) % 2).astype(np.float64)
    r = np.where(y == 1, 0.5, 1.2) + noise * rng.standard_normal(n)
    angle = rng.uniform(0, 2 * np.pi, n)
    return np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1), y[:, None]


def signed_classes(n=40, seed=0, noise=0.5):
    """Labels in {-1, +1} from the sign of 1.5 x1 - x2 + 0.3 + noise: X (n, 2), Y (n,).

    Nearly, but not exactly, linearly separable: the perceptron, Adaline and tanh-logistic
    regression of problem 1.4 all have something to learn and some mistakes to make.
    """
    n, rng, noise = _args(n, seed, noise)
    X = rng.standard_normal((n, 2))
    Y = np.where(X @ np.array([1.5, -1.0]) + 0.3 + noise * rng.standard_normal(n) > 0, 1.0, -1.0)
    return X, Y
