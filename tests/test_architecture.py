"""The core knows no platform: nothing under bot/ imports Slack (or the adapters)."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FORBIDDEN = ("slack_bolt", "slack_sdk", "handlers", "awair_bot")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_imports_no_platform():
    offenders = {
        str(path.relative_to(REPO)): sorted(m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN)
        for path in (REPO / "bot").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_every_public_core_function_has_a_docstring():
    missing = []
    for path in (REPO / "bot").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in _public_definitions(ast.parse(path.read_text(encoding="utf-8"))):
            if not node.name.startswith("_") and ast.get_docstring(node) is None and not _is_trivial(node):
                missing.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name}")
    assert missing == []


def _is_trivial(node: ast.AST) -> bool:
    # Dunder-free one-liners such as a Protocol's "def now(self) -> datetime: ..." are exempt.
    body = getattr(node, "body", [])
    return len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)


def _public_definitions(tree: ast.Module):
    """Module-level functions and classes, and the methods of those classes (not nested helpers)."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            yield node
        if isinstance(node, ast.ClassDef):
            yield from (n for n in node.body if isinstance(n, ast.FunctionDef))


def test_adapters_do_not_reach_into_the_process_package():
    offenders = {
        str(path.relative_to(REPO)): sorted(
            m for m in imported_modules(path) if m.split(".")[0] == "awair_bot"
        )
        for path in (REPO / "handlers").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
