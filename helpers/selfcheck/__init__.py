"""The exercises' checks, one module per notebook (named as the notebook), and the hidden test nbgrader runs.

Each check is ``check_<function>``, for the function ``<function>`` the student writes; it runs that
function on inputs it makes itself and says in words what is right or wrong, naming the typical mistake
it recognises (:mod:`helpers.selfcheck._core`). :data:`EXERCISES` holds them all; :func:`grade` is the
hidden test of each exercise.
"""

import importlib
import pkgutil
import warnings

from helpers.selfcheck._backward import OLD_KEYS  # the backward exercises' keys before 0.2.0
from helpers.selfcheck._core import EXERCISES, NotPassed, grade, seal

# Each topic module (one per notebook, named as it) registers its checks in EXERCISES as it is imported; they are
# exported from there, so a new exercise needs no line here.
for _topic in pkgutil.iter_modules(__path__):
    if not _topic.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_topic.name}")
globals().update({f"check_{function}": exercise.check for function, exercise in EXERCISES.items()})

__all__ = ["EXERCISES", "NotPassed", "grade", *(f"check_{function}" for function in EXERCISES)]

seal()  # every check module is imported, and no student code has run: the libraries a check computes with, as they are

#: The names of checks before 0.2.0, for student editions handed out then; they go in 0.3.0.
RENAMED = {
    "check_training_step": "helpers.selfcheck.sgd_steps.check_training_step",
    "check_forward": "check_forward_one_sample",
    "check_regression_backward": "check_backward_one_sample",
    "check_tanh_sigmoid_backward": "check_backward_tanh_sigmoid",
    "check_softmax": "check_my_softmax",
    "check_homework_graph": "check_homework_graph_answers",
}


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
