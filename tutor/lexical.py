"""Lexical search: a segmenter that keeps glossary terms whole, and BM25 over its tokens.

Chinese has no spaces, so text is cut into runs: Latin words and numbers are tokens as they are; a run of Han
characters is cut by forward maximum matching against the glossary's own names and aliases (so 学习率, 重绘幅度,
显存 stay whole) and every run also yields its overlapping character bigrams (the standard robust unit of
Chinese retrieval, which catches words no dictionary lists: 太高, 发灰, 一直). jieba was measured and rejected
for the query path: its dictionary load costs ~0.56 s per process, over half of the cold-start budget.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

_RUNS = re.compile(r"[a-z0-9][a-z0-9+#]*|[\u3400-\u9fff\uf900-\ufaff]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_QUERY_CHARS = 2000  # longer questions are cut: nobody asks 2,000 characters, junk must stay fast

# Words that carry no meaning in a question; they must not outweigh the subject.
STOPWORDS = frozenset("""的 了 吗 呢 吧 啊 是 我 你 在 和 与 跟 有 会 要 就 都 也 还 把 被 这 那 个 什么 怎么 怎样 如何
为什么 a an the is are was be to of in on for and or it its my me i do does did how what why which with when can should
this that there""".split())


def fold(text: str) -> str:
    """Width- and case-fold (NFKC + casefold), the form every lexical comparison uses."""
    return unicodedata.normalize("NFKC", text[:MAX_QUERY_CHARS]).casefold()


class Segmenter:
    """Cuts folded text into tokens; Han words from the vocabulary are kept whole."""

    def __init__(self, vocabulary: Iterable[str]):
        self.words = {w for w in (fold(v) for v in vocabulary) if len(w) > 1 and _HAN.fullmatch(w[0])
                      and all(_HAN.fullmatch(c) for c in w)}
        self.longest = max((len(w) for w in self.words), default=1)

    def tokens(self, text: str) -> list[str]:
        out: list[str] = []
        for run in _RUNS.findall(fold(text)):
            if not _HAN.match(run):
                if run not in STOPWORDS:
                    out.append(run)
                continue
            out += self._han_words(run)
            out += [run[i:i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run]
        return [t for t in out if t not in STOPWORDS]

    def _han_words(self, run: str) -> list[str]:
        words, i = [], 0
        while i < len(run):
            for size in range(min(self.longest, len(run) - i), 1, -1):
                if run[i:i + size] in self.words:
                    words.append(run[i:i + size])
                    i += size
                    break
            else:
                i += 1
        return words


class BM25:
    """Okapi BM25 over pre-tokenised passages, stored as CSR postings (fast to load, small on disk)."""

    def __init__(self, vocab: dict[str, int], indptr: np.ndarray, docs: np.ndarray, weights: np.ndarray,
                 n_docs: int):
        self.vocab, self.indptr, self.docs, self.weights, self.n_docs = vocab, indptr, docs, weights, n_docs

    @classmethod
    def build(cls, tokenised: Sequence[list[str]], k1: float = 1.2, b: float = 0.75) -> BM25:
        counts = [Counter(tokens) for tokens in tokenised]
        lengths = np.array([len(t) for t in tokenised], dtype=np.float32)
        average = float(lengths.mean()) if len(lengths) else 1.0
        postings: dict[str, list[tuple[int, float]]] = {}
        for doc, counter in enumerate(counts):
            norm = k1 * (1 - b + b * lengths[doc] / max(average, 1e-9))
            for token, tf in counter.items():
                postings.setdefault(token, []).append((doc, tf * (k1 + 1) / (tf + norm)))
        vocab = {token: i for i, token in enumerate(sorted(postings))}
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        docs, weights = [], []
        for token, i in vocab.items():
            plist = postings[token]
            idf = math.log(1 + (len(counts) - len(plist) + 0.5) / (len(plist) + 0.5))
            docs += [d for d, _ in plist]
            weights += [w * idf for _, w in plist]
            indptr[i + 1] = indptr[i] + len(plist)
        return cls(vocab, indptr, np.array(docs, dtype=np.int32), np.array(weights, dtype=np.float32),
                   len(counts))

    def df(self, token: str) -> int:
        """In how many passages the token occurs."""
        i = self.vocab.get(token)
        return 0 if i is None else int(self.indptr[i + 1] - self.indptr[i])

    def scores(self, tokens: Iterable[str]) -> np.ndarray:
        scores = np.zeros(self.n_docs, dtype=np.float32)
        for token in set(tokens):
            i = self.vocab.get(token)
            if i is not None:
                lo, hi = self.indptr[i], self.indptr[i + 1]
                scores[self.docs[lo:hi]] += self.weights[lo:hi]
        return scores

    def save(self, folder: Path) -> None:
        (folder / "bm25_vocab.json").write_text(json.dumps(list(self.vocab), ensure_ascii=False))
        np.savez(folder / "bm25.npz", indptr=self.indptr, docs=self.docs, weights=self.weights,
                 n_docs=np.array([self.n_docs]))

    @classmethod
    def load(cls, folder: Path) -> BM25:
        tokens = json.loads((folder / "bm25_vocab.json").read_text())
        with np.load(folder / "bm25.npz", allow_pickle=False) as data:
            return cls({t: i for i, t in enumerate(tokens)}, data["indptr"], data["docs"], data["weights"],
                       int(data["n_docs"][0]))
