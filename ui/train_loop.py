"""The Train tab's live runs, one per browser session (kept here under the session's hash and freed when the
tab closes): a streaming loop holds a place in generators.live.POOL, trains about a second at a time and
yields fresh plots, until Pause, Start, Reset, the time limit or the tab closing ends it."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import gradio as gr
import numpy as np

from generators import live
from ui.train_plots import run_curves, run_picture

FRAME_S = 1.0          # the page gets new plots about this often
PICTURE_EVERY_S = 3.0  # digit sample grids are redrawn this often
# Kinds that converge within a second (EM, logistic regression) show their first steps one by one, then go
# faster: each update trains at most half as many steps as were taken so far (at least one).
STEP_BY_STEP = ("toy-gmm", "toy-logistic", "logistic-restore")


@dataclass(eq=False)
class Session:
    """One browser session's run. ``generation`` grows on every Start, Resume, Pause and Reset: a training loop
    stops as soon as it is no longer the newest, so Pause stops the CPU work within a fraction of a second."""

    run: object | None = None
    started: tuple = ()   # the values of Start's inputs when the run started, in order (its link holds these)
    until: int = 0        # the step the run stops at ("Stop at step"; 0: until Pause)
    generation: int = 0
    stopped_by: str = ""  # what ended the last loop: "Pause", "Start", "Resume", "Reset" or "closed"
    lock: threading.Lock = field(default_factory=threading.Lock)       # guards run and generation
    training: threading.Lock = field(default_factory=threading.Lock)   # one loop advances the run at a time


_SESSIONS: dict[str, Session] = {}
_SESSIONS_LOCK = threading.Lock()


def session_of(request: gr.Request) -> Session:
    key = getattr(request, "session_hash", None) or "no-session"
    with _SESSIONS_LOCK:
        return _SESSIONS.setdefault(key, Session())


def existing_session(request: gr.Request) -> Session | None:
    """The session's run holder if it has one (nothing is made for a page that never trained)."""
    with _SESSIONS_LOCK:
        return _SESSIONS.get(getattr(request, "session_hash", None) or "no-session")


def free_session(request: gr.Request) -> None:
    """The tab closed: stop its training loop, give back its place, forget its run."""
    with _SESSIONS_LOCK:
        session = _SESSIONS.pop(getattr(request, "session_hash", None) or "no-session", None)
    if session is not None:
        stop(session, "closed")
        live.POOL.leave(session)
        session.run = None


def stop(session: Session, by: str) -> int:
    """End the session's training loop, if one runs (it returns within one chunk of steps); the new generation."""
    session.stopped_by = by
    session.generation += 1
    return session.generation


def pause(session: Session, by: str = "Pause") -> str:
    """Stop the session's training loop, give back its place and wait for the chunk of steps in progress, so
    the step count is final; the status line. ``by`` names why: only "Pause" makes the loop say Paused itself."""
    with session.lock:
        stop(session, by)
        run = session.run
    live.POOL.leave(session)
    with session.training:
        pass
    return "Nothing is training." if run is None else paused(run)


def paused(run) -> str:
    return f"**Paused** at step {run.step} after {run.seconds:.0f} s of training. Resume goes on from here."


def train_live(session: Session, generation: int):
    """Hold a place in the server's pool, wait for a turn (saying where in the queue), then train about a second
    at a time and yield (status, picture figure, digit image, curves figure) after each, until paused, replaced,
    out of time or closed."""
    run = session.run
    try:
        place = live.POOL.enter(session)
        while place > 0:
            yield (f"Waiting for a free training place: you are number {place} in the queue "
                   f"({live.POOL.active} runs train at once on this server).", gr.skip(), gr.skip(), gr.skip())
            time.sleep(1.0)
            place = live.POOL.place(session)
            if session.generation != generation or place < 0:
                return
        last_picture = 0.0
        while True:
            started = time.perf_counter()
            with session.training:
                _advance(run, session, generation, FRAME_S * 0.75)
            if session.generation != generation or run.out_of_time or reached(session):
                break
            fresh = time.perf_counter() - last_picture >= PICTURE_EVERY_S or run.kind not in live.DIGIT_KINDS
            figure, image = run_picture(run) if fresh else (gr.skip(), gr.skip())
            if fresh:
                last_picture = time.perf_counter()
            yield _status(run, time.perf_counter() - started), figure, image, run_curves(run)
        if run.out_of_time:
            yield (f"Stopped: this run has trained for its {live.TIME_LIMIT_S / 60:.0f} minutes (step {run.step}). "
                   f"Press Start for a new one.", *run_picture(run), run_curves(run))
        elif reached(session) and session.generation == generation:
            yield (f"**Stopped at step {run.step}**, as *Stop at step* asked, after {run.seconds:.0f} s of "
                   f"training. Resume goes on from here.", *run_picture(run), run_curves(run))
        elif session.stopped_by == "Pause":
            # The plots at the step the status names (the last frame's were up to a second older): a link made now
            # trains to this step and draws these.
            yield paused(run), *run_picture(run), run_curves(run)
    finally:
        if session.generation == generation:
            live.POOL.leave(session)


def reached(session: Session) -> bool:
    """Whether the session's run is at the step it was asked to stop at."""
    return bool(session.until) and session.run is not None and session.run.step >= session.until


def _advance(run, session: Session, generation: int, seconds: float) -> None:
    """Train for ``seconds`` in small chunks, stopping early when the session pauses or restarts, and at the
    session's ``until`` step exactly. Kinds that converge within a second go step by step at first
    (STEP_BY_STEP)."""
    deadline = time.perf_counter() + seconds
    budget = max(1, run.step // 2) if run.kind in STEP_BY_STEP else np.inf
    if session.until:
        budget = min(budget, max(0, session.until - run.step))
    while budget > 0 and time.perf_counter() < deadline and session.generation == generation and not run.out_of_time:
        run.advance(min(run.chunk, budget))
        budget -= run.chunk
    if budget <= 0 and not reached(session):
        time.sleep(max(0.0, deadline - time.perf_counter()))


def _status(run, frame_seconds: float) -> str:
    left = max(0.0, live.TIME_LIMIT_S - run.seconds)
    return (f"Training **{run.kind}**: step {run.step}, {run.seconds:.0f} s trained, {left:.0f} s left of the "
            f"{live.TIME_LIMIT_S / 60:.0f}-minute limit · this update took {frame_seconds:.1f} s")
