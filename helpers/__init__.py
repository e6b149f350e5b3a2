"""backprop-notebooks helpers: the shared code of the notebooks.

``import helpers`` loads numpy only; ``helpers.symbolic`` (sympy), ``helpers.plotting`` and
``helpers.widgets`` (matplotlib, ipywidgets) load when first used.

Layers. A module imports only from its own layer and the layers above it in this list
(``tests/test_layers.py`` holds it):

    math          _validate, activations, losses, layers, network, homework
    checks        gradcheck, symbolic
    lessons       jacobians, answers, rules, linear, graph, data, training, depth
    presentation  plotting, graphdraw, textinput, widgets, display, selfcheck (a package)

Plotting modules draw every figure; widgets only wire controls to them.

One name per idea, taken from the math the notebooks write:

    x, y, y_hat     input (N, n), target (N, K), prediction (N, K); one sample: (n,), (K,)
    W1, b1, ...     weights (out, in) and biases (out,), stored as PyTorch stores them
    z1, z2, z3      Linear1's output, f's output, Linear2's output, y_hat = g(z3); in an L-layer
                    Network layer l computes z_{2l-1} (``pre_activation(l)``) and z_{2l} (``layer_output(l)``)
    l               the loss of one sample (the notebooks' ℓ)
    J               the objective: the loss reduced (mean or sum) over a batch or a dataset
    dl_dz3, dJ_dW1  ∂ℓ/∂z3, ∂J/∂W1: d<what>_d<with respect to what>
    dJdW1, dJdy_hat the same names as the homework's mlp.py skeleton spells them; used only in its
                    interface: the keys of ``Network.grads``, ``backward(dJdy_hat)``, ``mse_loss``/``bce_loss``
    loss            a function loss(y_hat=..., y=...) -> (J, dJ/dy_hat), always called with keywords
                    (:func:`helpers.losses.evaluate`), so ``losses.mse(y_hat, y)`` and the homework's
                    ``mse_loss(y, y_hat)`` both work
    lr, steps       the learning rate; the number of full-batch gradient steps
    init            'randn' (the homework's), 'lecun', 'glorot' or 'he': each named for its author
"""

from __future__ import annotations

import importlib

from helpers.homework import MLP, bce_loss, mse_loss
from helpers.network import Network

__all__ = ["MLP", "Network", "bce_loss", "mse_loss"]

_LAZY = {"symbolic", "plotting", "widgets"}


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f"helpers.{name}")
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")
