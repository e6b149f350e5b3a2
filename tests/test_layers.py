"""The package's layers (helpers/__init__.py): a module imports only from its own layer and the ones above."""

import ast
import re
from pathlib import Path

import pytest

import helpers

ROOT = Path(helpers.__file__).parent
LAYERS = ["math", "checks", "lessons", "presentation"]


def layer_of():
    """{module name: layer index} as the package docstring lists them."""
    table = {}
    for line in helpers.__doc__.splitlines():
        m = re.match(r"^\s+(math|checks|lessons|presentation)\s+(.+)$", line)
        if m:
            for name in re.findall(r"[a-z_]+", m.group(2).split("(")[0]):
                table[name] = LAYERS.index(m.group(1))
    return table


def helpers_imports(path):
    """The helpers modules a file imports (first component after 'helpers.')."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "helpers":
            parts = node.module.split(".")
            found |= {parts[1]} if len(parts) > 1 else {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("helpers.")}
    return found


MODULES = sorted(p for p in ROOT.rglob("*.py") if p.name != "__init__.py" or p.parent != ROOT)


def module_name(path):
    rel = path.relative_to(ROOT)
    return rel.parts[0].removesuffix(".py")


def test_every_module_has_a_layer():
    assert {module_name(p) for p in MODULES} == set(layer_of())


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(ROOT)) for p in MODULES])
def test_imports_go_only_to_the_same_layer_or_above(path):
    layers = layer_of()
    own = layers[module_name(path)]
    for imported in helpers_imports(path):
        assert layers[imported] <= own, f"{path.name} ({LAYERS[own]}) imports {imported} ({LAYERS[layers[imported]]})"


def test_no_math_module_imports_a_presentation_module():
    layers = layer_of()
    for path in MODULES:
        if layers[module_name(path)] == 0:
            assert all(layers[m] < 3 for m in helpers_imports(path)), path.name
