"""Train tab handlers: sessions own their runs, Pause stops the loop, the pool's limits reach the page."""

from types import SimpleNamespace

import gradio as gr
import pytest

from generators import live
from generators.live.pool import Pool
from ui import train, train_loop, train_plots

GAN = ("GAN on 2-D points", "Ring of 8 Gaussians", 1e-3, 64, 4, 8, 32, "4,000 training digits", 0.5, 0,
       {"points": [], "labels": []})


@pytest.fixture
def pool(monkeypatch):
    fresh = Pool(active=3, capacity=5)
    monkeypatch.setattr(live, "POOL", fresh)
    monkeypatch.setattr(train_loop, "FRAME_S", 0.1)
    yield fresh
    for key in [key for key in train_loop._SESSIONS if key.startswith("test-")]:
        train_loop.free_session(_request(key))


def _request(name: str):
    return SimpleNamespace(session_hash=name)


def _frames(stream, count: int) -> list:
    return [next(stream) for _ in range(count)]


def test_a_run_trains_frame_by_frame_and_pause_stops_it(pool):
    stream = train.start_training(*GAN, _request("test-a"))
    frames = _frames(stream, 3)
    assert "Setting up" in frames[0][0]
    assert "step" in frames[2][0] and frames[2][1] is not None and frames[2][3] is not None
    run = train_loop._SESSIONS["test-a"].run
    assert pool.place(train_loop._SESSIONS["test-a"]) == 0
    message = train.pause_training(_request("test-a"))
    assert "Paused" in message
    step = run.step
    last = list(stream)
    assert len(last) <= 1 and "Paused" in last[0][0]
    assert run.step - step <= 5 * run.chunk, "at most the chunk in progress finishes"
    assert pool.count() == 0, "a paused run gives its place back"


def test_sessions_keep_their_own_runs_and_closing_frees_them(pool):
    first, second = (train.start_training(*GAN, _request(name)) for name in ("test-b", "test-c"))
    _frames(first, 2), _frames(second, 2)
    assert train_loop._SESSIONS["test-b"].run is not train_loop._SESSIONS["test-c"].run
    train_loop.free_session(_request("test-b"))
    assert "test-b" not in train_loop._SESSIONS and pool.count() == 1
    assert list(first) == [], "the closed session's loop ends without another frame"


def test_waiting_runs_hear_their_place_and_a_sixth_is_refused(pool):
    streams = [train.start_training(*GAN, _request(f"test-{k}")) for k in range(6)]
    for stream in streams[:3]:
        _frames(stream, 2)
    waiting = [_frames(stream, 2)[1][0] for stream in streams[3:5]]
    assert "number 1 in the queue" in waiting[0] and "number 2 in the queue" in waiting[1]
    next(streams[5])
    with pytest.raises(gr.Error, match="busy"):
        next(streams[5])


def test_bad_settings_and_an_empty_drawing_become_messages(pool):
    bad_lr = (GAN[0], GAN[1], 7.0, *GAN[3:])
    drawn = (GAN[0], "Points I draw", *GAN[2:])
    for settings, named in ((bad_lr, "lr must be between"), (drawn, "0 points")):
        stream = train.start_training(*settings, _request("test-bad"))
        assert named in _frames(stream, 2)[1][0], "the status says why"
        with pytest.raises(gr.Error, match=named):
            next(stream)
    assert pool.count() == 0


def test_picking_another_model_pauses_the_run_and_resume_needs_it_picked_again(pool):
    """A VAE run went on training, for up to its five minutes and holding a training place, with its curves drawn
    in the layout of the model picked next."""
    stream = train.start_training(*GAN, _request("test-pick"))
    _frames(stream, 3)
    run = train_loop._SESSIONS["test-pick"].run
    updates = train.pick_model("Digits: small VAE", _request("test-pick"))
    status, curves, picture = updates[-2], updates[-1], updates[10]
    assert "Paused** the GAN on 2-D points run at step" in status and "press Start for a new Digits" in status
    assert curves["value"] is None and picture["value"] is None and pool.count() == 0
    assert list(stream) == [], "the loop ends without a frame that would write over that"
    step = run.step
    with pytest.raises(gr.Error, match="pick GAN on 2-D points to resume it"):
        next(train.resume_training("Digits: small VAE", _request("test-pick")))
    assert train.pick_model(GAN[0], _request("test-pick"))[-2] == gr.skip()   # its own model: nothing to pause
    assert "step" in _frames(train.resume_training(GAN[0], _request("test-pick")), 2)[1][0] and run.step > step
    train.pause_training(_request("test-pick"))


def test_resume_without_a_run_says_to_start():
    with pytest.raises(gr.Error, match="press Start"):
        next(train.resume_training(GAN[0], _request("test-none")))


def test_clicks_on_the_pad_add_points_of_the_chosen_class():
    drawn, pad, note = train_plots.add_point({"points": [], "labels": []}, "class B", SimpleNamespace(index=[160, 0]))
    assert drawn["labels"] == [1] and drawn["points"][0][1] == pytest.approx(1.6)
    assert pad.shape == (320, 320, 3) and "1 point drawn" in note
    assert train_plots.clear_points()[0] == {"points": [], "labels": []}


def test_compare_puts_the_live_digit_model_beside_the_shipped_one(pool, monkeypatch):
    from generators.live import digits

    monkeypatch.setattr(digits, "EVAL_EVERY", 5)
    session = train_loop.session_of(_request("test-compare"))
    session.run = live.start("mnist-dae", batch=16, train_digits=100, noise=0.5)
    session.run.advance(5)
    table, picture = train.compare_with_shipped(_request("test-compare"))
    assert "held out psnr db" in table and "shipped `mnist-dae`" in table
    live_psnr, shipped_psnr = (float(cell) for cell in table.split("held out psnr db |")[1].split("|")[:2])
    assert shipped_psnr > live_psnr, "five steps of training do not beat the shipped autoencoder"
    assert picture["visible"] is True and picture["value"].dtype.name == "uint8"


def test_compare_needs_a_digit_run(pool):
    train_loop.session_of(_request("test-compare-2d")).run = live.start("toy-gmm", components=2)
    with pytest.raises(gr.Error, match="digit model first"):
        train.compare_with_shipped(_request("test-compare-2d"))


def test_a_run_stops_itself_after_five_minutes_and_says_so(pool):
    session = train_loop.session_of(_request("test-limit"))
    session.run = live.start("toy-gan", batch=16, hidden=8)
    session.run.seconds = live.TIME_LIMIT_S - 0.05
    frames = list(train.resume_training("GAN on 2-D points", _request("test-limit")))
    assert "Stopped: this run has trained for its 5 minutes" in frames[-1][0]
    assert session.run.out_of_time and pool.count() == 0
    with pytest.raises(gr.Error, match="5 minutes"):
        next(train.resume_training("GAN on 2-D points", _request("test-limit")))
