"""The architecture's import rules, checked on the code: the document engine (`communique.documents`)
works without the web layer, and the generic writers (`communique.editions`) take KDP's rules as
arguments instead of importing `communique.kdp`."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path


PACKAGE = Path(__file__).resolve().parents[1] / "communique"
WEB = ("django", "wagtail", "taggit", "modelcluster")


def _modules(package: str):
    root = PACKAGE / package
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        if package == "documents" and path.name == "apps.py":
            continue  # the AppConfig Django loads when it lists the app; nothing in the engine imports it
        yield path, ".".join(rel.parts).removesuffix(".__init__")


def _imports(path: Path, *, top_level_only: bool):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def test_documents_imports_nothing_from_django_at_module_level():
    """Readers of Wagtail pages import the web layer inside their functions, when called."""
    offenders = [f"{mod}:{line} imports {name}" for path, mod in _modules("documents")
                 for line, name in _imports(path, top_level_only=True) if name.split(".")[0] in WEB]
    assert not offenders, offenders


def test_importing_all_of_documents_loads_no_web_framework():
    modules = [mod for _, mod in _modules("documents")]
    script = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(WEB)!r}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=PACKAGE.parent, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PACKAGE.parent)})
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "[]", f"importing communique.documents loaded {done.stdout.strip()}"


def test_editions_imports_nothing_from_kdp():
    """KDP hands its rules (margins, page limits) to the writers as options; never the reverse."""
    offenders = [f"{mod}:{line} imports {name}" for path, mod in _modules("editions")
                 for line, name in _imports(path, top_level_only=False)
                 if name == "communique.kdp" or name.startswith("communique.kdp.")]
    assert not offenders, offenders
