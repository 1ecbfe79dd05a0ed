import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BLOCK_GRADIO = """
import importlib, pkgutil, sys
sys.modules["gradio"] = None  # any import of gradio now fails
import generators
for module in pkgutil.walk_packages(generators.__path__, "generators."):
    if module.name != "generators.train.__main__":
        importlib.import_module(module.name)
print("ok")
"""


def test_generators_never_import_gradio():
    result = subprocess.run([sys.executable, "-c", BLOCK_GRADIO], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


def test_nothing_imports_app():
    offenders = [path for path in ROOT.glob("*/**/*.py")
                 if ".venv" not in path.parts and "tests" not in path.parts
                 and ("import app" in path.read_text() or "from app import" in path.read_text())]
    assert offenders == []


# Modules under generators/ that may import the registry: the registry itself, and the edge that asks it.
REGISTRY_USERS = {"generators/registry.py", "generators/api.py"}


def test_only_the_edge_asks_the_registry_for_models():
    """Families take their models as arguments; only generators/api.py (the edge) looks them up."""
    import ast

    offenders = []
    for path in sorted((ROOT / "generators").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text())):
            imported = ([alias.name for alias in node.names] if isinstance(node, ast.Import) else
                        [f"{node.module}.{alias.name}" for alias in node.names]
                        if isinstance(node, ast.ImportFrom) and node.module else [])
            if any(item.startswith("generators.registry") for item in imported) and name not in REGISTRY_USERS:
                offenders.append(name)
    assert offenders == [], f"these import the registry; take the model as an argument instead: {offenders}"
