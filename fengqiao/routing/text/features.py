"""TF-IDF blocks with a fixed vocabulary, computed without sklearn so that a stored
model is plain arrays (no pickle) and a prediction is a few dictionary look-ups."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass
class TfidfBlock:
    """One family of tokens (words or character n-grams) weighted by sublinear TF-IDF
    and scaled to unit length, times `weight`."""

    name: str
    vocabulary: dict[str, int]
    idf: np.ndarray
    weight: float = 1.0

    @classmethod
    def fit(
        cls,
        name: str,
        docs: Sequence[list[str]],
        *,
        min_df: int = 2,
        max_df: float = 0.5,
        weight: float = 1.0,
    ) -> TfidfBlock:
        df: Counter[str] = Counter()
        for tokens in docs:
            df.update(set(tokens))
        n = len(docs)
        limit = max(max_df * n, min_df)
        kept = sorted(t for t, c in df.items() if min_df <= c <= limit)
        vocabulary = {t: i for i, t in enumerate(kept)}
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in kept], dtype=np.float64)
        return cls(name=name, vocabulary=vocabulary, idf=idf, weight=weight)

    @property
    def terms(self) -> list[str]:
        out = [""] * len(self.vocabulary)
        for term, i in self.vocabulary.items():
            out[i] = term
        return out

    def row(self, tokens: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and values of one document."""
        vocab = self.vocabulary
        cols: list[int] = []
        tfs: list[int] = []
        for token, n in Counter(tokens).items():
            j = vocab.get(token)
            if j is not None:
                cols.append(j)
                tfs.append(n)
        if not cols:
            return np.empty(0, dtype=np.int64), np.empty(0)
        cols_a = np.array(cols, dtype=np.int64)
        tf = np.array(tfs, dtype=np.float64)
        values = (1.0 + np.log(tf)) * self.idf[cols_a]
        values *= self.weight / np.sqrt(values @ values)
        return cols_a, values
