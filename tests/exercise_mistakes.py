"""One typical mistake for each exercise of the notebooks, and cheap tricks, for the autograde round trip
(tests/test_nbgrader.py) and the class report (tools/misconceptions.py).

MISTAKES maps ``(notebook stem, exercise function)`` (the function is also the grade_id of the exercise's
solution cell) to ``(source, mistake)``: the source of a wrong but runnable function definition, the whole
cell as a student who made that mistake would leave it, and the id of the mistake the check names.
The test copies the student edition, replaces the released stub cell (``# YOUR CODE HERE`` /
``raise NotImplementedError()``) by this source, autogrades it with ``nbgrader autograde`` and asserts
that the notebook loses exactly that exercise's points (and keeps every other exercise's). The
mistake should be one the exercise's self-check names, so its "not yet: ..." is tested too.

Every exercise needs an entry; tests/test_nbgrader.py fails on a missing or stale one. Example::

    MISTAKES = {
        ("05_softargmax", "my_softmax"): ('''
    def my_softmax(z, temperature):
        e = np.exp(z / temperature)  # the maximum is not subtracted: [1000, 1001, 1002] overflows
        return e / e.sum(axis=-1, keepdims=True)
    ''', "overflow"),
    }

The source may use the names the notebook has imported or defined before the exercise (``np`` here).

TRICKS are cheap tricks a student might try instead of the exercise; a submission holding them must score
0 on those exercises (and full marks on the rest).
"""

MISTAKES: dict[tuple[str, str], tuple[str, str]] = {
    ("01_sgd_steps", "train_epoch"): (
        """def train_epoch(net, x, y, lr, batch_size):
    history = []
    for start in range(0, len(x), batch_size):
        batch = slice(start, start + batch_size)
        J, dJdy_hat = losses.mse(y_hat=net.forward(x[batch]), y=y[batch])
        net.backward(dJdy_hat)  # step 3, zero_grad, forgotten
        sgd_update(net, lr)
        history.append(J)
    return history
""",
        "stale-gradients",
    ),
    ("01_sgd_steps", "objective_gradient"): (
        """def objective_gradient(y_hat, y):
    return 2 * (y_hat - y) / y.size  # PyTorch's N*K instead of N
""",
        "mean-over-NK",
    ),
    ("02_regression_backprop", "forward_one_sample"): (
        """def forward_one_sample(x, W1, b1, W2, b2):
    return W2 @ np.maximum(W1 @ x + b1, 0) + b2  # the 5 of f is missing
""",
        "no-5",
    ),
    ("02_regression_backprop", "backward_one_sample"): (
        """def backward_one_sample(x, y, W1, b1, W2, b2):
    z1 = W1 @ x + b1
    z2 = 5 * np.maximum(z1, 0)
    dl_dz3 = 2 * (W2 @ z2 + b2 - y)
    dl_dz1 = (W2.T @ dl_dz3) * (z1 > 0)  # f' without its 5
    return {"dJdW2": np.outer(dl_dz3, z2), "dJdb2": dl_dz3, "dJdW1": np.outer(dl_dz1, x), "dJdb1": dl_dz1}
""",
        "no-5",
    ),
    ("02_regression_backprop", "jacobians"): (
        """def jacobians(x, y, W1, b1, W2, b2):
    z1 = W1 @ x + b1
    y_hat = W2 @ (5 * np.maximum(z1, 0)) + b2
    dl_dy_hat = 2 * (y_hat - y)  # 1-D: not the row (1, K) of numerator layout
    return {"dz2_dz1": np.diag(5.0 * (z1 > 0)), "dy_hat_dz3": np.eye(len(b2)), "dl_dy_hat": dl_dy_hat}
""",
        "shape",
    ),
    ("03_classification_backprop", "backward_tanh_sigmoid"): (
        """def backward_tanh_sigmoid(x, y, W1, b1, W2, b2):
    z2 = np.tanh(W1 @ x + b1)
    y_hat = 1 / (1 + np.exp(-(W2 @ z2 + b2)))
    dl_dz3 = 2 * (y_hat - y)  # sigma'(z3) forgotten
    dl_dz1 = (W2.T @ dl_dz3) * (1 - z2**2)
    return {"dJdW2": np.outer(dl_dz3, z2), "dJdb2": dl_dz3, "dJdW1": np.outer(dl_dz1, x), "dJdb1": dl_dz1}
""",
        "no-sigma-prime",
    ),
    ("03_classification_backprop", "bce_output_gradient"): (
        """def bce_output_gradient(y_hat, y):
    return y_hat - y  # the 1/K is missing
""",
        "no-1/K",
    ),
    ("03_classification_backprop", "gradient_norms"): (
        """def gradient_norms(net, x, y):
    J, dJdy_hat = losses.bce(y_hat=net.forward(x), y=y)  # no zero_grad: stale gradients added in
    net.backward(dJdy_hat)
    return [np.linalg.norm(net.grads[f"dJdW{k}"]) for k in range(1, net.n_layers + 1)]
""",
        "stale-gradients",
    ),
    ("04_loss_derivation", "perceptron_loss"): (
        """def perceptron_loss(z, y):
    return max(0.0, 1 - y * z)  # the SVM's hinge loss
""",
        "hinge",
    ),
    ("04_loss_derivation", "adaline_loss"): (
        """def adaline_loss(z, y):
    return abs(y - z)
""",
        "absolute",
    ),
    ("04_loss_derivation", "tanh_logistic_gradient"): (
        """def tanh_logistic_gradient(w, b, x, y):
    return (y - np.tanh(b + w @ x)) * x  # the sign is flipped
""",
        "sign",
    ),
    ("05_softargmax", "my_softmax"): (
        """def my_softmax(z, temperature):
    e = np.exp(z / temperature)  # no maximum subtracted: overflows at 1000
    return e / e.sum(axis=-1, keepdims=True)
""",
        "overflow",
    ),
    ("06_activation_derivatives", "softplus_derivative"): (
        """def softplus_derivative(x, beta):
    return beta / (1 + np.exp(-beta * x))  # an extra factor beta
""",
        "extra-beta",
    ),
    ("06_activation_derivatives", "gelu_derivative"): (
        """def gelu_derivative(x):
    from math import erf, sqrt

    return 0.5 * (1 + np.vectorize(erf)(x / sqrt(2)))  # Phi(x) only, no product rule
""",
        "Phi-only",
    ),
    ("07_linear_transformations", "reflection"): (
        """def reflection(phi):
    c, s = np.cos(phi), np.sin(phi)  # phi where the matrix needs 2 phi
    return np.array([[c, s], [s, -c]])
""",
        "phi-not-2phi",
    ),
    ("07_linear_transformations", "collapse"): (
        """def collapse(W1, b1, W2, b2):
    return W2 @ W1, b1 + b2  # W2 forgotten on b1
""",
        "b1-plus-b2",
    ),
    ("08_computational_graph", "homework_graph_answers"): (
        """def homework_graph_answers(x, y, z, o):
    a, b = x + y, z * o
    c = a * b
    dw_dz = o * a  # z's direct path into w = c + z is missing
    return {"a": a, "b": b, "c": c, "w": c + z, "dw_dx": b, "dw_dy": b, "dw_dz": dw_dz, "dw_do": a * z}
""",
        "direct-path-missing",
    ),
    ("08_computational_graph", "mul_backward"): (
        """def mul_backward(a, b, out):
    a.grad = b.data * out.grad  # = instead of +=
    b.grad = a.data * out.grad
""",
        "assigned",
    ),
}


TRICKS: dict[tuple[str, str], tuple[str, str]] = {
    ("01_sgd_steps", "objective_gradient"): (
        "the check redefined to pass anything",
        """def objective_gradient(y_hat, y):
    return y_hat * 0


def check_objective_gradient(fn):
    class Passed:
        ok = True

    return Passed()
""",
    ),
    ("04_loss_derivation", "tanh_logistic_gradient"): (
        "numpy's comparisons patched to say yes",
        """import numpy

numpy.allclose = lambda *args, **kwargs: True
numpy.isclose = lambda a, b, *args, **kwargs: numpy.ones(numpy.shape(a), dtype=bool)
numpy.array_equal = lambda *args, **kwargs: True


def tanh_logistic_gradient(w, b, x, y):
    return x * 0
""",
    ),
    ("05_softargmax", "my_softmax"): (
        "the package's own softmax",
        """from helpers.activations import softmax


def my_softmax(z, temperature):
    return softmax(z, temperature)
""",
    ),
    ("06_activation_derivatives", "gelu_derivative"): (
        "an answer that reads the right one from the check's frame",
        """import sys


class Spy:
    def __array__(self, dtype=None, copy=None):
        frame = sys._getframe(1)
        while frame is not None:
            for name in ("expected", "right", "reference", "cdf"):
                if name in frame.f_locals:
                    return np.asarray(frame.f_locals[name], dtype=float)
            frame = frame.f_back
        return np.zeros(17)


def gelu_derivative(x):
    return Spy()
""",
    ),
    ("07_linear_transformations", "collapse"): (
        "the package's own collapse",
        """from helpers.linear_transformations import collapse as _collapse


def collapse(W1, b1, W2, b2):
    return _collapse({"W1": W1, "b1": b1, "W2": W2, "b2": b2})
""",
    ),
    ("01_sgd_steps", "train_epoch"): (
        "the cell above copied: one full-batch step, no batches",
        """def train_epoch(net, x, y, lr, batch_size):
    y_hat = net.forward(x)
    J, dJdy_hat = losses.mse(y_hat=y_hat, y=y)
    net.zero_grad()
    net.backward(dJdy_hat)
    sgd_update(net, lr)
    return [J]
""",
    ),
}
