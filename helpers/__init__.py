"""backprop-notebooks helpers: the shared code of the notebooks.

``import helpers`` loads numpy only; ``helpers.symbolic`` (sympy), ``helpers.plotting`` and
``helpers.widgets`` (matplotlib, ipywidgets) load when first used.

Layers: :data:`LAYERS` lists them, most basic first; a module imports only from its own layer and the
layers before it (``tests/test_layers.py`` holds it, and that no two modules import each other).
Plotting modules draw every figure; widgets only wire controls to them.

One name per idea, taken from the math the notebooks write (:data:`VOCABULARY`; ``tests/test_vocabulary.py``
fails on a second spelling):

    x, y, y_hat     input (N, n), target (N, K), prediction (N, K); one sample: (n,), (K,)
    n, h, K, N      input size, hidden size, output size, number of samples
    W1, b1, ...     weights (out, in) and biases (out,), stored as PyTorch stores them
    z1, z2, z3      Linear1's output, f's output, Linear2's output, y_hat = g(z3); in an L-layer Network
                    layer l computes z_{2l-1} (``pre_activation(layer)``) and z_{2l} (``layer_output(layer)``)
    layer           a layer's number, 1..L (the notebooks' l); ``width`` a hidden layer's size
    ℓ               the loss of one sample (never a variable named ``l``); J the objective: the loss reduced
                    (mean or sum) over a batch or a dataset
    dJdW1, dJdx     the gradient of J *in the variable's own shape*, what a descent step subtracts
                    (PyTorch's ``W1.grad``): the homework skeleton's spelling, the keys of ``Network.grads``,
                    ``backward(dJdy_hat)``. No underscore.
    dl_dz3, dl_dW1  the numerator-layout derivative ∂ℓ/∂z3, ∂ℓ/∂W1 of one sample: d<what>_d<with respect to
                    what>, shape (size of what, size of with respect to), so ∂ℓ/∂W1 has W1ᵀ's shape.
                    With an underscore, as the fraction bar.
    loss            a function loss(y_hat=..., y=...) -> (J, dJdy_hat), always called with keywords
                    (:func:`helpers.losses.call_loss`), so ``losses.mse(y_hat, y)`` and the homework's
                    ``mse_loss(y, y_hat)`` both work
    lr, steps       the learning rate; the number of full-batch gradient steps
    init            'randn' (the homework's), 'lecun', 'glorot' or 'he': each named for its author
    Verdict         pass or fail in words (:mod:`helpers.verdict`): every check, oracle comparison and
                    exercise returns one; a Report prints titled groups of them
    check_<f>       the self-check of the exercise function ``f`` a student writes (:mod:`helpers.selfcheck`)
    verify_<what>   a comparison of the package against its oracles (:mod:`helpers.verify`)
"""

from __future__ import annotations

import importlib

from helpers.homework import MLP, bce_loss, mse_loss
from helpers.network import Network

__all__ = ["MLP", "Network", "bce_loss", "mse_loss"]

#: The package's modules by layer, most basic first.
LAYERS = {
    "math": ("_validate", "verdict", "mathtext", "activations", "losses", "layers", "network", "homework"),
    "oracles": ("gradcheck", "symbolic", "verify"),
    "lessons": (
        "data",
        "training",
        "jacobians",
        "answers",
        "depth",
        "loss_derivation",
        "linear_transformations",
        "computational_graph",
    ),
    "presentation": (
        "display",
        "textinput",
        "written",
        "plotting",
        "graphdraw",
        "widgets",
        "answer_box",
        "selfcheck",
    ),
    "deprecated": ("linear", "graph", "rules"),  # the names of three lesson modules before 0.2.0; they go in 0.3.0
}

#: For each idea with one spelling above: that spelling, and the second spellings ``tests/test_vocabulary.py``
#: refuses anywhere in the code (regular expressions).
VOCABULARY = {
    "gradient of J in the variable's own shape": (
        "dJdW1, dJdb1, dJdx, dJdy_hat",
        (r"\bdJ_d[Wbx]\d?\b", r"[\"']d[Wb]\d[\"']", r"\bgrad_[Wb]\d\b"),
    ),
    "numerator-layout derivative of one sample": ("dl_dW1, dl_dz3, dl_dy_hat", (r"\bdldW\d", r"[\"']dl/d\w+[\"']")),
    "the loss of one sample": ("no variable named l", (r"^\s*l\s*=[^=]", r"\bfor l in\b", r"^\s*l, \w+\s*=")),
}

_LAZY = {"symbolic", "plotting", "widgets"}


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f"helpers.{name}")
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")
