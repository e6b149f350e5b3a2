"""One name per idea: the spellings helpers.VOCABULARY registers are the only ones in the code, and every
function that hands out gradients keys them the same way."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

import helpers
from helpers import MLP, losses
from helpers.gradcheck import network_gradients, numerical_network_gradients
from helpers.jacobians import mlp_jacobians, parameter_gradients

ROOT = Path(__file__).resolve().parent.parent
THIS = Path(__file__).resolve()
#: What students type is another matter: the written-answer parser reads their spellings on purpose.
TYPED_NOTATION = {"helpers/mathtext.py", "helpers/written.py", "tests/test_mathtext.py", "tests/test_written.py"}


def code_files():
    """(name, lines of code) of every Python file and notebook code cell of the project."""
    for path in sorted(p for d in ("helpers", "tests", "tools", "benchmarks") for p in (ROOT / d).rglob("*.py")):
        if path != THIS and str(path.relative_to(ROOT)) not in TYPED_NOTATION:
            yield str(path.relative_to(ROOT)), path.read_text().splitlines()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text())["cells"], 1):
            if cell["cell_type"] == "code":
                yield f"{path.relative_to(ROOT)} cell {i}", "".join(cell["source"]).splitlines()


@pytest.mark.parametrize("idea", list(helpers.VOCABULARY))
def test_no_second_spelling_of_a_registered_idea(idea):
    spelling, forbidden = helpers.VOCABULARY[idea]
    found = [
        f"{name}:{number}: {line.strip()[:90]}"
        for name, lines in code_files()
        for number, line in enumerate(lines, 1)
        if not line.lstrip().startswith("#") and any(re.search(f, line) for f in forbidden)
    ]
    assert not found, f"{idea} is spelled {spelling}; a second spelling in:\n" + "\n".join(found)


def test_the_second_spellings_are_found():
    """The patterns catch what they are there for (a test that could not fail would prove nothing)."""
    samples = {
        "gradient of J in the variable's own shape": ['grads["dW1"]', "dJ_dW1 = 0", "grad_b2 = 1"],
        "numerator-layout derivative of one sample": ["dldW1 = x", 'label = "dl/dW1"'],
        "the loss of one sample": ["    l = loss(y_hat, y)", "for l in range(3):", "l, g = mse(a, b)"],
    }
    for idea, lines in samples.items():
        for line in lines:
            assert any(re.search(f, line) for f in helpers.VOCABULARY[idea][1]), (idea, line)


def test_every_gradient_dict_is_keyed_as_net_grads():
    net = MLP(3, 4, "tanh", 4, 2, "sigmoid", seed=0)
    x, y = np.random.default_rng(0).standard_normal((2, 3)), np.array([[1.0, 0.0], [0.0, 1.0]])
    keys = set(net.grads)
    assert keys == {f"dJd{k}" for k in net.parameters}
    assert set(network_gradients(net, x, y, losses.bce)) == keys | {"dJdx"}
    assert set(numerical_network_gradients(net, x, y, losses.bce)) == keys | {"dJdx"}
    jac = mlp_jacobians(net, x[0], y[0], losses.bce)
    assert set(parameter_gradients(jac)) == keys
    derivatives = {k for k in jac if k.startswith("d")}
    assert all(re.fullmatch(r"d(l|z\d|y_hat)_d\w+", k) for k in derivatives), derivatives
