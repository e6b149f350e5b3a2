"""Element-wise activations and their derivatives, float64 and stable at extreme inputs.

Every function maps ``z`` (a number or an array of any shape) to a new float64 array of the same
shape. Real numbers only: text, booleans and complex numbers raise a TypeError naming ``z``.
NaN propagates (relu(nan) and relu'(nan) are nan) and the limits at +-inf are exact.
Conventions follow PyTorch: ReLU'(0) = 0, LeakyReLU'(0) = negative_slope, Softplus switches to
the identity above ``threshold``, GELU is the exact erf form unless ``approximate='tanh'``.

The public functions validate their input; :class:`Activation` calls the same kernels without
re-validating, since the network validates its input once per forward pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from helpers._validate import as_array, integer, one_of, positive, real, short

_erfc = np.vectorize(math.erfc, otypes=[np.float64])
_SQRT2 = math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_TANH_C = 0.044715


def _z(z):
    return as_array(z, "z", finite=False)


# Kernels: float64 arrays in, float64 arrays out, no validation.


def _identity(z):
    return z.copy()


def _d_identity(z):
    return np.where(np.isnan(z), np.nan, 1.0)


def _relu(z):
    return np.maximum(z, 0.0)


def _d_relu(z):
    return np.sign(np.maximum(z, 0.0))  # 1 where z > 0, 0 where z <= 0 (z = 0 included), NaN where NaN


def _leaky_relu(z, negative_slope=0.01):
    out = z.copy()  # z where z > 0; negative_slope * z only where it is used (it may overflow elsewhere)
    rest = ~(z > 0)  # z <= 0 and NaN
    with np.errstate(over="ignore"):  # a slope > 1 sends -1e308 to -inf, as IEEE arithmetic (and PyTorch) round it
        out[rest] = negative_slope * z[rest]
    return out


def _d_leaky_relu(z, negative_slope=0.01):
    return np.where(np.isnan(z), np.nan, np.where(z > 0, 1.0, negative_slope))


def _scaled_relu(z, scale=5.0):
    with np.errstate(over="ignore"):  # 5 * 1e308 is inf, as IEEE arithmetic (and PyTorch) round it
        return scale * np.maximum(z, 0.0)


def _d_scaled_relu(z, scale=5.0):
    return scale * _d_relu(z)


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _d_sigmoid(z):
    return _sigmoid(z) * _sigmoid(-z)


def _tanh(z):
    return np.tanh(z)


def _d_tanh(z):
    with np.errstate(over="ignore"):  # -2|z| = -inf beyond 1e308, and e^-inf = 0 is the limit
        e = np.exp(-2.0 * np.abs(z))
    return 4.0 * e / (1.0 + e) ** 2


def _softplus(z, beta=1.0, threshold=20.0):
    with np.errstate(over="ignore", invalid="ignore"):  # beta z = +-inf has the right limit; NaN stays NaN
        bz = beta * z
        return np.where(bz > threshold, z, np.logaddexp(0.0, bz) / beta)


def _d_softplus(z, beta=1.0, threshold=20.0):
    with np.errstate(over="ignore"):
        bz = beta * z
    return np.where(bz > threshold, 1.0, _sigmoid(bz))


_GELU_CUTOFF = 40.0  # beyond +-40 GELU, GELU' and their tanh forms equal their limits in float64


def _finite_part(z, fn, left, right):
    """fn(z) for |z| <= 40; left(z), right(z) beyond, where fn would overflow (z^3) or give inf * 0 = nan."""
    far = np.abs(z) > _GELU_CUTOFF
    values = fn(np.where(far, 0.0, z))
    return np.where(z < -_GELU_CUTOFF, left(z), np.where(z > _GELU_CUTOFF, right(z), values))


def _gelu_tanh_u(z):
    return _SQRT_2_OVER_PI * (z + _GELU_TANH_C * z**3)


def _gelu(z, approximate="none"):
    limits = (lambda x: np.zeros_like(x), lambda x: x)
    if approximate == "tanh":
        return _finite_part(z, lambda x: x * _sigmoid(2.0 * _gelu_tanh_u(x)), *limits)
    return _finite_part(z, lambda x: 0.5 * x * _erfc(-x / _SQRT2), *limits)


def _d_gelu(z, approximate="none"):
    if approximate == "tanh":

        def slope(x):
            s = _sigmoid(2.0 * _gelu_tanh_u(x))
            du = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_TANH_C * x**2)
            return s + x * 2.0 * s * (1.0 - s) * du

        return _finite_part(z, slope, np.zeros_like, np.ones_like)
    pdf = lambda x: np.exp(-0.5 * x**2) / math.sqrt(2.0 * math.pi)  # noqa: E731
    return _finite_part(z, lambda x: 0.5 * _erfc(-x / _SQRT2) + x * pdf(x), np.zeros_like, np.ones_like)


# The public functions: validated, documented.


def identity(z):
    """g(z) = z."""
    return _identity(_z(z))


def d_identity(z):
    """g'(z) = 1."""
    return _d_identity(_z(z))


def relu(z):
    """ReLU(z) = max(0, z)."""
    return _relu(_z(z))


def d_relu(z):
    """ReLU'(z) = 1 if z > 0 else 0 (0 at z = 0, as in PyTorch)."""
    return _d_relu(_z(z))


def leaky_relu(z, negative_slope=0.01):
    """LeakyReLU(z) = z if z > 0 else negative_slope * z."""
    return _leaky_relu(_z(z), real(negative_slope, "negative_slope"))


def d_leaky_relu(z, negative_slope=0.01):
    """LeakyReLU'(z) = 1 if z > 0 else negative_slope (negative_slope at z = 0, as in PyTorch)."""
    return _d_leaky_relu(_z(z), real(negative_slope, "negative_slope"))


def scaled_relu(z, scale=5.0):
    """f(z) = scale * ReLU(z); problem 1.2 uses scale = 5."""
    return _scaled_relu(_z(z), real(scale, "scale"))


def d_scaled_relu(z, scale=5.0):
    """f'(z) = scale * 1[z > 0]."""
    return _d_scaled_relu(_z(z), real(scale, "scale"))


def sigmoid(z):
    """sigma(z) = 1 / (1 + e^-z), computed from e^-|z| so it never overflows."""
    return _sigmoid(_z(z))


def d_sigmoid(z):
    """sigma'(z) = sigma(z) * sigma(-z); unlike sigma(1 - sigma) it keeps its digits for large z."""
    return _d_sigmoid(_z(z))


def tanh(z):
    """tanh(z)."""
    return _tanh(_z(z))


def d_tanh(z):
    """tanh'(z) = sech^2(z) = 4 e^{-2|z|} / (1 + e^{-2|z|})^2.

    1 - tanh(z)^2 rounds to 0 once tanh(z) rounds to 1 (|z| > 19); this form stays accurate.
    """
    return _d_tanh(_z(z))


def _softplus_params(beta, threshold):
    beta = positive(beta, "beta")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not threshold > 0:
        raise ValueError(f"threshold must be a number > 0 (inf allowed), got {threshold!r}")
    return beta, float(threshold)


def softplus(z, beta=1.0, threshold=20.0):
    """Softplus(z) = log(1 + e^{beta z}) / beta, and z where beta*z > threshold (PyTorch)."""
    return _softplus(_z(z), *_softplus_params(beta, threshold))


def d_softplus(z, beta=1.0, threshold=20.0):
    """Softplus'(z) = sigma(beta z), and 1 where beta*z > threshold (PyTorch)."""
    return _d_softplus(_z(z), *_softplus_params(beta, threshold))


def gelu(z, approximate="none"):
    """GELU(z) = z * Phi(z) = z/2 * erfc(-z/sqrt 2); erfc keeps its digits far left.

    ``approximate='tanh'``: z/2 * (1 + tanh(u)) = z * sigma(2u), u = sqrt(2/pi) (z + 0.044715 z^3).
    """
    return _gelu(_z(z), one_of(approximate, ("none", "tanh"), "approximate"))


def d_gelu(z, approximate="none"):
    """GELU'(z) = Phi(z) + z * phi(z), phi the standard normal density.

    GELU''(z) = phi(z) (2 - z^2), so GELU' has its minimum -0.1289 at z = -sqrt 2 and its
    maximum 1.1289 at z = +sqrt 2: unlike the other slopes here, it leaves [0, 1].
    """
    return _d_gelu(_z(z), one_of(approximate, ("none", "tanh"), "approximate"))


def _shifted_logits(z, temperature, axis):
    """(z - max z) / T along ``axis``, validated: every entry <= 0, the largest exactly 0."""
    t = positive(temperature, "temperature")
    z = as_array(z, "z")
    if z.ndim == 0 or z.size == 0:
        raise ValueError(f"z must hold at least one logit along an axis, got shape {z.shape}")
    axis = integer(axis, "axis")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis must be in {-z.ndim}..{z.ndim - 1} for z of shape {z.shape}, got {axis}")
    with np.errstate(over="ignore"):  # z - max(z) may overflow to -inf, whose exp is the right 0
        # Subtracting before dividing keeps z / T finite for any T > 0 (1e300 / 1e-10 would be inf - inf).
        return (z - np.max(z, axis=axis, keepdims=True)) / t, axis


def softmax(z, temperature=1.0, axis=-1):
    """softmax(z / T) along ``axis``; the max is subtracted first, so large logits do not overflow.

    z: finite array of any shape; returns probabilities of the same shape that sum to 1 along ``axis``.
    """
    s, axis = _shifted_logits(z, temperature, axis)
    e = np.exp(s)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z, temperature=1.0, axis=-1):
    """log softmax(z / T) along ``axis``: s - log sum exp(s) with s = (z - max z) / T.

    Finite where softmax underflows to 0 and log(softmax(z)) would be -inf, as PyTorch's log_softmax
    (which CrossEntropyLoss uses). z: finite array of any shape; returns its shape.
    """
    s, axis = _shifted_logits(z, temperature, axis)
    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


def argmax_onehot(z):
    """The limit of softmax(z / T) as T -> 0: one-hot at the maximum, shared equally by tied maxima.  (K,) -> (K,)."""
    z = as_array(z, "z", ndim=1)
    if z.size == 0:
        raise ValueError("z must hold at least one logit, got shape (0,)")
    top = (z == np.max(z)).astype(np.float64)
    return top / top.sum()


def softmax_jacobian(p):
    """d softmax(z) / dz = diag(p) - p p^T for a probability vector p of shape (K,); returns (K, K)."""
    p = as_array(p, "p", ndim=1)
    if p.size == 0 or np.any(p < 0) or np.any(p > 1) or abs(p.sum() - 1.0) > 1e-9 * p.size:
        raise ValueError(
            f"p must be a probability vector (entries in [0, 1] summing to 1, such as softmax(z)), "
            f"got {short(p.tolist(), 40)} summing to {p.sum():.6g}"
        )
    return np.diag(p) - np.outer(p, p)


_REGISTRY = {
    "identity": (_identity, _d_identity),
    "relu": (_relu, _d_relu),
    "leaky_relu": (_leaky_relu, _d_leaky_relu),
    "scaled_relu": (_scaled_relu, _d_scaled_relu),
    "sigmoid": (_sigmoid, _d_sigmoid),
    "tanh": (_tanh, _d_tanh),
    "softplus": (_softplus, _d_softplus),
    "gelu": (_gelu, _d_gelu),
}
ACTIVATIONS = tuple(_REGISTRY)
_PUBLIC = {name: globals()[name] for name in ACTIVATIONS}


@dataclass(frozen=True)
class Activation:
    """An element-wise activation with its derivative: ``act(z)`` and ``act.deriv(z)``.

    ``name`` is a key of :data:`ACTIVATIONS` and ``params`` its keyword arguments, so that
    :mod:`helpers.symbolic` can rebuild the same function in sympy. Both are checked when the
    object is made, so a bad name or parameter fails here and not at the first forward pass.
    ``act(z)`` takes a float64 array (the network's own arrays) and does not validate it again.
    """

    name: str
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        one_of(self.name, ACTIVATIONS, "activation")
        if not isinstance(self.params, dict):
            raise TypeError(f"params must be a dict of keyword arguments, got {type(self.params).__name__}")
        try:
            _PUBLIC[self.name](np.zeros(1), **self.params)
        except TypeError as exc:
            raise TypeError(f"activation {self.name!r} does not take the parameters {self.params}: {exc}") from None

    def __call__(self, z):
        return _REGISTRY[self.name][0](z, **self.params)

    def deriv(self, z):
        return _REGISTRY[self.name][1](z, **self.params)

    def __str__(self):
        args = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.name}({args})" if args else self.name


def get_activation(spec, **params) -> Activation:
    """Look up an activation by name (``'relu'``, ``'scaled_relu'``, ...) with optional parameters.

    ``spec`` may also be an :class:`Activation`, returned unchanged.
    Examples: ``get_activation('scaled_relu', scale=5)``, ``get_activation('leaky_relu', negative_slope=0.1)``.
    """
    if isinstance(spec, Activation):
        return spec
    if not isinstance(spec, str):
        raise TypeError(f"activation must be a name or an Activation, got {type(spec).__name__}")
    return Activation(spec, dict(params))
