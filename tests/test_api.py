"""The API as a programmer meets it (gradio_client): every public endpoint is named, described, typed, and
callable with only its required arguments; internal events stay hidden."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Arguments for the parameters that have no default (the drawing pads start empty).
REQUIRED = {"drawing": lambda: _drawing()}


def _drawing():
    from gradio_client import handle_file

    return {"background": None, "layers": [], "composite": handle_file(str(ROOT / "assets" / "sample" / "drawn-7.png"))}


@pytest.fixture(scope="module")
def api(client):
    return client.view_api(return_format="dict", print_info=False)


def test_every_endpoint_is_named_once_and_described(api):
    assert api["unnamed_endpoints"] == {}
    names = list(api["named_endpoints"])
    assert not [name for name in names if re.fullmatch(r"/lambda(_\d+)?|/status_table|.*_\d+", name)], names
    for name, endpoint in api["named_endpoints"].items():
        assert (endpoint.get("description") or "").strip(), f"{name} has no description"
        unnamed = [out["label"] for out in endpoint["returns"] if re.fullmatch(r"value_\d+", out["label"] or "")]
        assert not unnamed, f"{name} returns unnamed outputs {unnamed}"


def test_whole_numbers_are_typed_int_and_optional_inputs_optional(api):
    parameters = {(name, p["parameter_name"]): p for name, endpoint in api["named_endpoints"].items()
                  for p in endpoint["parameters"]}
    for key in [("/sample", "count"), ("/texture", "side"), ("/stylize", "steps"), ("/repair", "index"),
                ("/restore", "sigma255"), ("/interpolate", "frames")]:
        assert parameters[key]["python_type"]["type"] == "int", key
    for key in [("/restore", "editor"), ("/texture", "target_file"), ("/stylize", "style_path")]:
        assert parameters[key]["parameter_has_default"], key


def test_every_endpoint_answers_with_only_its_required_arguments(client, api, monkeypatch):
    from ui.sample import repair

    monkeypatch.setattr(repair, "REPAIR_STEPS", 10)   # the arguments are tested here; the search is elsewhere
    for name, endpoint in api["named_endpoints"].items():
        required = [p["parameter_name"] for p in endpoint["parameters"] if not p["parameter_has_default"]]
        assert set(required) <= set(REQUIRED), f"{name} requires {required}"
        result = client.predict(*[REQUIRED[p]() for p in required], api_name=name)
        assert result is not None, name
