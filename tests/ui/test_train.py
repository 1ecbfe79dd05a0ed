"""Train tab handlers: sessions own their runs, Pause stops the loop, the pool's limits reach the page."""

from types import SimpleNamespace

import gradio as gr
import pytest

from generators import live
from generators.live.pool import Pool
from ui import train, train_loop, train_plots, train_settings

GAN = ("GAN on 2-D points", "Ring of 8 Gaussians", 1e-3, 64, 4, 8, 32, "4,000 training digits", 0.5, 0, 0,
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
    with pytest.raises(gr.Error, match="Stop at step"):
        next(train.start_training(*GAN[:10], -5, GAN[-1], _request("test-bad")))
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


def test_stop_at_step_ends_the_run_there_exactly_and_the_same_settings_give_the_same_run(pool):
    """What a Train link relies on: a run stops at the asked step whatever its frames' sizes (the GAN trains five
    steps a chunk, 23 is not a multiple), and every step is seeded, so two runs end at the same losses."""
    settings = (*GAN[:9], 3, 23, GAN[-1])      # seed 3, stop at step 23
    runs = []
    for name in ("test-until-a", "test-until-b"):
        frames = list(train.start_training(*settings, _request(name)))
        assert "Stopped at step 23" in frames[-1][0] and frames[-1][1] is not None
        runs.append(train_loop._SESSIONS[name].run)
    assert [run.step for run in runs] == [23, 23] and runs[0].losses == runs[1].losses
    assert pool.count() == 0, "a run that stopped gives its place back"
    stream = train.resume_training(GAN[0], _request("test-until-a"))
    _frames(stream, 2)
    assert runs[0].step > 23, "Resume goes on past the step"
    train.pause_training(_request("test-until-a"))


def test_a_train_link_holds_the_settings_its_run_started_with_and_the_step_it_is_at(pool):
    from ui import links, share

    with gr.Blocks() as blocks:
        train.build()
    view = share._VIEWS["train"]
    shown = {getattr(block, "elem_id", None) for block in blocks.blocks.values()}
    assert view.run.elem_id == "train-start" and "link-train" in shown
    assert "bundle-train" not in shown, "no bundle: a replay cannot run a live session's training"
    settings = (*GAN[:2], 2e-3, *GAN[3:9], 4, 9, GAN[-1])      # lr 0.002, seed 4, stop at step 9
    list(train.start_training(*settings, _request("test-link")))
    controls = {id(p.component): p.component.value for p in view.params}   # the controls, back at their defaults
    fields = links.encode(view, {**controls, **view.link_values(controls, _request("test-link"))})
    assert fields == {"view": "train", "model": "toy-gan", "data": "ring8", "lr": "0.002", "batch": "64",
                      "code": "4", "components": "8", "hidden": "32", "digits": "4000", "noise": "0.5", "seed": "4",
                      "until": "9"}
    assert view.link_values(controls, _request("test-no-run")) == {}, "no run: the link holds the controls"
    other = {**controls, id(view.param("model").component): "Digits: small VAE"}
    assert view.link_values(other, _request("test-link")) == {}, "another model picked: the run is not shown"
    found = links.decode("?view=train&model=mnist-vae&data=drawn&lr=0.002&until=50", {"train": view})
    by_name = {p.name: found.values[id(p.component)] for p in view.params}
    assert by_name["model"] == "Digits: small VAE" and by_name["lr"] == 0.002 and by_name["until"] == 50
    assert by_name["data"] == "Ring of 8 Gaussians" and "data='drawn' is not one of the choices" in found.notes[0]


def test_a_model_picked_by_hand_starts_from_its_settings_and_one_a_link_picks_keeps_the_links():
    """pick_model (the model's change: a click or a link) shows the model's controls; starting_settings (its input:
    a click only) fills them in. One handler doing both wrote the defaults over a link's learning rate."""
    assert train.starting_settings("Digits: small VAE") == train_settings.DEFAULTS["mnist-vae"]
    assert train.starting_settings("GMM by EM on 2-D points") == (gr.skip(),) * 3
    updates = train.pick_model("Digits: small VAE")
    assert all("value" not in update for update in updates[1:4]) and updates[1]["visible"] is True
    with gr.Blocks() as blocks:
        train.build()
    model = next(c for c in blocks.blocks.values() if getattr(c, "elem_id", None) == "train-model")
    by_trigger = {trigger: f.fn.__name__ for f in blocks.fns.values() for block, trigger in f.targets
                  if block == model._id}
    assert by_trigger == {"change": "pick_model", "input": "starting_settings"}
