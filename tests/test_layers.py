"""The package's layers (helpers.LAYERS, plain data): a module imports only from its own layer and the more
basic ones, no two modules import each other (directly or round a longer circle), and every module has a layer."""

import ast
from pathlib import Path

import pytest

import helpers

ROOT = Path(helpers.__file__).parent
LAYER_OF = {module: rank for rank, modules in enumerate(helpers.LAYERS.values()) for module in modules}
NAMES = list(helpers.LAYERS)
MODULES = sorted(p for p in ROOT.rglob("*.py") if p.name != "__init__.py" or p.parent != ROOT)


def module_name(path):
    """The layer-map name of a file: helpers/x.py -> x, helpers/selfcheck/... -> selfcheck."""
    return path.relative_to(ROOT).parts[0].removesuffix(".py")


def helpers_imports(path):
    """The helpers modules a file imports anywhere (inside functions too), by their layer-map names."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "helpers":
            parts = node.module.split(".")
            found |= {parts[1]} if len(parts) > 1 else {a.name for a in node.names if a.name in LAYER_OF}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("helpers.")}
    return found - {module_name(path)}


def test_every_module_has_exactly_one_layer():
    listed = [m for modules in helpers.LAYERS.values() for m in modules]
    assert len(listed) == len(set(listed)), "a module is listed twice"
    assert {module_name(p) for p in MODULES} == set(listed)


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(ROOT)) for p in MODULES])
def test_imports_go_only_to_the_same_layer_or_a_more_basic_one(path):
    own = LAYER_OF[module_name(path)]
    for imported in helpers_imports(path):
        assert LAYER_OF[imported] <= own, (
            f"{path.name} ({NAMES[own]}) imports {imported} ({NAMES[LAYER_OF[imported]]}), a later layer"
        )


def import_circle(graph):
    """A list of modules that import each other in a circle in ``graph`` ({module: modules it imports}), or []."""
    state = {}  # module -> "visiting" or "done"

    def visit(module, trail):
        if state.get(module) == "done":
            return []
        if state.get(module) == "visiting":
            return [*trail[trail.index(module) :], module]
        state[module] = "visiting"
        for imported in sorted(graph.get(module, ())):
            circle = visit(imported, [*trail, module])
            if circle:
                return circle
        state[module] = "done"
        return []

    return next((c for c in (visit(m, []) for m in sorted(graph)) if c), [])


def test_import_circle_finds_a_circle():
    assert import_circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert import_circle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_no_import_circle():
    graph = {}
    for path in MODULES:
        graph.setdefault(module_name(path), set()).update(helpers_imports(path))
    assert not import_circle(graph), "import circle: " + " -> ".join(import_circle(graph))


def test_the_deprecated_aliases_import_only_their_replacement():
    for name in helpers.LAYERS["deprecated"]:
        imported = helpers_imports(ROOT / f"{name}.py")
        assert len(imported) == 1 and LAYER_OF[imported.pop()] < LAYER_OF[name]
