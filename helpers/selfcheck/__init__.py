"""Self-checks for the notebooks' "Try it" exercises, one module per notebook.

Each check runs the student's function on fixed inputs and says in words what is right or wrong,
recognising the typical mistakes of its exercise by name; see :mod:`helpers.selfcheck._core`.
"""

from helpers.selfcheck._core import Verdict, diagnose
from helpers.selfcheck.classification import (
    check_bce_output_gradient,
    check_gradient_norms,
    check_tanh_sigmoid_backward,
)
from helpers.selfcheck.derivatives import check_gelu_derivative, check_softplus_derivative
from helpers.selfcheck.graphs import check_homework_graph, check_mul_backward
from helpers.selfcheck.linear_maps import check_collapse, check_reflection
from helpers.selfcheck.regression import check_forward, check_jacobians, check_regression_backward
from helpers.selfcheck.softmax import check_softmax
from helpers.selfcheck.training import check_objective_gradient, check_training_step
from helpers.selfcheck.update_rules import check_adaline_loss, check_perceptron_loss, check_tanh_logistic_gradient

__all__ = [
    "Verdict",
    "check_adaline_loss",
    "check_bce_output_gradient",
    "check_collapse",
    "check_forward",
    "check_gelu_derivative",
    "check_gradient_norms",
    "check_homework_graph",
    "check_jacobians",
    "check_mul_backward",
    "check_objective_gradient",
    "check_perceptron_loss",
    "check_reflection",
    "check_regression_backward",
    "check_softmax",
    "check_softplus_derivative",
    "check_tanh_logistic_gradient",
    "check_tanh_sigmoid_backward",
    "check_training_step",
    "diagnose",
]
