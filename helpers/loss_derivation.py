"""Problem 1.4: the update rule w <- w + lr (y - y_hat) x of three linear models, and gradient descent
on the loss derived from each, one sample at a time.

Samples: X (N, d), labels Y (N,) in {-1, +1}. Weights: w (d,), bias b (a float). z = b + w.x.
"""

from __future__ import annotations

import numpy as np

from helpers import losses
from helpers._validate import as_array, integer, labels_in, one_of, positive, real, shape_is

#: The most single-sample steps :func:`trajectories` takes (epochs * N), so a typo fails at once.
MAX_SAMPLE_STEPS = 100_000

# model: (prediction y_hat from z, derived loss of z, learning-rate factor that makes descent the rule)
MODELS = {
    "perceptron": (np.sign, losses.perceptron, 2.0),
    "adaline": (lambda z: z, losses.adaline, 1.0),
    "tanh_logistic": (np.tanh, losses.tanh_logistic, 1.0),
}


def _sample(w, b, x, y):
    w = as_array(w, "w", ndim=1)
    x = as_array(x, "x", ndim=1)
    shape_is(x, w.shape, "x")
    y = real(y, "y")
    labels_in(np.array([y]), (-1.0, 1.0), "y")
    return w, real(b, "b"), x, y


def rule_step(model, w, b, x, y, lr):
    """The model's update rule: (w + lr (y - y_hat) x, b + lr (y - y_hat)), y_hat = predict(b + w.x).

    w, x: (d,); b, y (+-1), lr > 0: numbers. Returns the new (w (d,), b).
    """
    one_of(model, tuple(MODELS), "model")
    return _rule_step(model, *_sample(w, b, x, y), positive(lr, "lr"))


def loss_step(model, w, b, x, y, lr):
    """Gradient descent on the derived loss, with rate factor * lr (2 lr for the perceptron's max(0, -yz)).

    Arguments and result as :func:`rule_step`.
    """
    one_of(model, tuple(MODELS), "model")
    return _loss_step(model, *_sample(w, b, x, y), positive(lr, "lr"))


def _rule_step(model, w, b, x, y, lr):
    predict = MODELS[model][0]
    err = y - predict(b + w @ x)
    return w + lr * err * x, b + lr * err


def _loss_step(model, w, b, x, y, lr):
    _, loss, factor = MODELS[model]
    _, dl_dz = loss(np.array([b + w @ x]), np.array([y]), reduction="sum")
    return w - factor * lr * dl_dz[0] * x, b - factor * lr * dl_dz[0]


def trajectories(model, X, Y, lr, epochs=1, w0=None, b0=0.0):
    """Run the rule and the loss descent side by side over the samples in order, ``epochs`` times.

    Returns two arrays of shape (epochs * N + 1, d + 1): (w, b) after each step, rule first.
    """
    one_of(model, tuple(MODELS), "model")
    X = as_array(X, "X", ndim=2)
    if X.size == 0:
        raise ValueError(f"X must hold at least one sample of at least one feature, got shape {X.shape}")
    Y = as_array(Y, "Y", ndim=1)
    shape_is(Y, (X.shape[0],), "Y")
    labels_in(Y, (-1.0, 1.0), "Y")
    epochs = integer(epochs, "epochs", minimum=1, maximum=max(MAX_SAMPLE_STEPS // X.shape[0], 1))
    lr = positive(lr, "lr")
    w0 = np.zeros(X.shape[1]) if w0 is None else as_array(w0, "w0", ndim=1)
    shape_is(w0, (X.shape[1],), "w0")
    runs = []
    b0 = real(b0, "b0")
    for step in (_rule_step, _loss_step):
        w, b, path = w0.copy(), b0, [np.append(w0, b0)]
        for _ in range(epochs):
            for x, y in zip(X, Y):
                w, b = step(model, w, b, x, y, lr)
                path.append(np.append(w, b))
        runs.append(np.array(path))
    return runs[0], runs[1]
