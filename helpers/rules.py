"""Problem 1.4: the update rule w <- w + eta (y - y_hat) x of three linear models, and gradient descent
on the loss derived from each, one sample at a time.

Samples: X (N, d), labels Y (N,) in {-1, +1}. Weights: w (d,), bias b (float).
"""

from __future__ import annotations

import numpy as np

from helpers import losses

# model: (prediction from z = b + w.x, derived loss of z, learning-rate factor for descent on it)
MODELS = {
    "perceptron": (np.sign, losses.perceptron, 2.0),
    "adaline": (lambda z: z, losses.adaline, 1.0),
    "logistic": (np.tanh, losses.tanh_logistic, 1.0),
}


def rule_step(model, w, b, x, y, lr):
    """The model's update rule: w + lr (y - y_hat) x, b + lr (y - y_hat)."""
    predict = MODELS[model][0]
    err = y - predict(b + w @ x)
    return w + lr * err * x, b + lr * err


def loss_step(model, w, b, x, y, lr):
    """Gradient descent on the derived loss with rate factor * lr (2 lr for the perceptron)."""
    _, loss, factor = MODELS[model]
    _, dl_dz = loss(np.array([b + w @ x]), np.array([y]), reduction="sum")
    return w - factor * lr * dl_dz[0] * x, b - factor * lr * dl_dz[0]


def trajectories(model, X, Y, lr, epochs=1, w0=None, b0=0.0):
    """Run the rule and the loss descent side by side over the samples in order, ``epochs`` times.

    Returns two arrays of shape (epochs * N + 1, d + 1): (w, b) after each step, rule first.
    """
    w0 = np.zeros(X.shape[1]) if w0 is None else np.asarray(w0, dtype=np.float64)
    runs = []
    for step in (rule_step, loss_step):
        w, b, path = w0.copy(), float(b0), [np.append(w0, b0)]
        for _ in range(epochs):
            for x, y in zip(X, Y):
                w, b = step(model, w, b, x, y, lr)
                path.append(np.append(w, b))
        runs.append(np.array(path))
    return runs[0], runs[1]
