"""Load test: many concurrent gradio_client users against a locally launched app.

    python benchmarks/load_test.py [--clients 20] [--seconds 180]

Starts `app.py` on a free loopback port (or uses --url), warms every endpoint once, then runs ``--clients``
threads, each a gradio_client.Client calling the endpoints below in turn for ``--seconds``. Prints latency
p50/p95/max per endpoint, the error count (a full queue answers with its own message and is counted apart),
and the server's resident memory after warm-up and at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

GMM, VAE, GAN = ("GMM: PCA + Gaussian mixture", "VAE: variational autoencoder",
                 "GAN: generative adversarial network")


def _calls() -> list[tuple[str, tuple]]:
    """(api_name, arguments): the calls a classroom makes, one or more per tab. Add a line per new endpoint."""
    from gradio_client import handle_file

    camera = handle_file(str(ROOT / "assets" / "denoise" / "camera.png"))
    brick = handle_file(str(ROOT / "assets" / "texture" / "brick.png"))
    astronaut = handle_file(str(ROOT / "assets" / "stylize" / "astronaut.png"))
    return [
        ("/sample", (GMM, 64, 1)),
        ("/restore", (camera, True, "Gaussian noise", 25, 0.1, 0.5, 3,
                      ["Gaussian filter", "Total variation (Chambolle)", "Non-local means"], None, "icm")),
        ("/sample", (VAE, 64, 2)),
        ("/texture", (brick, "Image quilting: block by block (2001)", 128, 1, 11, 16, 4, None, 0.3, 10)),
        ("/sample", (GAN, 64, 3)),
        ("/stylize", (astronaut, "Fast network (Johnson et al.)", "the-scream", None, 1.0, False, 1.0, 10.0, 10, 256,
                      "content", 0)),
        ("/autoencode", (7, 127.5, 0)),
        ("/components", (GMM,)),
        ("/model_status", ()),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--url", help="an app that is already running (memory is then not measured)")
    args = parser.parse_args()
    server = None if args.url else _launch()
    url = args.url or server[1]
    try:
        _run(url, args.clients, args.seconds, server[0].pid if server else None)
    finally:
        if server:
            server[0].terminate()
            server[0].wait(timeout=20)


def _run(url: str, clients: int, seconds: float, pid: int | None) -> None:
    from gradio_client import Client

    calls = _calls()
    warm = Client(url, verbose=False)
    for api_name, call_args in calls:
        warm.predict(*call_args, api_name=api_name)
    memory_before = _rss_mb(pid)
    latencies: dict[str, list[float]] = {api_name: [] for api_name, _ in calls}
    errors: list[str] = []
    queue_full = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user(index: int) -> None:
        client = Client(url, verbose=False)
        for api_name, call_args in itertools.islice(itertools.cycle(calls), index, None):
            if time.monotonic() > deadline:
                return
            start = time.perf_counter()
            try:
                client.predict(*call_args, api_name=api_name)
            except Exception as error:  # every failure is counted and reported, none is fatal
                with lock:
                    if "queue is full" in str(error).lower():
                        queue_full[0] += 1
                    else:
                        errors.append(f"{api_name}: {type(error).__name__}: {error}"[:200])
                continue
            with lock:
                latencies[api_name].append(time.perf_counter() - start)

    # The server's memory every tenth of the run: growth that levels off is pools and caches filling up
    # (allocator arenas, queues); growth that keeps climbing is a leak.
    trace: list[float] = []

    def watch() -> None:
        while time.monotonic() < deadline:
            time.sleep(seconds / 10)
            trace.append(_rss_mb(pid))

    threads = [threading.Thread(target=user, args=(index,)) for index in range(clients)]
    for thread in threads + [threading.Thread(target=watch, daemon=True)]:
        thread.start()
    for thread in threads:
        thread.join()
    memory_after = _rss_mb(pid)

    print(f"{clients} clients for {seconds:.0f} s against {url}\n")
    print("| endpoint | calls | p50 (s) | p95 (s) | max (s) |")
    print("|---|---|---|---|---|")
    for api_name, values in latencies.items():
        if values:
            ordered = sorted(values)
            p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
            print(f"| {api_name} | {len(values)} | {statistics.median(values):.2f} | {p95:.2f} | {ordered[-1]:.2f} |")
    print(f"\nerrors: {len(errors)}; answered 'queue full': {queue_full[0]}")
    for line in errors[:10]:
        print("  ", line)
    if pid:
        print(f"server memory (RSS): {memory_before:.0f} MB after warm-up, {memory_after:.0f} MB at the end")
        print("every tenth of the run (MB): " + " ".join(f"{value:.0f}" for value in trace))


def _launch() -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
    process = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(120):
        try:
            urllib.request.urlopen(url, timeout=1)
            return process, url
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("app.py did not start within 60 s")


@contextlib.contextmanager
def running_app(url: str | None = None):
    """``url`` if given, else the address of app.py started on a free loopback port for the with-block."""
    if url:
        yield url
        return
    process, url = _launch()
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _rss_mb(pid: int | None) -> float:
    if pid is None:
        return float("nan")
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


if __name__ == "__main__":
    main()
