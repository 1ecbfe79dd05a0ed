"""Default runs: how long each tab's main button takes with the inputs the page opens with.

    python benchmarks/default_runs.py [--url http://127.0.0.1:7860/] [--repeats 2]

Starts `app.py` on a free loopback port (or uses --url) and calls each tab's main endpoint through
gradio_client with no arguments at all, as a first click on the opened page would, ``--repeats`` times.
The first call includes loading the tab's models; the figure that matters in class is the later ones.
Prints seconds per endpoint (the whole streamed run, to its last update).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load_test import running_app  # noqa: E402

# Tab -> its main endpoint (the primary button on the tab's first screen).
MAIN = {"Denoise": "/restore", "Denoise (autoencoders)": "/autoencode", "Texture": "/texture",
        "Stylize": "/stylize", "Sample": "/sample", "Sample (repair)": "/repair", "Lessons (sweeps)": "/sweep",
        "Models": "/model_status"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running app (default: start app.py)")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    from gradio_client import Client

    with running_app(args.url) as url:
        client = Client(url, verbose=False)
        print(f"| tab | endpoint | {' | '.join(f'run {i + 1} (s)' for i in range(args.repeats))} |")
        print("|---|---|" + "---|" * args.repeats)
        for tab, endpoint in MAIN.items():
            seconds = []
            for _ in range(args.repeats):
                started = time.perf_counter()
                client.predict(api_name=endpoint)
                seconds.append(time.perf_counter() - started)
            print(f"| {tab} | `{endpoint}` | {' | '.join(f'{s:.2f}' for s in seconds)} |", flush=True)

if __name__ == "__main__":
    main()
