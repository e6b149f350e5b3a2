"""The exercises' checks, one module per notebook (named as the notebook), and the hidden test nbgrader runs.

Each check is ``check_<function>``, for the function ``<function>`` the student writes; it runs that
function on inputs it makes itself and says in words what is right or wrong, naming the typical mistake
it recognises (:mod:`helpers.selfcheck._core`). :data:`EXERCISES` holds them all; :func:`grade` is the
hidden test of each exercise.
"""

import warnings

from helpers.selfcheck._core import EXERCISES, NotPassed, grade

# Each topic module registers its checks in EXERCISES as it is imported; __all__ below lists them from there.
from helpers.selfcheck.activation_derivatives import check_gelu_derivative, check_softplus_derivative
from helpers.selfcheck.classification_backprop import (
    check_backward_tanh_sigmoid,
    check_bce_output_gradient,
    check_gradient_norms,
)
from helpers.selfcheck.computational_graph import check_homework_graph_answers, check_mul_backward
from helpers.selfcheck.linear_transformations import check_collapse, check_reflection
from helpers.selfcheck.loss_derivation import check_adaline_loss, check_perceptron_loss, check_tanh_logistic_gradient
from helpers.selfcheck.regression_backprop import check_backward_one_sample, check_forward_one_sample, check_jacobians
from helpers.selfcheck.sgd_steps import check_objective_gradient, check_train_epoch
from helpers.selfcheck.softargmax import check_my_softmax

__all__ = ["EXERCISES", "NotPassed", "grade", *(f"check_{function}" for function in EXERCISES)]

#: The names of checks before 0.2.0, for student editions handed out then; they go in 0.3.0.
RENAMED = {
    "check_training_step": "helpers.selfcheck.sgd_steps.check_training_step",
    "check_forward": "check_forward_one_sample",
    "check_regression_backward": "check_backward_one_sample",
    "check_tanh_sigmoid_backward": "check_backward_tanh_sigmoid",
    "check_softmax": "check_my_softmax",
    "check_homework_graph": "check_homework_graph_answers",
}
OLD_KEYS = {"dW1": "dJdW1", "db1": "dJdb1", "dW2": "dJdW2", "db2": "dJdb2"}  # the backward exercises' keys before 0.2.0


def _old_keys(check):
    """``check`` for a student function that returns the gradients under the keys used before 0.2.0."""

    def renamed(fn):
        def adapted(*args):
            answer = fn(*args)
            return {OLD_KEYS.get(k, k): v for k, v in answer.items()} if isinstance(answer, dict) else answer

        return check(adapted)

    return renamed


def __getattr__(name):
    if name not in RENAMED:
        raise AttributeError(f"module 'helpers.selfcheck' has no attribute {name!r}")
    new = RENAMED[name]
    now = "the exercise is now train_epoch" if "." in new else f"it is now {new}"
    warnings.warn(f"{name}: {now}; the old name goes in backprop-notebooks 0.3.0", FutureWarning, stacklevel=2)
    if "." in new:
        from helpers.selfcheck import sgd_steps

        return getattr(sgd_steps, new.rsplit(".", 1)[-1])
    check = globals()[new]
    return _old_keys(check) if "backward" in name else check
