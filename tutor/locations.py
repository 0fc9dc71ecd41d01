"""Every path the tutor uses, in one place, each with its environment override.

TUTOR_GRAPH   the glossary GraphML (default: graph/terms.graphml of this checkout)
TUTOR_INDEX   the search index folder (default: index/ beside the bundled glossary, else under TUTOR_HOME)
TUTOR_HOME    the learner's data: sessions database, caches (default: the platform's user data dir)
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_GRAPH = PROJECT_ROOT / "graph" / "terms.graphml"
BUNDLED_INDEX = PROJECT_ROOT / "index"


def graph_path(override: str | os.PathLike[str] | None = None) -> Path:
    return Path(override or os.environ.get("TUTOR_GRAPH") or BUNDLED_GRAPH)


def home_dir() -> Path:
    if os.environ.get("TUTOR_HOME"):
        return Path(os.environ["TUTOR_HOME"])
    import platformdirs

    return Path(platformdirs.user_data_dir("tutor", appauthor=False))


def index_dir(graph: Path, override: str | os.PathLike[str] | None = None, model: str = "usem3") -> Path:
    """The bundled glossary ships its index (default model); any other glossary or model gets its own folder under
    TUTOR_HOME, so trying another model never overwrites the shipped index."""
    if override or os.environ.get("TUTOR_INDEX"):
        return Path(override or os.environ["TUTOR_INDEX"])
    if graph.resolve() == BUNDLED_GRAPH.resolve() and model == "usem3":
        return BUNDLED_INDEX
    import hashlib

    key = hashlib.sha256(f"{graph.resolve()}\n{model}".encode()).hexdigest()[:16]
    return home_dir() / "indexes" / f"{graph.stem}-{key}"


def cache_dir() -> Path:
    return home_dir() / "cache"


def database_path() -> Path:
    return home_dir() / "tutor.sqlite3"
