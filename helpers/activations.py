"""Element-wise activations and their derivatives, float64 and stable at extreme inputs.

One record per activation, :class:`Definition`: its function, its derivative and its sympy
expression side by side (as micrograd writes each op's backward beside its forward), its
parameters with their defaults, the slope PyTorch takes at a kink, and its display name. Everything
else reads the record: :class:`Activation` (a definition with its parameter values, what a network
layer holds), the sympy oracle (:mod:`helpers.symbolic`), the figure and the explorer of problem
1.5(c) (:mod:`helpers.plotting`, :mod:`helpers.widgets`) and the tests. Adding an activation is
adding its record to :data:`ACTIVATIONS` (CONTRIBUTING.md, "Add an activation").

Shapes: every function maps ``z`` (a number or an array of any shape) to a new float64 array of
the same shape. Real numbers only: text, booleans and complex numbers raise a TypeError naming
``z``. NaN propagates (relu(nan) and relu'(nan) are nan) and the limits at +-inf are exact.
Conventions follow PyTorch: ReLU'(0) = 0, LeakyReLU'(0) = negative_slope, Softplus switches to
the identity above ``threshold``, GELU is the exact erf form unless ``approximate='tanh'``.

The public functions (``relu(z)``, ``d_relu(z)``, ...) validate ``z`` and the parameters; an
:class:`Activation` validates its parameters once, when it is made, and then calls the kernels
directly, since a network validates its input once per forward pass.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from helpers._validate import as_array, integer, one_of, positive, real, short

_erfc = np.vectorize(math.erfc, otypes=[np.float64])
_SQRT2 = math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_TANH_C = 0.044715


# --- parameters ----------------------------------------------------------------------------------


def _threshold(value, name):
    """A number > 0, inf allowed (Softplus's switch to the identity; inf: never switch)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"{name} must be a number > 0 (inf allowed), got {short(value, 30)}")
    return float(value)


def _approximate(value, name):
    return one_of(value, ("none", "tanh"), name)


@dataclass(frozen=True)
class Param:
    """A parameter of an activation: its default, how a value is checked, and its explorer slider.

    slider: (low, high, log scale?) for the explorer of problem 1.5(c), or None for no slider;
    label: the slider's name and how a figure's title shows the value.
    """

    default: float | str
    validate: Callable = real  # (value, name) -> the value, or raise naming ``name``
    slider: tuple | None = None
    label: str = ""


@dataclass(frozen=True)
class Definition:
    """Everything about one element-wise activation, said once.

    f(z, **params) and df(z, **params): the function and its derivative on float64 arrays, not
    validated. sympy(sp, z, **params): the same function as a sympy expression of ``z`` (the oracle
    the tests differentiate; ``sp`` is the sympy module). kink: f has no derivative at 0, and df(0) is
    the value PyTorch takes there, the left branch's slope.
    """

    name: str
    title: str
    f: Callable
    df: Callable
    sympy: Callable
    params: Mapping[str, Param] = field(default_factory=dict)
    kink: bool = False

    def check(self, params):
        """``params`` with defaults filled in, each checked; a TypeError naming any unknown one."""
        unknown = sorted(set(params) - set(self.params))
        if unknown:
            known = ", ".join(self.params) or "none"
            raise TypeError(f"activation {self.name!r} takes the parameters: {known}; got {', '.join(unknown)}")
        return {k: p.validate(params.get(k, p.default), k) for k, p in self.params.items()}


# --- the activations -------------------------------------------------------------------------------


def _leaky_relu(z, negative_slope):
    """z where z > 0, negative_slope * z elsewhere, computed only where used (elsewhere it may overflow)."""
    out = z.copy()
    rest = ~(z > 0)  # z <= 0 and NaN
    with np.errstate(over="ignore"):  # a slope > 1 sends -1e308 to -inf, as IEEE arithmetic (and PyTorch) round it
        out[rest] = negative_slope * z[rest]
    return out


def _scaled_relu(z, scale):
    with np.errstate(over="ignore"):  # 5 * 1e308 is inf, as IEEE arithmetic (and PyTorch) round it
        return scale * np.maximum(z, 0.0)


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _d_tanh(z):
    """sech^2(z) = 4 e^{-2|z|} / (1 + e^{-2|z|})^2: 1 - tanh(z)^2 rounds to 0 once tanh(z) rounds to 1 (|z| > 19)."""
    with np.errstate(over="ignore"):  # -2|z| = -inf beyond 1e308, and e^-inf = 0 is the limit
        e = np.exp(-2.0 * np.abs(z))
    return 4.0 * e / (1.0 + e) ** 2


def _softplus(z, beta, threshold):
    with np.errstate(over="ignore", invalid="ignore"):  # beta z = +-inf has the right limit; NaN stays NaN
        bz = beta * z
        return np.where(bz > threshold, z, np.logaddexp(0.0, bz) / beta)


def _d_softplus(z, beta, threshold):
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


def _gelu(z, approximate):
    """z Phi(z) = z/2 erfc(-z/sqrt 2), erfc keeping its digits far left; or z sigma(2u), the tanh form."""
    limits = (np.zeros_like, lambda x: x)
    if approximate == "tanh":
        return _finite_part(z, lambda x: x * _sigmoid(2.0 * _gelu_tanh_u(x)), *limits)
    return _finite_part(z, lambda x: 0.5 * x * _erfc(-x / _SQRT2), *limits)


def _d_gelu(z, approximate):
    """Phi(z) + z phi(z); GELU'' = phi(z)(2 - z^2), so GELU' has its minimum -0.1289 at -sqrt 2 and its
    maximum 1.1289 at +sqrt 2: unlike the other slopes here, it leaves [0, 1]."""
    if approximate == "tanh":

        def slope(x):
            s = _sigmoid(2.0 * _gelu_tanh_u(x))
            du = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_TANH_C * x**2)
            return s + x * 2.0 * s * (1.0 - s) * du

        return _finite_part(z, slope, np.zeros_like, np.ones_like)
    pdf = lambda x: np.exp(-0.5 * x**2) / math.sqrt(2.0 * math.pi)  # noqa: E731
    return _finite_part(z, lambda x: 0.5 * _erfc(-x / _SQRT2) + x * pdf(x), np.zeros_like, np.ones_like)


def _gelu_sympy(sp, z, approximate):
    if approximate == "tanh":
        return z / 2 * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (z + sp.Rational(44715, 10**6) * z**3)))
    return z / 2 * (1 + sp.erf(z / sp.sqrt(2)))


def _relu_sympy(sp, z):
    """z H(z) with H(0) = 0, so that sympy's derivative H(z) + z delta(z) is 0 at 0, as PyTorch's.

    (Heaviside rather than Piecewise: nested Piecewise makes sympy's diff slow by orders of magnitude.)
    """
    return z * sp.Heaviside(z, 0)


ACTIVATIONS = {
    d.name: d
    for d in (
        Definition(
            name="identity",
            title="identity",
            f=lambda z: z.copy(),
            df=lambda z: np.where(np.isnan(z), np.nan, 1.0),
            sympy=lambda sp, z: z,
        ),
        Definition(
            name="relu",
            title="ReLU",
            f=lambda z: np.maximum(z, 0.0),
            df=lambda z: np.heaviside(z, 0.0),  # 1 where z > 0, 0 at and below 0 (PyTorch's), NaN stays NaN
            sympy=_relu_sympy,
            kink=True,
        ),
        Definition(
            name="leaky_relu",
            title="LeakyReLU",
            f=_leaky_relu,
            df=lambda z, negative_slope: np.where(np.isnan(z), np.nan, np.where(z > 0, 1.0, negative_slope)),
            sympy=lambda sp, z, negative_slope: (
                sp.nsimplify(negative_slope) * z + (1 - sp.nsimplify(negative_slope)) * _relu_sympy(sp, z)
            ),
            params={"negative_slope": Param(0.01, slider=(0.0, 0.5, False), label="slope")},
            kink=True,
        ),
        Definition(
            name="scaled_relu",
            title="scaled ReLU",
            f=_scaled_relu,
            df=lambda z, scale: scale * np.heaviside(z, 0.0),
            sympy=lambda sp, z, scale: sp.nsimplify(scale) * _relu_sympy(sp, z),
            params={"scale": Param(5.0)},
            kink=True,
        ),
        Definition(
            name="sigmoid",
            title="sigmoid",
            f=_sigmoid,  # from e^-|z|, so it never overflows
            df=lambda z: _sigmoid(z) * _sigmoid(-z),  # unlike sigma (1 - sigma) it keeps its digits for large z
            sympy=lambda sp, z: 1 / (1 + sp.exp(-z)),
        ),
        Definition(name="tanh", title="tanh", f=np.tanh, df=_d_tanh, sympy=lambda sp, z: sp.tanh(z)),
        Definition(
            name="softplus",
            title="Softplus",
            f=_softplus,
            df=_d_softplus,
            sympy=lambda sp, z, beta, threshold: sp.log(1 + sp.exp(sp.nsimplify(beta) * z)) / sp.nsimplify(beta),
            params={
                "beta": Param(1.0, positive, slider=(0.1, 10.0, True), label="β"),
                "threshold": Param(20.0, _threshold),
            },
        ),
        Definition(
            name="gelu",
            title="GELU",
            f=_gelu,
            df=_d_gelu,
            sympy=_gelu_sympy,
            params={"approximate": Param("none", _approximate)},
        ),
    )
}


@dataclass(frozen=True)
class Activation:
    """An activation with its parameter values: ``act(z)``, ``act.deriv(z)``, ``act.expr(z)`` (sympy).

    name: a key of :data:`ACTIVATIONS`; params: its parameters (defaults filled in), checked when the
    object is made, so a bad name or parameter fails here and not at the first forward pass.
    ``act(z)`` takes a float64 array (a network's own arrays) and does not validate it again.
    """

    name: str
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        one_of(self.name, tuple(ACTIVATIONS), "activation")
        if not isinstance(self.params, dict):
            raise TypeError(f"params must be a dict of keyword arguments, got {type(self.params).__name__}")
        object.__setattr__(self, "params", ACTIVATIONS[self.name].check(self.params))

    @property
    def definition(self) -> Definition:
        return ACTIVATIONS[self.name]

    def __call__(self, z):
        return self.definition.f(z, **self.params)

    def deriv(self, z):
        return self.definition.df(z, **self.params)

    def expr(self, z):
        """This activation as a sympy expression of the sympy expression ``z`` (the smooth Softplus)."""
        import sympy as sp

        return self.definition.sympy(sp, z, **self.params)

    def __str__(self):
        changed = {k: v for k, v in self.params.items() if v != self.definition.params[k].default}
        args = ", ".join(f"{k}={v}" for k, v in changed.items())
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


def _public(name):
    """The validated functions ``name(z, **params)`` and ``d_name(z, **params)`` of an activation's record."""
    definition = ACTIVATIONS[name]
    signature = inspect.Signature(
        [inspect.Parameter("z", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [inspect.Parameter(k, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=p.default)
           for k, p in definition.params.items()]
    )  # fmt: skip

    def make(kernel, prefix, what):
        def fn(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            z = as_array(bound.arguments.pop("z"), "z", finite=False)
            return kernel(z, **definition.check(bound.arguments))

        fn.__name__ = fn.__qualname__ = prefix + name
        fn.__signature__ = signature
        fn.__doc__ = f"{what} of {definition.title}, element-wise: z (any shape) -> float64 array of its shape."
        return fn

    return make(definition.f, "", "The value"), make(definition.df, "d_", "The derivative")


# relu(z), d_relu(z), leaky_relu(z, negative_slope=0.01), d_leaky_relu(...), ...: one pair per record.
for _name in ACTIVATIONS:
    globals()[_name], globals()[f"d_{_name}"] = _public(_name)


# --- softmax: not element-wise ------------------------------------------------------------------


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
