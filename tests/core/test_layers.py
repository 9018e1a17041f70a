"""The import graph of the package: no circles, and every import follows one order of six layers —
foundation → models → engine and statistics → services → views, CLI and jobs → app (the README's
Layout section says each layer's rule). A module imports only from its own layer or those below.
No module hides a dependency in a function (a local import), but for the few listed below with
their reason."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from ..sources import python_modules

FOUNDATION, MODELS, ENGINE, SERVICES, INTERFACE, APP = range(6)
LAYER_NAMES = [
    "foundation",
    "models",
    "engine and statistics",
    "services",
    "views, CLI and jobs",
    "app",
]

#: Plain helpers that know no table: dates, errors, files, numbers and codes, the database
#: connection and its migrations.
FOUNDATION_MODULES = {
    "matchsvc.areacodes",
    "matchsvc.clock",
    "matchsvc.db",
    "matchsvc.errors",
    "matchsvc.exports",
    "matchsvc.logsafe",
    "matchsvc.migrate",
    "matchsvc.names",
    "matchsvc.paths",
    "matchsvc.pii",
    "matchsvc.validators",
}
#: Beside the tables: who is acting and the settings, plain values over the models' enums.
MODEL_MODULES = {"matchsvc.actors", "matchsvc.config"}
#: The matching engine and the statistics: plain Python over arrays and SQL, no Flask.
ENGINE_MODULES = {
    "matchsvc.majors.catalogue",
    "matchsvc.majors.normalize",
    "matchsvc.majors.chinese",
    "matchsvc.majors.occupations",
    "matchsvc.stats.compute",
    "matchsvc.stats.items",
}
ENGINE_PACKAGES = ("matchsvc.matching.engine",)
APP_MODULES = {"matchsvc", "matchsvc.app", "matchsvc.__main__", "matchsvc.cli", "matchsvc.serve"}
#: The benchmarks run the whole service (an app, a server) as `serve` does.
APP_PACKAGES = ("matchsvc.bench",)
INTERFACE_SUFFIXES = ("views", "forms", "cli", "api")
INTERFACE_PACKAGES = ("matchsvc.web", "matchsvc.jobs", "matchsvc.bench", "matchsvc.demo")
#: Local imports kept on purpose.
LOCAL_IMPORTS_ALLOWED = {
    # PEP 562: `matchsvc.create_app` loads the web app only when asked for.
    ("matchsvc", "matchsvc.app"),
    # numba may not load on a machine: the compiled kernels are imported only when asked for,
    # and the numpy path runs without them.
    ("matchsvc.matching.engine.kernel", "matchsvc.matching.engine.kernel_code"),
}


def layer(module: str) -> int:
    if module in APP_MODULES or module.startswith(APP_PACKAGES):
        return APP
    if module in FOUNDATION_MODULES:
        return FOUNDATION
    if module in MODEL_MODULES or module.startswith("matchsvc.models"):
        return MODELS
    if module in ENGINE_MODULES or module.startswith(ENGINE_PACKAGES):
        return ENGINE
    if module in ("matchsvc.extensions", "matchsvc.commands") or module.startswith(
        INTERFACE_PACKAGES
    ):
        return INTERFACE
    if module.rsplit(".", 1)[-1].endswith(INTERFACE_SUFFIXES):
        return INTERFACE
    return SERVICES


def modules() -> dict[str, Path]:
    return python_modules()


def imports(known: dict[str, Path]) -> list[tuple[str, str, bool, int]]:
    """(importer, imported module, local?, line) for every import of a matchsvc module."""
    edges = []
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        local_lines = {
            n.lineno
            for f in ast.walk(tree)
            if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
            for n in ast.walk(f)
            if isinstance(n, ast.Import | ast.ImportFrom)
        }
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                for alias in node.names:
                    full = f"{source}.{alias.name}"
                    targets.append(full if full in known else source)
            if isinstance(node, ast.ImportFrom) and getattr(node, "module", None) == "__future__":
                continue
            for target in targets:
                if target in known and target != name:
                    edges.append((name, target, node.lineno in local_lines, node.lineno))
    return edges


def test_every_module_has_a_layer_and_the_graph_has_no_circle() -> None:
    known = modules()
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b, _, _ in imports(known):
        graph[a].add(b)
    # Tarjan's strongly connected components: any with two or more modules is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(known):
        if v not in index:
            visit(v)
    assert circles == [], f"import circles: {circles}"


def test_imports_follow_the_layers() -> None:
    known = modules()
    against = [
        f"{a} ({LAYER_NAMES[layer(a)]}) imports {b} ({LAYER_NAMES[layer(b)]}), line {line}"
        for a, b, _, line in imports(known)
        if layer(b) > layer(a)
    ]
    assert against == [], "imports against the order:\n" + "\n".join(sorted(against))


def test_no_hidden_local_imports() -> None:
    known = modules()
    hidden = [
        f"{a} imports {b} inside a function, line {line}"
        for a, b, local, line in imports(known)
        if local and (a, b) not in LOCAL_IMPORTS_ALLOWED
    ]
    assert hidden == [], "local imports:\n" + "\n".join(sorted(hidden))


def test_the_layers_are_what_the_readme_says() -> None:
    """A sanity check of the classification itself, on modules every reader knows."""
    assert layer("matchsvc.validators") == FOUNDATION
    assert layer("matchsvc.models.graduates") == MODELS
    assert layer("matchsvc.jobs.matching") == INTERFACE
    assert layer("matchsvc.matching.engine.score") == ENGINE
    assert layer("matchsvc.graduates.service") == SERVICES
    assert layer("matchsvc.graduates.views") == INTERFACE
    assert layer("matchsvc.app") == APP


#: Long on purpose: the compiled search is one numba kernel and the code that feeds it its tables.
LONG_ALLOWED = {"matchsvc.matching.engine.kernel", "matchsvc.matching.engine.kernel_code"}
MAX_LINES = 425  # "about 400": a feature grows a module past it, then splits it by feature


def test_no_module_is_too_long() -> None:
    """Modules are split by feature: none longer than about 400 lines, but the compiled kernels
    (and Alembic's revisions, which python_modules leaves out)."""
    long = {
        name: n
        for name, path in modules().items()
        if name not in LONG_ALLOWED and (n := len(path.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these by feature: {long}"
