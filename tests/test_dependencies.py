"""Every third-party module the application imports is installed by `make run`.

`make run` installs the runtime dependencies only (the dev extras come with `make
test`), so a module imported by the site but provided only by a dev extra works in the
tests and fails for a new user. This reads every import in src/iskra and checks it
against the runtime requirements of pyproject.toml and what they require in turn.
"""

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement):
    return re.split(r"[\s<>=!~;\[(]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _runtime_closure():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pending = [_name(r) for r in project["dependencies"]]
    seen = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        pending += [_name(r) for r in requires if "extra ==" not in r]
    return seen


def _optional_imports(tree):
    """Return the import nodes guarded by ``except ImportError`` (tools with a message)."""
    guarded = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
            isinstance(handler.type, ast.Name)
            and handler.type.id in ("ImportError", "ModuleNotFoundError")
            for handler in node.handlers
        ):
            guarded |= {id(inner) for statement in node.body for inner in ast.walk(statement)}
    return guarded


def _imported_top_levels():
    names = {}
    for path in (ROOT / "src" / "iskra").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        optional = _optional_imports(tree)
        for node in ast.walk(tree):
            if id(node) in optional:
                continue
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                names.setdefault(module.split(".")[0], path.relative_to(ROOT))
    return names


def test_runtime_dependencies_cover_every_import():
    runtime = _runtime_closure()
    providers = metadata.packages_distributions()
    missing = []
    for top, where in sorted(_imported_top_levels().items()):
        if top == "iskra" or top in sys.stdlib_module_names:
            continue
        distributions = {_name(d) for d in providers.get(top, [])}
        if not distributions & runtime:
            missing.append(f"{top} (imported in {where}, from {sorted(distributions)})")
    assert missing == [], "add these to [project] dependencies in pyproject.toml"
