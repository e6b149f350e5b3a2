"""Fully connected networks with a hand-written backward pass, in numpy float64.

:class:`Network` stacks L linear layers, each followed by an element-wise activation; :class:`MLP`
is the 2-layer case with the interface of the course's homework skeleton (``mlp.py``):

    z1 = x W1^T + b1,  z2 = f(z1),  z3 = z2 W2^T + b2,  y_hat = g(z3)

Gradients accumulate across ``backward`` calls until ``clear_grad_and_cache()``, as in PyTorch.
"""

from __future__ import annotations

import numpy as np

from helpers import losses
from helpers._validate import as_array, one_of, positive, shape_is
from helpers.activations import get_activation
from helpers.layers import activation_backward, linear_backward, linear_forward

INITS = ("randn", "xavier", "he")


class Network:
    """L linear layers with activations.

    sizes: [n_0, n_1, ..., n_L], so layer l maps n_{l-1} -> n_l with W{l} of shape (n_l, n_{l-1}).
    activations: L activation names or :class:`~helpers.activations.Activation` objects.
    init: 'randn' (standard normal weights and biases, as the homework's torch.randn),
          'xavier' (std sqrt(1/n_in)) or 'he' (std sqrt(2/n_in)), biases 0.
    seed: seeds numpy's Generator, so two networks with the same arguments are identical.

    The cache holds z0 = x, then z_{2l-1} (linear output) and z_{2l} (activation output) per layer.
    """

    def __init__(self, sizes, activations, *, init="randn", seed=0):
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes must list at least two positive layer widths, got {sizes}")
        if len(activations) != len(sizes) - 1:
            raise ValueError(f"activations must have {len(sizes) - 1} entries (one per layer), got {len(activations)}")
        one_of(init, INITS, "init")
        self.sizes = sizes
        self.activations = [get_activation(a) for a in activations]
        rng = np.random.default_rng(seed)
        self.parameters = {}
        for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            std = {"randn": 1.0, "xavier": np.sqrt(1.0 / n_in), "he": np.sqrt(2.0 / n_in)}[init]
            self.parameters[f"W{l}"] = std * rng.standard_normal((n_out, n_in))
            b = rng.standard_normal(n_out) if init == "randn" else np.zeros(n_out)
            self.parameters[f"b{l}"] = b
        self.grads = {f"dJd{k}": np.zeros_like(v) for k, v in self.parameters.items()}
        self.cache = {}

    @property
    def n_layers(self) -> int:
        return len(self.activations)

    def forward(self, x):
        """x: (N, n_0) -> y_hat: (N, n_L). Stores every intermediate in ``self.cache``."""
        z = as_array(x, "x", ndim=2)
        shape_is(z, (None, self.sizes[0]), "x")
        self.cache = {"z0": z}
        for l, act in enumerate(self.activations, start=1):
            pre = linear_forward(z, self.parameters[f"W{l}"], self.parameters[f"b{l}"])
            z = act(pre)
            self.cache[f"z{2 * l - 1}"], self.cache[f"z{2 * l}"] = pre, z
        self.cache["y_hat"] = z
        return z

    def backward(self, dJdy_hat):
        """dJdy_hat: (N, n_L), the loss gradient at the output. Adds into ``self.grads``; returns dJ/dx (N, n_0)."""
        if "y_hat" not in self.cache:
            raise RuntimeError("backward() needs the cache of a forward() call; call forward(x) first")
        d = as_array(dJdy_hat, "dJdy_hat")
        shape_is(d, self.cache["y_hat"].shape, "dJdy_hat")
        for l in range(self.n_layers, 0, -1):
            d = activation_backward(d, self.cache[f"z{2 * l - 1}"], self.activations[l - 1])
            d, dW, db = linear_backward(d, self.cache[f"z{2 * l - 2}"], self.parameters[f"W{l}"])
            self.grads[f"dJdW{l}"] += dW
            self.grads[f"dJdb{l}"] += db
        return d

    def zero_grad(self):
        """Zero every gradient in place (step 3 of the five); the forward cache stays for backward."""
        for g in self.grads.values():
            g.fill(0.0)

    def clear_grad_and_cache(self):
        """Zero every gradient and forget the forward cache (the homework's reset before a new batch)."""
        self.zero_grad()
        self.cache = {}

    def step(self, lr):
        """One SGD update: theta <- theta - lr * dJ/dtheta for every parameter."""
        sgd_step(self.parameters, self.grads, lr)

    def activation_slopes(self):
        """f_l'(z_{2l-1}) for each layer l = 1..L from the last forward pass: the diagonals backprop multiplies by.

        Returns a list of L arrays, the l-th of shape (N, n_l).
        """
        if "y_hat" not in self.cache:
            raise RuntimeError("activation_slopes() needs the cache of a forward() call; call forward(x) first")
        return [act.deriv(self.cache[f"z{2 * l - 1}"]) for l, act in enumerate(self.activations, start=1)]

    def grad_norms(self):
        """Frobenius norm of dJ/dW{l} for each layer l = 1..L, as a list of floats."""
        return [float(np.linalg.norm(self.grads[f"dJdW{l}"])) for l in range(1, self.n_layers + 1)]


class MLP(Network):
    """The homework's 2-layer network: Linear(in1 -> out1), f, Linear(in2 -> out2), g.

    f_function, g_function: 'relu', 'sigmoid', 'identity', 'tanh', any other name of
    :data:`helpers.activations.ACTIVATIONS`, or an Activation such as
    ``get_activation('scaled_relu', scale=5)`` (the f = 5 ReLU of problem 1.2).
    Parameters: W1 (out1, in1), b1 (out1,), W2 (out2, in2), b2 (out2,).
    """

    def __init__(
        self,
        linear_1_in_features,
        linear_1_out_features,
        f_function,
        linear_2_in_features,
        linear_2_out_features,
        g_function,
        *,
        init="randn",
        seed=0,
    ):
        if linear_2_in_features != linear_1_out_features:
            raise ValueError(
                "linear_2_in_features must equal linear_1_out_features "
                f"({linear_1_out_features}), got {linear_2_in_features}"
            )
        sizes = [linear_1_in_features, linear_1_out_features, linear_2_out_features]
        super().__init__(sizes, [f_function, g_function], init=init, seed=seed)
        self.f_function, self.g_function = self.activations


def sgd_step(parameters, grads, lr):
    """theta <- theta - lr * grads['dJd' + name], in place, for every array in ``parameters``."""
    lr = positive(lr, "lr")
    for name, value in parameters.items():
        value -= lr * grads[f"dJd{name}"]


def mse_loss(y, y_hat):
    """The homework's MSE: mean over all N*K entries of (y_hat - y)^2. Returns (J, dJdy_hat (N, K))."""
    return losses.mse(y_hat, y, reduction="mean")


def bce_loss(y, y_hat):
    """The homework's BCE: mean over all N*K entries, y in {0, 1}. Returns (J, dJdy_hat (N, K))."""
    return losses.bce(y_hat, y, reduction="mean")
