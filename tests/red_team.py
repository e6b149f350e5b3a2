"""The red team's catalogue of answers to the notebooks' exercises (issue 16, "a check's verdict is right
for every student").

For every exercise: right answers written differently from the reference and from each other (float32,
Python loops, another allowed layout, a list, an equivalent formula, a torch-like tensor), realistic
mistakes as a student would write them, each with the verdict it must get, and cheap tricks that must not
pass (an answer that reads the right one from the check's frame, calls of this package's own implementation
or of the check's own code, numpy or the package patched to lie, inputs changed, junk).

Each :class:`Entry` is (exercise, kind, description, function, expected): ``expected`` is "right", or the
``mistake`` id the verdict must carry (a catalogue id of the exercise's check, or one of
helpers.selfcheck._core's: "differs", "shape", "not-numbers", "raised", "changed-its-input",
"calls-the-package", "changed-a-library"), or {"practice": ..., "grading": ...} where the probes matter.

The mistakes are written here independently of the checks' own formulas (nothing is imported from the
check modules). tests/test_red_team.py runs every entry under both the practice and the grading probes.
"""

from __future__ import annotations

import builtins
import functools
import math
import sys
import types
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from helpers import activations, computational_graph, depth, gradcheck, homework, layers, linear_transformations, losses
from helpers import jacobians as jacobian_helpers
from helpers import training as training_helpers
from helpers.activations import get_activation, sigmoid
from helpers.computational_graph import Value
from helpers.homework import MLP, bce_loss, mse_loss
from helpers.linear_transformations import rotation
from helpers.network import Network
from helpers.training import sgd_update
from helpers.verdict import Verdict

RIGHT, MISTAKE, TRICK = "right", "mistake", "trick"


@dataclass(frozen=True)
class Entry:
    """One answer of the red team: the exercise's function name, what kind of answer it is, what it does,
    the function, and the verdict it must get (its mistake id, or "right")."""

    exercise: str
    kind: str
    description: str
    fn: object
    expected: object

    def expected_under(self, probes):
        return self.expected[probes] if isinstance(self.expected, dict) else self.expected


CATALOGUE: list = []


def add(exercise, kind, expected, description, fn):
    CATALOGUE.append(Entry(exercise, kind, description, fn, expected))
    return fn


def entry(exercise, kind, expected, description):
    """Decorator form of :func:`add`."""
    return lambda fn: add(exercise, kind, expected, description, fn)


# --- what the tricks and the right answers share ----------------------------------------------------------


class TorchLike:
    """What a torch tensor looks like to a check (torch is not installed here): detach(), cpu(), numpy(), float32."""

    requires_grad = True

    def __init__(self, values):
        self._values = np.array(values, dtype=np.float32)

    def detach(self):
        return self

    def cpu(self):
        return self

    def numpy(self):
        return self._values


def _numbers_in(value):
    """A right answer a trick could find in a frame's variable: an array, or the expected value of a Trial."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value
    if hasattr(value, "expected"):
        return np.asarray(value.expected)
    if isinstance(value, list) and value and hasattr(value[-1], "expected"):
        return np.asarray(value[-1].expected)
    if isinstance(value, dict):
        for item in value.values():
            found = _numbers_in(item)
            if found is not None:
                return found
    return None


class FrameReader:
    """An answer that, when it is read (numpy's __array__, float(), ==), looks for the right answer in the
    frames of its callers: the variables a check would call it, or the Trials it has made."""

    LOOK_FOR = ("expected", "right", "reference", "trials", "by_key", "moved", "returned")

    def __init__(self, shape=(3,)):
        self.shape = shape

    def _found(self):
        frame = sys._getframe(1)
        while frame is not None:
            for name in self.LOOK_FOR:
                found = _numbers_in(frame.f_locals.get(name))
                if found is not None:
                    return found
            frame = frame.f_back
        return np.zeros(self.shape)

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self._found(), dtype=dtype)

    def __float__(self):
        return float(np.ravel(self._found())[0])

    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


class Lazy:
    """An answer that computes itself only when it is read, after the student's function has returned."""

    def __init__(self, compute):
        self._compute = compute

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self._compute(), dtype=dtype)

    def __float__(self):
        return float(np.ravel(self._compute())[0])


def from_the_check(name):
    """What the check's frame, or its module, calls ``name``: a student reaching into the grader."""
    frame = sys._getframe(1)
    while frame is not None:
        if name in frame.f_locals:
            return frame.f_locals[name]
        if name in frame.f_globals and frame.f_globals.get("__name__", "").startswith("helpers.selfcheck"):
            return frame.f_globals[name]
        frame = frame.f_back
    raise LookupError(name)


def lying_numpy():
    """numpy's comparisons and abs replaced by ones that find every two arrays close (a student's trick)."""
    np.allclose = lambda *args, **kwargs: True
    np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(a, b).shape, dtype=bool)
    np.array_equal = lambda *args, **kwargs: True
    np.abs = lambda v, *args, **kwargs: np.zeros(np.shape(v))


def lying_builtins():
    """all() and any() replaced by ones that always say True; isinstance, vars and map by ones that lie too."""
    builtins.all = lambda iterable: True
    builtins.any = lambda iterable: True
    builtins.isinstance = lambda obj, kind: True
    builtins.vars = lambda *obj: {}
    builtins.map = lambda fn, *iterables: iter(())


def in_float32(fn):
    """``fn`` computed in float32: its array inputs cast to float32, each value of the dict it returns too."""

    def in_single_precision(*args):
        return {k: np.asarray(v, dtype=np.float32) for k, v in fn(*(a.astype(np.float32) for a in args)).items()}

    return in_single_precision


def _sig(z):
    return 1 / (1 + np.exp(-z))


def _garbage(*args):
    return np.full(np.shape(args[0]), 0.123)


# ==========================================================================================================
# 01 SGD steps: train_epoch (1.2a)
# ==========================================================================================================


@entry("train_epoch", RIGHT, "right", "a while loop over the batch starts, the update written out, J's as an array")
def train_epoch_while_loop(net, x, y, lr, batch_size):
    history, start = [], 0
    while start < len(x):
        xb, yb = x[start : start + batch_size], y[start : start + batch_size]
        net.zero_grad()
        J, dJdy_hat = losses.mse(y_hat=net.forward(xb), y=yb)
        net.backward(dJdy_hat)
        for name in net.parameters:
            net.parameters[name] -= lr * net.grads["dJd" + name]
        history.append(J)
        start += batch_size
    return np.array(history)


@entry("train_epoch", RIGHT, "right", "the homework's mse_loss(y, y_hat), clear_grad_and_cache, ceil batches, a tuple")
def train_epoch_homework_names(net, x, y, lr, batch_size):
    Js = ()
    for k in range(math.ceil(len(x) / batch_size)):
        batch = slice(k * batch_size, (k + 1) * batch_size)
        net.clear_grad_and_cache()
        y_hat = net.forward(x[batch])
        J, dJdy_hat = mse_loss(y[batch], y_hat)
        net.backward(dJdy_hat)
        sgd_update(net, lr)
        Js += (J,)
    return Js


@entry("train_epoch", RIGHT, "right", "a float32 network: each update rebinds the parameters in float32")
def train_epoch_float32(net, x, y, lr, batch_size):
    Js = []
    for start in range(0, len(x), batch_size):
        y_hat = net.forward(x[start : start + batch_size])
        J, dJdy_hat = losses.mse(y_hat=y_hat, y=y[start : start + batch_size])
        net.zero_grad()
        net.backward(dJdy_hat)
        for name, theta in net.parameters.items():
            net.parameters[name] = (theta - lr * net.grads[f"dJd{name}"]).astype(np.float32)
        Js.append(J)
    return np.array(Js, dtype=np.float32)


@entry("train_epoch", RIGHT, "right", "a torch-like tensor of the J's")
def train_epoch_torch_like(net, x, y, lr, batch_size):
    Js = []
    for start in range(0, len(x), batch_size):
        xb, yb = x[start : start + batch_size], y[start : start + batch_size]
        J, dJdy_hat = losses.mse(y_hat=net.forward(xb), y=yb)
        net.zero_grad()
        net.backward(dJdy_hat)
        sgd_update(net, lr)
        Js.append(J)
    return TorchLike(Js)


@entry("train_epoch", RIGHT, "right", "np.subtract(out=) for the update, a column of 0-d arrays")
def train_epoch_subtract_out(net, x, y, lr, batch_size):
    Js = []
    for start in range(0, len(x), batch_size):
        xb, yb = x[start : start + batch_size], y[start : start + batch_size]
        y_hat = net.forward(xb)
        net.zero_grad()
        J, dJdy_hat = losses.mse(y_hat=y_hat, y=yb)
        net.backward(dJdy_hat)
        for name, theta in net.parameters.items():
            np.subtract(theta, lr * net.grads[f"dJd{name}"], out=theta)
        Js.append(np.array([J]))
    return Js


@entry("train_epoch", TRICK, "calls-the-package", "gradcheck.network_gradients for steps 1-4, J's as a column")
def train_epoch_network_gradients(net, x, y, lr, batch_size):
    Js = []
    for start in range(0, len(x), batch_size):
        xb, yb = x[start : start + batch_size], y[start : start + batch_size]
        Js.append(losses.mse(net.forward(xb), yb)[0])
        grads = gradcheck.network_gradients(net, xb, yb, losses.mse)
        for name in net.parameters:
            net.parameters[name] -= lr * grads["dJd" + name]
    return np.array(Js)[:, None]


def _epoch_as_written(zero="each batch", update="subtract", rate=None, batches="all", data="batch", reduction="mean",
                      J_when="before", returns="list"):  # fmt: skip
    """A student's epoch with one slip, said in the words of the five steps."""

    def train_epoch(net, x, y, lr, batch_size):
        lr = lr if rate is None else rate(lr, batch_size)
        if batches == "all":
            starts = range(0, len(x), batch_size)
        else:  # "full": only as many whole batches as fit
            starts = range(0, (len(x) // batch_size) * batch_size, batch_size)
        if zero == "once":
            net.zero_grad()
        Js = []
        for start in starts:
            xb, yb = (x, y) if data == "whole" else (x[start : start + batch_size], y[start : start + batch_size])
            if data == "y not sliced":
                yb = y
            y_hat = net.forward(xb)
            if reduction == "swapped homework loss":
                J, dJdy_hat = mse_loss(y_hat, yb)  # the skeleton's mse_loss takes y first
            else:
                J, dJdy_hat = losses.mse(y_hat=y_hat, y=yb, reduction=reduction)
            if zero == "each batch":
                net.zero_grad()
            net.backward(dJdy_hat)
            if zero == "after backward":
                net.zero_grad()
            if update == "subtract":
                sgd_update(net, lr)
            elif update == "add":
                for name, theta in net.parameters.items():
                    theta += lr * net.grads["dJd" + name]
            if J_when == "after":
                J = losses.mse(y_hat=net.forward(xb), y=yb)[0]
            Js.append(J)
        return {"list": Js, "mean": float(np.mean(Js)), "last": Js[-1], "nothing": None}[returns]

    return train_epoch


for _description, _expected, _slip in [
    ("no net.zero_grad(): the gradients pile up", "stale-gradients", {"zero": "never"}),
    ("net.zero_grad() once, before the loop", "zeroed-once", {"zero": "once"}),
    ("net.zero_grad() after backward(): the gradients are wiped", "did-not-move", {"zero": "after backward"}),
    ("no update step", "did-not-move", {"update": "none"}),
    ("theta += lr * grad", "uphill", {"update": "add"}),
    ("the homework's mse_loss(y_hat, y) with its arguments swapped", "uphill",
     {"reduction": "swapped homework loss"}),
    ("the notebook's learning rate 0.05 instead of lr", "lr-ignored", {"rate": lambda lr, bs: 0.05}),
    ("range(len(x) // batch_size): the last, smaller batch is dropped", "last-batch-dropped", {"batches": "full"}),
    ("forward and loss on the whole dataset at each step", "whole-dataset", {"data": "whole"}),
    ("losses.mse(..., reduction='sum')", "sum-reduction", {"reduction": "sum"}),
    ("returns the J after each update", "J-after-update", {"J_when": "after"}),
    ("returns the mean of the J's", "shape", {"returns": "mean"}),
    ("returns the last J only", "shape", {"returns": "last"}),
    ("forgets to return the J's", "not-numbers", {"returns": "nothing"}),
    ("slices x but not y", "raised", {"data": "y not sliced"}),
    ("divides lr by the batch size", "differs", {"rate": lambda lr, bs: lr / bs}),
]:  # fmt: skip
    add("train_epoch", MISTAKE, _expected, _description, _epoch_as_written(**_slip))


@entry("train_epoch", MISTAKE, "array-split", "np.array_split into ceil(N / batch_size) batches")
def train_epoch_array_split(net, x, y, lr, batch_size):
    n_batches = math.ceil(len(x) / batch_size)
    Js = []
    for xb, yb in zip(np.array_split(x, n_batches), np.array_split(y, n_batches)):
        J, dJdy_hat = losses.mse(y_hat=net.forward(xb), y=yb)
        net.zero_grad()
        net.backward(dJdy_hat)
        sgd_update(net, lr)
        Js.append(J)
    return Js


@entry("train_epoch", MISTAKE, "differs", "shuffles the samples first, as a DataLoader would")
def train_epoch_shuffled(net, x, y, lr, batch_size):
    order = np.random.default_rng(0).permutation(len(x))
    x, y = x[order], y[order]
    Js = []
    for start in range(0, len(x), batch_size):
        J, dJdy_hat = losses.mse(y_hat=net.forward(x[start : start + batch_size]), y=y[start : start + batch_size])
        net.zero_grad()
        net.backward(dJdy_hat)
        sgd_update(net, lr)
        Js.append(J)
    return Js


@entry("train_epoch", MISTAKE, "changed-its-input", "centres x in place before training")
def train_epoch_centres_x(net, x, y, lr, batch_size):
    x -= x.mean(axis=0)
    return _epoch_as_written()(net, x, y, lr, batch_size)


@entry("train_epoch", TRICK, "calls-the-package", "training.five_steps on each batch")
def train_epoch_five_steps(net, x, y, lr, batch_size):
    return [training_helpers.five_steps(net, x[s : s + batch_size], y[s : s + batch_size], losses.mse, lr)
            for s in range(0, len(x), batch_size)]  # fmt: skip


@entry("train_epoch", TRICK, "calls-the-package", "training.train for one step on each batch")
def train_epoch_train(net, x, y, lr, batch_size):
    return [training_helpers.train(net, x[s : s + batch_size], y[s : s + batch_size], losses.mse, lr, 1)[0]
            for s in range(0, len(x), batch_size)]  # fmt: skip


@entry("train_epoch", TRICK, "calls-the-package", "the check's own epoch, taken from its module through the frames")
def train_epoch_the_checks_own(net, x, y, lr, batch_size):
    return from_the_check("_epoch")(net, x, y, lr, batch_size)


@entry("train_epoch", TRICK, "changed-a-library", "replaces helpers.training.sgd_update by a no-op, then does nothing")
def train_epoch_patches_sgd_update(net, x, y, lr, batch_size):
    training_helpers.sgd_update = lambda net, lr: None
    return [losses.mse(net.forward(x[s : s + batch_size]), y[s : s + batch_size])[0]
            for s in range(0, len(x), batch_size)]  # fmt: skip


@entry("train_epoch", TRICK, "changed-a-library", "replaces Network.zero_grad by a no-op, then never zeroes")
def train_epoch_patches_zero_grad(net, x, y, lr, batch_size):
    Network.zero_grad = lambda self: None
    return _epoch_as_written(zero="never")(net, x, y, lr, batch_size)


add("train_epoch", TRICK, "did-not-move", "J's that look for the right ones in the check's frames",
    lambda net, x, y, lr, batch_size: FrameReader((3,)))  # fmt: skip
add("train_epoch", TRICK, "did-not-move", "a constant: [0.0]", lambda net, x, y, lr, batch_size: [0.0])
add("train_epoch", TRICK, "not-numbers", "a string", lambda net, x, y, lr, batch_size: "done")


@entry("train_epoch", TRICK, "changed-a-library", "numpy's comparisons patched to lie, then no training")
def train_epoch_lying_numpy(net, x, y, lr, batch_size):
    lying_numpy()
    return [0.0, 0.0, 0.0]


# ==========================================================================================================
# 01 SGD steps: objective_gradient (1.5e)
# ==========================================================================================================

add("objective_gradient", RIGHT, "right", "np.subtract times 2 / N",
    lambda y_hat, y: np.subtract(y_hat, y) * (2.0 / y.shape[0]))  # fmt: skip


@entry("objective_gradient", RIGHT, "right", "Python loops, a list of lists")
def objective_gradient_loops(y_hat, y):
    n = len(y)
    return [[2 * (y_hat[i][k] - y[i][k]) / n for k in range(len(y[i]))] for i in range(n)]


add("objective_gradient", RIGHT, "right", "float32", lambda y_hat, y: (2 * (y_hat - y) / len(y)).astype(np.float32))
add("objective_gradient", RIGHT, "right", "a torch-like tensor", lambda y_hat, y: TorchLike(2 * (y_hat - y) / len(y)))
add("objective_gradient", RIGHT, "right", "one row per sample, stacked",
    lambda y_hat, y: np.stack([2 * (y_hat[i] - y[i]) for i in range(len(y))]) / len(y))  # fmt: skip

for _description, _expected, _fn in [
    ("no factor 2", "no-2", lambda y_hat, y: (y_hat - y) / len(y)),
    ("divided by y.size, PyTorch's mean", "mean-over-NK", lambda y_hat, y: 2 * (y_hat - y) / y.size),
    ("divided by K = y.shape[1]", "mean-over-K", lambda y_hat, y: 2 * (y_hat - y) / y.shape[1]),
    ("no 1/N", "no-1/N", lambda y_hat, y: 2 * (y_hat - y)),
    ("2 (y - y_hat) / N", "sign", lambda y_hat, y: 2 * (y - y_hat) / len(y)),
    ("summed over the samples", "summed-over-samples", lambda y_hat, y: np.sum(2 * (y_hat - y) / len(y), axis=0)),
    ("the mean of the rows of 2 (y_hat - y)", "summed-over-samples", lambda y_hat, y: np.mean(2 * (y_hat - y), axis=0)),
    ("transposed: (K, N)", "shape", lambda y_hat, y: (2 * (y_hat - y) / len(y)).T),
    ("J itself, a number", "shape", lambda y_hat, y: np.mean(np.sum((y_hat - y) ** 2, axis=1))),
    ("each row summed: (N,)", "shape", lambda y_hat, y: 2 * (y_hat - y).sum(axis=1) / len(y)),
    ("the squared errors over N, not their derivative", "squared-error", lambda y_hat, y: (y_hat - y) ** 2 / len(y)),
]:
    add("objective_gradient", MISTAKE, _expected, _description, _fn)


@entry("objective_gradient", MISTAKE, "changed-its-input", "y_hat -= y in place")
def objective_gradient_in_place(y_hat, y):
    y_hat -= y
    return 2 * y_hat / len(y)


add("objective_gradient", TRICK, "calls-the-package", "losses.mse(reduction='none') over N",
    lambda y_hat, y: losses.mse(y_hat, y, reduction="none")[1] / len(y))  # fmt: skip
add("objective_gradient", TRICK, "calls-the-package", "the homework's mse_loss times K",
    lambda y_hat, y: homework.mse_loss(y, y_hat)[1] * y.shape[1])  # fmt: skip
add("objective_gradient", TRICK, "calls-the-package", "a lazy answer that calls losses.mse when it is read",
    lambda y_hat, y: Lazy(lambda: losses.mse(y_hat, y, reduction="none")[1] / len(y)))  # fmt: skip
add("objective_gradient", TRICK, "calls-the-package", "the package's finite differences of J",
    lambda y_hat, y: gradcheck.numerical_gradient(lambda: np.mean(np.sum((y_hat - y) ** 2, axis=1)), y_hat))  # fmt: skip # noqa: E501
add("objective_gradient", TRICK, "shape", "an answer that looks for the right one in the check's frames",
    lambda y_hat, y: FrameReader((2, 2)))  # fmt: skip


def _practice_objective_answers():
    """The right answers on the practice probes, computed as a student who read the check's source would."""
    table = {}
    for seed, (n, k) in zip((0, 1, 2), ((5, 3), (4, 6), (3, 4))):
        rng = np.random.default_rng(seed)
        y_hat, y = rng.standard_normal((n, k)), rng.standard_normal((n, k))
        table[(n, k)] = 2 * (y_hat - y) / n
    return table


_OBJECTIVE_TABLE = _practice_objective_answers()
add("objective_gradient", TRICK, {"practice": "right", "grading": "differs"},
    "the practice probes' answers, hard-coded by shape", lambda y_hat, y: _OBJECTIVE_TABLE[y.shape])  # fmt: skip


@entry("objective_gradient", TRICK, "changed-a-library", "numpy's comparisons patched to lie, then garbage")
def objective_gradient_lying_numpy(y_hat, y):
    lying_numpy()
    return _garbage(y_hat)


@entry("objective_gradient", TRICK, "changed-a-library", "builtins.all, isinstance, vars, map patched, then zeros")
def objective_gradient_lying_all(y_hat, y):
    lying_builtins()
    return np.zeros_like(y_hat)


@entry("objective_gradient", TRICK, "changed-a-library", "the grader's own comparison replaced, then zeros")
def objective_gradient_replaces_the_judge(y_hat, y):
    import helpers.selfcheck._core as grader

    grader._close = lambda *args: True
    return np.zeros_like(y_hat)


@entry("objective_gradient", TRICK, "raised", "the grading probes made the practice ones")
def objective_gradient_changes_the_seeds(y_hat, y):
    import helpers.selfcheck._core as grader

    grader.SEEDS["grading"] = grader.SEEDS["practice"]
    return _OBJECTIVE_TABLE[y.shape]


add("objective_gradient", TRICK, "differs", "a constant array of zeros", lambda y_hat, y: np.zeros_like(y_hat))
add("objective_gradient", TRICK, "not-numbers", "None", lambda y_hat, y: None)
add("objective_gradient", TRICK, "shape", "a short list", lambda y_hat, y: [1.0, 2.0])
add("objective_gradient", TRICK, "not-numbers", "a string", lambda y_hat, y: "2 (y_hat - y) / N")


# ==========================================================================================================
# 02 regression backprop: forward_one_sample (1.2b), backward_one_sample (1.2c), jacobians (1.2d)
# ==========================================================================================================

add("forward_one_sample", RIGHT, "right", "np.where for 5 ReLU, np.dot",
    lambda x, W1, b1, W2, b2: np.dot(W2, np.where(W1 @ x + b1 > 0, 5 * (W1 @ x + b1), 0.0)) + b2)  # fmt: skip


@entry("forward_one_sample", RIGHT, "right", "Python loops over the units")
def forward_loops(x, W1, b1, W2, b2):
    z2 = []
    for j in range(len(b1)):
        z1_j = b1[j] + sum(W1[j][i] * x[i] for i in range(len(x)))
        z2.append(5 * z1_j if z1_j > 0 else 0.0)
    return [b2[k] + sum(W2[k][j] * z2[j] for j in range(len(z2))) for k in range(len(b2))]


add("forward_one_sample", RIGHT, "right", "a column (K, 1)",
    lambda x, W1, b1, W2, b2: (W2 @ (5 * np.maximum(W1 @ x + b1, 0)) + b2).reshape(-1, 1))  # fmt: skip
add("forward_one_sample", RIGHT, "right", "in float32",
    lambda x, W1, b1, W2, b2: W2.astype(np.float32) @ np.maximum(5 * (W1.astype(np.float32) @ x.astype(np.float32)
                                                                      + b1.astype(np.float32)), 0) + b2.astype(np.float32))  # fmt: skip # noqa: E501
add("forward_one_sample", RIGHT, "right", "a torch-like tensor, ReLU as (z + |z|) / 2",
    lambda x, W1, b1, W2, b2: TorchLike(W2 @ (2.5 * ((W1 @ x + b1) + np.abs(W1 @ x + b1))) + b2))  # fmt: skip
add("forward_one_sample", RIGHT, "right", "row-vector convention x @ W1.T",
    lambda x, W1, b1, W2, b2: np.maximum(x @ W1.T + b1, 0) * 5 @ W2.T + b2)  # fmt: skip

for _description, _expected, _fn in [
    ("ReLU without the 5", "no-5", lambda x, W1, b1, W2, b2: W2 @ np.maximum(W1 @ x + b1, 0) + b2),
    ("no ReLU", "no-relu", lambda x, W1, b1, W2, b2: W2 @ (5 * (W1 @ x + b1)) + b2),
    ("no b1", "no-b1", lambda x, W1, b1, W2, b2: W2 @ (5 * np.maximum(W1 @ x, 0)) + b2),
    ("no b2", "no-b2", lambda x, W1, b1, W2, b2: W2 @ (5 * np.maximum(W1 @ x + b1, 0))),
    ("a ReLU on the output too", "relu-on-output",
     lambda x, W1, b1, W2, b2: np.maximum(W2 @ (5 * np.maximum(W1 @ x + b1, 0)) + b2, 0)),
    ("the 5 on the output", "5-on-output", lambda x, W1, b1, W2, b2: 5 * (W2 @ np.maximum(W1 @ x + b1, 0) + b2)),
    ("b1 added after the ReLU", "bias-after-relu",
     lambda x, W1, b1, W2, b2: W2 @ (5 * np.maximum(W1 @ x, 0) + b1) + b2),
    ("returns z2, the hidden layer", "shape", lambda x, W1, b1, W2, b2: 5 * np.maximum(W1 @ x + b1, 0)),
    ("np.max instead of np.maximum", "raised", lambda x, W1, b1, W2, b2: W2 @ (5 * np.max(W1 @ x + b1, 0)) + b2),
    ("W1.T @ x", "raised", lambda x, W1, b1, W2, b2: W2 @ (5 * np.maximum(W1.T @ x + b1, 0)) + b2),
    ("a sigmoid for f", "differs", lambda x, W1, b1, W2, b2: W2 @ (5 * _sig(W1 @ x + b1)) + b2),
    ("a leaky ReLU", "differs",
     lambda x, W1, b1, W2, b2: W2 @ (5 * np.maximum(W1 @ x + b1, 0.01 * (W1 @ x + b1))) + b2),
]:  # fmt: skip
    add("forward_one_sample", MISTAKE, _expected, _description, _fn)


@entry("forward_one_sample", MISTAKE, "changed-its-input", "b1 += W1 @ x in place")
def forward_in_place(x, W1, b1, W2, b2):
    b1 += W1 @ x
    return W2 @ (5 * np.maximum(b1, 0)) + b2


def _forward_network(W1, b1, W2, b2):
    net = Network([W1.shape[1], W1.shape[0], W2.shape[0]], [get_activation("scaled_relu", scale=5), "identity"])
    net.parameters.update({"W1": W1, "b1": b1, "W2": W2, "b2": b2})
    return net


add("forward_one_sample", TRICK, "calls-the-package", "a Network with f = 5 ReLU, its forward",
    lambda x, W1, b1, W2, b2: _forward_network(W1, b1, W2, b2).forward(x[None, :])[0])  # fmt: skip
add("forward_one_sample", TRICK, "calls-the-package", "a lazy answer that calls Network.forward when it is read",
    lambda x, W1, b1, W2, b2: Lazy(lambda: _forward_network(W1, b1, W2, b2).forward(x[None, :])[0]))  # fmt: skip
add("forward_one_sample", TRICK, "shape", "an answer that looks for the right one in the check's frames",
    lambda x, W1, b1, W2, b2: FrameReader((2,)))  # fmt: skip


@entry("forward_one_sample", TRICK, "changed-a-library", "numpy.maximum patched to do nothing, and no ReLU")
def forward_patches_maximum(x, W1, b1, W2, b2):
    np.maximum = lambda a, b, *args, **kwargs: a
    return W2 @ (5 * (W1 @ x + b1)) + b2


@entry("forward_one_sample", TRICK, "changed-a-library", "numpy's comparisons patched to lie, then garbage")
def forward_lying_numpy(x, W1, b1, W2, b2):
    lying_numpy()
    return _garbage(b2)


add("forward_one_sample", TRICK, "differs", "a constant: zeros", lambda x, W1, b1, W2, b2: np.zeros(len(b2)))
add("forward_one_sample", TRICK, "not-numbers", "None", lambda x, W1, b1, W2, b2: None)
add("forward_one_sample", TRICK, "shape", "an empty list", lambda x, W1, b1, W2, b2: [])
add("forward_one_sample", TRICK, "not-numbers", "a string", lambda x, W1, b1, W2, b2: "y_hat")


def _backward_as_written(f_slope="5 step", forward_5=True, factor=2.0, sign=1.0, per_K=False, W2_input="z2",
                         layout="as parameters", keys=("dJdW1", "dJdb1", "dJdW2", "dJdb2")):  # fmt: skip
    """A student's backward pass of problem 1.2 with one slip."""

    def backward_one_sample(x, y, W1, b1, W2, b2):
        z1 = W1 @ x + b1
        z2 = (5 if forward_5 else 1) * np.maximum(z1, 0)
        y_hat = W2 @ z2 + b2
        dl_dz3 = sign * factor * (y_hat - y) / (len(y) if per_K else 1)
        slope = {"5 step": 5.0 * (z1 > 0), "step": 1.0 * (z1 > 0), "f": z2, "none": 1.0, "5": 5.0}[f_slope]
        dl_dz1 = (W2.T @ dl_dz3) * slope
        into_W2 = {"z2": z2, "z1": z1}[W2_input]
        if layout == "numerator":
            grads = [np.outer(x, dl_dz1), dl_dz1, np.outer(into_W2, dl_dz3), dl_dz3]
        else:
            grads = [np.outer(dl_dz1, x), dl_dz1, np.outer(dl_dz3, into_W2), dl_dz3]
        return dict(zip(keys, grads))

    return backward_one_sample


@entry("backward_one_sample", RIGHT, "right", "biases as columns, keys in another order")
def backward_columns(x, y, W1, b1, W2, b2):
    z1 = (W1 @ x + b1)[:, None]
    z2 = 5 * np.maximum(z1, 0)
    dl_dz3 = 2 * (W2 @ z2 + b2[:, None] - y[:, None])
    dl_dz1 = W2.T @ dl_dz3 * np.where(z1 > 0, 5.0, 0.0)
    return {"dJdb2": dl_dz3, "dJdW2": dl_dz3 @ z2.T, "dJdb1": dl_dz1, "dJdW1": dl_dz1 @ x[None, :]}


add("backward_one_sample", RIGHT, "right", "in float32", in_float32(_backward_as_written()))


@entry("backward_one_sample", RIGHT, "right", "Python loops, nested lists, and an extra key dJdx")
def backward_loops(x, y, W1, b1, W2, b2):
    h, K = len(b1), len(b2)
    z1 = [b1[j] + sum(W1[j][i] * x[i] for i in range(len(x))) for j in range(h)]
    z2 = [5 * v if v > 0 else 0.0 for v in z1]
    d3 = [2 * (b2[k] + sum(W2[k][j] * z2[j] for j in range(h)) - y[k]) for k in range(K)]
    d1 = [sum(W2[k][j] * d3[k] for k in range(K)) * (5.0 if z1[j] > 0 else 0.0) for j in range(h)]
    return {"dJdW1": [[d1[j] * x[i] for i in range(len(x))] for j in range(h)], "dJdb1": d1,
            "dJdW2": [[d3[k] * z2[j] for j in range(h)] for k in range(K)], "dJdb2": d3,
            "dJdx": [sum(W1[j][i] * d1[j] for j in range(h)) for i in range(len(x))]}  # fmt: skip


add("backward_one_sample", RIGHT, "right", "torch-like tensors",
    lambda *args: {k: TorchLike(v) for k, v in _backward_as_written()(*args).items()})  # fmt: skip


@entry("backward_one_sample", RIGHT, "right", "numerator-layout Jacobians, transposed at the end, with einsum")
def backward_numerator_then_transposed(x, y, W1, b1, W2, b2):
    z1 = W1 @ x + b1
    z2 = 5 * np.maximum(z1, 0)
    dl_dy_hat = 2 * (W2 @ z2 + b2 - y)[None, :]  # (1, K)
    dl_dz1 = dl_dy_hat @ W2 @ np.diag(5.0 * (z1 > 0))  # (1, h)
    return {"dJdW1": np.einsum("i,j->ij", dl_dz1[0], x), "dJdb1": dl_dz1.T, "dJdW2": dl_dy_hat.T @ z2[None, :],
            "dJdb2": dl_dy_hat[0]}  # fmt: skip


for _description, _expected, _slip in [
    ("f'(z1) = 1[z1 > 0], without the 5", "no-5", {"f_slope": "step"}),
    ("the 5 nowhere: z2 = ReLU(z1), f' = 1[z1 > 0]", "plain-relu", {"f_slope": "step", "forward_5": False}),
    ("z2 = ReLU(z1) in the forward, f' = 5 1[z1 > 0]", "relu-without-5", {"forward_5": False}),
    ("no factor 2", "no-2", {"factor": 1.0}),
    ("2 (y - y_hat)", "sign", {"sign": -1.0}),
    ("f(z1) = z2 where f'(z1) belongs", "f-for-f-prime", {"f_slope": "f"}),
    ("divided by K", "mean-over-K", {"per_K": True}),
    ("no f' at all: dl/dz1 = W2^T dl/dz3", "no-f-prime", {"f_slope": "none"}),
    ("f' = 5 everywhere, the step forgotten", "no-step", {"f_slope": "5"}),
    ("dJdW2 from the pre-activation z1", "pre-activation", {"W2_input": "z1"}),
    ("numerator layout: dJdW1 = x dl_dz1^T", "shape", {"layout": "numerator"}),
    ("the keys of before 0.2.0, dW1, ...", "not-numbers", {"keys": tuple("d" + p for p in ("W1", "b1", "W2", "b2"))}),
]:
    add("backward_one_sample", MISTAKE, _expected, _description, _backward_as_written(**_slip))


@entry("backward_one_sample", MISTAKE, "raised", "W2 @ dl_dz3 where W2.T belongs")
def backward_no_transpose(x, y, W1, b1, W2, b2):
    z1 = W1 @ x + b1
    dl_dz3 = 2 * (W2 @ (5 * np.maximum(z1, 0)) + b2 - y)
    dl_dz1 = (W2 @ dl_dz3) * 5 * (z1 > 0)
    return {"dJdW1": np.outer(dl_dz1, x), "dJdb1": dl_dz1, "dJdW2": np.outer(dl_dz3, z1), "dJdb2": dl_dz3}


@entry("backward_one_sample", MISTAKE, "changed-its-input", "ReLU applied in place to a view of b1")
def backward_in_place(x, y, W1, b1, W2, b2):
    b1 += W1 @ x  # z1, in b1's memory
    np.maximum(b1, 0, out=b1)
    return _backward_as_written()(x, y, W1, b1 - W1 @ x, W2, b2)


def _mlp_of(W1, b1, W2, b2, f, g):
    net = MLP(W1.shape[1], W1.shape[0], f, W1.shape[0], W2.shape[0], g)
    net.parameters.update({"W1": W1.copy(), "b1": b1.copy(), "W2": W2.copy(), "b2": b2.copy()})
    return net


@entry("backward_one_sample", TRICK, "calls-the-package", "an MLP of the package, its backward")
def backward_network(x, y, W1, b1, W2, b2):
    net = _mlp_of(W1, b1, W2, b2, get_activation("scaled_relu", scale=5), "identity")
    y_hat = net.forward(x[None, :])
    net.backward(2 * (y_hat - y[None, :]))
    return dict(net.grads)


add("backward_one_sample", TRICK, "calls-the-package", "the check's own gradients, found in its frame",
    lambda x, y, W1, b1, W2, b2: from_the_check("gradients")(x, y, W1, b1, W2, b2)[0])  # fmt: skip
add("backward_one_sample", TRICK, "shape", "answers that look for the right ones in the check's frames",
    lambda x, y, W1, b1, W2, b2: {k: FrameReader() for k in ("dJdW1", "dJdb1", "dJdW2", "dJdb2")})  # fmt: skip


add("backward_one_sample", TRICK, "calls-the-package", "the package's finite differences of an MLP",
    lambda x, y, W1, b1, W2, b2: gradcheck.numerical_network_gradients(
        _mlp_of(W1, b1, W2, b2, get_activation("scaled_relu", scale=5), "identity"), x[None], y[None],
        lambda y_hat, y: losses.mse(y_hat, y, reduction="sum")))  # fmt: skip


@entry("backward_one_sample", TRICK, "calls-the-package", "the package's layer kernels, chained by hand")
def backward_layer_kernels(x, y, W1, b1, W2, b2):
    f, g = get_activation("scaled_relu", scale=5), get_activation("identity")
    z1 = layers.linear_forward(x[None], W1, b1)
    z2 = layers.activation_forward(z1, f)
    z3 = layers.linear_forward(z2, W2, b2)
    dl_dz3 = layers.activation_backward(2 * (z3 - y[None]), z3, g)
    dl_dz2, dJdW2, dJdb2 = layers.linear_backward(dl_dz3, z2, W2)
    _, dJdW1, dJdb1 = layers.linear_backward(layers.activation_backward(dl_dz2, z1, f), x[None], W1)
    return {"dJdW1": dJdW1, "dJdb1": dJdb1, "dJdW2": dJdW2, "dJdb2": dJdb2}


@entry("backward_one_sample", TRICK, "calls-the-package", "sympy's exact gradients, by helpers.symbolic")
def backward_symbolic(x, y, W1, b1, W2, b2):
    from helpers import symbolic

    net = _mlp_of(W1, b1, W2, b2, get_activation("scaled_relu", scale=5), "identity")
    grads = symbolic.network_gradients(net, x[None], y[None], functools.partial(losses.mse, reduction="sum"))
    return {k: grads[k] for k in ("dJdW1", "dJdb1", "dJdW2", "dJdb2")}


@entry("backward_one_sample", TRICK, "changed-a-library", "numpy.outer patched to return zeros, and zeros")
def backward_patches_outer(x, y, W1, b1, W2, b2):
    np.outer = lambda a, b, *args, **kwargs: np.zeros((np.size(a), np.size(b)))
    return {"dJdW1": np.zeros_like(W1), "dJdb1": np.zeros_like(b1), "dJdW2": np.zeros_like(W2), "dJdb2": b2 * 0}


add("backward_one_sample", TRICK, "differs", "a constant: zeros of each shape",
    lambda x, y, W1, b1, W2, b2: {"dJdW1": W1 * 0, "dJdb1": b1 * 0, "dJdW2": W2 * 0, "dJdb2": b2 * 0})  # fmt: skip
add("backward_one_sample", TRICK, "not-numbers", "None", lambda *args: None)
add("backward_one_sample", TRICK, "not-numbers", "a list of the four gradients",
    lambda *args: list(_backward_as_written()(*args).values()))  # fmt: skip
add("backward_one_sample", TRICK, "not-numbers", "a string", lambda *args: "dJdW1")


def _jacobians_as_written(**slips):
    def jacobians(x, y, W1, b1, W2, b2):
        z1 = W1 @ x + b1
        y_hat = W2 @ (5 * np.maximum(z1, 0)) + b2
        answer = {"dz2_dz1": np.diag(5.0 * (z1 > 0)), "dy_hat_dz3": np.eye(len(b2)), "dl_dy_hat": 2 * (y_hat - y)[None]}
        made = {
            "diagonal": ("dz2_dz1", 5.0 * (z1 > 0)),
            "no 5": ("dz2_dz1", np.diag(1.0 * (z1 > 0))),
            "f": ("dz2_dz1", np.diag(5 * np.maximum(z1, 0))),
            "no step": ("dz2_dz1", 5 * np.eye(len(b1))),
            "column": ("dl_dy_hat", 2 * (y_hat - y)[:, None]),
            "flat": ("dl_dy_hat", 2 * (y_hat - y)),
            "no 2": ("dl_dy_hat", (y_hat - y)[None]),
            "sign": ("dl_dy_hat", 2 * (y - y_hat)[None]),
            "per K": ("dl_dy_hat", 2 * (y_hat - y)[None] / len(y)),
            "ones": ("dy_hat_dz3", np.ones((len(b2), len(b2)))),
            "number": ("dy_hat_dz3", 1.0),
            "h x h": ("dy_hat_dz3", np.eye(len(b1))),
        }
        for slip in slips:
            key, value = made[slip]
            answer[key] = value
        return answer

    return jacobians


@entry("jacobians", RIGHT, "right", "np.where, np.identity, np.atleast_2d")
def jacobians_where(x, y, W1, b1, W2, b2):
    z1 = W1 @ x + b1
    y_hat = W2 @ np.where(z1 > 0, 5 * z1, 0.0) + b2
    return {"dz2_dz1": np.diag(np.where(z1 > 0, 5.0, 0.0)), "dy_hat_dz3": np.identity(len(y)),
            "dl_dy_hat": np.atleast_2d(2 * (y_hat - y))}  # fmt: skip


add("jacobians", RIGHT, "right", "float32",
    lambda *args: {k: np.asarray(v, dtype=np.float32) for k, v in _jacobians_as_written()(*args).items()})  # fmt: skip


@entry("jacobians", RIGHT, "right", "nested lists from loops, integer entries where they are integers")
def jacobians_loops(x, y, W1, b1, W2, b2):
    h, K = len(b1), len(b2)
    z1 = [b1[j] + sum(W1[j][i] * x[i] for i in range(len(x))) for j in range(h)]
    y_hat = [b2[k] + sum(W2[k][j] * 5 * max(z1[j], 0.0) for j in range(h)) for k in range(K)]
    return {"dz2_dz1": [[5 if i == j and z1[j] > 0 else 0 for j in range(h)] for i in range(h)],
            "dy_hat_dz3": [[int(i == j) for j in range(K)] for i in range(K)],
            "dl_dy_hat": [[2 * (y_hat[k] - y[k]) for k in range(K)]]}  # fmt: skip


add("jacobians", RIGHT, "right", "torch-like tensors",
    lambda *args: {k: TorchLike(v) for k, v in _jacobians_as_written()(*args).items()})  # fmt: skip

for _description, _expected, _slip in [
    ("dz2_dz1 as the vector of its diagonal", "shape", "diagonal"),
    ("dz2_dz1 without the 5", "no-5", "no 5"),
    ("dz2_dz1 = diag(f(z1))", "f-for-f-prime", "f"),
    ("dz2_dz1 = 5 I, the step forgotten", "no-step", "no step"),
    ("dl_dy_hat as a column", "shape", "column"),
    ("dl_dy_hat 1-D", "shape", "flat"),
    ("dl_dy_hat without the 2", "no-2", "no 2"),
    ("dl_dy_hat = 2 (y - y_hat)", "sign", "sign"),
    ("dl_dy_hat divided by K", "mean-over-K", "per K"),
    ("dy_hat_dz3 all ones", "ones", "ones"),
    ("dy_hat_dz3 the number 1", "shape", "number"),
    ("dy_hat_dz3 = I_h", "shape", "h x h"),
]:
    add("jacobians", MISTAKE, _expected, _description, _jacobians_as_written(**{_slip: True}))
add("jacobians", MISTAKE, "no-5", "two slips: dz2_dz1 without the 5, dl_dy_hat with the sign flipped",
    _jacobians_as_written(**{"no 5": True, "sign": True}))  # fmt: skip
add("jacobians", MISTAKE, "not-numbers", "a tuple of the three matrices",
    lambda *args: tuple(_jacobians_as_written()(*args).values()))  # fmt: skip

add("jacobians", TRICK, "calls-the-package", "helpers.jacobians.mlp_jacobians",
    lambda x, y, W1, b1, W2, b2: jacobian_helpers.mlp_jacobians(
        _mlp_of(W1, b1, W2, b2, get_activation("scaled_relu", scale=5), "identity"), x[None], y[None],
        lambda y_hat, y: losses.mse(y_hat, y, reduction="sum")))  # fmt: skip
add("jacobians", TRICK, "shape", "answers that look for the right ones in the check's frames",
    lambda *args: {k: FrameReader() for k in ("dz2_dz1", "dy_hat_dz3", "dl_dy_hat")})  # fmt: skip


@entry("jacobians", TRICK, "changed-a-library", "numpy.eye and numpy.diag patched, then garbage")
def jacobians_patches_numpy(x, y, W1, b1, W2, b2):
    np.eye = lambda n, *args, **kwargs: np.zeros((n, n))
    np.diag = lambda v, *args, **kwargs: np.zeros((np.size(v), np.size(v)))
    return {"dz2_dz1": np.zeros((len(b1), len(b1))), "dy_hat_dz3": np.zeros((len(b2),) * 2), "dl_dy_hat": b2[None] * 0}


add("jacobians", TRICK, "not-numbers", "None", lambda *args: None)
add("jacobians", TRICK, "not-numbers", "a string", lambda *args: "I")
add("jacobians", TRICK, "shape", "a constant: the number 0 for each",
    lambda *args: {"dz2_dz1": 0.0, "dy_hat_dz3": 0.0, "dl_dy_hat": 0.0})  # fmt: skip


# ==========================================================================================================
# 03 classification backprop: backward_tanh_sigmoid (1.3a), bce_output_gradient (1.3b), gradient_norms (1.3c)
# ==========================================================================================================


def _tanh_sigmoid_as_written(g_slope="y_hat (1 - y_hat)", f_slope="1 - z2^2", factor=2.0, sign=1.0, W2_input="z2",
                             layout="as parameters"):  # fmt: skip
    def backward_tanh_sigmoid(x, y, W1, b1, W2, b2):
        z1 = W1 @ x + b1
        z2 = np.tanh(z1)
        y_hat = 1 / (1 + np.exp(-(W2 @ z2 + b2)))
        g = {"y_hat (1 - y_hat)": y_hat * (1 - y_hat), "1": 1.0, "y_hat": y_hat}.get(g_slope)
        if g_slope == "bce":
            dl_dz3 = y_hat - y
        else:
            dl_dz3 = sign * factor * (y_hat - y) * g
        slope = {"1 - z2^2": 1 - z2**2, "5 step": 5.0 * (z1 > 0), "1 - z2": 1 - z2, "1 - z1^2": 1 - z1**2,
                 "z2 (1 - z2)": z2 * (1 - z2)}[f_slope]  # fmt: skip
        dl_dz1 = (W2.T @ dl_dz3) * slope
        into_W2 = z2 if W2_input == "z2" else z1
        if layout == "numerator":
            return {"dJdW1": np.outer(x, dl_dz1), "dJdb1": dl_dz1, "dJdW2": np.outer(into_W2, dl_dz3), "dJdb2": dl_dz3}
        return {"dJdW1": np.outer(dl_dz1, x), "dJdb1": dl_dz1, "dJdW2": np.outer(dl_dz3, into_W2), "dJdb2": dl_dz3}

    return backward_tanh_sigmoid


@entry("backward_tanh_sigmoid", RIGHT, "right", "sigma as e^z / (1 + e^z), tanh' as 1 / cosh^2, columns")
def tanh_sigmoid_other_formulas(x, y, W1, b1, W2, b2):
    z1 = W1 @ x + b1
    z3 = W2 @ np.tanh(z1) + b2
    y_hat = np.exp(z3) / (1 + np.exp(z3))
    dl_dz3 = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    dl_dz1 = (W2.T @ dl_dz3) / np.cosh(z1) ** 2
    return {"dJdW1": np.outer(dl_dz1, x), "dJdb1": dl_dz1[:, None], "dJdW2": np.outer(dl_dz3, np.tanh(z1)),
            "dJdb2": dl_dz3[:, None]}  # fmt: skip


add("backward_tanh_sigmoid", RIGHT, "right", "in float32", in_float32(_tanh_sigmoid_as_written()))


@entry("backward_tanh_sigmoid", RIGHT, "right", "Python loops with math.tanh and math.exp, sigma' = sigma(z) sigma(-z)")
def tanh_sigmoid_loops(x, y, W1, b1, W2, b2):
    h, K = len(b1), len(b2)
    z2 = [math.tanh(b1[j] + sum(W1[j][i] * x[i] for i in range(len(x)))) for j in range(h)]
    z3 = [b2[k] + sum(W2[k][j] * z2[j] for j in range(h)) for k in range(K)]
    d3 = [2 * (1 / (1 + math.exp(-v)) - y[k]) / (1 + math.exp(-v)) / (1 + math.exp(v)) for k, v in enumerate(z3)]
    d1 = [sum(W2[k][j] * d3[k] for k in range(K)) * (1 - z2[j]) * (1 + z2[j]) for j in range(h)]
    return {"dJdW1": [[d1[j] * x[i] for i in range(len(x))] for j in range(h)], "dJdb1": d1,
            "dJdW2": [[d3[k] * z2[j] for j in range(h)] for k in range(K)], "dJdb2": d3}  # fmt: skip


add("backward_tanh_sigmoid", RIGHT, "right", "torch-like tensors",
    lambda *args: {k: TorchLike(v) for k, v in _tanh_sigmoid_as_written()(*args).items()})  # fmt: skip

for _description, _expected, _slip in [
    ("sigma'(z3) forgotten", "no-sigma-prime", {"g_slope": "1"}),
    ("sigma'(z3) = sigma(z3)", "sigma-for-sigma-prime", {"g_slope": "y_hat"}),
    ("f' of problem 1.2, 5 1[z1 > 0]", "relu-f-prime", {"f_slope": "5 step"}),
    ("tanh' = 1 - tanh(z1)", "no-square", {"f_slope": "1 - z2"}),
    ("tanh' = 1 - z1^2", "tanh-prime-of-z1", {"f_slope": "1 - z1^2"}),
    ("no factor 2", "no-2", {"factor": 1.0}),
    ("2 (y - y_hat)", "sign", {"sign": -1.0}),
    ("dl/dz3 = y_hat - y, the BCE's", "bce-gradient", {"g_slope": "bce"}),
    ("dJdW2 from the pre-activation z1", "pre-activation", {"W2_input": "z1"}),
    ("tanh' = tanh (1 - tanh), the sigmoid's pattern", "differs", {"f_slope": "z2 (1 - z2)"}),
    ("numerator layout", "shape", {"layout": "numerator"}),
]:
    add("backward_tanh_sigmoid", MISTAKE, _expected, _description, _tanh_sigmoid_as_written(**_slip))


@entry("backward_tanh_sigmoid", MISTAKE, "differs", "the forward of problem 1.2 kept: z2 = 5 ReLU(z1)")
def tanh_sigmoid_kept_relu(x, y, W1, b1, W2, b2):
    z1 = W1 @ x + b1
    z2 = 5 * np.maximum(z1, 0)
    y_hat = _sig(W2 @ z2 + b2)
    dl_dz3 = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    dl_dz1 = (W2.T @ dl_dz3) * (1 - np.tanh(z1) ** 2)
    return {"dJdW1": np.outer(dl_dz1, x), "dJdb1": dl_dz1, "dJdW2": np.outer(dl_dz3, z2), "dJdb2": dl_dz3}


@entry("backward_tanh_sigmoid", TRICK, "calls-the-package", "an MLP of the package with tanh and sigmoid, its backward")
def tanh_sigmoid_network(x, y, W1, b1, W2, b2):
    net = _mlp_of(W1, b1, W2, b2, "tanh", "sigmoid")
    y_hat = net.forward(x[None, :])
    net.backward(2 * (y_hat - y[None, :]))
    return net.grads


add("backward_tanh_sigmoid", TRICK, "calls-the-package", "the check's own gradients, found in its frame",
    lambda x, y, W1, b1, W2, b2: from_the_check("gradients")(x, y, W1, b1, W2, b2)[0])  # fmt: skip


@entry("backward_tanh_sigmoid", TRICK, "changed-a-library", "numpy.tanh patched to the identity")
def tanh_sigmoid_patches_tanh(x, y, W1, b1, W2, b2):
    np.tanh = lambda v, *args, **kwargs: v
    return _tanh_sigmoid_as_written()(x, y, W1, b1, W2, b2)


add("backward_tanh_sigmoid", TRICK, "shape", "answers that look for the right ones in the check's frames",
    lambda *args: {k: FrameReader() for k in ("dJdW1", "dJdb1", "dJdW2", "dJdb2")})  # fmt: skip
add("backward_tanh_sigmoid", TRICK, "not-numbers", "None", lambda *args: None)
add("backward_tanh_sigmoid", TRICK, "not-numbers", "a string", lambda *args: "sigma'")
add("backward_tanh_sigmoid", TRICK, "not-numbers", "a list", lambda *args: [0.0, 0.0, 0.0, 0.0])


add("bce_output_gradient", RIGHT, "right", "divided by len(y)", lambda y_hat, y: (y_hat - y) / len(y))


@entry("bce_output_gradient", RIGHT, "right", "the chain written out: dl/dy_hat times y_hat (1 - y_hat)")
def bce_chain(y_hat, y):
    dl_dy_hat = (-(y / y_hat) + (1 - y) / (1 - y_hat)) / y.size
    return dl_dy_hat * y_hat * (1 - y_hat)


add("bce_output_gradient", RIGHT, "right", "float32", lambda y_hat, y: ((y_hat - y) / y.size).astype(np.float32))
add("bce_output_gradient", RIGHT, "right", "a row (1, K)", lambda y_hat, y: ((y_hat - y) / y.size)[None, :])
add("bce_output_gradient", RIGHT, "right", "a Python list from a loop",
    lambda y_hat, y: [(p - t) / len(y) for p, t in zip(y_hat, y)])  # fmt: skip
add("bce_output_gradient", RIGHT, "right", "a torch-like tensor", lambda y_hat, y: TorchLike((y_hat - y) / len(y)))

for _description, _expected, _fn in [
    ("no 1/K", "no-1/K", lambda y_hat, y: y_hat - y),
    ("multiplied by sigma' again", "sigma-prime-twice", lambda y_hat, y: (y_hat - y) * y_hat * (1 - y_hat) / len(y)),
    ("(y - y_hat) / K", "sign", lambda y_hat, y: (y - y_hat) / len(y)),
    ("stopped at dl/dy_hat", "dl-dy-hat", lambda y_hat, y: (y_hat - y) / (y_hat * (1 - y_hat)) / len(y)),
    ("the squared error's dl/dz3", "mse-gradient", lambda y_hat, y: 2 * (y_hat - y) * y_hat * (1 - y_hat)),
    ("the loss itself, a number", "shape", lambda y_hat, y: -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))),
    ("1 // K, integer division: zeros", "differs", lambda y_hat, y: (y_hat - y) * (1 // len(y))),
    ("2 (y_hat - y) / K", "differs", lambda y_hat, y: 2 * (y_hat - y) / len(y)),
]:
    add("bce_output_gradient", MISTAKE, _expected, _description, _fn)


@entry("bce_output_gradient", MISTAKE, "changed-its-input", "y_hat -= y in place")
def bce_in_place(y_hat, y):
    y_hat -= y
    return y_hat / len(y)


add("bce_output_gradient", TRICK, "calls-the-package", "losses.bce's gradient times y_hat (1 - y_hat)",
    lambda y_hat, y: losses.bce(y_hat, y)[1] * y_hat * (1 - y_hat))  # fmt: skip
add("bce_output_gradient", TRICK, "calls-the-package", "losses.bce_with_logits on the logits",
    lambda y_hat, y: losses.bce_with_logits(np.log(y_hat / (1 - y_hat)), y)[1])  # fmt: skip
add("bce_output_gradient", TRICK, "calls-the-package", "the package's finite differences of the BCE in z3",
    lambda y_hat, y: gradcheck.numerical_gradient(
        lambda z: np.mean(np.logaddexp(0, z) - y * z), np.log(y_hat / (1 - y_hat))))  # fmt: skip
add("bce_output_gradient", TRICK, "calls-the-package", "a lazy answer that calls losses.bce when it is read",
    lambda y_hat, y: Lazy(lambda: losses.bce(y_hat, y)[1] * y_hat * (1 - y_hat)))  # fmt: skip
add("bce_output_gradient", TRICK, "shape", "an answer that looks for the right one in the check's frames",
    lambda y_hat, y: FrameReader((2,)))  # fmt: skip


@entry("bce_output_gradient", TRICK, "changed-a-library", "numpy's comparisons patched to lie, then garbage")
def bce_lying_numpy(y_hat, y):
    lying_numpy()
    return _garbage(y)


add("bce_output_gradient", TRICK, "differs", "a constant: zeros", lambda y_hat, y: np.zeros_like(y))
add("bce_output_gradient", TRICK, "not-numbers", "None", lambda y_hat, y: None)
add("bce_output_gradient", TRICK, "not-numbers", "a string", lambda y_hat, y: "(y_hat - y) / K")
add("bce_output_gradient", TRICK, "shape", "a short list", lambda y_hat, y: [0.1])


def _norms_as_written(zero="zero_grad", loss="bce", norm="frobenius", layers="all", order="1..L", of="gradients"):
    def gradient_norms(net, x, y):
        if zero == "zero_grad":
            net.zero_grad()
        if loss == "bce":
            J, dJdy_hat = losses.bce(y_hat=net.forward(x), y=y)
        elif loss == "mse":
            J, dJdy_hat = losses.mse(y_hat=net.forward(x), y=y)
        elif loss == "sum":
            J, dJdy_hat = losses.bce(y_hat=net.forward(x), y=y, reduction="sum")
        net.backward(dJdy_hat)
        numbers = range(1, net.n_layers + (1 if layers == "all" else 0))
        if of == "gradients":
            matrices = [net.grads[f"dJdW{layer}"] for layer in numbers]
        elif of == "weights":
            matrices = [net.parameters[f"W{layer}"] for layer in numbers]
        else:  # of every gradient, biases too
            matrices = list(net.grads.values())
        norms = [{"frobenius": np.linalg.norm(g), "squared": np.sum(g**2), "spectral": np.linalg.norm(g, 2),
                  "rms": np.sqrt(np.mean(g**2)), "max": np.max(np.abs(g))}[norm] for g in matrices]  # fmt: skip
        return norms[::-1] if order == "L..1" else norms

    return gradient_norms


@entry("gradient_norms", RIGHT, "right", "gradients zeroed by hand, np.sqrt of the sum of squares")
def norms_by_hand(net, x, y):
    for g in net.grads.values():
        g[...] = 0.0
    J, dJdy_hat = losses.bce(net.forward(x), y)
    net.backward(dJdy_hat)
    return [math.sqrt(float(np.sum(net.grads[f"dJdW{layer}"] ** 2))) for layer in range(1, net.n_layers + 1)]


@entry("gradient_norms", RIGHT, "right", "the homework's bce_loss(y, y_hat), clear_grad_and_cache, 'fro', an array")
def norms_homework(net, x, y):
    net.clear_grad_and_cache()
    J, dJdy_hat = bce_loss(y, net.forward(x))
    net.backward(dJdy_hat)
    keys = sorted((k for k in net.grads if k.startswith("dJdW")), key=lambda k: int(k[4:]))
    return np.array([np.linalg.norm(net.grads[k], "fro") for k in keys])


add("gradient_norms", RIGHT, "right", "float32 norms",
    lambda net, x, y: np.array(_norms_as_written()(net, x, y), dtype=np.float32))  # fmt: skip
add(
    "gradient_norms", RIGHT, "right", "a torch-like tensor", lambda net, x, y: TorchLike(_norms_as_written()(net, x, y))
)
add("gradient_norms", RIGHT, "right", "a column (L, 1)",
    lambda net, x, y: np.array(_norms_as_written()(net, x, y))[:, None])  # fmt: skip


@entry("gradient_norms", RIGHT, "right", "map(np.linalg.norm, ...) returned as it is")
def norms_map(net, x, y):
    net.zero_grad()
    net.backward(losses.bce(y_hat=net.forward(x), y=y)[1])
    return map(np.linalg.norm, (net.grads[f"dJdW{layer}"] for layer in range(1, net.n_layers + 1)))


@entry("gradient_norms", RIGHT, "right", "fresh zero arrays in net.grads, a list of torch-like numbers")
def norms_new_grads(net, x, y):
    net.grads = {k: np.zeros_like(v) for k, v in net.grads.items()}
    _, dJdy_hat = losses.bce(y_hat=net.forward(x), y=y)
    net.backward(dJdy_hat)
    return [TorchLike(np.linalg.norm(net.grads[f"dJdW{layer}"])) for layer in range(1, net.n_layers + 1)]


for _description, _expected, _slip in [
    ("no zero_grad: the earlier pass's gradients added in", "stale-gradients", {"zero": "no"}),
    ("listed from the output back", "reversed", {"order": "L..1"}),
    ("squared norms", "squared", {"norm": "squared"}),
    ("the norms of the weights", "weight-norms", {"of": "weights"}),
    ("the MSE as the loss", "mse", {"loss": "mse"}),
    ("np.linalg.norm(g, 2), the spectral norm", "spectral", {"norm": "spectral"}),
    ("the summed BCE", "sum-reduction", {"loss": "sum"}),
    ("the root mean square of the entries", "rms", {"norm": "rms"}),
    ("the biases' gradients too: 2L norms", "shape", {"of": "all"}),
    ("range(1, net.n_layers): the last layer left out", "shape", {"layers": "but the last"}),
    ("the largest entry, not the norm", "differs", {"norm": "max"}),
]:
    add("gradient_norms", MISTAKE, _expected, _description, _norms_as_written(**_slip))


@entry("gradient_norms", MISTAKE, "changed-its-input", "takes a descent step too")
def norms_and_a_step(net, x, y):
    norms = _norms_as_written()(net, x, y)
    sgd_update(net, 0.1)
    return norms


@entry("gradient_norms", MISTAKE, "with-logits", "losses.bce_with_logits on the sigmoid's output")
def norms_with_logits(net, x, y):
    net.zero_grad()
    _, dJdy_hat = losses.bce_with_logits(net.forward(x), y)
    net.backward(dJdy_hat)
    return [np.linalg.norm(net.grads[f"dJdW{layer}"]) for layer in range(1, net.n_layers + 1)]


add("gradient_norms", TRICK, "calls-the-package", "depth.layer_gradient_norms",
    lambda net, x, y: depth.layer_gradient_norms(net, x, y))  # fmt: skip


@entry("gradient_norms", TRICK, "calls-the-package", "its own backward, then net.grad_norms()")
def norms_grad_norms(net, x, y):
    net.zero_grad()
    net.backward(losses.bce(y_hat=net.forward(x), y=y)[1])
    return net.grad_norms()


add("gradient_norms", TRICK, "calls-the-package", "a lazy answer that calls depth.layer_gradient_norms when read",
    lambda net, x, y: Lazy(lambda: depth.layer_gradient_norms(net, x, y)))  # fmt: skip
add("gradient_norms", TRICK, "calls-the-package", "the check's own _norms, found in its module",
    lambda net, x, y: from_the_check("_norms")(net, gradcheck.network_gradients(net, x, y, losses.bce)))  # fmt: skip


@entry("gradient_norms", TRICK, "changed-a-library", "numpy.linalg.norm patched to return 1, then ones")
def norms_patches_norm(net, x, y):
    np.linalg.norm = lambda *args, **kwargs: 1.0
    return [1.0] * net.n_layers


add("gradient_norms", TRICK, "shape", "an answer that looks for the right one in the check's frames",
    lambda net, x, y: FrameReader((2,)))  # fmt: skip
add("gradient_norms", TRICK, "differs", "a constant: ones", lambda net, x, y: [1.0] * net.n_layers)
add("gradient_norms", TRICK, "not-numbers", "None", lambda net, x, y: None)
add("gradient_norms", TRICK, "not-numbers", "a string", lambda net, x, y: "norms")


# ==========================================================================================================
# 04 loss derivation: perceptron_loss, adaline_loss, tanh_logistic_gradient (1.4)
# ==========================================================================================================

for _description, _fn in [
    ("np.maximum(0, -y z), a 0-d array", lambda z, y: np.maximum(0, -y * z)),
    ("|z| - y z, twice the loss", lambda z, y: abs(z) - y * z),
    ("-(y - sign z) z, the rule's error times z", lambda z, y: -(y - np.sign(z)) * z),
    ("max(0, -y z) + 3", lambda z, y: max(0.0, -y * z) + 3),
    ("float32", lambda z, y: np.float32(max(0.0, -y * z))),
    ("a torch-like tensor", lambda z, y: TorchLike(max(0.0, -y * z))),
    ("a 1-element array, from an if", lambda z, y: np.array([-y * z if y * z < 0 else 0.0])),
    ("np.clip(-y z, 0, None)", lambda z, y: np.clip(-y * z, 0, None)),
]:
    add("perceptron_loss", RIGHT, "right", _description, _fn)

for _description, _expected, _fn in [
    ("the SVM's hinge max(0, 1 - y z)", "hinge", lambda z, y: max(0.0, 1 - y * z)),
    ("max(0, y z)", "sign", lambda z, y: max(0.0, y * z)),
    ("-y z without the max", "no-max", lambda z, y: -y * z),
    ("max(0, -z), y forgotten", "no-y", lambda z, y: max(0.0, -z)),
    ("max(0, -y z)^2", "squared", lambda z, y: max(0.0, -y * z) ** 2),
    ("min(0, y z), a negative multiple", "flipped", lambda z, y: min(0.0, y * z)),
    ("(y - sign z) z, the rule's error times z with the sign flipped", "flipped", lambda z, y: (y - np.sign(z)) * z),
    ("the 0-1 loss: 1 on a mistake", "flat", lambda z, y: float(y * z < 0)),
    ("the logistic loss log(1 + e^(-y z))", "logistic", lambda z, y: math.log1p(math.exp(-y * z))),
    ("the rule's step -y 1[y z < 0] returned, not a loss", "the-slope", lambda z, y: -y if y * z < 0 else 0.0),
    ("min(0, -y z)", "differs", lambda z, y: min(0.0, -y * z)),
    ("a list [loss, slope]", "shape", lambda z, y: [max(0.0, -y * z), -y * (y * z < 0)]),
]:
    add("perceptron_loss", MISTAKE, _expected, _description, _fn)

add("perceptron_loss", TRICK, "calls-the-package", "losses.perceptron",
    lambda z, y: losses.perceptron(np.array([z]), np.array([y]))[0])  # fmt: skip
add("perceptron_loss", TRICK, "calls-the-package", "a lazy number that calls losses.perceptron when it is read",
    lambda z, y: Lazy(lambda: losses.perceptron(np.array([z]), np.array([y]))[0]))  # fmt: skip
add("perceptron_loss", TRICK, "calls-the-package", "the check's own slope, found in its frame, times z",
    lambda z, y: float(from_the_check("right_slope")(np.array([z]), np.array([y]))[0] * z))  # fmt: skip


@entry("perceptron_loss", TRICK, "changed-a-library", "numpy's comparisons patched to lie, then z^3")
def perceptron_lying_numpy(z, y):
    lying_numpy()
    return 7.0 * z**3


add("perceptron_loss", TRICK, "flat", "an answer that looks for the right one in the check's frames",
    lambda z, y: FrameReader((1,)))  # fmt: skip
add("perceptron_loss", TRICK, "flat", "a constant", lambda z, y: 1.0)
add("perceptron_loss", TRICK, "not-numbers", "None", lambda z, y: None)
add("perceptron_loss", TRICK, "not-numbers", "a string", lambda z, y: "max(0, -y z)")
add("perceptron_loss", TRICK, "shape", "an empty list", lambda z, y: [])

for _description, _fn in [
    ("(y - z)^2, twice the loss", lambda z, y: (y - z) ** 2),
    ("(z - y)^2 / 2 + 1", lambda z, y: 0.5 * (z - y) ** 2 + 1),
    ("(1 - y z)^2 / 2, the margin form", lambda z, y: 0.5 * (1 - y * z) ** 2),
    ("float32", lambda z, y: np.float32(0.5 * (y - z) ** 2)),
    ("a torch-like tensor", lambda z, y: TorchLike(np.square(y - z) / 2)),
    ("a 1-element array, expanded", lambda z, y: np.array([(y * y - 2 * y * z + z * z) / 2])),
    ("sympy's number", lambda z, y: sp.Float(z - y) ** 2 / 2),
]:
    add("adaline_loss", RIGHT, "right", _description, _fn)

for _description, _expected, _fn in [
    ("(y - tanh z)^2", "tanh", lambda z, y: (y - np.tanh(z)) ** 2),
    ("|y - z|", "absolute", lambda z, y: abs(y - z)),
    ("-y z", "linear", lambda z, y: -y * z),
    ("(y + z)^2", "flipped-prediction", lambda z, y: (y + z) ** 2),
    ("|y - z|^3", "cubed", lambda z, y: abs(y - z) ** 3),
    ("-(y - z)^2", "flipped", lambda z, y: -((y - z) ** 2)),
    ("(y - sign z)^2, the perceptron's prediction", "flat", lambda z, y: (y - np.sign(z)) ** 2),
    ("(y - z) / 2, the square forgotten", "no-square", lambda z, y: (y - z) / 2),
    ("-(y - z) z, the perceptron's construction", "rule-times-z", lambda z, y: -(y - z) * z),
    ("z - y, the slope returned, not a loss", "the-slope", lambda z, y: z - y),
    ("(y - sigma(z))^2", "differs", lambda z, y: (y - 1 / (1 + math.exp(-z))) ** 2),
]:
    add("adaline_loss", MISTAKE, _expected, _description, _fn)

add("adaline_loss", TRICK, "calls-the-package", "losses.adaline",
    lambda z, y: losses.adaline(np.array([z]), np.array([y]))[0])  # fmt: skip
add("adaline_loss", TRICK, "calls-the-package", "the check's own slope, found in its frame, integrated",
    lambda z, y: float(from_the_check("right_slope")(np.array([z]), np.array([y]))[0] ** 2 / 2))  # fmt: skip


@entry("adaline_loss", TRICK, "changed-a-library", "numpy's comparisons patched to lie, then |z|")
def adaline_lying_numpy(z, y):
    lying_numpy()
    return abs(z)


add("adaline_loss", TRICK, "flat", "a constant", lambda z, y: 0.0)
add("adaline_loss", TRICK, "not-numbers", "None", lambda z, y: None)
add("adaline_loss", TRICK, "not-numbers", "a string", lambda z, y: "(y - z)^2 / 2")
add("adaline_loss", TRICK, "shape", "a list", lambda z, y: [z, y])

for _description, _fn in [
    ("(tanh z - y) x, x @ w", lambda w, b, x, y: (np.tanh(b + x @ w) - y) * x),
    ("-2 y sigma(-2 y z) x, the softplus form", lambda w, b, x, y: -2 * y * _sig(-2 * y * (b + w @ x)) * x),
    ("float32", lambda w, b, x, y: (-(y - np.tanh(b + w @ x)) * x).astype(np.float32)),
    ("a column", lambda w, b, x, y: (-(y - np.tanh(b + w @ x)) * x)[:, None]),
    ("a torch-like tensor", lambda w, b, x, y: TorchLike(-(y - np.tanh(b + w @ x)) * x)),
    ("a list from a loop", lambda w, b, x, y: [-(y - math.tanh(b + sum(wi * xi for wi, xi in zip(w, x)))) * xi
                                               for xi in x]),
]:  # fmt: skip
    add("tanh_logistic_gradient", RIGHT, "right", _description, _fn)


@entry("tanh_logistic_gradient", RIGHT, "right", "the chain from the log form: dl/dy_hat (1 - y_hat^2) x")
def tanh_logistic_chain(w, b, x, y):
    y_hat = np.tanh(b + w @ x)
    dl_dy_hat = -0.5 * ((1 + y) / (1 + y_hat) - (1 - y) / (1 - y_hat))
    return dl_dy_hat * (1 - y_hat**2) * x


for _description, _expected, _fn in [
    ("(y - tanh z) x", "sign", lambda w, b, x, y: (y - np.tanh(b + w @ x)) * x),
    ("an extra tanh'(z)", "extra-tanh-prime",
     lambda w, b, x, y: -(y - np.tanh(b + w @ x)) * (1 - np.tanh(b + w @ x) ** 2) * x),
    ("y_hat = sigma(z)", "sigmoid", lambda w, b, x, y: -(y - _sig(b + w @ x)) * x),
    ("-(1 - tanh z) x, for y = +1 only", "plus-1-only", lambda w, b, x, y: -(1 - np.tanh(b + w @ x)) * x),
    ("(1 + tanh z) x, for y = -1 only", "minus-1-only", lambda w, b, x, y: (1 + np.tanh(b + w @ x)) * x),
    ("no bias in z", "no-bias", lambda w, b, x, y: -(y - np.tanh(w @ x)) * x),
    ("dl/dz, a number", "shape", lambda w, b, x, y: -(y - np.tanh(b + w @ x))),
    ("-(y - tanh z) w", "w-for-x", lambda w, b, x, y: -(y - np.tanh(b + w @ x)) * w),
    ("twice the gradient: the 1/2 of the loss dropped", "no-half",
     lambda w, b, x, y: -2 * (y - np.tanh(b + w @ x)) * x),
    ("the bias's gradient appended", "shape",
     lambda w, b, x, y: np.append(-(y - np.tanh(b + w @ x)) * x, -(y - np.tanh(b + w @ x)))),
    ("y_hat = sign(z), the perceptron's", "differs", lambda w, b, x, y: -(y - np.sign(b + w @ x)) * x),
]:  # fmt: skip
    add("tanh_logistic_gradient", MISTAKE, _expected, _description, _fn)


@entry("tanh_logistic_gradient", MISTAKE, "changed-its-input", "x *= the error in place")
def tanh_logistic_in_place(w, b, x, y):
    x *= -(y - np.tanh(b + w @ x))
    return x


add("tanh_logistic_gradient", TRICK, "calls-the-package", "losses.tanh_logistic's gradient times x",
    lambda w, b, x, y: losses.tanh_logistic(np.array([b + w @ x]), np.array([y]))[1][0] * x)  # fmt: skip
add("tanh_logistic_gradient", TRICK, "calls-the-package", "the package's descent step, undone",
    lambda w, b, x, y: w - __import__("helpers").loss_derivation.loss_step("tanh_logistic", w, b, x, y, 1.0)[0])  # fmt: skip # noqa: E501


@entry("tanh_logistic_gradient", TRICK, "changed-a-library", "numpy.tanh patched to 0, then -y x")
def tanh_logistic_patches_tanh(w, b, x, y):
    np.tanh = lambda v, *args, **kwargs: np.zeros(np.shape(v))
    return -y * x


add("tanh_logistic_gradient", TRICK, "shape", "an answer that looks for the right one in the check's frames",
    lambda w, b, x, y: FrameReader((2,)))  # fmt: skip
add("tanh_logistic_gradient", TRICK, "differs", "a constant: zeros", lambda w, b, x, y: np.zeros_like(x))
add("tanh_logistic_gradient", TRICK, "not-numbers", "None", lambda w, b, x, y: None)
add("tanh_logistic_gradient", TRICK, "not-numbers", "a string", lambda w, b, x, y: "-(y - y_hat) x")
add("tanh_logistic_gradient", TRICK, "shape", "an empty list", lambda w, b, x, y: [])


# ==========================================================================================================
# 05 softargmax: my_softmax (1.5a)
# ==========================================================================================================


def _softmax_as_written(shift="row max", temperature="divide", axis=-1, keepdims=True, normalise="rows"):
    def my_softmax(z, temperature_):
        s = {"divide": z / temperature_, "multiply": z * temperature_, "none": z}[temperature]
        shifts = {
            "row max": lambda: s.max(axis=axis, keepdims=keepdims),
            "none": lambda: 0.0,
            "batch max": lambda: s.max(),
            "row mean": lambda: s.mean(axis=-1, keepdims=True),
            "row min": lambda: s.min(axis=-1, keepdims=True),
            "max of z": lambda: z.max(axis=-1, keepdims=True),
        }
        e = np.exp(s - shifts[shift]())
        if normalise == "batch":
            return e / e.sum()
        return e / e.sum(axis=axis, keepdims=keepdims)

    return my_softmax


@entry("my_softmax", RIGHT, "right", "the maximum subtracted before dividing by T")
def softmax_shift_first(z, temperature):
    e = np.exp((z - np.max(z, axis=1, keepdims=True)) / temperature)
    return e / np.sum(e, axis=1)[:, None]


@entry("my_softmax", RIGHT, "right", "Python loops with math.exp, a list of lists")
def softmax_loops(z, temperature):
    rows = []
    for row in z:
        top = max(row)
        exps = [math.exp((v - top) / temperature) for v in row]
        rows.append([e / sum(exps) for e in exps])
    return rows


add("my_softmax", RIGHT, "right", "float32", lambda z, t: _softmax_as_written()(z.astype(np.float32), np.float32(t)))
add("my_softmax", RIGHT, "right", "a torch-like tensor", lambda z, t: TorchLike(_softmax_as_written()(z, t)))


@entry("my_softmax", RIGHT, "right", "exp(s - logsumexp(s)), the log-sum-exp written out, row by row")
def softmax_logsumexp(z, temperature):
    def one(row):
        s = row / temperature
        m = s.max()
        return np.exp(s - (m + np.log(np.sum(np.exp(s - m)))))

    return np.apply_along_axis(one, -1, z)


for _description, _expected, _slip in [
    ("z * T", "times-T", {"temperature": "multiply"}),
    ("no temperature", "no-T", {"temperature": "none"}),
    ("normalised down the columns, axis 0", "columns", {"axis": 0}),
    ("no maximum subtracted", "overflow", {"shift": "none"}),
    ("the maximum of the whole batch", "batch-max", {"shift": "batch max"}),
    ("each row's mean subtracted", "mean-or-min", {"shift": "row mean"}),
    ("each row's minimum subtracted", "mean-or-min", {"shift": "row min"}),
    ("z / T minus the maximum of z, not of z / T", "overflow", {"shift": "max of z"}),
    ("divided by the sum of the whole batch", "batch-sum", {"normalise": "batch"}),
    ("no maximum subtracted, and the sum without keepdims", "overflow", {"keepdims": False, "shift": "none"}),
]:
    add("my_softmax", MISTAKE, _expected, _description, _softmax_as_written(**_slip))


@entry("my_softmax", MISTAKE, "no-keepdims", "the row maximum kept, the sum without keepdims")
def softmax_sum_without_keepdims(z, temperature):
    e = np.exp(z / temperature - np.max(z / temperature, axis=-1, keepdims=True))
    return e / e.sum(axis=-1)


@entry("my_softmax", MISTAKE, "log-softmax", "the log-probabilities")
def softmax_log(z, temperature):
    s = z / temperature
    s = s - s.max(axis=-1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


@entry("my_softmax", MISTAKE, "changed-its-input", "z -= its maximum in place")
def softmax_in_place(z, temperature):
    z -= z.max(axis=-1, keepdims=True)
    e = np.exp(z / temperature)
    return e / e.sum(axis=-1, keepdims=True)


add("my_softmax", TRICK, "calls-the-package", "helpers.activations.softmax",
    lambda z, t: activations.softmax(z, t))  # fmt: skip
add("my_softmax", TRICK, "calls-the-package", "the exponential of helpers.activations.log_softmax",
    lambda z, t: np.exp(activations.log_softmax(z, t)))  # fmt: skip
add("my_softmax", TRICK, "calls-the-package", "a lazy answer that calls helpers.activations.softmax when it is read",
    lambda z, t: Lazy(lambda: activations.softmax(z, t)))  # fmt: skip


@entry("my_softmax", TRICK, "changed-a-library", "sys.setprofile(None) to switch off the watch, then the package")
def softmax_switches_off_the_watch(z, temperature):
    sys.setprofile(None)
    return activations.softmax(z, temperature)


@entry("my_softmax", TRICK, "changed-a-library", "numpy.exp patched, then a uniform answer")
def softmax_patches_exp(z, temperature):
    np.exp = lambda v, *args, **kwargs: np.ones(np.shape(v))
    return np.full(z.shape, 1 / z.shape[-1])


add("my_softmax", TRICK, "shape", "an answer that looks for the right one in the check's frames",
    lambda z, t: FrameReader((2,)))  # fmt: skip
add("my_softmax", TRICK, "differs", "a constant: 1/K everywhere", lambda z, t: np.full(z.shape, 1 / z.shape[-1]))
add("my_softmax", TRICK, "not-numbers", "None", lambda z, t: None)
add("my_softmax", TRICK, "not-numbers", "a string", lambda z, t: "softmax")
add("my_softmax", TRICK, "shape", "a list", lambda z, t: [1 / 3, 1 / 3, 1 / 3])


# ==========================================================================================================
# 06 activation derivatives: softplus_derivative, gelu_derivative (1.5c)
# ==========================================================================================================

for _description, _fn in [
    ("e^(beta x) / (1 + e^(beta x))", lambda x, beta: np.exp(beta * x) / (1 + np.exp(beta * x))),
    ("(1 + tanh(beta x / 2)) / 2", lambda x, beta: 0.5 * (1 + np.tanh(beta * x / 2))),
    ("float32", lambda x, beta: (1 / (1 + np.exp(-beta * x))).astype(np.float32)),
    ("a column", lambda x, beta: (1 / (1 + np.exp(-beta * x)))[:, None]),
    ("math.exp in a loop, a list", lambda x, beta: [1 / (1 + math.exp(-beta * v)) for v in x]),
    ("a torch-like tensor", lambda x, beta: TorchLike(_sig(beta * x))),
    ("helpers.activations.sigmoid(beta x)", lambda x, beta: sigmoid(beta * x)),
]:
    add("softplus_derivative", RIGHT, "right", _description, _fn)

for _description, _expected, _fn in [
    ("sigma(x), beta forgotten", "no-beta", lambda x, beta: _sig(x)),
    ("beta sigma(beta x)", "extra-beta", lambda x, beta: beta * _sig(beta * x)),
    ("softplus itself", "softplus-itself", lambda x, beta: np.log1p(np.exp(beta * x)) / beta),
    ("1 / (1 + e^(beta x))", "sign", lambda x, beta: 1 / (1 + np.exp(beta * x))),
    ("sigma(x / beta)", "beta-divides", lambda x, beta: _sig(x / beta)),
    ("sigma(beta x) / beta, the chain rule's beta forgotten", "no-chain-beta", lambda x, beta: _sig(beta * x) / beta),
    ("beta sigma (1 - sigma), one derivative too many", "sigmoid-derivative",
     lambda x, beta: beta * _sig(beta * x) * (1 - _sig(beta * x))),
    ("log(1 + e^(beta x)) without the 1/beta", "differs", lambda x, beta: np.log1p(np.exp(beta * x))),
]:  # fmt: skip
    add("softplus_derivative", MISTAKE, _expected, _description, _fn)


@entry("softplus_derivative", MISTAKE, "changed-its-input", "x *= beta in place")
def softplus_in_place(x, beta):
    x *= beta
    return 1 / (1 + np.exp(-x))


add("softplus_derivative", TRICK, "calls-the-package", "helpers.activations.d_softplus",
    lambda x, beta: activations.d_softplus(x, beta=beta, threshold=np.inf))  # fmt: skip
add("softplus_derivative", TRICK, "calls-the-package", "get_activation('softplus').deriv",
    lambda x, beta: get_activation("softplus", beta=beta).deriv(x))  # fmt: skip
add("softplus_derivative", TRICK, "calls-the-package", "a lazy answer that calls d_softplus when it is read",
    lambda x, beta: Lazy(lambda: activations.d_softplus(x, beta=beta)))  # fmt: skip


@entry("softplus_derivative", TRICK, "changed-a-library", "numpy's comparisons patched to lie, then garbage")
def softplus_lying_numpy(x, beta):
    lying_numpy()
    return _garbage(x)


add("softplus_derivative", TRICK, "shape", "an answer that looks for the right one in the check's frames",
    lambda x, beta: FrameReader((2,)))  # fmt: skip
add("softplus_derivative", TRICK, "differs", "a constant: one half", lambda x, beta: np.full_like(x, 0.5))
add("softplus_derivative", TRICK, "not-numbers", "None", lambda x, beta: None)
add("softplus_derivative", TRICK, "not-numbers", "a string", lambda x, beta: "sigma(beta x)")
add("softplus_derivative", TRICK, "shape", "a list", lambda x, beta: [0.5, 0.5])


def _Phi(v):
    return 0.5 * math.erfc(-v / math.sqrt(2))


def _phi(v):
    return math.exp(-v * v / 2) / math.sqrt(2 * math.pi)


for _description, _fn in [
    ("math.erfc and math.exp in a loop", lambda x: [_Phi(v) + v * _phi(v) for v in x]),
    ("float32", lambda x: np.array([_Phi(v) + v * _phi(v) for v in x], dtype=np.float32)),
    ("a column", lambda x: np.array([_Phi(v) + v * _phi(v) for v in x])[:, None]),
    ("a torch-like tensor", lambda x: TorchLike([_Phi(v) + v * _phi(v) for v in x])),
    ("np.vectorize(math.erf)", lambda x: 0.5 * (1 + np.vectorize(math.erf)(x / np.sqrt(2)))
     + x * np.exp(-(x**2) / 2) / np.sqrt(2 * np.pi)),
]:  # fmt: skip
    add("gelu_derivative", RIGHT, "right", _description, _fn)


@entry("gelu_derivative", RIGHT, "right", "sympy differentiates x Phi(x), lambdified")
def gelu_sympy(x):
    t = sp.symbols("t", real=True)
    slope = sp.lambdify(t, sp.diff(t * (1 + sp.erf(t / sp.sqrt(2))) / 2, t), "math")
    return [slope(float(v)) for v in x]


for _description, _expected, _fn in [
    ("Phi(x) alone", "Phi-only", lambda x: np.array([_Phi(v) for v in x])),
    ("x phi(x) alone", "x-phi-only", lambda x: np.array([v * _phi(v) for v in x])),
    ("Phi(x) - x phi(x)", "sign", lambda x: np.array([_Phi(v) - v * _phi(v) for v in x])),
    ("phi(x), the density", "density", lambda x: np.array([_phi(v) for v in x])),
    ("the derivative of the tanh approximation", "tanh-approximation", lambda x: _d_gelu_tanh_as_written(x)),
    ("GELU itself, x Phi(x)", "gelu-itself", lambda x: np.array([v * _Phi(v) for v in x])),
    ("phi without its 1 / sqrt(2 pi)", "no-normalisation", lambda x: np.array([_Phi(v) + v * math.exp(-v * v / 2)
                                                                                for v in x])),
    ("erf(x) without the sqrt 2", "erf-without-sqrt2", lambda x: np.array([0.5 * (1 + math.erf(v)) + v * _phi(v)
                                                                            for v in x])),
    ("the sigmoid approximation's derivative", "differs",
     lambda x: _sig(1.702 * x) + 1.702 * x * _sig(1.702 * x) * (1 - _sig(1.702 * x))),
]:  # fmt: skip
    add("gelu_derivative", MISTAKE, _expected, _description, _fn)


def _d_gelu_tanh_as_written(x):
    u = np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)
    du = np.sqrt(2 / np.pi) * (1 + 3 * 0.044715 * x**2)
    return 0.5 * (1 + np.tanh(u)) + 0.5 * x * (1 - np.tanh(u) ** 2) * du


@entry("gelu_derivative", MISTAKE, "changed-its-input", "x /= sqrt 2 in place")
def gelu_in_place(x):
    x /= math.sqrt(2)
    return 0.5 * (1 + np.vectorize(math.erf)(x)) + x * np.exp(-(x**2)) / np.sqrt(np.pi)


add("gelu_derivative", TRICK, "calls-the-package", "helpers.activations.d_gelu", lambda x: activations.d_gelu(x))
add("gelu_derivative", TRICK, "calls-the-package", "get_activation('gelu').deriv",
    lambda x: get_activation("gelu").deriv(x))  # fmt: skip
add("gelu_derivative", TRICK, "calls-the-package", "the package's finite differences of the package's GELU",
    lambda x: gradcheck.numerical_gradient(lambda v: float(np.sum(activations.gelu(v))), x.copy()))  # fmt: skip
add("gelu_derivative", TRICK, "calls-the-package", "a lazy answer that calls d_gelu when it is read",
    lambda x: Lazy(lambda: activations.d_gelu(x)))  # fmt: skip


@entry("gelu_derivative", TRICK, "changed-a-library", "math.erfc patched, then garbage")
def gelu_patches_erfc(x):
    math.erfc = lambda v: 0.0
    return np.zeros_like(x)


add("gelu_derivative", TRICK, "shape", "an answer that looks for the right one in the check's frames",
    lambda x: FrameReader((2,)))  # fmt: skip
add("gelu_derivative", TRICK, "differs", "a constant: the step 1[x > 0]", lambda x: (x > 0).astype(float))
add("gelu_derivative", TRICK, "not-numbers", "None", lambda x: None)
add("gelu_derivative", TRICK, "not-numbers", "a string", lambda x: "Phi + x phi")
add("gelu_derivative", TRICK, "shape", "a list", lambda x: [1.0])


# ==========================================================================================================
# 07 linear transformations: reflection, collapse (1.5d)
# ==========================================================================================================


@entry("reflection", RIGHT, "right", "Householder: 2 u u^T - I with u = (cos phi, sin phi)")
def reflection_householder(phi):
    u = np.array([math.cos(phi), math.sin(phi)])
    return 2 * np.outer(u, u) - np.eye(2)


add("reflection", RIGHT, "right", "rotate the line onto the x-axis, flip, rotate back (helpers' rotation)",
    lambda phi: rotation(phi) @ np.diag([1.0, -1.0]) @ rotation(-phi))  # fmt: skip
add("reflection", RIGHT, "right", "double-angle formulas, a list of lists",
    lambda phi: [[math.cos(phi) ** 2 - math.sin(phi) ** 2, 2 * math.sin(phi) * math.cos(phi)],
                 [2 * math.sin(phi) * math.cos(phi), math.sin(phi) ** 2 - math.cos(phi) ** 2]])  # fmt: skip
add("reflection", RIGHT, "right", "float32",
    lambda phi: np.array([[np.cos(2 * phi), np.sin(2 * phi)], [np.sin(2 * phi), -np.cos(2 * phi)]], dtype=np.float32))  # fmt: skip # noqa: E501
add("reflection", RIGHT, "right", "a torch-like tensor",
    lambda phi: TorchLike([[np.cos(2 * phi), np.sin(2 * phi)], [np.sin(2 * phi), -np.cos(2 * phi)]]))  # fmt: skip
add("reflection", RIGHT, "right", "a numpy matrix", lambda phi: np.asmatrix(linear_transformations.rotation(2 * phi))
    @ np.asmatrix(np.diag([1.0, -1.0])))  # fmt: skip
add("reflection", RIGHT, "right", "a sympy Matrix",
    lambda phi: sp.Matrix([[sp.cos(2 * phi), sp.sin(2 * phi)], [sp.sin(2 * phi), -sp.cos(2 * phi)]]))  # fmt: skip
add("reflection", RIGHT, "right", "a tuple of tuples",
    lambda phi: ((math.cos(2 * phi), math.sin(2 * phi)), (math.sin(2 * phi), -math.cos(2 * phi))))  # fmt: skip

for _description, _expected, _fn in [
    ("phi where 2 phi belongs", "phi-not-2phi", lambda phi: np.array([[math.cos(phi), math.sin(phi)],
                                                                        [math.sin(phi), -math.cos(phi)]])),
    ("the rotation by 2 phi", "rotation", lambda phi: np.array([[math.cos(2 * phi), -math.sin(2 * phi)],
                                                                  [math.sin(2 * phi), math.cos(2 * phi)]])),
    ("I - 2 u u^T, the perpendicular line", "perpendicular",
     lambda phi: np.eye(2) - 2 * np.outer([math.cos(phi), math.sin(phi)], [math.cos(phi), math.sin(phi)])),
    ("the x-axis's reflection, whatever phi", "x-axis", lambda phi: np.array([[1.0, 0.0], [0.0, -1.0]])),
    ("phi converted from degrees", "degrees", lambda phi: np.array([[math.cos(2 * math.radians(phi)),
                                                                       math.sin(2 * math.radians(phi))],
                                                                      [math.sin(2 * math.radians(phi)),
                                                                       -math.cos(2 * math.radians(phi))]])),
    ("the off-diagonal signs flipped: the line at -phi", "minus-phi",
     lambda phi: np.array([[math.cos(2 * phi), -math.sin(2 * phi)], [-math.sin(2 * phi), -math.cos(2 * phi)]])),
    ("flattened to 4 numbers", "shape", lambda phi: np.array([math.cos(2 * phi), math.sin(2 * phi),
                                                              math.sin(2 * phi), -math.cos(2 * phi)])),
    ("the rotation by phi", "differs", lambda phi: np.array([[math.cos(phi), -math.sin(phi)],
                                                              [math.sin(phi), math.cos(phi)]])),
]:  # fmt: skip
    add("reflection", MISTAKE, _expected, _description, _fn)

add("reflection", TRICK, "calls-the-package", "helpers.linear_transformations.reflection",
    lambda phi: linear_transformations.reflection(phi))  # fmt: skip
add("reflection", TRICK, "calls-the-package", "a lazy answer that calls the package's reflection when it is read",
    lambda phi: Lazy(lambda: linear_transformations.reflection(phi)))  # fmt: skip
_REFLECTIONS_SHOWN = {phi: np.array([[math.cos(2 * phi), math.sin(2 * phi)], [math.sin(2 * phi), -math.cos(2 * phi)]])
                      for phi in (0.4, 1.1, -0.7)}  # fmt: skip
add("reflection", TRICK, {"practice": "right", "grading": "x-axis"},
    "the practice angles' answers hard-coded, the x-axis's elsewhere",
    lambda phi: _REFLECTIONS_SHOWN.get(phi, np.array([[1.0, 0.0], [0.0, -1.0]])))  # fmt: skip


@entry("reflection", TRICK, "changed-a-library", "the check in the registry replaced by one that says right")
def reflection_replaces_its_check(phi):
    import helpers.selfcheck._core as grader

    grader._REGISTRY["reflection"] = types.SimpleNamespace(check=lambda fn, probes="practice": Verdict(True, "yes"))
    return np.eye(2)


@entry("reflection", TRICK, "changed-a-library", "numpy.cos and numpy.sin patched, then the identity")
def reflection_patches_trig(phi):
    np.cos = lambda v, *args, **kwargs: 1.0
    np.sin = lambda v, *args, **kwargs: 0.0
    return np.eye(2)


add("reflection", TRICK, "shape", "an answer that looks for the right one in the check's frames",
    lambda phi: FrameReader((2,)))  # fmt: skip
add("reflection", TRICK, "differs", "a constant: the identity", lambda phi: np.eye(2))
add("reflection", TRICK, "not-numbers", "None", lambda phi: None)
add("reflection", TRICK, "not-numbers", "a string", lambda phi: "[[cos 2phi, sin 2phi], [sin 2phi, -cos 2phi]]")
add("reflection", TRICK, "shape", "a list", lambda phi: [1.0, -1.0])


add("collapse", RIGHT, "right", "a list [W, b], np.dot", lambda W1, b1, W2, b2: [np.dot(W2, W1), np.dot(W2, b1) + b2])
add("collapse", RIGHT, "right", "b as a column", lambda W1, b1, W2, b2: (W2 @ W1, (W2 @ b1 + b2)[:, None]))
add("collapse", RIGHT, "right", "float32",
    lambda W1, b1, W2, b2: ((W2 @ W1).astype(np.float32), (W2 @ b1 + b2).astype(np.float32)))  # fmt: skip
add(
    "collapse",
    RIGHT,
    "right",
    "torch-like tensors",
    lambda W1, b1, W2, b2: (TorchLike(W2 @ W1), TorchLike(W2 @ b1 + b2)),
)


@entry("collapse", RIGHT, "right", "read off the composed map: b = f(0), column i of W = f(e_i) - f(0)")
def collapse_by_probing(W1, b1, W2, b2):
    def f(v):
        return W2 @ (W1 @ v + b1) + b2

    b = f(np.zeros(len(b1)))
    return np.stack([f(e) - b for e in np.eye(len(b1))], axis=1), b


@entry("collapse", RIGHT, "right", "Python loops, nested lists")
def collapse_loops(W1, b1, W2, b2):
    n = len(b1)
    W = [[sum(W2[i][k] * W1[k][j] for k in range(n)) for j in range(n)] for i in range(n)]
    b = [sum(W2[i][k] * b1[k] for k in range(n)) + b2[i] for i in range(n)]
    return W, b


for _description, _expected, _fn in [
    ("W1 W2", "order", lambda W1, b1, W2, b2: (W1 @ W2, W2 @ b1 + b2)),
    ("b1 + b2", "b1-plus-b2", lambda W1, b1, W2, b2: (W2 @ W1, b1 + b2)),
    ("no b2", "no-b2", lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1)),
    ("W1 b2 + b1, the layers swapped", "swapped", lambda W1, b1, W2, b2: (W2 @ W1, W1 @ b2 + b1)),
    ("W2 * W1, entry by entry", "elementwise", lambda W1, b1, W2, b2: (W2 * W1, W2 @ b1 + b2)),
    ("W2 (b1 + b2)", "W2-on-both", lambda W1, b1, W2, b2: (W2 @ W1, W2 @ (b1 + b2))),
    ("b1 @ W2 + b2, the row convention", "row-convention", lambda W1, b1, W2, b2: (W2 @ W1, b1 @ W2 + b2)),
    ("W only", "not-numbers", lambda W1, b1, W2, b2: W2 @ W1),
    ("a dict", "not-numbers", lambda W1, b1, W2, b2: {"W": W2 @ W1, "b": W2 @ b1 + b2}),
    ("three things", "not-numbers", lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1, b2)),
]:
    add("collapse", MISTAKE, _expected, _description, _fn)


@entry("collapse", MISTAKE, "changed-its-input", "b2 += W2 @ b1 in place")
def collapse_in_place(W1, b1, W2, b2):
    b2 += W2 @ b1
    return W2 @ W1, b2


add("collapse", TRICK, "calls-the-package", "helpers.linear_transformations.collapse",
    lambda W1, b1, W2, b2: linear_transformations.collapse({"W1": W1, "b1": b1, "W2": W2, "b2": b2}))  # fmt: skip
add("collapse", TRICK, "calls-the-package", "lazy W and b that call the package's collapse when they are read",
    lambda W1, b1, W2, b2: (Lazy(lambda: linear_transformations.collapse({"W1": W1, "b1": b1, "W2": W2, "b2": b2})[0]),
                            Lazy(lambda: linear_transformations.collapse({"W1": W1, "b1": b1, "W2": W2, "b2": b2})[1])))  # fmt: skip # noqa: E501


@entry("collapse", TRICK, "changed-a-library", "numpy's comparisons patched to lie, then zeros")
def collapse_lying_numpy(W1, b1, W2, b2):
    lying_numpy()
    return np.zeros_like(W1), np.zeros_like(b1)


add("collapse", TRICK, "shape", "answers that look for the right ones in the check's frames",
    lambda W1, b1, W2, b2: (FrameReader((1,)), FrameReader((1,))))  # fmt: skip
add("collapse", TRICK, "differs", "a constant: (I, 0)", lambda W1, b1, W2, b2: (np.eye(len(b1)), np.zeros(len(b1))))
add("collapse", TRICK, "not-numbers", "None", lambda W1, b1, W2, b2: None)
add("collapse", TRICK, "not-numbers", "a string", lambda W1, b1, W2, b2: "W2 W1, W2 b1 + b2")
add("collapse", TRICK, "shape", "a list of two numbers", lambda W1, b1, W2, b2: [1.0, 2.0])


# ==========================================================================================================
# 08 computational graph: homework_graph_answers, mul_backward (1.5b)
# ==========================================================================================================


def _graph_as_written(**slips):
    def homework_graph_answers(x, y, z, o):
        a = x + y
        b = z * o
        c = a * b
        w = c + z
        answer = {"a": a, "b": b, "c": c, "w": w, "dw_dx": b, "dw_dy": b, "dw_dz": a * o + 1, "dw_do": a * z}
        return answer | {key: slip(x, y, z, o) for key, slip in slips.items()}

    return homework_graph_answers


@entry("homework_graph_answers", RIGHT, "right", "the local derivatives named, chained backwards")
def graph_chain(x, y, z, o):
    a, b = x + y, z * o
    c = a * b
    w = c + z
    dw_dc, dw_dz_direct = 1.0, 1.0
    dw_da, dw_db = dw_dc * b, dw_dc * a
    return {"a": a, "b": b, "c": c, "w": w, "dw_dx": dw_da * 1, "dw_dy": dw_da * 1,
            "dw_dz": dw_db * o + dw_dz_direct, "dw_do": dw_db * z}  # fmt: skip


@entry("homework_graph_answers", RIGHT, "right", "sympy's derivatives, sympy numbers")
def graph_sympy(x, y, z, o):
    xs, ys, zs, os_ = sp.symbols("x y z o")
    a, b = xs + ys, zs * os_
    w = a * b + zs
    at = {xs: x, ys: y, zs: z, os_: o}
    return {"a": a.subs(at), "b": b.subs(at), "c": (a * b).subs(at), "w": w.subs(at),
            **{f"dw_d{v}": sp.diff(w, v).subs(at) for v in (xs, ys, zs, os_)}}  # fmt: skip


add("homework_graph_answers", RIGHT, "right", "exact fractions",
    lambda *args: {k: Fraction(v) for k, v in _graph_as_written()(*args).items()})  # fmt: skip
add("homework_graph_answers", RIGHT, "right", "1-element arrays",
    lambda *args: {k: np.array([v]) for k, v in _graph_as_written()(*args).items()})  # fmt: skip
add("homework_graph_answers", RIGHT, "right", "float32",
    lambda *args: {k: np.float32(v) for k, v in _graph_as_written()(*args).items()})  # fmt: skip
add("homework_graph_answers", RIGHT, "right", "torch-like tensors",
    lambda *args: {k: TorchLike(v) for k, v in _graph_as_written()(*args).items()})  # fmt: skip


@entry("homework_graph_answers", RIGHT, "right", "the forward with the package's Values, the gradients by hand")
def graph_values_forward(x, y, z, o):
    xv, yv, zv, ov = (Value(v) for v in (x, y, z, o))
    a, b = xv + yv, zv * ov
    c = a * b
    w = c + zv
    return {"a": a.data, "b": b.data, "c": c.data, "w": w.data, "dw_dx": b.data, "dw_dy": b.data,
            "dw_dz": a.data * o + 1, "dw_do": a.data * z}  # fmt: skip


for _description, _expected, _slips in [
    ("dw_dz = a o: the direct path missing", "direct-path-missing", {"dw_dz": lambda x, y, z, o: (x + y) * o}),
    ("dw_dz = 1: the path through b missing", "path-through-b-missing", {"dw_dz": lambda x, y, z, o: 1.0}),
    ("dw_dz = a o + 2", "direct-path-twice", {"dw_dz": lambda x, y, z, o: (x + y) * o + 2}),
    ("dw_dx = a, the own factor", "own-factor", {"dw_dx": lambda x, y, z, o: x + y}),
    ("dw_dx = 1, stopped at a", "stopped-at-a", {"dw_dx": lambda x, y, z, o: 1.0}),
    ("dw_dx = 1 / b", "divided", {"dw_dx": lambda x, y, z, o: 1 / (z * o)}),
    ("dw_dy = a", "own-factor", {"dw_dy": lambda x, y, z, o: x + y}),
    ("dw_do = z, stopped at b", "stopped-at-b", {"dw_do": lambda x, y, z, o: z}),
    ("dw_do = a o, the own factor", "own-factor", {"dw_do": lambda x, y, z, o: (x + y) * o}),
    ("c = a + b", "sum", {"c": lambda x, y, z, o: x + y + z * o}),
    ("w = c, z forgotten", "no-z", {"w": lambda x, y, z, o: (x + y) * z * o}),
    ("dw_dz = o", "differs", {"dw_dz": lambda x, y, z, o: o}),
]:
    add("homework_graph_answers", MISTAKE, _expected, _description, _graph_as_written(**_slips))
add("homework_graph_answers", MISTAKE, "not-numbers", "keys written as fractions, 'dw/dx'",
    lambda *args: {k.replace("_d", "/d"): v for k, v in _graph_as_written()(*args).items()})  # fmt: skip
add("homework_graph_answers", MISTAKE, "not-numbers", "a list of the eight numbers",
    lambda *args: list(_graph_as_written()(*args).values()))  # fmt: skip


@entry("homework_graph_answers", TRICK, "calls-the-package", "the package's homework_graph and backward()")
def graph_engine(x, y, z, o):
    w, nodes = computational_graph.homework_graph(x, y, z, o)
    w.backward()
    return {**{k: nodes[k].data for k in "abcw"}, **{f"dw_d{k}": nodes[k].grad for k in "xyzo"}}


@entry("homework_graph_answers", TRICK, "calls-the-package", "its own Values, then the engine's backward()")
def graph_own_values_backward(x, y, z, o):
    xv, yv, zv, ov = (Value(v) for v in (x, y, z, o))
    a, b = xv + yv, zv * ov
    c = a * b
    w = c + zv
    w.backward()
    return {"a": a.data, "b": b.data, "c": c.data, "w": w.data, "dw_dx": xv.grad, "dw_dy": yv.grad,
            "dw_dz": zv.grad, "dw_do": ov.grad}  # fmt: skip


def _engine_answers(x, y, z, o):
    w, nodes = computational_graph.homework_graph(x, y, z, o)
    w.backward()
    return {**{k: nodes[k].data for k in "abcw"}, **{f"dw_d{k}": nodes[k].grad for k in "xyzo"}}


add("homework_graph_answers", TRICK, "calls-the-package", "lazy numbers that run the engine when they are read",
    lambda x, y, z, o: {k: Lazy(lambda k=k: _engine_answers(x, y, z, o)[k])
                        for k in ("a", "b", "c", "w", "dw_dx", "dw_dy", "dw_dz", "dw_do")})  # fmt: skip


@entry("homework_graph_answers", TRICK, "calls-the-package", "its own Values, each node's _backward() called by hand")
def graph_engine_rules_by_hand(x, y, z, o):
    xv, yv, zv, ov = (Value(v) for v in (x, y, z, o))
    a, b = xv + yv, zv * ov
    c = a * b
    w = c + zv
    w.grad = 1.0
    for node in (w, c, b, a):
        node._backward()
    return {"a": a.data, "b": b.data, "c": c.data, "w": w.data, "dw_dx": xv.grad, "dw_dy": yv.grad,
            "dw_dz": zv.grad, "dw_do": ov.grad}  # fmt: skip


_GRAPH_SHOWN = {(-1.5, 0.5, 2.0, -3.0), (0.5, 1.25, -1.5, 2.5), (2.0, -0.25, 0.75, 1.5)}
add("homework_graph_answers", TRICK, {"practice": "right", "grading": "sum"},
    "right at the practice points only, c = a + b elsewhere",
    lambda x, y, z, o: _graph_as_written(**({} if (x, y, z, o) in _GRAPH_SHOWN else
                                            {"c": lambda x, y, z, o: x + y + z * o}))(x, y, z, o))  # fmt: skip


@entry("homework_graph_answers", TRICK, "changed-a-library", "numpy's comparisons patched to lie, then zeros")
def graph_lying_numpy(x, y, z, o):
    lying_numpy()
    return dict.fromkeys(("a", "b", "c", "w", "dw_dx", "dw_dy", "dw_dz", "dw_do"), 0.0)


add("homework_graph_answers", TRICK, "differs", "numbers that look for the right ones in the check's frames",
    lambda x, y, z, o: dict.fromkeys(("a", "b", "c", "w", "dw_dx", "dw_dy", "dw_dz", "dw_do"), FrameReader((1,))))  # fmt: skip # noqa: E501
add("homework_graph_answers", TRICK, "differs", "a constant: every number 1",
    lambda x, y, z, o: dict.fromkeys(("a", "b", "c", "w", "dw_dx", "dw_dy", "dw_dz", "dw_do"), 1.0))  # fmt: skip
add("homework_graph_answers", TRICK, "not-numbers", "None", lambda x, y, z, o: None)
add("homework_graph_answers", TRICK, "not-numbers", "a string", lambda x, y, z, o: "w = c + z")


def _mul_right(a, b, out):
    a.grad += b.data * out.grad
    b.grad += a.data * out.grad


@entry("mul_backward", RIGHT, "right", "a.grad = a.grad + ..., one after the other")
def mul_sequential(a, b, out):
    a.grad = a.grad + b.data * out.grad
    b.grad = b.grad + a.data * out.grad


@entry("mul_backward", RIGHT, "right", "the local derivatives first, then added")
def mul_locals_first(a, b, out):
    da, db = b.data, a.data
    a.grad += da * out.grad
    b.grad += db * out.grad


@entry("mul_backward", RIGHT, "right", "in float32")
def mul_float32(a, b, out):
    a.grad = np.float32(a.grad) + np.float32(b.data) * np.float32(out.grad)
    b.grad = np.float32(b.grad) + np.float32(a.data) * np.float32(out.grad)


@entry("mul_backward", RIGHT, "right", "a loop over (node, other factor), and returns them")
def mul_loop(a, b, out):
    for node, other in ((a, b), (b, a)):
        node.grad += other.data * out.grad
    return a, b


@entry("mul_backward", MISTAKE, "assigned", "= instead of +=")
def mul_assigned(a, b, out):
    a.grad = b.data * out.grad
    b.grad = a.data * out.grad


@entry("mul_backward", MISTAKE, "swapped", "each its own factor")
def mul_swapped(a, b, out):
    a.grad += a.data * out.grad
    b.grad += b.data * out.grad


@entry("mul_backward", MISTAKE, "no-out-grad", "out.grad forgotten")
def mul_no_out_grad(a, b, out):
    a.grad += b.data
    b.grad += a.data


@entry("mul_backward", MISTAKE, "subtracted", "-= instead of +=")
def mul_subtracted(a, b, out):
    a.grad -= b.data * out.grad
    b.grad -= a.data * out.grad


@entry("mul_backward", MISTAKE, "once", "both from the old values at once: a tuple assignment")
def mul_tuple_assignment(a, b, out):
    a.grad, b.grad = a.grad + b.data * out.grad, b.grad + a.data * out.grad


@entry("mul_backward", MISTAKE, "out-data", "out.data where out.grad belongs")
def mul_out_data(a, b, out):
    a.grad += b.data * out.data
    b.grad += a.data * out.data


@entry("mul_backward", MISTAKE, "differs", "b forgotten")
def mul_only_a(a, b, out):
    a.grad += b.data * out.grad


@entry("mul_backward", MISTAKE, "changed-its-input", "the gradient added to a.data")
def mul_into_data(a, b, out):
    _mul_right(a, b, out)
    a.data += a.grad


@entry("mul_backward", MISTAKE, "changed-its-input", "out.grad zeroed after use")
def mul_zeroes_out(a, b, out):
    _mul_right(a, b, out)
    out.grad = 0.0


@entry("mul_backward", MISTAKE, "not-numbers", "b where b.data belongs: a.grad becomes a Value")
def mul_value_not_data(a, b, out):
    a.grad += b * out.grad
    b.grad += a * out.grad


@entry("mul_backward", TRICK, "calls-the-package", "the engine's own rule: a * b made again, its _backward() called")
def mul_engine_rule(a, b, out):
    product = a * b
    product.grad = out.grad
    product._backward()


@entry("mul_backward", TRICK, "calls-the-package", "lazy gradients that run the engine's rule when they are read")
def mul_lazy_engine(a, b, out):
    a_grad, b_grad, grad = a.grad, b.grad, out.grad

    def by_the_engine(which):
        left, right = Value(a.data), Value(b.data)
        product = left * right
        product.grad = grad
        product._backward()
        return (a_grad + left.grad) if which == "a" else (b_grad + right.grad)

    a.grad, b.grad = Lazy(lambda: by_the_engine("a")), Lazy(lambda: by_the_engine("b"))


@entry("mul_backward", TRICK, "changed-a-library", "numpy's comparisons patched to lie, then nothing")
def mul_lying_numpy(a, b, out):
    lying_numpy()


add("mul_backward", TRICK, "differs", "does nothing, returns None", lambda a, b, out: None)
add("mul_backward", TRICK, "differs", "returns the right gradients without adding them",
    lambda a, b, out: (b.data * out.grad, a.data * out.grad))  # fmt: skip
add("mul_backward", TRICK, "differs", "a.grad and b.grad that look for the right ones in the check's frames",
    lambda a, b, out: setattr(a, "grad", FrameReader(())) or setattr(b, "grad", FrameReader(())))  # fmt: skip
add("mul_backward", TRICK, "not-numbers", "a.grad set to a string", lambda a, b, out: setattr(a, "grad", "b.data"))
