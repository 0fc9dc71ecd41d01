"""App benchmark: time to first paint, and ask-to-answer time inside the app.

    python scripts/bench_tui.py [--runs 5]

First paint is measured from starting a new process to the first screen refresh (headless driver). "naive" is the
same app loading the glossary and index before its first paint instead of in a background worker. Ask-to-answer
is measured with Pilot: from pressing Enter to the answer being on screen. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import sys
from tutor.tui.app import make_app

app = make_app()
if sys.argv[1] == "naive":
    from tutor.core import Tutor
    Tutor.open()  # what a synchronous start-up would do before painting anything

def painted():
    print("painted", flush=True)
    app.exit()

app.call_after_refresh(painted)
app.run(headless=True)
"""


def first_paint(mode: str) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, mode], stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, HF_HUB_OFFLINE="1"))
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("painted"):
            elapsed = time.perf_counter() - start
            proc.wait()
            return elapsed
    raise SystemExit("the app never painted")


async def ask_times(questions: list[str]) -> list[float]:
    from tutor.tui.app import make_app

    app = make_app()
    times = []
    async with app.run_test(size=(100, 30)) as pilot:
        while app.tutor is None:
            await pilot.pause(0.05)
        for question in questions:
            before = len(app.path.steps)
            app.query_one("#question").value = question
            start = time.perf_counter()
            await pilot.press("enter")
            while len(app.path.steps) == before and app.sub_title.endswith("…"):
                await pilot.pause(0.001)
            await pilot.pause()
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    first_paint("worker")  # warm the OS file cache and the model cache
    ours = [first_paint("worker") for _ in range(args.runs)]
    naive = [first_paint("naive") for _ in range(args.runs)]
    questions = ["学习率太高会怎样", "那太低呢", "CFG scale 调太大会怎样", "what is a VAE", "LoRA 的 rank 设多少合适",
                 "why does my loss keep bouncing", "出图全是黑的", "batch size 是什么", "和显存有什么关系", "过拟合"]
    answers = asyncio.run(ask_times(questions))
    print(f"{'measure':<40} {'tutor':>10} {'naive':>10}")
    print(f"{'first paint, median (s)':<40} {statistics.median(ours):>10.3f} {statistics.median(naive):>10.3f}")
    print(f"{'ask to answer on screen, median (ms)':<40} {statistics.median(answers):>10.1f}")
    print(f"{'ask to answer on screen, max (ms)':<40} {max(answers):>10.1f}")


if __name__ == "__main__":
    main()
