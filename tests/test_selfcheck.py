"""Each "Try it" self-check accepts a right answer and names each typical mistake fed to it."""

import numpy as np
import pytest

from helpers import selfcheck


def test_diagnose_basics():
    expected = np.arange(6.0).reshape(2, 3) + 1
    assert selfcheck.diagnose("A", expected.copy(), expected).ok
    assert "None" in selfcheck.diagnose("A", None, expected).message
    assert "transpose" in selfcheck.diagnose("A", expected.T, expected).message
    assert "constant factor 3" in selfcheck.diagnose("A", 3 * expected, expected).message
    assert "differs" in selfcheck.diagnose("A", expected + np.eye(2, 3), expected).message


def _check(checker, fn, words):
    verdict = checker(fn)
    assert verdict.ok == (words is None), verdict
    if words:
        assert words in verdict.message, verdict


# 1.5(e): dL/dy_hat of 1/N sum ||y_hat_i - y_i||^2
OBJECTIVE = {
    "right": (lambda yh, y: 2 * (yh - y) / len(y), None),
    "no 2": (lambda yh, y: (yh - y) / len(y), "missing the factor 2"),
    "N*K": (lambda yh, y: 2 * (yh - y) / y.size, "divided by N*K"),
    "no 1/N": (lambda yh, y: 2 * (yh - y), "missing the 1/N"),
    "sign": (lambda yh, y: 2 * (y - yh) / len(y), "sign is flipped"),
    "transposed": (lambda yh, y: (2 * (yh - y) / len(y)).T, "transpose"),
}


@pytest.mark.parametrize("case", list(OBJECTIVE))
def test_objective_gradient_check(case):
    _check(selfcheck.check_objective_gradient, *OBJECTIVE[case])


def _regression_backward(scale_f=5.0, factor2=2.0, sign=1.0, swap_outer=False, relu_z2=False):
    def fn(x, y, W1, b1, W2, b2):
        z1 = W1 @ x + b1
        z2 = 5 * np.maximum(z1, 0)
        dl_dz3 = sign * factor2 * (W2 @ z2 + b2 - y)
        dl_dz1 = (W2.T @ dl_dz3) * scale_f * (z1 > 0)
        a2 = np.maximum(z1, 0) if relu_z2 else z2
        dW2 = np.outer(a2, dl_dz3) if swap_outer else np.outer(dl_dz3, a2)
        return {"dW2": dW2, "db2": dl_dz3, "dW1": np.outer(dl_dz1, x), "db1": dl_dz1}

    return fn


REGRESSION = {
    "right": (_regression_backward(), None),
    "swapped outer product": (_regression_backward(swap_outer=True), "dW2 has the shape of W2.T"),
    "no factor 5": (_regression_backward(scale_f=1.0), "off by a factor 5"),
    "no factor 2": (_regression_backward(factor2=1.0), "missing the factor 2"),
    "sign": (_regression_backward(sign=-1.0), "sign is flipped"),
    "relu instead of f in dW2": (_regression_backward(relu_z2=True), "z2 = 5 ReLU(z1)"),
}


@pytest.mark.parametrize("case", list(REGRESSION))
def test_regression_backward_check(case):
    _check(selfcheck.check_regression_backward, *REGRESSION[case])


def test_regression_backward_check_wants_a_dict():
    assert "dict" in selfcheck.check_regression_backward(lambda *a: (1, 2)).message
    assert "missing db2" in selfcheck.check_regression_backward(lambda *a: {"dW1": 0, "db1": 0, "dW2": 0}).message


BCE = {
    "right": (lambda yh, y: (yh - y) / y.size, None),
    "no 1/K": (lambda yh, y: yh - y, "missing the 1/K"),
    "sigma' twice": (lambda yh, y: (yh - y) * yh * (1 - yh) / y.size, "sigma'(z3) again"),
    "sign": (lambda yh, y: (y - yh) / y.size, "sign is flipped"),
    "stopped at dl/dy_hat": (lambda yh, y: (yh - y) / (yh * (1 - yh)) / y.size, "that is dl/dy_hat"),
}


@pytest.mark.parametrize("case", list(BCE))
def test_bce_output_gradient_check(case):
    _check(selfcheck.check_bce_output_gradient, *BCE[case])


def _sig(z):
    return 1 / (1 + np.exp(-z))


LOGISTIC = {
    "right": (lambda w, b, x, y: -(y - np.tanh(b + w @ x)) * x, None),
    "sign": (lambda w, b, x, y: (y - np.tanh(b + w @ x)) * x, "sign is flipped"),
    "extra tanh'": (lambda w, b, x, y: -(y - np.tanh(b + w @ x)) * (1 - np.tanh(b + w @ x) ** 2) * x, "extra tanh'"),
    "sigmoid": (lambda w, b, x, y: -(y - _sig(b + w @ x)) * x, "not the sigmoid"),
    "no x": (lambda w, b, x, y: -(y - np.tanh(b + w @ x)), "has shape ()"),
}


@pytest.mark.parametrize("case", list(LOGISTIC))
def test_tanh_logistic_gradient_check(case):
    _check(selfcheck.check_tanh_logistic_gradient, *LOGISTIC[case])


def _softmax(z, t, shift=True, axis=-1):
    s = z / t
    e = np.exp(s - s.max(axis=axis, keepdims=True)) if shift else np.exp(s)
    return e / e.sum(axis=axis, keepdims=True)


SOFTMAX = {
    "right": (lambda z, t: _softmax(z, t), None),
    "no max subtracted": (lambda z, t: _softmax(z, t, shift=False), "subtract each row's maximum"),
    "times T": (lambda z, t: _softmax(z * t * t, t), "multiplied by T"),
    "no T": (lambda z, t: _softmax(z, 1.0), "temperature is missing"),
    "wrong axis": (lambda z, t: np.exp(z - z.max(0)) / np.exp(z - z.max(0)).sum(0), "columns"),
}


@pytest.mark.parametrize("case", list(SOFTMAX))
def test_softmax_check(case):
    _check(selfcheck.check_softmax, *SOFTMAX[case])


SOFTPLUS = {
    "right": (lambda x, b: _sig(b * x), None),
    "no beta": (lambda x, b: _sig(x), "beta is missing"),
    "extra beta": (lambda x, b: b * _sig(b * x), "extra factor beta"),
    "softplus itself": (lambda x, b: np.log1p(np.exp(b * x)) / b, "softplus itself"),
    "sign": (lambda x, b: 1 - _sig(b * x), "sign inside is flipped"),
}


@pytest.mark.parametrize("case", list(SOFTPLUS))
def test_softplus_derivative_check(case):
    _check(selfcheck.check_softplus_derivative, *SOFTPLUS[case])


def _reflect(angle):
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, s], [s, -c]])


REFLECTION = {
    "right": (lambda p: _reflect(2 * p), None),
    "phi not 2 phi": (lambda p: _reflect(p), "needs 2 phi"),
    "rotation": (lambda p: np.array([[np.cos(2 * p), -np.sin(2 * p)], [np.sin(2 * p), np.cos(2 * p)]]), "det +1"),
    "perpendicular": (lambda p: _reflect(2 * p + np.pi), "perpendicular"),
    "x-axis only": (lambda p: np.diag([1.0, -1.0]), "ignores phi"),
}


@pytest.mark.parametrize("case", list(REFLECTION))
def test_reflection_check(case):
    _check(selfcheck.check_reflection, *REFLECTION[case])


def _mul_right(a, b, out):
    a.grad += b.data * out.grad
    b.grad += a.data * out.grad


def _mul_assign(a, b, out):
    a.grad = b.data * out.grad
    b.grad = a.data * out.grad


def _mul_swapped(a, b, out):
    a.grad += a.data * out.grad
    b.grad += b.data * out.grad


def _mul_no_chain(a, b, out):
    a.grad += b.data
    b.grad += a.data


MUL = {
    "right": (_mul_right, None),
    "= not +=": (_mul_assign, "instead of adding with +="),
    "swapped": (_mul_swapped, "swapped"),
    "no out.grad": (_mul_no_chain, "forgot out.grad"),
}


@pytest.mark.parametrize("case", list(MUL))
def test_mul_backward_check(case):
    _check(selfcheck.check_mul_backward, *MUL[case])


# Every check: an unwritten exercise (nbgrader's stub) says "not yet", names the function, never raises.
ALL_CHECKS = [getattr(selfcheck, name) for name in selfcheck.__all__ if name.startswith("check_")]


def _stub(*args):
    raise NotImplementedError()


@pytest.mark.parametrize("checker", ALL_CHECKS, ids=[c.__name__ for c in ALL_CHECKS])
def test_an_unwritten_exercise_is_not_yet_and_never_crashes(checker):
    verdict = checker(_stub)
    assert not verdict.ok and "not written yet" in verdict.message and str(verdict).startswith("not yet: ")
    for junk in (None, lambda *a: None, lambda *a: "text", lambda *a: 1j, lambda *a: float("nan"), lambda *a: 1 / 0):
        verdict = checker(junk)
        assert not verdict.ok and str(verdict).startswith("not yet: "), (junk, verdict)


# 1.2(a): one training step
def _step(order=("forward", "loss", "zero", "backward", "update"), sign=-1.0, return_after=False):
    from helpers import losses

    def fn(net, x, y, lr):
        for step in order:
            if step == "forward":
                y_hat = net.forward(x)
            elif step == "loss":
                J, d = losses.mse(y_hat=y_hat, y=y)
            elif step == "zero":
                net.zero_grad()
            elif step == "backward":
                net.backward(d)
            elif step == "update":
                for k, v in net.parameters.items():
                    v += sign * lr * net.grads[f"dJd{k}"]
        return losses.mse(net.forward(x), y)[0] if return_after else J

    return fn


STEP = {
    "right": (_step(), None),
    "no zero_grad": (_step(("forward", "loss", "backward", "update")), "zero them (step 3"),
    "zero after backward": (_step(("forward", "loss", "backward", "zero", "update")), "wiped them"),
    "no update": (_step(("forward", "loss", "zero", "backward")), "step 5"),
    "uphill": (_step(sign=1.0), "uphill"),
    "J after the update": (_step(return_after=True), "J after the update"),
}


@pytest.mark.parametrize("case", list(STEP))
def test_training_step_check(case):
    _check(selfcheck.check_training_step, *STEP[case])


# 1.2(b): the forward pass
def _forward(scale=5.0, relu=True, b1=True, b2=True):
    def fn(x, W1, b1_, W2, b2_):
        z1 = W1 @ x + (b1_ if b1 else 0)
        z2 = scale * (np.maximum(z1, 0) if relu else z1)
        return W2 @ z2 + (b2_ if b2 else 0)

    return fn


FORWARD = {
    "right": (_forward(), None),
    "no 5": (_forward(scale=1.0), "missing the 5"),
    "no ReLU": (_forward(relu=False), "lost its ReLU"),
    "no b1": (_forward(b1=False), "b1 is missing"),
    "no b2": (_forward(b2=False), "b2 is missing"),
}


@pytest.mark.parametrize("case", list(FORWARD))
def test_forward_check(case):
    _check(selfcheck.check_forward, *FORWARD[case])


# 1.2(d): the Jacobians
def _jacobians(**wrong):
    def fn(x, y, W1, b1, W2, b2):
        z1 = W1 @ x + b1
        y_hat = W2 @ (5 * np.maximum(z1, 0)) + b2
        out = {"dz2_dz1": np.diag(5.0 * (z1 > 0)), "dy_hat_dz3": np.eye(len(b2)), "dl_dy_hat": 2 * (y_hat - y)[None, :]}
        variants = {
            "vector": ("dz2_dz1", 5.0 * (z1 > 0)),
            "no 5": ("dz2_dz1", np.diag(1.0 * (z1 > 0))),
            "f not f'": ("dz2_dz1", np.diag(5 * np.maximum(z1, 0))),
            "column": ("dl_dy_hat", 2 * (y_hat - y)[:, None]),
            "flat": ("dl_dy_hat", 2 * (y_hat - y)),
            "no 2": ("dl_dy_hat", (y_hat - y)[None, :]),
            "ones": ("dy_hat_dz3", np.ones((len(b2), len(b2)))),
            "scalar": ("dy_hat_dz3", 1.0),
        }
        for name in wrong:
            key, value = variants[name]
            out[key] = value
        return out

    return fn


JACOBIANS = {
    "right": (_jacobians(), None),
    "diagonal as a vector": (_jacobians(vector=1), "that is its diagonal"),
    "no 5": (_jacobians(**{"no 5": 1}), "the diagonal is 5"),
    "f instead of f'": (_jacobians(**{"f not f'": 1}), "diag(f(z1))"),
    "column gradient": (_jacobians(column=1), "numerator layout the gradient of a scalar is a row"),
    "1-D gradient": (_jacobians(flat=1), "a row of shape (1, K)"),
    "no factor 2": (_jacobians(**{"no 2": 1}), "missing the factor 2"),
    "all ones": (_jacobians(ones=1), "ones on the diagonal only"),
    "the number 1": (_jacobians(scalar=1), "not the number 1"),
}


@pytest.mark.parametrize("case", list(JACOBIANS))
def test_jacobians_check(case):
    _check(selfcheck.check_jacobians, *JACOBIANS[case])


# 1.3(a): the backward pass with tanh and sigmoid
def _tanh_sigmoid(g_prime=True, f_prime="tanh", factor2=2.0):
    def fn(x, y, W1, b1, W2, b2):
        z1 = W1 @ x + b1
        z2 = np.tanh(z1)
        y_hat = 1 / (1 + np.exp(-(W2 @ z2 + b2)))
        dl_dz3 = factor2 * (y_hat - y) * (y_hat * (1 - y_hat) if g_prime is True else (y_hat if g_prime else 1))
        slopes = {"tanh": 1 - z2**2, "relu5": 5.0 * (z1 > 0), "no square": 1 - z2}[f_prime]
        dl_dz1 = (W2.T @ dl_dz3) * slopes
        return {"dW2": np.outer(dl_dz3, z2), "db2": dl_dz3, "dW1": np.outer(dl_dz1, x), "db1": dl_dz1}

    return fn


TANH_SIGMOID = {
    "right": (_tanh_sigmoid(), None),
    "no sigma'": (_tanh_sigmoid(g_prime=False), "g is now the sigmoid"),
    "sigma' = sigma": (_tanh_sigmoid(g_prime="sigma"), "not sigma(z3)"),
    "f' of 1.2": (_tanh_sigmoid(f_prime="relu5"), "f is now tanh"),
    "no square": (_tanh_sigmoid(f_prime="no square"), "the square is missing"),
    "no factor 2": (_tanh_sigmoid(factor2=1.0), "missing the factor 2"),
}


@pytest.mark.parametrize("case", list(TANH_SIGMOID))
def test_tanh_sigmoid_backward_check(case):
    _check(selfcheck.check_tanh_sigmoid_backward, *TANH_SIGMOID[case])


# 1.3(c): gradient norms per layer
def _norms(zero=True, loss="bce", transform=lambda v, net: v):
    from helpers import losses

    def fn(net, x, y):
        if zero:
            net.zero_grad()
        _, d = getattr(losses, loss)(y_hat=net.forward(x), y=y)
        net.backward(d)
        return transform([np.linalg.norm(net.grads[f"dJdW{layer}"]) for layer in range(1, net.n_layers + 1)], net)

    return fn


NORMS = {
    "right": (_norms(), None),
    "stale gradients": (_norms(zero=False), "earlier pass were added in"),
    "reversed": (_norms(transform=lambda v, net: v[::-1]), "from the output back"),
    "squared": (_norms(transform=lambda v, net: np.square(v)), "squared norms"),
    "weights": (
        _norms(transform=lambda v, net: [np.linalg.norm(net.parameters[f"W{layer}"]) for layer in range(1, 6)]),
        "weights W_l",
    ),
    "mse": (_norms(loss="mse"), "not the MSE"),
    "with biases": (_norms(transform=lambda v, net: v + v), "without the biases"),
}


@pytest.mark.parametrize("case", list(NORMS))
def test_gradient_norms_check(case):
    _check(selfcheck.check_gradient_norms, *NORMS[case])


# 1.4: losses from update rules (any positive multiple is right; the check names the rate)
PERCEPTRON = {
    "right": (lambda z, y: max(0.0, -y * z), None),
    "twice, |z| - yz": (lambda z, y: abs(z) - y * z, None),
    "plus a constant": (lambda z, y: max(0.0, -y * z) + 3, None),
    "hinge": (lambda z, y: max(0.0, 1 - y * z), "hinge loss of the SVM"),
    "sign": (lambda z, y: max(0.0, y * z), "the sign"),
    "linear": (lambda z, y: -y * z, "without max(0, .)"),
    "no y": (lambda z, y: max(0.0, -z), "y is missing"),
    "flat": (lambda z, y: (y - np.sign(z)) ** 2, "flat almost everywhere"),
    "negative multiple": (lambda z, y: -max(0.0, -y * z), "negative multiple"),
}


@pytest.mark.parametrize("case", list(PERCEPTRON))
def test_perceptron_loss_check(case):
    _check(selfcheck.check_perceptron_loss, *PERCEPTRON[case])


def test_the_perceptron_check_names_the_learning_rate():
    assert "rate 2 eta" in selfcheck.check_perceptron_loss(PERCEPTRON["right"][0]).message
    assert "rate eta" in selfcheck.check_perceptron_loss(PERCEPTRON["twice, |z| - yz"][0]).message


ADALINE = {
    "right": (lambda z, y: 0.5 * (y - z) ** 2, None),
    "no half": (lambda z, y: (y - z) ** 2, None),
    "tanh": (lambda z, y: (y - np.tanh(z)) ** 2, "y_hat = tanh(z)"),
    "absolute": (lambda z, y: abs(y - z), "|y - z|"),
    "sign": (lambda z, y: (y - np.sign(z)) ** 2, "perceptron's prediction"),
    "linear": (lambda z, y: -y * z, "-y z has slope -y"),
    "plus": (lambda z, y: (y + z) ** 2, "the sign of z is flipped"),
}


@pytest.mark.parametrize("case", list(ADALINE))
def test_adaline_loss_check(case):
    _check(selfcheck.check_adaline_loss, *ADALINE[case])


# 1.5(c): GELU'
def _gelu_prime(cdf=1.0, pdf=1.0):
    from math import erf, pi, sqrt

    def fn(x):
        return cdf * 0.5 * (1 + np.vectorize(erf)(x / sqrt(2))) + pdf * x * np.exp(-(x**2) / 2) / sqrt(2 * pi)

    return fn


GELU = {
    "right": (_gelu_prime(), None),
    "Phi only": (_gelu_prime(pdf=0.0), "Phi(x) alone"),
    "x phi only": (_gelu_prime(cdf=0.0), "x phi(x) alone"),
    "sign": (_gelu_prime(pdf=-1.0), "sign of x phi(x)"),
    "density": (lambda x: np.exp(-(x**2) / 2) / np.sqrt(2 * np.pi), "the density"),
    "tanh approximation": (
        lambda x: __import__("helpers").activations.d_gelu(x, approximate="tanh"),
        "tanh approximation",
    ),
}


@pytest.mark.parametrize("case", list(GELU))
def test_gelu_derivative_check(case):
    _check(selfcheck.check_gelu_derivative, *GELU[case])


# 1.5(d): two affine layers are one
COLLAPSE = {
    "right": (lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1 + b2), None),
    "order": (lambda W1, b1, W2, b2: (W1 @ W2, W2 @ b1 + b2), "wrong order"),
    "b1 + b2": (lambda W1, b1, W2, b2: (W2 @ W1, b1 + b2), "W2 acts on b1 too"),
    "no b2": (lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1), "b2 is missing"),
    "swapped bias": (lambda W1, b1, W2, b2: (W2 @ W1, W1 @ b2 + b1), "swapped in the bias"),
    "not a pair": (lambda W1, b1, W2, b2: W2 @ W1, "a pair (W, b)"),
}


@pytest.mark.parametrize("case", list(COLLAPSE))
def test_collapse_check(case):
    _check(selfcheck.check_collapse, *COLLAPSE[case])


# 1.5(b): the homework's graph
def _graph_answers(**wrong):
    def fn(x, y, z, o):
        a, b = x + y, z * o
        out = {"a": a, "b": b, "c": a * b, "w": a * b + z, "dw_dx": b, "dw_dy": b, "dw_dz": o * a + 1, "dw_do": a * z}
        return out | {k: v(x, y, z, o) for k, v in wrong.items()}

    return fn


GRAPH = {
    "right": (_graph_answers(), None),
    "z's direct path missing": (_graph_answers(dw_dz=lambda x, y, z, o: o * (x + y)), "add the direct path's 1"),
    "z's path through b missing": (_graph_answers(dw_dz=lambda x, y, z, o: 1.0), "the path through b"),
    "other factor": (_graph_answers(dw_dx=lambda x, y, z, o: x + y), "the other factor"),
    "dw/do without a": (_graph_answers(dw_do=lambda x, y, z, o: z), "the gradient arriving at b is a"),
    "c as a sum": (_graph_answers(c=lambda x, y, z, o: x + y + z * o), "a product"),
    "w without z": (_graph_answers(w=lambda x, y, z, o: (x + y) * z * o), "add z"),
}


@pytest.mark.parametrize("case", list(GRAPH))
def test_homework_graph_check(case):
    _check(selfcheck.check_homework_graph, *GRAPH[case])


# Reasonable alternative forms of a right answer are accepted; reasonable wrong ones are named.
def test_vectors_may_come_as_rows_or_columns():
    assert selfcheck.check_bce_output_gradient(lambda yh, y: ((yh - y) / y.size)[None, :]).ok
    assert selfcheck.check_forward(lambda x, W1, b1, W2, b2: (W2 @ (5 * np.maximum(W1 @ x + b1, 0)) + b2)[:, None]).ok

    def columns(*args):
        return {k: (v[:, None] if v.ndim == 1 else v) for k, v in _regression_backward()(*args).items()}

    assert selfcheck.check_regression_backward(columns).ok
    # ...but not where the shape is the point: dl/dy_hat of 1.2(d) is a row
    assert "row" in selfcheck.check_jacobians(_jacobians(column=1)).message


def test_sympy_numbers_and_lists_are_numbers():
    import sympy as sp

    right = _graph_answers()
    assert selfcheck.check_homework_graph(lambda *a: {k: sp.Float(v) for k, v in right(*a).items()}).ok
    assert selfcheck.check_collapse(lambda W1, b1, W2, b2: [W2 @ W1, W2 @ b1 + b2]).ok


def test_softmax_with_the_batch_maximum_is_named():
    def batch_max(z, t):
        e = np.exp((z - z.max()) / t)
        return e / e.sum(axis=-1, keepdims=True)

    assert "each row's own maximum" in selfcheck.check_softmax(batch_max).message


def test_tanh_logistic_gradient_needs_both_labels():
    assert (
        "right for y = -1 only"
        in selfcheck.check_tanh_logistic_gradient(lambda w, b, x, y: (1 + np.tanh(b + w @ x)) * x).message
    )
    assert (
        "right for y = +1 only"
        in selfcheck.check_tanh_logistic_gradient(lambda w, b, x, y: -(1 - np.tanh(b + w @ x)) * x).message
    )
