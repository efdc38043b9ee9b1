"""`core` sits at the bottom of the import graph: every app builds on it, it builds on none of them
(the demo command that composes them all lives in its own app, `sinergi/demo`)."""

import ast
from pathlib import Path

import sinergi

SINERGI = Path(sinergi.__file__).parent
APPS = sorted(p.name for p in SINERGI.iterdir() if (p / "apps.py").exists())


def _runtime_nodes(tree: ast.AST):
    """Every node but those under `if TYPE_CHECKING:` (annotations only, never imported)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            continue
        yield node
        yield from _runtime_nodes(node)


def imported_apps(path: Path) -> set[str]:
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text(), filename=str(path))):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names] if isinstance(node, ast.Import) else []
        for name in names:
            parts = name.split(".")
            if parts[0] == "sinergi" and len(parts) > 1 and parts[1] in APPS:
                found.add(parts[1])
    return found


def test_core_imports_no_other_app():
    assert "core" in APPS and "logistics" in APPS  # the walk found the apps
    offending = {
        str(path.relative_to(SINERGI)): sorted(imported_apps(path) - {"core"})
        for path in (SINERGI / "core").rglob("*.py")
        if "migrations" not in path.parts and imported_apps(path) - {"core"}
    }
    assert offending == {}


def test_the_walk_sees_an_import_of_another_app():
    assert imported_apps(SINERGI / "demo" / "management" / "commands" / "demo.py") >= {"guard", "logistics", "supervisors"}
