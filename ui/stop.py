"""Stop that stops: every long run holds a flag for its (browser session, tab); the tab's Stop button sets it,
the kernels check it between (or inside) their steps, and the handler shows the best result so far."""

from __future__ import annotations

import contextlib
import threading

import gradio as gr


# (session, tab) -> the flags of the runs that session has going on that tab; its Stop button sets them all. A set,
# not one flag: two runs of one tab can overlap (an example's click runs while the main button's run is queued,
# and the tab's concurrency allows two), and the one that ends first must not take the other's flag with it.
_RUNS: dict[tuple[str, str], set[threading.Event]] = {}
_RUNS_LOCK = threading.Lock()


@contextlib.contextmanager
def stoppable(request: gr.Request | None, tab: str):
    """A fresh stop flag for this session's run on ``tab``, set by the tab's Stop button (``stop_button``).

    Gradio's ``cancels=`` only drops the event in the browser (the outputs turn to "Error") while the worker
    thread computes on; so Stop sets this flag instead, the kernels check it between (or inside) their steps,
    and the handler shows the best result so far with a "stopped at step k of n" note."""
    flag = threading.Event()
    key = (request.session_hash, tab) if request is not None and request.session_hash else None
    if key is not None:
        with _RUNS_LOCK:
            _RUNS.setdefault(key, set()).add(flag)
    try:
        yield flag
    finally:
        if key is not None:
            with _RUNS_LOCK:
                flags = _RUNS.get(key, set())
                flags.discard(flag)
                if not flags:
                    _RUNS.pop(key, None)


def stop_button(button: gr.Button, *tabs: str) -> None:
    """Wire ``button`` to set the stop flags of this session's runs on ``tabs``. Not queued: it answers at once,
    even while the runs hold every worker."""
    def stop(request: gr.Request):
        stop_runs(request.session_hash, tabs)

    button.click(stop, queue=False, api_visibility="private")


def run_buttons(label: str, *tabs: str) -> gr.Button:
    """A view's main button ``label`` with its Stop beside it (wired by ``stop_button`` to ``tabs``); the main
    button is returned for the view to wire."""
    with gr.Row():
        go = gr.Button(label, variant="primary")
        stop_button(gr.Button("Stop", variant="stop"), *tabs)
    return go


def stop_runs(session: str, tabs) -> None:
    """Set the stop flags of ``session``'s runs on each of ``tabs`` that has any going."""
    with _RUNS_LOCK:
        flags = [flag for tab in tabs for flag in _RUNS.get((session, tab), ())]
    for flag in flags:
        flag.set()


def stopped_note(where: str) -> str:
    """The one wording of a run ended by Stop, on every tab: "Stopped at step 3 of 10; ..."."""
    return f"**Stopped** at {where}; the best result so far is shown."
