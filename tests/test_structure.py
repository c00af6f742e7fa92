"""The package's shape: no import cycle, no import hidden inside a function to dodge one, no UI in the library."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "creative_map"


def _modules() -> dict[str, ast.Module]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return out


def _package_imports(name: str, tree: ast.Module, names: set[str], *, top_level_only: bool) -> set[str]:
    """The creative_map modules that `name` imports (at module level, or anywhere)."""
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("creative_map")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("creative_map"):
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in names else node.module)
        elif isinstance(node, ast.If):  # `if TYPE_CHECKING:` blocks do not run
            continue
    return found - {name}


def test_no_import_cycle():
    modules = _modules()
    names = set(modules)
    graph = {n: _package_imports(n, t, names, top_level_only=True) & names for n, t in modules.items()}
    # a package's __init__ importing its own submodules is not a cycle of the code's layering
    for n in graph:
        graph[n] = {m for m in graph[n] if not (n.startswith(m + ".") and m in names)}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)


def test_no_package_import_inside_a_function():
    """Modules of the package import each other at the top: a function-level import would hide a cycle."""
    offenders = []
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if (
                        isinstance(inner, ast.Import) and any(a.name.startswith("creative_map") for a in inner.names)
                    ) or (
                        isinstance(inner, ast.ImportFrom)
                        and (inner.level > 0 or (inner.module or "").startswith("creative_map"))
                    ):
                        offenders.append(f"{name}.{node.name} (line {inner.lineno})")
    assert not offenders, "package imports inside functions: " + ", ".join(offenders)


def test_the_library_never_imports_streamlit():
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] == "streamlit" for a in node.names), name
            elif isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] != "streamlit", name
