"""The homework's answers in its permitted variables (helpers.answers) agree with the network and with sympy."""

import numpy as np
import pytest

from helpers import answers
from helpers.display import answers_table


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize("problem", list(answers.PROBLEMS))
def test_every_answer_matches_the_network_and_sympy(problem, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(3)
    y = rng.standard_normal(2) if answers.PROBLEMS[problem].loss == "mse" else rng.integers(0, 2, 2).astype(float)
    rows, report = answers.verify(problem, x, y, seed=seed)
    assert report.ok, str(report)
    assert len(rows) == 8 and all(np.all(np.isfinite(r.value)) for r in rows)
    assert max(np.abs(r.value).max() for r in rows[4:]) > 1e-3  # the gradients compared are not all 0


def test_answers_are_in_numerator_layout():
    rows = answers.answers(
        "1.2", np.zeros(3) + 0.5, np.zeros(2), np.ones((4, 3)), np.ones(4), np.ones((2, 4)), np.ones(2)
    )
    shapes = {r.quantity: r.value.shape for r in rows}
    assert shapes[r"\frac{\partial \ell}{\partial \hat y}"] == (1, 2)
    assert shapes[r"\frac{\partial \ell}{\partial W^{(2)}}"] == (4, 2)  # the shape of W2^T
    assert shapes[r"\frac{\partial \ell}{\partial W^{(1)}}"] == (3, 4)  # the shape of W1^T


def test_answers_use_only_the_permitted_variables():
    permitted_jacobians = (r"\frac{\partial \hat y}{\partial z_3}", r"\frac{\partial z_2}{\partial z_1}")
    for problem in answers.PROBLEMS:
        for row in answers.answers(
            problem, np.ones(3), np.ones(2) / 2, np.ones((4, 3)), np.ones(4), np.ones((2, 4)), np.ones(2)
        ):
            formula = row.formula
            for symbol in permitted_jacobians:
                formula = formula.replace(symbol, "")
            assert "z_1" not in formula and "z_2" not in formula, row.formula
            if "z_3" in formula:  # only inside g's Jacobian, with z_3 spelled out in x, W, b
                assert r"z_3 = W^{(2)} \tanh\big(W^{(1)}x + b^{(1)}\big) + b^{(2)}" in formula, row.formula


def test_a_wrong_formula_is_caught(monkeypatch):
    right = answers.answers

    def missing_transpose(*args):
        rows = right(*args)
        rows[4].value = rows[4].value.T.copy()  # dl/dW2 laid out like W2: with h = K = 2 only the values tell
        rows[7].value = 2 * rows[7].value  # dl/db1 off by a factor 2
        return rows

    monkeypatch.setattr(answers, "answers", missing_transpose)
    _, report = answers.verify("1.2", np.array([0.3, -0.2, 0.9]), np.array([1.0, 0.0]), h=2)
    failed = {row.about for _, rows in report.groups for row in rows if not row.ok}
    assert failed == {"dl_dW2", "dl_db1"}, str(report)


def test_answers_table_shows_each_formula_with_its_shape():
    rows = answers.answers("1.2", np.ones(3), np.ones(2), np.ones((4, 3)), np.ones(4), np.ones((2, 4)), np.ones(2))
    table = answers_table(rows).splitlines()
    assert len(table) == 2 + len(rows) and "(4, 2)" in table[6]
