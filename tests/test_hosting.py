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
