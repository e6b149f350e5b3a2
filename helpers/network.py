"""A fully connected network with a hand-written backward pass, in numpy float64.

:class:`Network` stacks L linear layers, each followed by an element-wise activation. For each layer,
numbered l = 1..L, with z_0 = x (N, n_0):

    z_{2l-1} = z_{2l-2} W_l^T + b_l      (the pre-activation, read with ``pre_activation(l)``)
    z_{2l}   = f_l(z_{2l-1})             (the layer's output, read with ``layer_output(l)``)

so a 2-layer network has the homework's z1, z2, z3 and y_hat = z4 = g(z3). Gradients accumulate
across ``backward`` calls until ``zero_grad()``, as in PyTorch; the update step is
:func:`helpers.training.sgd_update`. The homework's 2-layer interface is :class:`helpers.homework.MLP`.
"""

from __future__ import annotations

import numpy as np

from helpers._validate import as_array, integer, one_of, shape_is, short
from helpers.activations import get_activation
from helpers.layers import activation_backward, activation_forward, linear_backward, linear_forward

#: Weight initialisations: name -> std of W_l as a function of (n_in, n_out).
INITS = {
    "randn": lambda n_in, n_out: 1.0,  # the homework's torch.randn, biases N(0, 1) too
    "lecun": lambda n_in, n_out: np.sqrt(1.0 / n_in),  # LeCun normal; biases 0 (also below)
    "glorot": lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)),  # Glorot (Xavier) normal
    "he": lambda n_in, n_out: np.sqrt(2.0 / n_in),  # He (Kaiming) normal
}


#: The most parameters a Network may have (80 MB of float64): a typo such as 10**6 units fails at once.
MAX_PARAMETERS = 10**7


def _sizes(sizes):
    """The layer widths as a list of ints >= 1, at least two, with at most MAX_PARAMETERS parameters."""
    if not isinstance(sizes, (list, tuple, np.ndarray)):
        raise TypeError(f"sizes must be a list of layer widths such as [2, 16, 1], got {type(sizes).__name__}")
    sizes = [integer(s, f"sizes[{i}]", minimum=1) for i, s in enumerate(sizes)]
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least two layer widths (input and output), got {sizes}")
    count = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    if count > MAX_PARAMETERS:
        raise ValueError(
            f"sizes must give at most {MAX_PARAMETERS:_} parameters, got {count:_} from {short(sizes, 40)}"
        )
    return sizes


def as_network(net, name: str = "net"):
    """``net`` if it is a :class:`Network` (or an MLP), else a TypeError naming ``name``."""
    if not isinstance(net, Network):
        raise TypeError(f"{name} must be a Network or an MLP, got {type(net).__name__}")
    return net


class Network:
    """L linear layers with activations.

    sizes: [n_0, n_1, ..., n_L] (integers >= 1), so layer l maps n_{l-1} -> n_l with W{l} of shape
        (n_l, n_{l-1}) and b{l} of shape (n_l,).
    activations: L activation names or :class:`~helpers.activations.Activation` objects.
    init: a key of :data:`INITS`: 'randn' (standard normal weights and biases, the homework's),
        'lecun' (std sqrt(1/n_in)), 'glorot' (std sqrt(2/(n_in + n_out))) or 'he' (std sqrt(2/n_in)),
        biases 0 for the last three.
    seed: an integer >= 0 seeding numpy's Generator, so two networks with the same arguments are identical.

    ``parameters`` holds W1, b1, ...; ``grads`` holds dJdW1, dJdb1, ..., each the gradient of J in its
    parameter's shape (the homework skeleton's names; PyTorch's ``W1.grad``).
    """

    def __init__(self, sizes, activations, *, init="randn", seed=0):
        sizes = _sizes(sizes)
        if not isinstance(activations, (list, tuple)):
            raise TypeError(f"activations must be a list of {len(sizes) - 1} names, got {type(activations).__name__}")
        if len(activations) != len(sizes) - 1:
            raise ValueError(f"activations must have {len(sizes) - 1} entries (one per layer), got {len(activations)}")
        one_of(init, tuple(INITS), "init")
        seed = integer(seed, "seed", minimum=0)
        self.sizes = sizes
        self.activations = [get_activation(a) for a in activations]
        rng = np.random.default_rng(seed)
        self.parameters = {}
        for layer, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            self.parameters[f"W{layer}"] = INITS[init](n_in, n_out) * rng.standard_normal((n_out, n_in))
            self.parameters[f"b{layer}"] = rng.standard_normal(n_out) if init == "randn" else np.zeros(n_out)
        self.grads = {f"dJd{k}": np.zeros_like(v) for k, v in self.parameters.items()}
        self.cache = {}

    @property
    def n_layers(self) -> int:
        return len(self.activations)

    def forward(self, x):
        """x: (N, n_0) -> y_hat: (N, n_L). Keeps a copy of x and every z_k for backward."""
        return self._forward(self.as_input(x))

    def as_input(self, x):
        """x checked as this network's input: a float64 copy (N, n_0), N >= 1 (changing the caller's x later
        cannot change the gradients). A loop that runs one x many times checks it once and calls ``_forward``."""
        z = as_array(x, "x", ndim=2)
        shape_is(z, (None, self.sizes[0]), "x")
        if z.shape[0] == 0:
            raise ValueError(f"x must hold at least one sample, got shape {z.shape}")
        return z

    def _forward(self, z):
        self.cache = {"z0": z}
        for layer, act in enumerate(self.activations, start=1):
            pre = linear_forward(z, self.parameters[f"W{layer}"], self.parameters[f"b{layer}"])
            z = activation_forward(pre, act)
            self.cache[f"z{2 * layer - 1}"], self.cache[f"z{2 * layer}"] = pre, z
        return z

    def backward(self, dJdy_hat):
        """dJdy_hat: (N, n_L), the gradient of the objective at the output (the homework's name).

        Adds dJ/dW_l, dJ/db_l into ``grads``; returns dJ/dx (N, n_0).
        """
        self._need_forward("backward")
        dJdz = as_array(dJdy_hat, "dJdy_hat")
        shape_is(dJdz, self.layer_output(self.n_layers).shape, "dJdy_hat")
        return self._backward(dJdz)

    def _backward(self, dJdz):
        for layer in range(self.n_layers, 0, -1):  # the cache read directly: layer needs no check here
            dJdz = activation_backward(dJdz, self.cache[f"z{2 * layer - 1}"], self.activations[layer - 1])
            dJdz, dJdW, dJdb = linear_backward(dJdz, self.cache[f"z{2 * layer - 2}"], self.parameters[f"W{layer}"])
            self.grads[f"dJdW{layer}"] += dJdW
            self.grads[f"dJdb{layer}"] += dJdb
        return dJdz

    def zero_grad(self):
        """Zero every gradient in place (step 3 of the five); the forward cache stays for backward."""
        for g in self.grads.values():
            g.fill(0.0)

    def clear_grad_and_cache(self):
        """Zero every gradient and forget the forward cache (the homework's reset before a new batch)."""
        self.zero_grad()
        self.cache = {}

    def _need_forward(self, what):
        if "z0" not in self.cache:
            raise RuntimeError(f"{what}() needs the cache of a forward() call; call forward(x) first")

    def _layer(self, layer, lo):
        layer = integer(layer, "layer")
        if not lo <= layer <= self.n_layers:
            raise ValueError(f"layer must be a layer number in {lo}..{self.n_layers}, got {layer}")
        return layer

    def pre_activation(self, layer):
        """z_{2l-1} = z_{2l-2} W_l^T + b_l of the last forward pass for l = ``layer`` = 1..L, (N, n_l)."""
        self._need_forward("pre_activation")
        return self.cache[f"z{2 * self._layer(layer, 1) - 1}"]

    def layer_output(self, layer):
        """z_{2l} = f_l(z_{2l-1}) of the last forward pass for l = ``layer``, (N, n_l); 0 gives x, L gives y_hat."""
        self._need_forward("layer_output")
        return self.cache[f"z{2 * self._layer(layer, 0)}"]

    def activation_slopes(self):
        """f_l'(z_{2l-1}) for l = 1..L from the last forward pass: the diagonals backprop multiplies by.

        Returns a list of L arrays, the l-th of shape (N, n_l).
        """
        return [act.deriv(self.pre_activation(layer)) for layer, act in enumerate(self.activations, start=1)]

    def grad_norms(self):
        """Frobenius norm of dJ/dW_l for each layer l = 1..L, as a list of floats."""
        return [float(np.linalg.norm(self.grads[f"dJdW{layer}"])) for layer in range(1, self.n_layers + 1)]
