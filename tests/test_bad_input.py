"""Issue 10, "nothing silently wrong, nothing stuck": every public function a student calls refuses bad
input at once with a ValueError or TypeError whose message names the argument, what was expected and
what came; NaN propagates through the activations; self-checks turn any junk into "not yet: ...".

Each row of BAD is (call, error class, fragments of the message).
"""

from functools import partial

import numpy as np
import pytest

import helpers
from helpers import (
    MLP,
    Network,
    answers,
    computational_graph,
    data,
    display,
    linear_transformations,
    loss_derivation,
    losses,
    plotting,
    selfcheck,
    symbolic,
    textinput,
    widgets,
)
from helpers import activations as A
from helpers._validate import MESSAGE_LENGTH
from helpers.depth import mean_slopes
from helpers.gradcheck import network_gradients, norm_rel_error, numerical_gradient, rel_error, round_off
from helpers.jacobians import mlp_jacobians
from helpers.training import five_steps, sgd_update, train
from helpers.verdict import Verdict

X, Y = np.ones((4, 2)), np.ones((4, 1))
V = np.array([1.0, 2.0])
SIGNS_X, SIGNS_Y = np.ones((3, 2)), np.array([1.0, -1.0, 1.0])
MILLION = "1," * 500_000


def net():
    return MLP(2, 3, "relu", 3, 1, "identity")


def forwarded():
    n = net()
    n.forward(X)
    return n


def read_only():
    v = np.ones(2)
    v.setflags(write=False)
    return v


def make_net():
    return MLP(2, 4, "tanh", 4, 1, "identity", init="lecun", seed=0)


ACTIVATION_ROWS = [
    (lambda: A.relu("1.5"), TypeError, ["z", "real number", "str", "'1.5'"]),
    (lambda: A.sigmoid("1.5"), TypeError, ["z", "real number", "str", "'1.5'"]),
    (lambda: A.d_relu(None), TypeError, ["z", "real number", "NoneType"]),
    (lambda: A.gelu([True, False]), TypeError, ["z", "real number", "booleans"]),
    (lambda: A.softplus([1 + 2j]), TypeError, ["z", "real number", "complex"]),
    (lambda: A.tanh(np.array([1, "a"], dtype=object)), TypeError, ["z", "real number", "objects"]),
    (lambda: A.leaky_relu([1.0], negative_slope=np.nan), ValueError, ["negative_slope", "finite", "nan"]),
    (lambda: A.d_leaky_relu([1.0], negative_slope="0.1"), TypeError, ["negative_slope", "real number", "str"]),
    (lambda: A.scaled_relu([1.0], scale=None), TypeError, ["scale", "real number", "NoneType"]),
    (lambda: A.softplus([1.0], beta=0), ValueError, ["beta", "> 0", "0"]),
    (lambda: A.d_softplus([1.0], beta=np.inf), ValueError, ["beta", "finite", "inf"]),
    (lambda: A.softplus([1.0], threshold=-1), ValueError, ["threshold", "> 0", "-1"]),
    (lambda: A.gelu([1.0], approximate="fast"), ValueError, ["approximate", "'tanh'", "'fast'"]),
    (lambda: A.softmax([1.0, np.inf]), ValueError, ["z", "finite", "inf"]),
    (lambda: A.softmax([1.0, 2.0], temperature=0), ValueError, ["temperature", "> 0", "0"]),
    (lambda: A.softmax([1.0, 2.0], temperature=np.nan), ValueError, ["temperature", "finite", "nan"]),
    (lambda: A.softmax([]), ValueError, ["z", "at least one logit", "(0,)"]),
    (lambda: A.softmax([1.0, 2.0], axis=1), ValueError, ["axis", "-1..0", "got 1"]),
    (lambda: A.softmax([1.0, 2.0], axis="last"), TypeError, ["axis", "integer", "str"]),
    (lambda: A.argmax_onehot([[1.0, 2.0]]), ValueError, ["z", "1-D", "(1, 2)"]),
    (lambda: A.argmax_onehot([np.nan, 1.0]), ValueError, ["z", "finite", "nan"]),
    (lambda: A.argmax_onehot([]), ValueError, ["z", "at least one logit", "(0,)"]),
    (lambda: A.softmax_jacobian([0.5, 0.7]), ValueError, ["p", "probability vector", "summing to 1.2"]),
    (lambda: A.softmax_jacobian([[0.5, 0.5]]), ValueError, ["p", "1-D", "(1, 2)"]),
    (lambda: A.get_activation("swish"), ValueError, ["activation", "'relu'", "'gelu'", "'swish'"]),
    (lambda: A.Activation("swish"), ValueError, ["activation", "'relu'", "'gelu'", "'swish'"]),
    (lambda: A.Activation("relu", {"slope": 2}), TypeError, ["'relu'", "parameters", "slope"]),
    (lambda: A.Activation("leaky_relu", {"negative_slope": np.nan}), ValueError, ["negative_slope", "finite", "nan"]),
    (lambda: A.Activation("relu", 3), TypeError, ["params", "dict", "int"]),
    (lambda: A.get_activation(None), TypeError, ["activation", "name", "NoneType"]),
]

LOSS_ROWS = [
    (lambda: losses.mse(np.zeros((2, 3)), np.zeros((3, 2))), ValueError, ["y_hat", "y", "(2, 3)", "(3, 2)"]),
    (lambda: losses.mse("abc", [1.0]), TypeError, ["y_hat", "real number", "str"]),
    (lambda: losses.mse([True], [1.0]), TypeError, ["y_hat", "real number", "booleans"]),
    (lambda: losses.mse([1.0], [1j]), TypeError, ["y", "real number", "complex"]),
    (lambda: losses.mse([], []), ValueError, ["y_hat", "at least one element", "(0,)"]),
    (lambda: losses.mse([1.0], [1.0], reduction="avg"), ValueError, ["reduction", "'mean'", "'sum'", "'avg'"]),
    (lambda: losses.bce([0.5], [2.0]), ValueError, ["y", "{0.0, 1.0}", "2.0"]),
    (lambda: losses.bce([1.5], [1.0]), ValueError, ["y_hat", "[0.0, 1.0]", "1.5"]),
    (lambda: losses.bce([np.nan], [1.0]), ValueError, ["y_hat", "finite", "nan"]),
    (lambda: losses.bce_with_logits([0.5], [-1.0]), ValueError, ["y", "{0.0, 1.0}", "-1.0"]),
    (lambda: losses.perceptron([0.5], [0.0]), ValueError, ["y", "{-1.0, 1.0}", "got 0.0"]),
    (lambda: losses.adaline([None], [1.0]), TypeError, ["y_hat", "real number", "objects"]),
    (lambda: losses.tanh_logistic([0.5], [0.5]), ValueError, ["y", "{-1.0, 1.0}", "got 0.5"]),
    (lambda: losses.call_loss(3, [1.0], [1.0]), TypeError, ["loss", "function", "int"]),
    (lambda: losses.call_loss(losses.bce_with_logits, [0.5], [1.0]), TypeError, ["y_hat=", "y=", "bce_with_logits"]),
    (lambda: losses.call_loss(lambda y_hat, y: 3.0, [1.0], [1.0]), TypeError, ["loss", "pair (J, dJ/dy_hat)", "float"]),
    (
        lambda: losses.call_loss(lambda y_hat, y: ("a", y_hat), [1.0], [1.0]),
        TypeError,
        ["the J the loss returned", "real number", "str"],
    ),
    (
        lambda: losses.call_loss(lambda y_hat, y: (1.0, np.ones(3)), [1.0], [1.0]),
        ValueError,
        ["the gradient the loss returned", "y_hat", "(3,)", "(1,)"],
    ),
    (
        lambda: losses.call_loss(partial(losses.mse, reduction="none"), [1.0, 2.0], [1.0, 1.0]),
        ValueError,
        ["scalar J", "'mean' or 'sum'", "(2,)"],
    ),
    (lambda: helpers.mse_loss(np.zeros((2, 1)), np.zeros((2, 2))), ValueError, ["y_hat", "(2, 2)", "(2, 1)"]),
    (lambda: helpers.bce_loss(np.full((2, 1), 0.3), np.full((2, 1), 0.5)), ValueError, ["y", "{0.0, 1.0}", "0.3"]),
]

NETWORK_ROWS = [
    (lambda: Network([3.5, 2], ["relu"]), TypeError, ["sizes[0]", "integer", "float", "3.5"]),
    (lambda: Network(["3", 2], ["relu"]), TypeError, ["sizes[0]", "integer", "str", "'3'"]),
    (lambda: Network([True, 2], ["relu"]), TypeError, ["sizes[0]", "integer", "bool"]),
    (lambda: Network([2, 0], ["relu"]), ValueError, ["sizes[1]", ">= 1", "got 0"]),
    (lambda: Network([2], []), ValueError, ["sizes", "at least two", "[2]"]),
    (lambda: Network("2, 3", ["relu"]), TypeError, ["sizes", "list of layer widths", "str"]),
    (lambda: Network({2: 1, 3: 1}, ["relu"]), TypeError, ["sizes", "list of layer widths", "dict"]),
    (lambda: Network([10**5, 10**5, 1], ["relu"] * 2), ValueError, ["sizes", "at most 10_000_000", "10_000_200_001"]),
    (lambda: Network([2, 3], ["relu", "relu"]), ValueError, ["activations", "1 entries", "got 2"]),
    (lambda: Network([2, 3], "relu"), TypeError, ["activations", "list", "str"]),
    (
        lambda: Network([2, 3], ["relu"], init="xavier"),
        ValueError,
        ["init", "'randn'", "'lecun'", "'glorot'", "'he'", "'xavier'"],
    ),
    (lambda: Network([2, 3], ["relu"], seed=None), TypeError, ["seed", "integer", "NoneType"]),
    (lambda: Network([2, 3], ["relu"], seed=-1), ValueError, ["seed", ">= 0", "-1"]),
    (lambda: Network([2, 3], ["relu"], seed=1.5), TypeError, ["seed", "integer", "float"]),
    (lambda: MLP(2, 3.5, "relu", 3.5, 1, "identity"), TypeError, ["linear_1_out_features", "integer", "float", "3.5"]),
    (lambda: MLP(2, "3", "relu", "3", 1, "identity"), TypeError, ["linear_1_out_features", "integer", "str", "'3'"]),
    (lambda: MLP(2, 3, "relu", 4, 1, "identity"), ValueError, ["linear_2_in_features", "(3)", "got 4"]),
    (lambda: MLP(2, 3, "swish", 3, 1, "identity"), ValueError, ["activation", "'relu'", "'swish'"]),
    (lambda: net().forward(np.zeros((4, 3))), ValueError, ["x", "(any, 2)", "(4, 3)"]),
    (lambda: net().forward(np.zeros(2)), ValueError, ["x", "2-D", "(2,)"]),
    (lambda: net().forward([["a", "b"]]), TypeError, ["x", "real number", "text"]),
    (lambda: net().forward([[np.nan, 1.0]]), ValueError, ["x", "finite", "nan"]),
    (lambda: net().forward([[1j, 1.0]]), TypeError, ["x", "real number", "complex"]),
    (lambda: net().forward(np.zeros((0, 2))), ValueError, ["x", "at least one sample", "(0, 2)"]),
    (lambda: forwarded().backward(np.zeros((4, 2))), ValueError, ["dJdy_hat", "(4, 1)", "(4, 2)"]),
    (lambda: forwarded().backward(np.full((4, 1), np.inf)), ValueError, ["dJdy_hat", "finite", "inf"]),
    (lambda: forwarded().pre_activation(0), ValueError, ["l", "1..2", "got 0"]),
    (lambda: forwarded().pre_activation(1.0), TypeError, ["l", "integer", "float"]),
    (lambda: forwarded().layer_output(3), ValueError, ["l", "0..2", "got 3"]),
    (lambda: forwarded().layer_output("1"), TypeError, ["l", "integer", "str"]),
]

TRAINING_ROWS = [
    (lambda: train(net(), X, Y, losses.mse, lr=0, steps=5), ValueError, ["lr", "> 0", "0"]),
    (lambda: train(net(), X, Y, losses.mse, lr="0.1", steps=5), TypeError, ["lr", "real number", "str"]),
    (lambda: train(net(), X, Y, losses.mse, lr=np.nan, steps=5), ValueError, ["lr", "finite", "nan"]),
    (lambda: train(net(), X, Y, losses.mse, lr=0.1, steps=3.5), TypeError, ["steps", "integer", "float", "3.5"]),
    (lambda: train(net(), X, Y, losses.mse, lr=0.1, steps=10**9), ValueError, ["steps", "<= 100_000", "1000000000"]),
    (
        lambda: train(net(), X, Y, losses.bce_with_logits, 0.1, 5),
        TypeError,
        ["loss", "y_hat=", "y=", "bce_with_logits"],
    ),
    (lambda: train(None, X, Y, losses.mse, 0.1, 5), TypeError, ["net", "Network", "NoneType"]),
    (lambda: train(net(), X, Y, losses.mse, 0.1, 5, diverged=-1), ValueError, ["diverged", "> 0", "-1"]),
    (lambda: train(net(), X, np.ones((4, 2)), losses.mse, 0.1, 5), ValueError, ["y_hat", "y", "(4, 1)", "(4, 2)"]),
    (
        lambda: five_steps(net(), X, Y, losses.mse, 0.1, zero_grad="no"),
        TypeError,
        ["zero_grad", "True or False", "str"],
    ),
    (lambda: five_steps(net(), X, Y, None, 0.1), TypeError, ["loss", "function", "NoneType"]),
    (lambda: sgd_update(net(), -0.1), ValueError, ["lr", "> 0", "-0.1"]),
    (lambda: sgd_update("net", 0.1), TypeError, ["net", "Network", "str"]),
]

GRADCHECK_ROWS = [
    (lambda: numerical_gradient(3, V.copy()), TypeError, ["f", "function", "int"]),
    (lambda: numerical_gradient(lambda: 1.0, [1.0]), TypeError, ["x", "float64 numpy array", "list"]),
    (lambda: numerical_gradient(lambda: 1.0, np.array([1, 2])), TypeError, ["x", "float64", "dtype int64"]),
    (lambda: numerical_gradient(lambda: 1.0, V.copy(), h=0), ValueError, ["h", "> 0", "0"]),
    (lambda: numerical_gradient(lambda: 1.0, V.copy(), h=1e308), ValueError, ["h", "x + 2h finite", "1e+308"]),
    (lambda: numerical_gradient(lambda: 1.0, V.copy(), h=1e-300), ValueError, ["h", "differs from x", "1e-300"]),
    (lambda: numerical_gradient(lambda: 1.0, V.copy(), order=3), ValueError, ["order", "2 or 4", "3"]),
    (lambda: numerical_gradient(lambda: "a", V.copy()), TypeError, ["f", "real number", "str"]),
    (lambda: numerical_gradient(lambda: None, V.copy()), TypeError, ["f", "real number", "NoneType"]),
    (lambda: numerical_gradient(lambda: 1.0, np.array([np.nan])), ValueError, ["x", "finite", "nan"]),
    (lambda: numerical_gradient(lambda: 1.0, read_only()), ValueError, ["x", "writable", "read-only"]),
    (lambda: rel_error(np.zeros(2), np.zeros(3)), ValueError, ["same shape", "(2,)", "(3,)"]),
    (lambda: rel_error("a", [1.0]), TypeError, ["a", "real number", "str"]),
    (lambda: rel_error(None, [1.0]), TypeError, ["a", "real number", "NoneType"]),
    (lambda: norm_rel_error([1.0], [1.0], atol=-1), ValueError, ["atol", ">= 0", "-1"]),
    (lambda: norm_rel_error([1.0], [1j]), TypeError, ["b", "real number", "complex"]),
    (lambda: network_gradients(None, X, Y, losses.mse), TypeError, ["net", "Network", "NoneType"]),
    (lambda: network_gradients(net(), X, Y, losses.bce_with_logits), TypeError, ["y_hat=", "y="]),
    (lambda: network_gradients(net(), "x", Y, losses.mse), TypeError, ["x", "real number", "str"]),
    (lambda: round_off(1.0, 1e-3, order=3), ValueError, ["order", "2 or 4", "3"]),
]

LINEAR_DATA_RULES_ROWS = [
    (lambda: linear_transformations.scaling(np.nan), ValueError, ["factor", "finite", "nan"]),
    (lambda: linear_transformations.scaling("2"), TypeError, ["factor", "real number", "str"]),
    (
        lambda: linear_transformations.rotation(np.array([0.1, 0.2])),
        TypeError,
        ["theta", "real number", "array", "[0.1, 0.2]"],
    ),
    (lambda: linear_transformations.rotation(np.inf), ValueError, ["theta", "finite", "inf"]),
    (lambda: linear_transformations.reflection(True), TypeError, ["phi", "real number", "bool"]),
    (lambda: linear_transformations.shear(None), TypeError, ["k", "real number", "NoneType"]),
    (lambda: linear_transformations.matrix(np.eye(3)), ValueError, ["matrix", "(2, 2)", "(3, 3)"]),
    (lambda: linear_transformations.matrix([[1.0, np.nan], [0.0, 1.0]]), ValueError, ["matrix", "finite", "nan"]),
    (lambda: linear_transformations.is_orthogonal(np.eye(2), tol=-1), ValueError, ["tol", ">= 0", "-1"]),
    (lambda: data.regression(n=3.5), TypeError, ["n", "integer", "float", "3.5"]),
    (lambda: data.circles(n="3"), TypeError, ["n", "integer", "str", "'3'"]),
    (lambda: data.regression(n=True), TypeError, ["n", "integer", "bool"]),
    (lambda: data.signed_classes(seed=None), TypeError, ["seed", "integer", "NoneType"]),
    (lambda: data.regression(noise=np.nan), ValueError, ["noise", "finite", "nan"]),
    (lambda: data.circles(noise=-1), ValueError, ["noise", ">= 0", "-1"]),
    (lambda: data.signed_classes(n=10**12), ValueError, ["n", "<= 1_000_000", "1000000000000"]),
    (
        lambda: loss_derivation.rule_step("svm", [1.0], 0.0, [1.0], 1.0, 0.1),
        ValueError,
        ["model", "'perceptron'", "'svm'"],
    ),
    (
        lambda: loss_derivation.rule_step("perceptron", [1.0], 0.0, [1.0], 0.0, 0.1),
        ValueError,
        ["y", "{-1.0, 1.0}", "0.0"],
    ),
    (
        lambda: loss_derivation.rule_step("perceptron", [1.0], 0.0, [1.0], True, 0.1),
        TypeError,
        ["y", "real number", "bool"],
    ),
    (lambda: loss_derivation.rule_step("adaline", [1.0], 0.0, [1.0, 2.0], 1.0, 0.1), ValueError, ["x", "(1,)", "(2,)"]),
    (lambda: loss_derivation.loss_step("adaline", [1.0], np.nan, [1.0], 1.0, 0.1), ValueError, ["b", "finite", "nan"]),
    (lambda: loss_derivation.loss_step("adaline", [1.0], 0.0, [1.0], 1.0, 0), ValueError, ["lr", "> 0", "0"]),
    (
        lambda: loss_derivation.trajectories("adaline", SIGNS_X, [1.0, 2.0, 1.0], 0.1),
        ValueError,
        ["Y", "{-1.0, 1.0}", "2.0"],
    ),
    (
        lambda: loss_derivation.trajectories("adaline", SIGNS_X, SIGNS_Y, 0.1, epochs=1.5),
        TypeError,
        ["epochs", "integer", "float"],
    ),
    (
        lambda: loss_derivation.trajectories("adaline", SIGNS_X, SIGNS_Y, 0.1, epochs=10**9),
        ValueError,
        ["epochs", "<=", "10000"],
    ),
    (
        lambda: loss_derivation.trajectories("adaline", SIGNS_X, SIGNS_Y, 0.1, w0=[1.0] * 3),
        ValueError,
        ["w0", "(2,)", "(3,)"],
    ),
]

GRAPH_TEXT_ROWS = [
    (lambda: computational_graph.Value("1"), TypeError, ["data", "real number", "str", "'1'"]),
    (lambda: computational_graph.Value(np.nan), ValueError, ["data", "finite", "nan"]),
    (lambda: computational_graph.Value(1.0, children=(1, 2)), TypeError, ["children", "tuple of Values", "(1, 2)"]),
    (lambda: computational_graph.Value(1.0, label=3), TypeError, ["label", "text", "int"]),
    (
        lambda: computational_graph.Value(1e308) * computational_graph.Value(1e308),
        ValueError,
        ["1e+308 * 1e+308", "overflows", "finite"],
    ),
    (lambda: computational_graph.build("x*y", [1]), TypeError, ["values", "dict", "list"]),
    (lambda: computational_graph.build("x*y", {"x": 1, "y": "2"}), TypeError, ["the value of y", "real number", "str"]),
    (lambda: computational_graph.build("x*q", {"x": 1}), ValueError, ["'q'", "no value", "['x']"]),
    (lambda: computational_graph.check_expression("1e999 * x"), ValueError, ["expression", "finite numbers", "inf"]),
    (lambda: computational_graph.check_expression("x - y"), ValueError, ["expression", "+ and *", "Sub"]),
    (lambda: computational_graph.check_expression(3), TypeError, ["expression", "text", "int"]),
    (
        lambda: computational_graph.check_expression("x+" * 500_000 + "x"),
        ValueError,
        ["expression", "at most 200", "1000001"],
    ),
    (lambda: computational_graph.topological_order(3), TypeError, ["root", "Value", "int"]),
    (lambda: textinput.parse_numbers(MILLION), ValueError, ["logits", "at most 1000 characters", "1000000"]),
    (lambda: textinput.parse_numbers(" ".join(["1"] * 100)), ValueError, ["logits", "at most 64 numbers", "100"]),
    (lambda: textinput.parse_numbers("1, abc"), ValueError, ["logits", "numbers separated by commas", "'abc'"]),
    (lambda: textinput.parse_numbers("1, nan"), ValueError, ["logits", "finite", "'nan'"]),
    (lambda: textinput.parse_numbers("1e400"), ValueError, ["logits", "finite", "'1e400'"]),
    (lambda: textinput.parse_numbers(None), TypeError, ["logits", "text", "NoneType"]),
    (lambda: textinput.parse_numbers(""), ValueError, ["logits", "empty", "'1, 2, 3'"]),
    (lambda: textinput.parse_assignments("x=1, x=2"), ValueError, ["values", "each name once", "'x'"]),
    (lambda: textinput.parse_assignments("x=1, y"), ValueError, ["values", "'x=2, y=-3'", "'y'"]),
    (lambda: textinput.parse_assignments("x=inf"), ValueError, ["the value of x", "finite", "'inf'"]),
    (lambda: textinput.parse_assignments(3), TypeError, ["values", "text", "int"]),
]

EXPLORER_ROWS = [
    (lambda: widgets.softmax_explorer(temperature=0), ValueError, ["temperature", "[0.01, 100]", "got 0"]),
    (lambda: widgets.softmax_explorer(temperature=1e6), ValueError, ["temperature", "[0.01, 100]", "1e+06"]),
    (lambda: widgets.softmax_explorer(temperature=np.nan), ValueError, ["temperature", "finite", "nan"]),
    (lambda: widgets.softmax_explorer(temperature="1"), TypeError, ["temperature", "real number", "str"]),
    (lambda: widgets.softmax_explorer(logits=MILLION), ValueError, ["logits", "at most 1000 characters", "1000000"]),
    (lambda: widgets.softmax_explorer(logits=[1, 2]), TypeError, ["logits", "text", "list"]),
    (
        lambda: widgets.activation_derivatives_explorer(negative_slope=-0.1),
        ValueError,
        ["negative_slope", "[0, 0.5]", "-0.1"],
    ),
    (
        lambda: widgets.activation_derivatives_explorer(negative_slope=np.nan),
        ValueError,
        ["negative_slope", "finite", "nan"],
    ),
    (lambda: widgets.activation_derivatives_explorer(beta=100), ValueError, ["beta", "[0.1, 10]", "got 100"]),
    (lambda: widgets.transformation_explorer("rotate"), ValueError, ["kind", "'rotation'", "'rotate'"]),
    (
        lambda: widgets.learning_rate_explorer(make_net, X, Y, losses.mse, lr=1e150),
        ValueError,
        ["lr", "[0.001, 1]", "1e+150"],
    ),
    (lambda: widgets.learning_rate_explorer(make_net, X, Y, losses.mse, steps=0), ValueError, ["steps", ">= 1", "0"]),
    (
        lambda: widgets.learning_rate_explorer(None, X, Y, losses.mse),
        TypeError,
        ["make_net", "function", "NoneType"],
    ),
    (lambda: widgets.learning_rate_explorer(make_net, X, Y, losses.bce_with_logits), TypeError, ["y_hat=", "y="]),
    (lambda: widgets.graph_explorer(expression="x - y"), ValueError, ["expression", "+ and *", "Sub"]),
    (lambda: widgets.graph_explorer(values=None), TypeError, ["values", "text", "NoneType"]),
]

# Issue 14, part 3: what an adversarial pass over the public API found -----------------------------

TWO_POINTS = np.array([[0.0, 0.0], [1.0, 0.0]])
THREE_POINTS = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
TWO_LAYERS = {"W1": np.ones((3, 2)), "b1": np.ones(3), "W2": np.ones((1, 3)), "b2": np.ones(1)}
MAX_POINTS = linear_transformations.MAX_LINE_POINTS


def two_layers(**changes):
    """TWO_LAYERS with some entries replaced (None: removed)."""
    return {k: v for k, v in {**TWO_LAYERS, **changes}.items() if v is not None}


def classes(x=THREE_POINTS, y=(0.0, 1.0, 1.0)):
    return plotting.classes(plotting.figure()[1], x, y)


def answers_of(problem="1.2", **changes):
    """answers.answers with x (3,), y (2,), W1 (4, 3), b1 (4,), W2 (2, 4), b2 (2,), some replaced."""
    shapes = {"x": (3,), "y": (2,), "W1": (4, 3), "b1": (4,), "W2": (2, 4), "b2": (2,)}
    args = {k: changes.get(k, np.ones(shape)) for k, shape in shapes.items()}
    return answers.answers(problem, **args)


ISSUE_14_ROWS = [
    (
        lambda: linear_transformations.best_line_accuracy(np.zeros((0, 2)), np.zeros(0)),
        ValueError,
        ["x", "at least one point", "(0, 2)"],
    ),
    (
        lambda: linear_transformations.best_line_accuracy(TWO_POINTS, [-1.0, 1.0]),
        ValueError,
        ["labels", "{0.0, 1.0}", "got -1.0"],
    ),
    (
        lambda: linear_transformations.best_line_accuracy(TWO_POINTS, [[0.0], [2.0]]),
        ValueError,
        ["labels", "{0.0, 1.0}", "got 2.0"],
    ),
    (
        lambda: linear_transformations.best_line_accuracy(np.zeros((MAX_POINTS + 1, 2)), np.zeros(MAX_POINTS + 1)),
        ValueError,
        ["x", f"at most {MAX_POINTS:_} points", f"got {MAX_POINTS + 1:_}"],
    ),
    (
        lambda: linear_transformations.best_line_accuracy(THREE_POINTS, [0.0, 1.0]),
        ValueError,
        ["labels", "(3,)", "(2,)"],
    ),
    (lambda: linear_transformations.collapse({}), ValueError, ["parameters", "W1, b1, ..., WL, bL", "L >= 1", "[]"]),
    (lambda: linear_transformations.collapse([np.eye(2)]), TypeError, ["parameters", "dict", "list"]),
    (
        lambda: linear_transformations.collapse(two_layers(b2=None)),
        ValueError,
        ["parameters", "b2", "['W1', 'W2', 'b1']"],
    ),
    (
        lambda: linear_transformations.collapse(two_layers(b1=None)),
        ValueError,
        ["parameters", "b1", "['W1', 'W2', 'b2']"],
    ),
    (
        lambda: linear_transformations.collapse(two_layers(W4=np.ones((1, 1)))),
        ValueError,
        ["parameters", "only W1, b1, W2, b2", "'W4'"],
    ),
    (
        lambda: linear_transformations.collapse(two_layers(W2=np.ones((1, 2)))),
        ValueError,
        ["parameters['W2']", "(any, 3)", "(1, 2)"],
    ),
    (
        lambda: linear_transformations.collapse(two_layers(b1=np.ones(2))),
        ValueError,
        ["parameters['b1']", "(3,)", "(2,)"],
    ),
    (
        lambda: linear_transformations.collapse(two_layers(b2=np.ones((1, 1)))),
        ValueError,
        ["parameters['b2']", "1-D", "(1, 1)"],
    ),
    (
        lambda: linear_transformations.collapse(two_layers(W1="abc")),
        TypeError,
        ["parameters['W1']", "real number", "str"],
    ),
    (lambda: classes(y=[-1.0, 1.0, 1.0]), ValueError, ["y", "{0.0, 1.0}", "got -1.0"]),
    (lambda: classes(x=np.ones((3, 3))), ValueError, ["x", "(any, 2)", "(3, 3)"]),
    (lambda: classes(y=[0.0, 1.0]), ValueError, ["y", "(3,)", "(2,)"]),
    (lambda: classes(x="abc"), TypeError, ["x", "real number", "str"]),
    (lambda: plotting.heatmaps({"A": np.zeros((0, 3))}), ValueError, ["matrices['A']", "at least one entry", "(0, 3)"]),
    (lambda: plotting.heatmaps({}), ValueError, ["matrices", "at least one", "empty dict"]),
    (lambda: plotting.heatmaps([np.eye(2)]), TypeError, ["matrices", "dict", "list"]),
    (lambda: plotting.heatmaps({"B": np.ones((2, 2, 2))}), ValueError, ["matrices['B']", "2-D", "(2, 2, 2)"]),
    (lambda: plotting.draw_loss_curve(plotting.figure()[1], "abc", 0.1), TypeError, ["history", "real number", "str"]),
    (
        lambda: train(net(), X, Y, losses.mse, 0.1, 5, callback="abc"),
        TypeError,
        ["callback", "None or a function", "str", "'abc'"],
    ),
    (lambda: mlp_jacobians({"W1": 1}, V, V, losses.mse), TypeError, ["net", "Network", "dict"]),
    (lambda: mlp_jacobians(None, V, V, losses.mse), TypeError, ["net", "Network", "NoneType"]),
    (lambda: mean_slopes({}, X), TypeError, ["net", "Network", "dict"]),
    (lambda: mean_slopes(None, X), TypeError, ["net", "Network", "NoneType"]),
    (lambda: answers_of("1.4"), ValueError, ["problem", "'1.2'", "'1.3(a)'", "'1.3(b)'", "got '1.4'"]),
    (lambda: answers_of(None), ValueError, ["problem", "'1.2'", "got None"]),
    (lambda: answers_of(x=np.ones(4)), ValueError, ["x", "(3,)", "(4,)", "columns of W1"]),
    (lambda: answers_of(x=np.ones((1, 3))), ValueError, ["x", "1-D", "(1, 3)"]),
    (lambda: answers_of(y=np.ones(3)), ValueError, ["y", "(2,)", "(3,)", "rows of W2"]),
    (lambda: answers_of(W1=np.ones(3)), ValueError, ["W1", "2-D", "(3,)"]),
    (lambda: answers_of(b1=np.ones(3)), ValueError, ["b1", "(4,)", "(3,)", "rows of W1"]),
    (lambda: answers_of(W2=np.ones((2, 3))), ValueError, ["W2", "(any, 4)", "(2, 3)"]),
    (lambda: answers_of(b2=np.ones(3)), ValueError, ["b2", "(2,)", "(3,)"]),
    (lambda: answers_of(x="abc"), TypeError, ["x", "real number", "str"]),
    (lambda: answers.verify("1.2", x="abc", y=np.ones(2)), TypeError, ["x", "real number", "str"]),
    (lambda: answers.verify("1.2", x=np.ones(3), y=None), TypeError, ["y", "real number", "NoneType"]),
    (lambda: answers.verify("1.2", x=np.ones((2, 3)), y=np.ones(2)), ValueError, ["x", "1-D", "(2, 3)"]),
    (lambda: answers.verify("1.2", x=np.ones(3), y=[]), ValueError, ["y", "at least one entry", "(0,)"]),
    (lambda: answers.verify("1.4", x=np.ones(3), y=np.ones(2)), ValueError, ["problem", "'1.2'", "'1.4'"]),
    (lambda: display.markdown_table(("a", "b"), [(1, 2), (3,)]), ValueError, ["rows[1]", "2 cells", "got 1"]),
    (lambda: display.markdown_table("ab", [("a", "b")]), TypeError, ["header", "tuple or list", "str"]),
    (lambda: display.markdown_table((), []), ValueError, ["header", "at least one cell", "()"]),
    (lambda: display.markdown_table(("a",), 3), TypeError, ["rows", "list of tuples", "int"]),
    (lambda: display.markdown_table(("a",), ["x"]), TypeError, ["rows[0]", "tuple or list", "str"]),
    (
        lambda: symbolic.network_gradients(net(), np.ones((4, 3)), Y, losses.mse),
        ValueError,
        ["x", "(any, 2)", "(4, 3)"],
    ),
    (lambda: symbolic.network_gradients(net(), np.ones(2), Y, losses.mse), ValueError, ["x", "2-D", "(2,)"]),
    (lambda: symbolic.network_gradients(net(), X, np.ones((3, 1)), losses.mse), ValueError, ["y", "(4, 1)", "(3, 1)"]),
    (lambda: symbolic.network_gradients(net(), X, np.ones((4, 2)), losses.mse), ValueError, ["y", "(4, 1)", "(4, 2)"]),
    (lambda: symbolic.network_gradients(None, X, Y, losses.mse), TypeError, ["net", "Network", "NoneType"]),
    (
        lambda: computational_graph.build("𝐱*2", {"𝐱": 2, "x": 3}),
        ValueError,
        ["values", "each name once", "'𝐱'", "'x'", "same name 'x'", "NFKC"],
    ),
    (lambda: computational_graph.build("x*2", {"x": 2, 3: 1}), TypeError, ["values", "text names", "key 3"]),
]


BAD = {
    "activations": ACTIVATION_ROWS,
    "losses": LOSS_ROWS,
    "network": NETWORK_ROWS,
    "training": TRAINING_ROWS,
    "gradcheck": GRADCHECK_ROWS,
    "linear-data-rules": LINEAR_DATA_RULES_ROWS,
    "graph-text": GRAPH_TEXT_ROWS,
    "explorers": EXPLORER_ROWS,
    "issue-14": ISSUE_14_ROWS,
}
ROWS = [pytest.param(*row, id=f"{group}-{i}") for group, rows in BAD.items() for i, row in enumerate(rows)]


def test_the_table_has_at_least_sixty_rows():
    assert len(ROWS) >= 60


@pytest.mark.parametrize(("call", "exc", "words"), ROWS)
def test_bad_input_is_refused_with_a_message_that_names_it(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    assert type(info.value) in (ValueError, TypeError)
    message = str(info.value)
    for w in words:
        assert w in message, (w, message)
    assert len(message) <= 300, message  # what came is quoted cut short, never whole


# Activations: real numbers in, float64 out, NaN propagates -------------------------------------

PUBLIC = [getattr(A, name) for name in A.ACTIVATIONS] + [getattr(A, "d_" + name) for name in A.ACTIVATIONS]


@pytest.mark.parametrize("fn", PUBLIC, ids=lambda fn: fn.__name__)
def test_nan_propagates_through_every_activation_and_derivative(fn):
    out = fn(np.array([np.nan, -1.0, 0.5]))
    assert np.isnan(out[0]) and np.all(np.isfinite(out[1:])), out


def test_relu_slope_of_nan_is_nan():
    assert np.isnan(A.d_relu([np.nan])[0])


@pytest.mark.parametrize("fn", PUBLIC, ids=lambda fn: fn.__name__)
@pytest.mark.parametrize("dtype", [np.int64, np.int8, np.float16, np.float32])
def test_activations_return_float64(fn, dtype):
    out = fn(np.array([-2, 0, 3], dtype=dtype))
    assert out.dtype == np.float64 and out.shape == (3,)


@pytest.mark.parametrize("fn", PUBLIC, ids=lambda fn: fn.__name__)
@pytest.mark.parametrize("bad", ["1.5", [1 + 1j], [True], None, np.array([1.0, "a"], dtype=object)])
def test_activations_refuse_what_is_not_a_real_number(fn, bad):
    with pytest.raises(TypeError, match="^z must be a real number"):
        fn(bad)


@pytest.mark.parametrize("fn", PUBLIC, ids=lambda fn: fn.__name__)
def test_activations_at_huge_values_are_their_limits_without_warnings(fn):
    out = fn(np.array([-1e308, -1e200, 1e200, 1e308]))  # pytest turns any RuntimeWarning into an error
    assert not np.any(np.isnan(out)), out


def test_huge_and_infinite_inputs_give_the_exact_limits():
    z = np.array([-np.inf, -1e308, 1e308, np.inf])
    for approximate in ("none", "tanh"):
        np.testing.assert_array_equal(A.gelu(z, approximate=approximate), [0.0, 0.0, 1e308, np.inf])
        np.testing.assert_array_equal(A.d_gelu(z, approximate=approximate), [0, 0, 1, 1])
    np.testing.assert_array_equal(A.softplus(z, beta=1e10), [0.0, 0.0, 1e308, np.inf])
    np.testing.assert_array_equal(A.softmax([1e308, -1e308]), [1.0, 0.0])
    np.testing.assert_array_equal(A.softmax([1.0, 2.0], temperature=1e-300), [0.0, 1.0])


# Hostile text: refused at once, with a short message --------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: textinput.parse_numbers(MILLION),
        lambda: textinput.parse_numbers(",".join(["1"] * 10_000)),
        lambda: textinput.parse_assignments("x=1," * 250_000),
        lambda: computational_graph.check_expression("x*" * 500_000 + "x"),
        lambda: computational_graph.build("(" * 500_000 + "x" + ")" * 500_000, {"x": 1.0}),
        lambda: widgets.softmax_explorer(logits=MILLION),
        lambda: widgets.graph_explorer(values="x=1," * 250_000),
    ],
    ids=["numbers", "10000-logits", "assignments", "expression", "parentheses", "softmax-explorer", "graph-explorer"],
)
def test_a_million_characters_get_a_short_message(call):
    with pytest.raises(ValueError) as info:
        call()
    assert "at most" in str(info.value) and len(str(info.value)) < 80, str(info.value)


@pytest.mark.parametrize("text", [MILLION, " ".join(["1"] * 10_000), "9" * 999])
def test_a_typed_flood_of_logits_shows_a_short_message_and_keeps_the_bars(text):
    e = widgets.softmax_explorer("1, 2, 3")
    before = [r.get_height() for r in e.fig.axes[0].patches]
    e.controls["logits"].value = text
    assert e.error.startswith("ValueError: logits must") and len(e.error) <= MESSAGE_LENGTH
    assert len(e.message.value) < 400
    assert [r.get_height() for r in e.fig.axes[0].patches] == before


# Self-checks: junk is "not yet: ...", never "correct", never a crash ------------------------------

CHECKS = [getattr(selfcheck, name) for name in selfcheck.__all__ if name.startswith("check_")]


def _raise(exc):
    def fn(*args):
        raise exc

    return fn


JUNK = {
    "None": lambda *a: None,
    "text": lambda *a: "0.5",
    "bytes": lambda *a: b"0.5",
    "complex": lambda *a: np.ones(3) + 1j,
    "all inf": lambda *a: np.full(3, np.inf),
    "nan": lambda *a: np.nan,
    "huge int": lambda *a: 10**400,
    "object": lambda *a: object(),
    "ragged": lambda *a: [[1.0, 2.0], [3.0]],
    "dict of junk": lambda *a: {"dJdW1": "a", "dJdb1": None, "dJdW2": 1j, "dJdb2": np.inf},
    "wrong shape": lambda *a: np.zeros((7, 5)),
    "NotImplementedError": _raise(NotImplementedError()),
    "ZeroDivisionError": _raise(ZeroDivisionError("division by zero")),
    "a long error": _raise(ValueError("x" * 100_000)),
    "SystemExit": _raise(SystemExit(1)),
    "not a function": 3,
}


@pytest.mark.parametrize("junk", list(JUNK))
@pytest.mark.parametrize("checker", CHECKS, ids=[c.__name__ for c in CHECKS])
def test_every_check_turns_junk_into_not_yet(checker, junk):
    verdict = checker(JUNK[junk])
    assert isinstance(verdict, Verdict)
    assert not verdict.ok and str(verdict).startswith("not yet: "), verdict
    assert verdict.message and len(verdict.message) <= 400, verdict
    assert "constant factor inf" not in verdict.message and "correct" not in verdict.message


def _sig(z):
    return 1 / (1 + np.exp(-z))


def _softmax(z, t):  # the student's own: the checks forbid the package's
    s = np.asarray(z) / t
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# Right answers of six exercises, to spoil them in the ways a computation goes wrong.
RIGHT = {
    "check_objective_gradient": lambda yh, y: 2 * (yh - y) / len(y),
    "check_bce_output_gradient": lambda yh, y: (yh - y) / y.size,
    "check_tanh_logistic_gradient": lambda w, b, x, y: -(y - np.tanh(b + w @ x)) * x,
    "check_my_softmax": lambda z, t: _softmax(z, t),
    "check_softplus_derivative": lambda x, b: _sig(b * x),
    "check_reflection": lambda p: np.array([[np.cos(2 * p), np.sin(2 * p)], [np.sin(2 * p), -np.cos(2 * p)]]),
}
SPOILED = {
    "right + 1j": (lambda r: r + 1j, "complex"),
    "all inf": (lambda r: np.full(np.shape(r), np.inf), "inf"),
    "all nan": (lambda r: np.full(np.shape(r), np.nan), "NaN"),
    "huge": (lambda r: np.full(np.shape(r), 1e308), "differs"),
    "right * 1e300": (lambda r: r * 1e300, "1e+300 times its size"),
    "as text": (lambda r: str(r), "text"),
    "flattened": (lambda r: np.ravel(r)[:-1], "shape"),
}


@pytest.mark.parametrize("spoil", list(SPOILED))
@pytest.mark.parametrize("name", list(RIGHT))
def test_a_spoiled_right_answer_is_not_yet_with_a_sensible_message(name, spoil):
    checker, right = getattr(selfcheck, name), RIGHT[name]
    assert checker(right).ok
    make, words = SPOILED[spoil]
    verdict = checker(lambda *args: make(right(*args)))
    assert not verdict.ok and str(verdict).startswith("not yet: "), verdict
    assert words in verdict.message or "NaN or inf" in verdict.message, verdict
    assert "constant factor inf" not in verdict.message


# Issue 14, part 3: best_line_accuracy, exact and fast ----------------------------------------------


def _brute_force_best_line(x, labels, ties_together=True):
    """The O(n^3 log n) search best_line_accuracy used to do, as the reference: the normal of every pair of
    points turned 1e-9 either way (and the direction 0), each with every threshold between consecutive
    projections.

    ``ties_together=False`` is the old code verbatim. It may cut between two equal projections (copies of one
    point, or points level along the direction 0), which no line does, so on such sets it over-counts (it
    gives 1.0 for two copies of a point with different labels); ``True`` cuts only between distinct ones.
    """
    x, y = np.asarray(x, dtype=np.float64), np.ravel(labels).astype(np.float64)
    i, j = np.triu_indices(len(x), 1)
    d = x[j] - x[i]
    angle = np.arctan2(d[:, 0], -d[:, 1])  # the normal of each pair's line
    angles = np.concatenate([angle - 1e-9, angle + 1e-9, [0.0]])
    best = 0.0
    for chunk in np.array_split(angles, max(1, len(angles) // 2000)):
        projections = x @ np.stack([np.cos(chunk), np.sin(chunk)])  # (n, m)
        order = np.argsort(projections, axis=0)
        ys = y[order]  # labels in the order of each projection
        ones_above = ys.sum(axis=0) - np.cumsum(np.vstack([np.zeros_like(ys[:1]), ys]), axis=0)
        zeros_below = np.cumsum(np.vstack([np.zeros_like(ys[:1]), 1 - ys]), axis=0)
        correct = (ones_above + zeros_below) / len(y)  # class 1 above the threshold; 1 - correct is the flip
        if ties_together:
            p = np.take_along_axis(projections, order, axis=0)
            cut = np.ones(correct.shape, dtype=bool)
            cut[1:-1] = p[1:] != p[:-1]
            correct = correct[cut]
        best = max(best, float(correct.max()), float((1 - correct).max()))
    return best


def _point_sets(kind, count, seed):
    """``count`` small labelled point sets of one kind: n from 1 to 9."""
    rng = np.random.default_rng(seed)
    for k in range(count):
        n = int(rng.integers(1, 10))
        if kind == "general":
            x = rng.standard_normal((n, 2))
        elif kind == "grid":  # few distinct points: copies and collinear triples everywhere
            x = rng.integers(0, 3, (n, 2)).astype(np.float64)
        elif kind == "collinear":  # most on the line x2 = 2 x1 + 1, some off it
            t = rng.integers(-3, 4, n).astype(np.float64)
            x = np.stack([t, 2 * t + 1], axis=1)
            x[: n // 3] = rng.integers(-2, 3, (n // 3, 2))
        else:  # "copies": each point of a general set twice (or more)
            base = rng.standard_normal((max(1, n // 2), 2))
            x = base[rng.integers(0, len(base), n)]
        y = rng.integers(0, 2, n).astype(np.float64)
        if k % 7 == 0:  # all one class
            y[:] = y[0]
        yield x, (y[:, None] if k % 2 else y)


@pytest.mark.parametrize("kind", ["general", "grid", "collinear", "copies"])
def test_best_line_accuracy_equals_the_brute_force_search(kind):
    for x, y in _point_sets(kind, 250, seed=len(kind)):
        fast = linear_transformations.best_line_accuracy(x, y)
        assert fast * len(x) == pytest.approx(round(fast * len(x)), abs=1e-9)  # a count over n
        assert fast == pytest.approx(_brute_force_best_line(x, y), abs=1e-12), (x.tolist(), np.ravel(y).tolist())
        old = _brute_force_best_line(x, y, ties_together=False)
        if kind == "general":  # no two equal projections: the old code verbatim agrees
            assert fast == pytest.approx(old, abs=1e-12)
        else:
            assert fast <= old + 1e-12  # it could only over-count


@pytest.mark.parametrize(
    ("x", "y", "best"),
    [
        ([[0.5, -2.0]], [1.0], 1.0),
        ([[1.0, 1.0], [1.0, 1.0]], [0.0, 1.0], 0.5),  # copies of one point cannot be split (the old code said 1)
        ([[1.0, 1.0], [2.0, 1.0]], [0.0, 1.0], 1.0),
        ([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]], [1.0, 0.0, 1.0], 2 / 3),  # collinear: the middle one is cut off
        ([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]], [1.0, 1.0, 0.0], 1.0),
        ([[1.0, 2.0], [1.0, 0.0], [0.0, 0.0], [1.0, 1.0]], [1.0, 1.0, 1.0, 0.0], 0.75),  # the old code said 1
        ([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [0.0, 1.0, 1.0, 0.0], 0.75),  # XOR
        ([[1e308, -1e308], [-1e308, 1e308], [1e308, 1e308]], [0.0, 1.0, 0.0], 1.0),  # no overflow
    ],
)
def test_best_line_accuracy_on_small_sets(x, y, best):
    assert linear_transformations.best_line_accuracy(np.array(x), np.array(y)) == pytest.approx(best, abs=1e-15)


def test_best_line_accuracy_on_the_rings_of_notebook_07_is_exactly_0_69():
    rings, labels = data.circles(n=200, seed=0)
    assert (
        linear_transformations.best_line_accuracy(rings, labels) == 0.69
    )  # 138 of 200, printed "0.690" by notebook 07
    assert _brute_force_best_line(rings, labels, ties_together=False) == pytest.approx(0.69, abs=1e-12)


def test_best_line_accuracy_at_its_largest_n_returns_at_once():
    import time

    rings, labels = data.circles(n=linear_transformations.MAX_LINE_POINTS, seed=1)
    start = time.perf_counter()
    accuracy = linear_transformations.best_line_accuracy(rings, labels)
    assert 0.5 <= accuracy < 1.0
    assert time.perf_counter() - start < 30  # about 1 s; the old search never returned at n = 2000


# Issue 14, part 3: no overflow where stability is claimed, and none hidden where it is real -----------


def test_bce_with_logits_mean_of_huge_losses_does_not_overflow():
    J, grad = losses.bce_with_logits(np.array([1e308, -1e308]), np.array([0.0, 1.0]))
    assert J == 1e308  # each loss is 1e308; their sum is not a float, their mean is
    np.testing.assert_array_equal(grad, [0.5, -0.5])
    J, _ = losses.bce_with_logits(np.array([1e308, -1e308, 0.0]), np.array([0.0, 1.0, 1.0]))
    assert J == pytest.approx(1e308 * (2 / 3), rel=1e-15)  # (1e308 + 1e308 + ln 2) / 3
    with pytest.warns(RuntimeWarning, match="overflow"):  # the sum itself is not a float: honest overflow
        J, _ = losses.bce_with_logits(np.array([1e308, -1e308]), np.array([0.0, 1.0]), reduction="sum")
    assert J == np.inf
    with pytest.warns(RuntimeWarning, match="overflow"):  # (1e308)^2 is not a float either
        losses.mse(np.array([1e308]), np.array([0.0]))


def test_the_mean_is_the_same_as_before_where_the_sum_is_finite():
    rng = np.random.default_rng(0)
    for loss in (losses.mse, losses.adaline):
        y_hat, y = rng.standard_normal(101), rng.standard_normal(101)
        J, _ = loss(y_hat, y)
        per, _ = loss(y_hat, y, reduction="none")
        assert J == float(np.sum(per) / per.size)
    z = np.full(3, 1.5e308)  # finite terms whose sum overflows: the mean by scaling them first
    assert losses.bce_with_logits(z, np.zeros(3))[0] == 1.5e308
    assert losses.adaline(np.full(3, 1.3e154), np.zeros(3))[0] == pytest.approx(0.5 * 1.3e154**2, rel=1e-15)


def test_tanh_logistic_is_finite_where_its_docstring_says_and_inf_beyond_without_a_warning():
    z = np.array([1e308, -1e308, 8.9e307, 1e308, -1e308, 9e307])
    y = np.array([1.0, -1.0, -1.0, -1.0, 1.0, -1.0])
    per, grad = losses.tanh_logistic(z, y, reduction="none")  # warnings are errors here
    ln2 = np.log(2.0)
    np.testing.assert_array_equal(per[:2], [-ln2, -ln2])  # right sign: the limit -ln 2
    assert per[2] == pytest.approx(2 * 8.9e307, rel=1e-15)  # wrong sign, |z| <= 8.98e307: about 2 |z|, finite
    np.testing.assert_array_equal(per[3:], [np.inf] * 3)  # 2 |z| > 1.8e308: inf, as IEEE rounds it
    np.testing.assert_array_equal(grad, [-0.0, 0.0, 2.0, 2.0, -2.0, 2.0])
    assert np.all(np.isfinite(grad))
    assert losses.tanh_logistic([1e308], [1.0])[0] == -ln2


def test_leaky_relu_with_a_slope_above_one_at_huge_inputs_does_not_warn():
    z = np.array([1e308, -1e308, -1.0, 0.0, 2.0, np.nan])
    out = A.leaky_relu(z, negative_slope=2)  # warnings are errors here
    np.testing.assert_array_equal(out, [1e308, -np.inf, -2.0, 0.0, 2.0, np.nan])
    np.testing.assert_array_equal(A.d_leaky_relu(z, negative_slope=2), [1.0, 2.0, 2.0, 2.0, 1.0, np.nan])
    assert A.leaky_relu(1e308, negative_slope=2) == 1e308
    assert A.get_activation("leaky_relu", negative_slope=2)(np.array([1e308]))[0] == 1e308


# Issue 14, part 3: raw errors become messages, and nothing changes before the refusal ----------------


def test_a_refused_callback_leaves_the_network_untouched():
    network = make_net()
    before = {k: v.copy() for k, v in network.parameters.items()}
    with pytest.raises(TypeError, match="callback must be None or a function"):
        train(network, X, Y, losses.mse, 0.1, 5, callback="abc")
    for k, v in network.parameters.items():
        np.testing.assert_array_equal(v, before[k])


def test_markdown_table_converts_header_cells_with_str():
    assert display.markdown_table((1, 2), [(3, 4)]) == "| 1 | 2 |\n|---|---|\n| 3 | 4 |"


def test_graph_names_are_matched_after_nfkc_normalisation():
    root, leaves = computational_graph.build("𝐱*2", {"𝐱": 2})  # Python reads 𝐱 as x
    assert root.data == 4.0 and list(leaves) == ["𝐱"] and leaves["𝐱"].label == "𝐱"
    root, leaves = computational_graph.build("x*y + 𝐱", {"𝐱": 3, "y": -1})
    root.backward()
    assert root.data == 0.0 and leaves["𝐱"].grad == 0.0 and leaves["y"].grad == 3.0
    with pytest.raises(ValueError, match="same name 'x' to Python"):
        computational_graph.build("x", {"x": 1, "𝐱": 2})


# Issue 14, part 3: a run that diverges at once draws a figure that says so ----------------------------


def _rendered(fig):
    import io

    fig.savefig(io.BytesIO(), format="png")  # ticks and layout are computed only when drawn


def test_draw_loss_curve_of_an_all_nan_history_says_diverged_at_step_1():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, ax = plotting.figure()
        plotting.draw_loss_curve(ax, np.full(200, np.nan), 1e150)
        assert ax.get_title() == "lr = 1e+150: diverged at step 1"
        assert all(len(line.get_xdata()) == 0 for line in ax.lines), "no point may be drawn"
        assert any(t.get_visible() and "overflowed" in t.get_text() for t in ax.texts)
        _rendered(fig)
        plotting.draw_loss_curve(ax, np.array([np.nan]), 0.5)
        assert ax.get_title() == "lr = 0.5: diverged at step 1"
        _rendered(fig)


def _diverging_net():
    """A network whose first forward pass already overflows: every learning rate diverges at step 1."""
    network = make_net()
    network.parameters["W2"] *= 1e300
    return network


@pytest.mark.parametrize("steps", [1, 2, 200])
def test_the_learning_rate_explorer_draws_a_run_that_diverges_at_step_1(steps):
    import warnings

    x, y = data.regression(n=16, seed=0)
    assert np.all(np.isnan(train(_diverging_net(), x, y, losses.mse, widgets.LR_RANGE[1], steps)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e = widgets.learning_rate_explorer(_diverging_net, x, y, losses.mse, steps=steps, lr=widgets.LR_RANGE[1])
        assert e.fig.axes[0].get_title() == "lr = 1: diverged at step 1"
        _rendered(e.fig)
        e.controls["lr"].value = widgets.LR_RANGE[0]
        assert e.error == "" and e.fig.axes[0].get_title() == "lr = 0.001: diverged at step 1"
        _rendered(e.fig)


def test_the_learning_rate_explorer_with_one_step_warns_of_nothing():
    import warnings

    x, y = data.regression(n=16, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns of identical x-limits (1, 1) if they are set
        e = widgets.learning_rate_explorer(make_net, x, y, losses.mse, steps=1, lr=0.05)
        (line,) = e.fig.axes[0].lines
        np.testing.assert_array_equal(line.get_ydata(), train(make_net(), x, y, losses.mse, 0.05, 1))
        assert e.fig.axes[0].get_title().startswith("lr = 0.05: J at step 1: ")
        _rendered(e.fig)
        e.controls["lr"].value = 1.0
        assert e.error == ""
        _rendered(e.fig)
