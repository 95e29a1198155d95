"""The house's rules, checked from the code itself: the core knows no platform, adapters
never reach into the process, every public core function says what it does, and no module
imports itself round a circle."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "awair_bot")
FORBIDDEN = ("slack_bolt", "slack_sdk", "discord", "handlers", "awair_bot")
# What only a platform's adapter may know: its token shapes, its member-id shape, its error
# codes, its setting names.
PLATFORM_KNOWLEDGE = re.compile(
    r"xox[bpa]-|xapp-|\[UW\]\[A-Z0-9\]|\b(not_in_channel|channel_not_found|invalid_auth|missing_scope"
    r"|is_archived|token_revoked|ratelimited_by_slack)\b|\bSLACK_[A-Z_]+|\bORGANIZER_IDS\b"
)


def _code(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth, except under ``if TYPE_CHECKING``.

    ``from package import module`` counts as importing that module (its package is its parent,
    not a party to a cycle); ``from module import name`` as importing the module.
    """
    tree = _code(path)
    skipped = {id(n) for node in ast.walk(tree) if _is_type_checking(node) for n in ast.walk(node)}
    names = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {
                f"{node.module}.{a.name}" for a in node.names if _is_module(f"{node.module}.{a.name}")
            }
            names.update(submodules)
            if len(submodules) < len(node.names):
                names.add(node.module)
    return names


def _is_module(name: str) -> bool:
    base = REPO.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_modules() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES for p in (REPO / package).rglob("*.py")}


def test_core_imports_no_platform():
    offenders = {
        str(path.relative_to(REPO)): sorted(m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN)
        for path in (REPO / "bot").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_core_code_knows_no_platforms_tokens_ids_or_error_codes():
    found = []
    for path in (REPO / "bot").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if PLATFORM_KNOWLEDGE.search(code):
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert found == []


def test_no_import_cycle():
    modules = _project_modules()
    graph = {
        name: {m for m in imported_modules(path) if m in modules and m != name}
        for name, path in modules.items()
    }
    cycles = [sorted(c) for c in _strongly_connected(graph) if len(c) > 1]
    assert cycles == []


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iteratively (the graph is a few hundred modules)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            advanced = False
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
    return found


def test_the_cycle_check_finds_a_cycle():
    assert [sorted(c) for c in _strongly_connected({"a": {"b"}, "b": {"a"}, "c": set()}) if len(c) > 1] == [
        ["a", "b"]
    ]


def test_no_module_shadows_a_builtin():
    import builtins

    shadowing = [name for name in _project_modules() if name.rsplit(".", 1)[-1] in dir(builtins)]
    assert shadowing == []


def test_every_public_core_function_has_a_docstring():
    missing = []
    for path in (REPO / "bot").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in _public_definitions(_code(path)):
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
