"""Scale benchmark: synthetic glossaries of 1k / 10k / 100k terms.

    python scripts/bench_scale.py [--sizes 1000 10000 100000] [--work /tmp/tutor-scale]

For each size it prints: glossary load time, index build time and size on disk, the vector index chosen, cold
`tutor ask` (new process: wall time, peak RSS), warm query p50/p99 in one process, exact vs approximate vector
search time and recall@10 of the approximate index against exact search on the same vectors (the naive way is the
exact scan), and graph operations (typed neighbours, study plan). Generated glossaries and indexes are kept in
--work so that a second run skips the builds. Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def child(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process.

    The RSS comes from GNU time run as the child: a child forked from this (by then large) benchmark process would
    report the parent's pages it carried until exec as its own peak.
    """
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, env=dict(os.environ, HF_HUB_OFFLINE="1"))
    if done.returncode:
        raise SystemExit(done.stderr)
    return time.perf_counter() - start, int(done.stderr.strip().splitlines()[-1]) / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(fn, items) -> list[float]:
    out = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - start) * 1000)
    return out


def measure(size: int, work: Path) -> dict[str, object]:
    from synthetic_glossary import make_glossary

    from tutor.core import Tutor
    from tutor.embedding import Usem3Embedder
    from tutor.graph import TermGraph
    from tutor.graphml import write_glossary
    from tutor.index import IndexUnusable, build_index, load_index
    from tutor.plan import study_plan

    graph_file, index_dir = work / f"glossary-{size}.graphml", work / f"index-{size}"
    if not graph_file.exists():
        write_glossary(make_glossary(size), graph_file)
    start = time.perf_counter()
    graph = TermGraph.load(graph_file)
    load_s = time.perf_counter() - start
    try:
        load_index(graph, index_dir)
        build_s = float("nan")  # reused from an earlier run
    except IndexUnusable:
        start = time.perf_counter()
        build_index(graph, index_dir, embedder=Usem3Embedder())
        build_s = time.perf_counter() - start
    disk_mb = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file()) / 2**20
    rng = random.Random(size)
    sample = rng.sample(sorted(graph.terms), 200)
    question = f"{graph.terms[sample[0]].name_zh} 是什么"
    cold = [child([sys.executable, "-m", "tutor.cli", "--graph", str(graph_file), "--index", str(index_dir),
                   "ask", "--json", question]) for _ in range(3)]
    tutor = Tutor.open(graph_file, index_dir)
    questions = [f"{graph.terms[t].name_zh} 是什么" if i % 2 else graph.terms[t].text("definition", "en")[:60]
                 for i, t in enumerate(sample)]
    warm = timed(tutor.ask, questions)
    exact_ms, approx_ms, recall = vector_search(tutor, questions)
    neighbours = timed(graph.neighbours, sample)
    plans = timed(lambda t: study_plan(graph, t, set()), sample[:50])
    return {"terms": size, "passages": len(tutor.index.passages), "load_s": load_s, "build_s": build_s,
            "disk_mb": disk_mb, "index": type(tutor.index.vectors).__name__,
            "cold_s": statistics.median(w for w, _ in cold), "cold_rss_mb": max(m for _, m in cold),
            "warm_p50": percentile(warm, 0.5), "warm_p99": percentile(warm, 0.99),
            "exact_ms": exact_ms, "approx_ms": approx_ms, "recall10": recall,
            "neighbours_ms": percentile(neighbours, 0.5), "plan_ms": percentile(plans, 0.5)}


def vector_search(tutor, questions: list[str]) -> tuple[float, float, float]:
    """Median ms of exact (flat) vs the index in use, and recall@10 of the index in use against exact."""
    import faiss
    import numpy as np

    index = tutor.index.vectors
    vectors = index.reconstruct_n(0, index.ntotal)
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    queries = np.asarray(tutor.retriever.embedder.encode(questions), dtype=np.float32)
    exact_times = timed(lambda q: flat.search(q.reshape(1, -1), 10), queries)
    approx_times = timed(lambda q: index.search(q.reshape(1, -1), 10), queries)
    _, truth = flat.search(queries, 10)
    _, found = index.search(queries, 10)
    recall = float(np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found, strict=True)]))
    return statistics.median(exact_times), statistics.median(approx_times), recall


def main() -> None:
    parser = argparse.ArgumentParser(description="scale benchmark on synthetic glossaries")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/tutor-scale"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TUTOR_HOME", str(args.work / "home"))
    rows = [measure(size, args.work) for size in args.sizes]
    columns = [("terms", "{:>7}"), ("passages", "{:>8}"), ("load_s", "{:>7.1f}"), ("build_s", "{:>7.1f}"),
               ("disk_mb", "{:>7.0f}"), ("index", "{:>13}"), ("cold_s", "{:>6.2f}"), ("cold_rss_mb", "{:>7.0f}"),
               ("warm_p50", "{:>8.1f}"), ("warm_p99", "{:>8.1f}"), ("exact_ms", "{:>8.2f}"),
               ("approx_ms", "{:>9.2f}"), ("recall10", "{:>8.3f}"), ("neighbours_ms", "{:>6.3f}"),
               ("plan_ms", "{:>7.2f}")]
    print(" ".join(f"{name:>{len(fmt.format(rows[0][name]))}}" for name, fmt in columns))
    for row in rows:
        print(" ".join(fmt.format(row[name]) for name, fmt in columns))


if __name__ == "__main__":
    main()
