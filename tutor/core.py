"""The tutor as one object: a glossary, its index and the embedder, opened once and asked many times.

The CLI and the app both hold a `Tutor`; nothing here knows about either.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from .answer import Answer, ask, explain_term
from .conversation import Conversation
from .embedding import DEFAULT_MODEL, query_embedder
from .graph import TermGraph
from .index import SearchIndex, open_index
from .locations import graph_path, index_dir
from .search import Retriever


@dataclass
class Tutor:
    """An opened glossary, ready to answer.

    Attributes:
        graph: The validated glossary.
        index: Its search index (rebuilt on open if it was stale or corrupt).
        retriever: Hybrid search over both.
    """

    graph: TermGraph
    index: SearchIndex
    retriever: Retriever

    @classmethod
    def open(cls, graph_file: str | os.PathLike[str] | None = None, index_folder: str | os.PathLike[str] | None = None,
             model: str = DEFAULT_MODEL, on_rebuild: Callable[[str], None] | None = None) -> Tutor:
        path = graph_path(graph_file)
        graph = TermGraph.load(path)
        index = open_index(graph, index_dir(path, index_folder, model), model, on_rebuild)
        return cls(graph, index, Retriever(graph, index, query_embedder(model)))

    def ask(self, question: str, conversation: Conversation | None = None) -> Answer:
        return ask(self.retriever, question, conversation)

    def explain(self, term_id: str, lang: str = "zh") -> Answer:
        return explain_term(self.graph, self.graph.terms[term_id], lang)

