"""The floors of the house and which way imports may point (docs/architecture.md).

Read from the source with `ast`, lazy imports inside functions included, so a new arrow that
runs back up fails here before it tangles anything.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

GROUND = {"core"}
CONTENT = {"blog", "inspections"}
PLUGINS = {"comments", "subscriptions", "sharing", "search", "privacy"}
# Top floor: whatever writes through every other floor's public services — the demo content
# and the WordPress importer (it carries comments over, so it may not be a plug-in).
TOP = {"demo", "wordpress"}
ROOF = {"config"}
PROJECT = GROUND | CONTENT | PLUGINS | TOP | ROOF

# Which project packages each package may import (besides itself).
ALLOWED = {
    "core": set(),
    "inspections": GROUND,
    "blog": GROUND | {"inspections"},  # articles link to the inspections they discuss
    **dict.fromkeys(PLUGINS, GROUND | CONTENT),
    **dict.fromkeys(TOP, GROUND | CONTENT | PLUGINS),
    "config": GROUND | CONTENT | PLUGINS,
}


def imported_packages(path: Path) -> set[str]:
    """Top-level project packages imported anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names)
    return found & PROJECT


def source_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_every_project_package_has_a_floor():
    packages = {
        path.name
        for path in ROOT.iterdir()
        if path.is_dir() and (path / "__init__.py").exists() and path.name != "tests"
    }
    assert packages <= set(ALLOWED), f"give these a floor: {packages - set(ALLOWED)}"


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_point_down(package):
    wrong = {}
    for path in source_files(package):
        extra = imported_packages(path) - ALLOWED[package] - {package}
        if extra:
            wrong[str(path.relative_to(ROOT))] = sorted(extra)
    assert not wrong, f"{package} may not import these: {wrong}"


def test_plugins_do_not_import_each_other():
    for plugin in PLUGINS:
        for path in source_files(plugin):
            assert not (imported_packages(path) & (PLUGINS - {plugin})), path


def test_the_checker_sees_lazy_imports(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text("def f():\n    from comments.models import Comment\n    import blog.views\n")
    assert imported_packages(module) == {"comments", "blog"}
