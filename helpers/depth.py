"""Problem 1.3(c): what backpropagation through many saturating layers does to the gradient, measured.

A deep stack is ``depth`` hidden layers of ``width`` units with one activation, and a sigmoid output
unit, as in problem 1.3 (g = sigma); trained on binary labels with the mean BCE.
"""

from __future__ import annotations

import numpy as np

from helpers import losses
from helpers._validate import integer, positive
from helpers.gradcheck import network_gradients
from helpers.network import Network, as_network

USUAL_INIT = {"relu": "he", "leaky_relu": "he"}  # the rest: LeCun's std sqrt(1/n_in)


def deep_stack(act, depth=8, width=32, n_in=2, gain=1.0, seed=0):
    """A Network [n_in, width x depth, 1] with ``act`` hidden units and a sigmoid output.

    Weights get the usual initialisation of ``act`` (He for ReLU-like units, LeCun's otherwise),
    then the hidden layers' weights are multiplied by ``gain``.
    """
    depth, width = integer(depth, "depth", 1), integer(width, "width", 1)
    gain = positive(gain, "gain")
    init = USUAL_INIT.get(act, "lecun")
    net = Network([n_in] + [width] * depth + [1], [act] * depth + ["sigmoid"], init=init, seed=seed)
    for layer in range(1, depth + 1):
        net.parameters[f"W{layer}"] *= gain
    return net


def layer_gradient_norms(net, x, y, loss=losses.bce):
    """||dJ/dW_l|| for l = 1..L after one fresh backward pass of J = loss(net(x), y): an array (L,)."""
    network_gradients(net, x, y, loss)
    return np.array(net.grad_norms())


def mean_slopes(net, x):
    """Mean of f_l'(z_{2l-1}) over samples and units, per hidden layer: the average factor backprop multiplies by."""
    as_network(net)
    net.forward(x)
    return np.array([slope.mean() for slope in net.activation_slopes()[:-1]])


def dead_units(net, x):
    """Per hidden layer: the fraction of outputs exactly 0, and the number of units 0 for every input (dead)."""
    net.forward(x)
    outputs = [net.layer_output(layer) for layer in range(1, net.n_layers)]
    zero_fraction = np.array([float(np.mean(h == 0)) for h in outputs])
    dead = np.array([int(np.sum(np.all(h == 0, axis=0))) for h in outputs])
    return zero_fraction, dead
