"""Element-wise activations and their derivatives, float64 and stable at extreme inputs.

Every function maps an array of any shape to an array of the same shape.
Conventions follow PyTorch: ReLU'(0) = 0, LeakyReLU'(0) = negative_slope,
Softplus switches to the identity above ``threshold``, GELU is the exact erf form
unless ``approximate='tanh'``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from helpers._validate import as_array, one_of, positive

_erfc = np.vectorize(math.erfc, otypes=[np.float64])
_SQRT2 = math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_TANH_C = 0.044715


def identity(z):
    """g(z) = z."""
    return np.array(z, dtype=np.float64)


def d_identity(z):
    """g'(z) = 1."""
    return np.ones_like(z, dtype=np.float64)


def relu(z):
    """ReLU(z) = max(0, z)."""
    return np.maximum(z, 0.0)


def d_relu(z):
    """ReLU'(z) = 1 if z > 0 else 0 (0 at z = 0, as in PyTorch)."""
    return (np.asarray(z) > 0).astype(np.float64)


def leaky_relu(z, negative_slope=0.01):
    """LeakyReLU(z) = z if z > 0 else negative_slope * z."""
    z = np.asarray(z, dtype=np.float64)
    return np.where(z > 0, z, negative_slope * z)


def d_leaky_relu(z, negative_slope=0.01):
    """LeakyReLU'(z) = 1 if z > 0 else negative_slope (negative_slope at z = 0, as in PyTorch)."""
    return np.where(np.asarray(z) > 0, 1.0, negative_slope)


def scaled_relu(z, scale=5.0):
    """f(z) = scale * ReLU(z); problem 1.2 uses scale = 5."""
    return scale * relu(z)


def d_scaled_relu(z, scale=5.0):
    """f'(z) = scale * 1[z > 0]."""
    return scale * d_relu(z)


def sigmoid(z):
    """sigma(z) = 1 / (1 + e^-z), computed from e^-|z| so it never overflows."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def d_sigmoid(z):
    """sigma'(z) = sigma(z) * sigma(-z); unlike sigma(1 - sigma) it keeps its digits for large z."""
    return sigmoid(z) * sigmoid(-np.asarray(z, dtype=np.float64))


def tanh(z):
    """tanh(z)."""
    return np.tanh(z)


def d_tanh(z):
    """tanh'(z) = sech^2(z) = 4 e^{-2|z|} / (1 + e^{-2|z|})^2.

    1 - tanh(z)^2 rounds to 0 once tanh(z) rounds to 1 (|z| > 19); this form stays accurate.
    """
    e = np.exp(-2.0 * np.abs(np.asarray(z, dtype=np.float64)))
    return 4.0 * e / (1.0 + e) ** 2


def softplus(z, beta=1.0, threshold=20.0):
    """Softplus(z) = log(1 + e^{beta z}) / beta, and z where beta*z > threshold (PyTorch)."""
    z = np.asarray(z, dtype=np.float64)
    bz = beta * z
    return np.where(bz > threshold, z, np.logaddexp(0.0, bz) / beta)


def d_softplus(z, beta=1.0, threshold=20.0):
    """Softplus'(z) = sigma(beta z), and 1 where beta*z > threshold (PyTorch)."""
    bz = beta * np.asarray(z, dtype=np.float64)
    return np.where(bz > threshold, 1.0, sigmoid(bz))


def _gelu_tanh_u(z):
    return _SQRT_2_OVER_PI * (z + _GELU_TANH_C * z**3)


def gelu(z, approximate="none"):
    """GELU(z) = z * Phi(z) = z/2 * erfc(-z/sqrt 2); erfc keeps its digits far left.

    ``approximate='tanh'``: z/2 * (1 + tanh(u)) = z * sigma(2u), u = sqrt(2/pi) (z + 0.044715 z^3).
    """
    one_of(approximate, ("none", "tanh"), "approximate")
    z = np.asarray(z, dtype=np.float64)
    if approximate == "tanh":
        return z * sigmoid(2.0 * _gelu_tanh_u(z))
    return 0.5 * z * _erfc(-z / _SQRT2)


def d_gelu(z, approximate="none"):
    """GELU'(z) = Phi(z) + z * phi(z), phi the standard normal density."""
    one_of(approximate, ("none", "tanh"), "approximate")
    z = np.asarray(z, dtype=np.float64)
    if approximate == "tanh":
        s = sigmoid(2.0 * _gelu_tanh_u(z))
        du = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_TANH_C * z**2)
        return s + z * 2.0 * s * (1.0 - s) * du
    pdf = np.exp(-0.5 * z**2) / math.sqrt(2.0 * math.pi)
    return 0.5 * _erfc(-z / _SQRT2) + z * pdf


def softmax(z, temperature=1.0, axis=-1):
    """softmax(z / T) along ``axis``; the max is subtracted first, so large logits do not overflow.

    z: array of any shape; returns probabilities of the same shape that sum to 1 along ``axis``.
    """
    t = positive(temperature, "temperature")
    z = as_array(z, "z")
    s = z / t
    e = np.exp(s - np.max(s, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def argmax_onehot(z):
    """The limit of softmax(z / T) as T -> 0: one-hot at the maximum, shared equally by tied maxima.  (K,) -> (K,)."""
    z = as_array(z, "z", ndim=1)
    top = (z == np.max(z)).astype(np.float64)
    return top / top.sum()


def softmax_jacobian(p):
    """d softmax(z) / dz = diag(p) - p p^T for a probability vector p of shape (K,); returns (K, K)."""
    p = as_array(p, "p", ndim=1)
    return np.diag(p) - np.outer(p, p)


@dataclass(frozen=True)
class Activation:
    """An element-wise activation with its derivative: ``act(z)`` and ``act.deriv(z)``.

    ``name`` is a key of :data:`ACTIVATIONS` and ``params`` its keyword arguments, so that
    :mod:`helpers.symbolic` can rebuild the same function in sympy.
    """

    name: str
    params: dict = field(default_factory=dict)

    def __call__(self, z):
        return _REGISTRY[self.name][0](z, **self.params)

    def deriv(self, z):
        return _REGISTRY[self.name][1](z, **self.params)

    def __str__(self):
        args = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.name}({args})" if args else self.name


_REGISTRY = {
    "identity": (identity, d_identity),
    "relu": (relu, d_relu),
    "leaky_relu": (leaky_relu, d_leaky_relu),
    "scaled_relu": (scaled_relu, d_scaled_relu),
    "sigmoid": (sigmoid, d_sigmoid),
    "tanh": (tanh, d_tanh),
    "softplus": (softplus, d_softplus),
    "gelu": (gelu, d_gelu),
}
ACTIVATIONS = tuple(_REGISTRY)


def get_activation(spec, **params) -> Activation:
    """Look up an activation by name (``'relu'``, ``'scaled_relu'``, ...) with optional parameters.

    ``spec`` may also be an :class:`Activation`, returned unchanged.
    Examples: ``get_activation('scaled_relu', scale=5)``, ``get_activation('leaky_relu', negative_slope=0.1)``.
    """
    if isinstance(spec, Activation):
        return spec
    if not isinstance(spec, str):
        raise TypeError(f"activation must be a name or an Activation, got {type(spec).__name__}")
    one_of(spec, ACTIVATIONS, "activation")
    fn = _REGISTRY[spec][0]
    try:
        fn(np.zeros(1), **params)
    except TypeError as exc:
        raise TypeError(f"activation {spec!r} does not take the parameters {params}: {exc}") from None
    return Activation(spec, dict(params))
