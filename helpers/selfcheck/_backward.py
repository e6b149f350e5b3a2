"""What the backward-pass checks of notebooks 02 and 03 share: the probes, the chain that builds the right
gradients and each typical mistake's, and the verdict over the four gradients."""

from __future__ import annotations

import numpy as np

from helpers.activations import sigmoid
from helpers.selfcheck._core import (
    DIFFERS,
    SEEDS,
    SHAPE,
    Answer,
    Trial,
    answer_dict,
    combine,
    judge,
    read,
    run,
    with_message,
)

GRADIENT_KEYS = ("dJdW1", "dJdb1", "dJdW2", "dJdb2")  # as Network.grads: each shaped like its parameter
OLD_KEYS = {key.replace("dJd", "d"): key for key in GRADIENT_KEYS}  # their names before 0.2.0: dW1 for dJdW1, ...


def probe(seed, n, h, K, loss):
    """One sample and the network's parameters: x (n,), y (K,), W1 (h, n), b1 (h,), W2 (K, h), b2 (K,).

    Built so that every probe tells the typical mistakes apart: hidden pre-activations z1 of both signs
    (units 1, 3, 5 active, 2 and 4 not), outputs z3 of both signs, and for the BCE labels of both classes.
    """
    rng = np.random.default_rng(seed)
    x, W1, W2 = rng.standard_normal(n), rng.standard_normal((h, n)), rng.standard_normal((K, h))
    signs = np.where(np.arange(h) % 2 == 0, 1.0, -1.0)
    z1 = signs * rng.uniform(0.4, 1.5, h)
    b1 = z1 - W1 @ x
    z2 = 5 * np.maximum(z1, 0) if loss == "mse" else np.tanh(z1)
    z3 = np.where(np.arange(K) % 2 == 0, 1.0, -1.0) * rng.uniform(0.5, 2.0, K)
    b2 = z3 - W2 @ z2
    y = rng.standard_normal(K) if loss == "mse" else (np.arange(K) % 2 == 1).astype(float)
    return x, y, W1, b1, W2, b2


def chain(x, W1, W2, z2, f_prime, dl_dz3, into_W2=None):
    """The four gradients of one sample, each shaped like its parameter, from the chain's pieces:
    z2 and f'(z1) (h,), and dl/dz3 (K,). A typical mistake is the chain given one wrong piece; into_W2:
    what dJdW2 multiplies by in its place (z2 if None)."""
    dl_dz1 = (W2.T @ dl_dz3) * f_prime
    return {"dJdW1": np.outer(dl_dz1, x), "dJdb1": dl_dz1,
            "dJdW2": np.outer(dl_dz3, z2 if into_W2 is None else into_W2), "dJdb2": dl_dz3}  # fmt: skip


def shape_messages(key):
    """The typical wrong shape of each gradient: its transpose, the numerator-layout derivative."""
    name = key[3:]
    if name.startswith("W"):
        return {"transposed": f"that is the shape of {name}.T, the numerator-layout dl/d{name}; the gradient "
                              f"a descent step subtracts is its transpose, shaped like {name}"}  # fmt: skip
    return {}


def sum_of_squares_gradients(x, y, W1, b1, W2, b2):
    """Problem 1.2: f = 5 ReLU, g = identity, l = ||y_hat - y||^2. Returns (right, {mistake: gradients})."""
    z1 = W1 @ x + b1
    step = (z1 > 0).astype(float)
    z2 = 5 * np.maximum(z1, 0)
    dl_dy_hat = 2 * (W2 @ z2 + b2 - y)
    plain = 2 * (W2 @ (z2 / 5) + b2 - y)  # dl/dz3 of the network whose f lost its 5
    mistakes = {
        "no-5": chain(x, W1, W2, z2, step, dl_dy_hat),
        "relu-without-5": chain(x, W1, W2, z2 / 5, 5 * step, plain),
        "plain-relu": chain(x, W1, W2, z2 / 5, step, plain),
        "no-2": chain(x, W1, W2, z2, 5 * step, dl_dy_hat / 2),
        "sign": chain(x, W1, W2, z2, 5 * step, -dl_dy_hat),
        "f-for-f-prime": chain(x, W1, W2, z2, z2, dl_dy_hat),
        "mean-over-K": chain(x, W1, W2, z2, 5 * step, dl_dy_hat / len(y)),
        "no-f-prime": chain(x, W1, W2, z2, np.ones_like(z1), dl_dy_hat),
        "no-step": chain(x, W1, W2, z2, 5 * np.ones_like(z1), dl_dy_hat),
        "pre-activation": chain(x, W1, W2, z2, 5 * step, dl_dy_hat, into_W2=z1),
    }
    return chain(x, W1, W2, z2, 5 * step, dl_dy_hat), mistakes


def tanh_sigmoid_gradients(x, y, W1, b1, W2, b2):
    """Problem 1.3(a): f = tanh, g = sigma, l = ||y_hat - y||^2. Returns (right, {mistake: gradients})."""
    z1 = W1 @ x + b1
    z2 = np.tanh(z1)
    z3 = W2 @ z2 + b2
    y_hat = sigmoid(z3)
    dl_dy_hat, f_prime, g_prime = 2 * (y_hat - y), 1 - z2**2, y_hat * (1 - y_hat)
    mistakes = {
        "no-sigma-prime": chain(x, W1, W2, z2, f_prime, dl_dy_hat),
        "sigma-for-sigma-prime": chain(x, W1, W2, z2, f_prime, dl_dy_hat * y_hat),
        "relu-f-prime": chain(x, W1, W2, z2, 5.0 * (z1 > 0), dl_dy_hat * g_prime),
        "no-square": chain(x, W1, W2, z2, 1 - z2, dl_dy_hat * g_prime),
        "tanh-prime-of-z1": chain(x, W1, W2, z2, 1 - z1**2, dl_dy_hat * g_prime),
        "no-2": chain(x, W1, W2, z2, f_prime, dl_dy_hat * g_prime / 2),
        "sign": chain(x, W1, W2, z2, f_prime, -dl_dy_hat * g_prime),
        "bce-gradient": chain(x, W1, W2, z2, f_prime, y_hat - y),
        "pre-activation": chain(x, W1, W2, z2, f_prime, dl_dy_hat * g_prime, into_W2=z1),
    }
    return chain(x, W1, W2, z2, f_prime, dl_dy_hat * g_prime), mistakes


def backward_verdict(fn, name, loss, gradients, messages, probes, sizes):
    """Judge a backward pass ``fn(x, y, W1, b1, W2, b2) -> dict``: each of the four keys over the probes.

    gradients(x, y, W1, b1, W2, b2) -> (right, {mistake: gradients}); messages: {mistake: what to say}.
    A mistake is named when all four gradients are that mistake's (each mistake is a whole chain, and two
    may share a gradient: "no-5" and "no-f-prime" leave dJdW2 right); else each key says what differs.
    """
    by_key = {key: [] for key in GRADIENT_KEYS}
    for seed in SEEDS[probes]:
        x, y, W1, b1, W2, b2 = probe(seed, *sizes, loss)
        inputs = {"x": x, "y": y, "W1": W1, "b1": b1, "W2": W2, "b2": b2}
        answer = answer_dict(run(fn, name, inputs)[0], GRADIENT_KEYS, name, renamed=OLD_KEYS)
        got = {key: read(answer[key], key) for key in GRADIENT_KEYS}
        right, mistakes = gradients(x, y, W1, b1, W2, b2)
        for key in GRADIENT_KEYS:
            by_key[key].append(Trial(got[key], right[key], {m: g[key] for m, g in mistakes.items()}))
    verdicts = [judge(key, by_key[key], {}, layout_free=True, shapes=shape_messages(key)) for key in GRADIENT_KEYS]
    if all(v.ok for v in verdicts) or any(v.mistake == SHAPE for v in verdicts):
        return combine(verdicts)
    joint = [Trial(Answer(np.concatenate([np.ravel(by_key[key][i].answer.values) for key in GRADIENT_KEYS]),
                          any(by_key[key][i].answer.float32 for key in GRADIENT_KEYS)),
                   np.concatenate([np.ravel(by_key[key][i].expected) for key in GRADIENT_KEYS]),
                   {m: np.concatenate([np.ravel(by_key[key][i].mistakes[m]) for key in GRADIENT_KEYS])
                    for m in messages})
             for i in range(len(SEEDS[probes]))]  # fmt: skip
    named = judge("the gradients", joint, messages)
    if named.mistake != DIFFERS:
        wrong = [key for key, v in zip(GRADIENT_KEYS, verdicts) if not v.ok]
        return with_message(named, f"{', '.join(wrong)}: {named.message.removeprefix('the gradients: ')}")
    return combine(verdicts)
