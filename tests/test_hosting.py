import pytest

import app


def test_server_name_and_port_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("GRADIO_SERVER_NAME", "0.0.0.0")
    monkeypatch.setenv("GRADIO_SERVER_PORT", "7901")
    args = app.parse_args([])
    assert (args.host, args.port) == ("0.0.0.0", 7901)


def test_flags_win_over_the_environment(monkeypatch):
    monkeypatch.setenv("GRADIO_SERVER_NAME", "0.0.0.0")
    monkeypatch.setenv("GRADIO_SERVER_PORT", "7901")
    args = app.parse_args(["--host", "127.0.0.1", "--port", "7902"])
    assert (args.host, args.port) == ("127.0.0.1", 7902)


def test_without_the_environment_the_app_stays_on_loopback(monkeypatch):
    monkeypatch.delenv("GRADIO_SERVER_NAME", raising=False)
    monkeypatch.delenv("GRADIO_SERVER_PORT", raising=False)
    args = app.parse_args([])
    assert (args.host, args.port) == ("127.0.0.1", 7860)


def test_a_bad_port_in_the_environment_is_a_message_not_a_traceback(monkeypatch, capsys):
    monkeypatch.setenv("GRADIO_SERVER_PORT", "seventy")
    with pytest.raises(SystemExit) as stop:
        app.parse_args([])
    assert stop.value.code == 2
    assert "GRADIO_SERVER_PORT" in capsys.readouterr().err


def test_every_shipped_checkpoint_file_is_under_the_hub_limit_and_in_the_manifest():
    from generators import checkpoint, registry

    files = [path for path in registry.CHECKPOINT_DIR.iterdir() if path.name != checkpoint.MANIFEST]
    assert all(path.stat().st_size < 10_000_000 for path in files), [p.name for p in files if p.stat().st_size >= 1e7]
    assert set(checkpoint.read_manifest(registry.CHECKPOINT_DIR)) == {path.name for path in files}
    assert all(checkpoint.file_state(registry.CHECKPOINT_DIR, name) == "ok" for name in registry.MODELS)


def test_a_missing_shard_disables_only_its_model(checkpoint_copy):
    from generators import checkpoint
    from generators.registry import Registry

    (checkpoint_copy / "mnist-vae-00002-of-00002.safetensors").unlink()
    models = Registry(directory=checkpoint_copy, device="cpu")
    with pytest.raises(checkpoint.CheckpointError, match=r"mnist-vae-00002-of-00002.*python -m generators\.train mnist-vae"):
        models.load("mnist-vae")
    models.load("mnist-lenet")
    states = {row["name"]: row["checksum"] for row in models.status()}
    assert states["mnist-vae"] == "missing" and states["mnist-lenet"] == "ok"


def test_an_altered_shard_disables_only_its_model(checkpoint_copy):
    from generators import checkpoint
    from generators.registry import Registry

    shard = checkpoint_copy / "mnist-vae-00001-of-00002.safetensors"
    data = bytearray(shard.read_bytes())
    data[len(data) // 2] ^= 0xFF
    shard.write_bytes(bytes(data))
    models = Registry(directory=checkpoint_copy, device="cpu")
    with pytest.raises(checkpoint.CheckpointError, match=r"mnist-vae-00001-of-00002.*sha256.*generators\.train mnist-vae"):
        models.load("mnist-vae")
    models.load("mnist-gmm")
    assert {row["name"]: row["checksum"] for row in models.status()}["mnist-vae"] == "mismatch"


def test_the_server_bounds_malloc_and_an_import_does_not(monkeypatch):
    """app.main (what `python app.py` runs) keeps the server's memory flat (app.bound_malloc); importing app, as the
    tests and benchmarks do, leaves the process's malloc alone: no module-level statement of app.py calls it."""
    import ast
    from pathlib import Path

    calls = []
    monkeypatch.setattr(app, "bound_malloc", lambda: calls.append("bound") or True)
    monkeypatch.setattr(app.demo, "launch", lambda **kwargs: calls.append("launch"))
    app.main(["--no-warm-up"])
    assert calls == ["bound", "launch"]
    at_import = [node for node in ast.parse(Path(app.__file__).read_text()).body
                 if not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.If))]
    assert not any(isinstance(call, ast.Call) and getattr(call.func, "id", "") == "bound_malloc"
                   for node in at_import for call in ast.walk(node)), "app.py calls bound_malloc() at import"
