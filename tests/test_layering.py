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
