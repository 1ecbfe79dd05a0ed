"""Stop that stops: every long run holds a flag for its (browser session, tab); the tab's Stop button sets it,
the kernels check it between (or inside) their steps, and the handler shows the best result so far.

The newest run of a tab wins (``newest_run_wins``): an example clicked while a run streams stops that run, and
only the newer one's frames reach the page."""

from __future__ import annotations

import contextlib
import functools
import inspect
import threading

import gradio as gr


# (session, tab) -> the flags of the runs that session has going on that tab; its Stop button sets them all. A set,
# not one flag: two runs of one tab can overlap (an example's click runs while the main button's run is queued,
# and the tab's concurrency allows two), and the one that ends first must not take the other's flag with it.
_RUNS: dict[tuple[str, str], set[threading.Event]] = {}
_RUNS_LOCK = threading.Lock()
# (session, tab) -> a token of the newest run that session started there (newest_run_wins).
_NEWEST: dict[tuple[str, str], object] = {}


def _key(request: gr.Request | None, tab: str) -> tuple[str, str] | None:
    """(session, tab) of a browser session's run on ``tab``; None without one (a replayed bundle, or Gradio's
    example cache, which calls the handler without the request): such a run is neither stopped nor superseded."""
    return (request.session_hash, tab) if request is not None and request.session_hash else None


@contextlib.contextmanager
def stoppable(request: gr.Request | None, tab: str):
    """A fresh stop flag for this session's run on ``tab``, set by the tab's Stop button (``stop_button``).

    Gradio's ``cancels=`` only drops the event in the browser while the worker thread computes on (and the page
    runs a listener's cancels after its trigger's other listeners made their round trips: a late one cancelled
    the run the user had just started); so Stop sets this flag instead, the kernels check it between (or
    inside) their steps, and the handler shows the best result so far with a "stopped at step k of n" note."""
    flag = threading.Event()
    key = _key(request, tab)
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
    stop_on(button.click, *tabs)


def stop_on(listener, *tabs: str) -> None:
    """Wire ``listener`` (a Stop button's ``click``; a method radio's ``input``, which only the user's own choice
    fires, never a link or a lesson setting it) to set the stop flags of this session's runs on ``tabs``."""
    def stop(request: gr.Request):
        stop_runs(request.session_hash, tabs)

    listener(stop, queue=False, api_visibility="private")


def run_buttons(label: str, *tabs: str) -> gr.Button:
    """A view's main button ``label`` with its Stop beside it (wired by ``stop_button`` to ``tabs``); the main
    button is returned for the view to wire."""
    with gr.Row():
        go = gr.Button(label, variant="primary")
        stop_button(gr.Button("Stop", variant="stop"), *tabs)
    return go


def _supersede(key: tuple[str, str] | None) -> object | None:
    """A newer run of the session starts on the tab of ``key``: stop the older ones (their flags) and make them
    yield no more frames; returns the new run's token (None without a session)."""
    if key is None:
        return None
    token = object()
    with _RUNS_LOCK:
        _NEWEST[key] = token
    session, tab = key
    stop_runs(session, [tab])
    return token


def newest_run_wins(tab: str):
    """Decorate a streaming handler of ``tab``: when it starts, this session's older runs on the tab stop at
    their next check and drop the frames they still yield. Two runs of one tab (an example clicked, or the dice
    thrown, while a run streams) otherwise both streamed into the same outputs, and the older one's last frame
    landed on top of the newer result; they also held two of the workers a class shares. Decided on the server,
    in the order the runs start, so it holds whatever order the page's events arrive in. An API client calling
    a tab twice at once in one session gets, for the older call, outputs that are left unchanged (gr.skip()).

    A plain (non-streaming) handler is decorated the same way: two buttons writing the same outputs (Sample and
    Sample this digit) finish in either order on two workers, and an older one's result that comes back after
    a newer one started is dropped."""
    def decorate(handler):
        signature = inspect.signature(handler)

        if not inspect.isgeneratorfunction(handler):
            @functools.wraps(handler)
            def plain(*args, **kwargs):
                key = _key(signature.bind_partial(*args, **kwargs).arguments.get("request"), tab)
                token = _supersede(key)
                try:
                    result = handler(*args, **kwargs)
                    if key is None or _NEWEST.get(key) is token:
                        return result
                    return tuple(gr.skip() for _ in result) if isinstance(result, tuple) else gr.skip()
                finally:
                    _release(key, token)
            return plain

        @functools.wraps(handler)
        def streaming(*args, **kwargs):
            key = _key(signature.bind_partial(*args, **kwargs).arguments.get("request"), tab)
            token = _supersede(key)
            frames, frame = handler(*args, **kwargs), None
            try:
                for frame in frames:
                    if key is not None and _NEWEST.get(key) is not token:
                        break
                    yield frame
                else:
                    if key is None or _NEWEST.get(key) is token or frame is None:
                        return
                # Superseded. Gradio sends a run's last frame again when the run ends, which landed on the newer
                # result: end on a frame that changes nothing.
                yield tuple(gr.skip() for _ in frame) if isinstance(frame, tuple) else gr.skip()
            finally:
                frames.close()
                _release(key, token)
        return streaming
    return decorate


def _release(key: tuple[str, str] | None, token: object | None) -> None:
    """Forget ``token`` if it is still the newest run's: the run ended (or was no run: ``supersede_on``)."""
    if key is not None:
        with _RUNS_LOCK:
            if _NEWEST.get(key) is token:
                del _NEWEST[key]


def supersede_on(listener, tab: str) -> None:
    """Wire ``listener`` (e.g. an examples set's ``dataset.click`` whose output Gradio's cache answers) to stop
    this session's runs on ``tab`` and drop their frames, as a newer run would. Not queued: it answers at once."""
    def newer(request: gr.Request):
        key = _key(request, tab)
        _release(key, _supersede(key))

    listener(newer, queue=False, api_visibility="private")


def stop_session(session: str | None) -> None:
    """Set the stop flags of every run ``session`` has going, on any tab (a lesson moving to another step)."""
    with _RUNS_LOCK:
        flags = [flag for (owner, _), runs in _RUNS.items() if owner == session for flag in runs]
    for flag in flags:
        flag.set()


def stop_runs(session: str, tabs) -> None:
    """Set the stop flags of ``session``'s runs on each of ``tabs`` that has any going."""
    with _RUNS_LOCK:
        flags = [flag for tab in tabs for flag in _RUNS.get((session, tab), ())]
    for flag in flags:
        flag.set()


def stopped_note(where: str) -> str:
    """The one wording of a run ended by Stop, on every tab: "Stopped at step 3 of 10; ..."."""
    return f"**Stopped** at {where}; the best result so far is shown."
