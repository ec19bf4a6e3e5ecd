"""The classifier: one logistic regression over TF-IDF of jieba words and character
n-grams and the hit counts (title apart from body) of a category keyword lexicon."""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from fengqiao.routing.text import lexicon as builtin_lexicon
from fengqiao.routing.text import tokenize
from fengqiao.routing.text.features import TfidfBlock

FORMAT = "fengqiao.text-classifier/2"
MAX_TOP_TERMS = 8

# Fixed in the product, never searched on the evaluation folds:
# - words come from jieba (without its HMM guesser: the unknown words it finds are mostly
#   names of estates and roads, and character n-grams cover them anyway); character
#   1-3-grams catch what jieba splits badly;
# - a token must occur in 2 training cases to enter a vocabulary, and one in more than
#   half of them carries no category;
# - the lexicon counts its keywords in the title apart from the body, so a title that
#   names the matter weighs more; extra TF-IDF blocks for the title's own tokens were
#   tried and left out because nested cross-validation inside the training folds
#   preferred the model without them in 4 of 5 folds;
# - C=20 is mild regularisation for ~500 documents whose rows have unit length; the
#   multinomial logistic regression gives usable probabilities without recalibration
#   (cross-validated expected calibration error about 0.04);
# - class_weight="balanced" so that small categories (环境保护 is 7%) are not swamped.
BLOCKS: tuple[tuple[str, int], ...] = (("word", 2), ("char", 2))
MAX_DF = 0.5
CHAR_SIZES = (1, 2, 3)
LEXICON_WEIGHT = 0.5
C = 20.0


@dataclass(frozen=True)
class Prediction:
    """A proposed category with its probability, all categories ranked and the reasons."""

    label: str
    confidence: float
    ranking: list[tuple[str, float]]
    top_terms: list[tuple[str, float]]


def case_text(title: str, text: str) -> str:
    """How a case's title and body are joined before classification: the title on the
    first line, the body after it (the classifier reads the first line as the title)."""
    title = " ".join((title or "").split())
    return f"{title}\n{(text or '').strip()}"


@dataclass
class _Doc:
    """A text cut into the token families the model reads."""

    tokens: dict[str, list[str]]
    title: str
    body: str


def _analyse(text: str) -> _Doc:
    title, _, body = text.partition("\n")
    title = unicodedata.normalize("NFKC", title).lower()
    body = unicodedata.normalize("NFKC", body).lower()
    norm_title, norm_body = tokenize.normalize(title), tokenize.normalize(body)
    title_words = tokenize.words(norm_title) if norm_title else []
    body_words = tokenize.words(norm_body) if norm_body else []
    title_chars = tokenize.char_ngrams(norm_title, CHAR_SIZES)
    body_chars = tokenize.char_ngrams(norm_body, CHAR_SIZES)
    return _Doc(
        tokens={
            "word": title_words + body_words,
            "char": title_chars + body_chars,
        },
        title=title,
        body=body,
    )


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


class TextClassifier:
    """A trained model: vocabularies, IDF weights, its keyword lexicon and one weight row
    per category."""

    def __init__(
        self,
        *,
        labels: Sequence[str],
        blocks: Sequence[TfidfBlock],
        lexicon: Mapping[str, Sequence[str]],
        lexicon_weight: float,
        coef: np.ndarray,
        intercept: np.ndarray,
    ) -> None:
        self.labels: list[str] = list(labels)
        self.blocks = list(blocks)
        self.lexicon = {k: tuple(v) for k, v in lexicon.items()}
        self.lexicon_weight = float(lexicon_weight)
        # Held at the stored precision so that a loaded model predicts exactly the same.
        self.coef = np.asarray(coef, dtype=np.float32).astype(np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self._offsets = np.cumsum([0] + [len(b.vocabulary) for b in self.blocks])
        n_features = int(self._offsets[-1]) + 2 * len(self.lexicon)
        if self.coef.shape != (len(self.labels), n_features):
            raise ValueError("weights do not match the vocabularies and the lexicon")
        self._terms: list[str] | None = None

    # -- training ---------------------------------------------------------------------

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        lexicon: Mapping[str, Sequence[str]] | None = None,
    ) -> TextClassifier:
        """Train on texts (made by `case_text`) and their categories.

        `lexicon` maps a category to its keywords (default: the built-in lexicon); its
        categories need not be the training labels, the model learns how far each list
        is to be trusted.
        """
        from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 - only training needs it

        if len(texts) != len(labels):
            raise ValueError("texts and labels differ in length")
        classes = sorted(set(labels))
        if len(classes) < 2:
            raise ValueError("training needs at least two categories")
        lexicon = builtin_lexicon.LEXICON if lexicon is None else lexicon
        docs = [_analyse(t) for t in texts]
        blocks = [
            TfidfBlock.fit(name, [d.tokens[name] for d in docs], min_df=min_df, max_df=MAX_DF)
            for name, min_df in BLOCKS
        ]
        shell = cls(
            labels=classes,
            blocks=blocks,
            lexicon=lexicon,
            lexicon_weight=LEXICON_WEIGHT,
            coef=np.zeros(
                (len(classes), sum(len(b.vocabulary) for b in blocks) + 2 * len(lexicon))
            ),
            intercept=np.zeros(len(classes)),
        )
        x = sparse.vstack([shell._sparse_row(d) for d in docs], format="csr")
        y = np.array([classes.index(label) for label in labels])
        model = LogisticRegression(C=C, class_weight="balanced", solver="newton-cg", max_iter=1000)
        model.fit(x, y)
        coef, intercept = model.coef_, model.intercept_
        if len(classes) == 2:  # sklearn keeps one row for two classes: make it symmetric
            coef = np.vstack([-coef[0] / 2, coef[0] / 2])
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        return cls(
            labels=classes,
            blocks=blocks,
            lexicon=lexicon,
            lexicon_weight=LEXICON_WEIGHT,
            coef=coef,
            intercept=intercept,
        )

    # -- features ---------------------------------------------------------------------

    def _lexicon_hits(self, doc: _Doc) -> list[list[tuple[str, int]]]:
        """Per lexicon feature (each category in the title, then each in the body)."""
        terms = list(self.lexicon.values())
        return [builtin_lexicon.hits(doc.title, t) for t in terms] + [
            builtin_lexicon.hits(doc.body, t) for t in terms
        ]

    def _row(self, doc: _Doc) -> tuple[np.ndarray, np.ndarray, list[list[tuple[str, int]]]]:
        cols, vals = [], []
        for block, offset in zip(self.blocks, self._offsets, strict=False):
            c, v = block.row(doc.tokens[block.name])
            cols.append(c + offset)
            vals.append(v)
        hits = self._lexicon_hits(doc)
        lex_cols = [j for j, h in enumerate(hits) if h]
        cols.append(np.array(lex_cols, dtype=np.int64) + int(self._offsets[-1]))
        vals.append(self.lexicon_weight * np.log1p([sum(n for _, n in hits[j]) for j in lex_cols]))
        return np.concatenate(cols), np.concatenate(vals), hits

    def _sparse_row(self, doc: _Doc) -> sparse.csr_matrix:
        cols, vals, _ = self._row(doc)
        return sparse.csr_matrix(
            (vals, cols, np.array([0, len(cols)])), shape=(1, self.coef.shape[1])
        )

    # -- prediction -------------------------------------------------------------------

    def predict(self, text: str) -> Prediction:
        """The proposed category of one text (made by `case_text`), with probabilities
        and the words that weighed most toward it."""
        cols, vals, hits = self._row(_analyse(text))
        w = self.coef[:, cols]
        probs = _softmax(w @ vals + self.intercept)
        order = np.argsort(-probs, kind="stable")
        best = int(order[0])
        # Pushed toward `best`: what a feature adds to its logit above the mean logit
        # (the softmax does not change when the same amount is added to every logit).
        push = vals * (w[best] - w.mean(axis=0))
        return Prediction(
            label=self.labels[best],
            confidence=float(probs[best]),
            ranking=[(self.labels[i], float(probs[i])) for i in order],
            top_terms=self._top_terms(cols, push, hits),
        )

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        """`predict` of each text, in order."""
        return [self.predict(t) for t in texts]

    def _top_terms(
        self, cols: np.ndarray, push: np.ndarray, hits: list[list[tuple[str, int]]]
    ) -> list[tuple[str, float]]:
        if self._terms is None:
            terms: list[str] = []
            for block in self.blocks:
                terms.extend(block.terms)
            self._terms = terms
        n_terms = len(self._terms)
        merged: dict[str, float] = {}
        for j, p in zip(cols.tolist(), push.tolist(), strict=True):
            if p <= 0:
                continue
            if j < n_terms:
                merged[self._terms[j]] = merged.get(self._terms[j], 0.0) + p
            else:  # a lexicon count: share its push among the keywords that were found
                found = hits[j - n_terms]
                total = sum(n for _, n in found)
                for term, n in found:
                    merged[term] = merged.get(term, 0.0) + p * n / total
        out: list[tuple[str, float]] = []
        for term, p in sorted(merged.items(), key=lambda kv: (-kv[1], kv[0])):
            # Single characters and digit-folded tokens ("a0") explain nothing to a
            # dispatcher, and an n-gram inside a stronger term listed adds nothing new.
            if len(term) < 2 or any(ch.isdigit() for ch in term):
                continue
            if any(term in kept for kept, _ in out):
                continue
            out.append((term, round(p, 4)))
            if len(out) == MAX_TOP_TERMS:
                break
        return out

    # -- storage ----------------------------------------------------------------------

    def dumps(self) -> bytes:
        """The model as bytes: a NumPy .npz archive of arrays and JSON, no pickle, so
        that loading stored bytes cannot run code."""
        meta = {
            "format": FORMAT,
            "labels": self.labels,
            "lexicon": {k: list(v) for k, v in self.lexicon.items()},
            "lexicon_weight": self.lexicon_weight,
            "blocks": [{"name": b.name, "weight": b.weight} for b in self.blocks],
        }
        arrays = {
            "meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8),
            "coef": self.coef.astype(np.float32),
            "intercept": self.intercept,
        }
        for i, block in enumerate(self.blocks):
            arrays[f"terms{i}"] = np.frombuffer("\n".join(block.terms).encode(), dtype=np.uint8)
            arrays[f"idf{i}"] = block.idf
        buf = io.BytesIO()
        np.savez_compressed(buf, allow_pickle=False, **arrays)
        return buf.getvalue()

    @classmethod
    def loads(cls, data: bytes) -> TextClassifier:
        """A model from `dumps` bytes; raises ValueError on anything else."""
        try:
            with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as z:
                meta = json.loads(z["meta"].tobytes().decode())
                if meta.get("format") != FORMAT:
                    raise ValueError(f"unknown model format {meta.get('format')!r}")
                blocks = []
                for i, spec in enumerate(meta["blocks"]):
                    raw = z[f"terms{i}"].tobytes().decode()
                    terms = raw.split("\n") if raw else []
                    blocks.append(
                        TfidfBlock(
                            name=spec["name"],
                            vocabulary={t: j for j, t in enumerate(terms)},
                            idf=z[f"idf{i}"].astype(np.float64),
                            weight=float(spec["weight"]),
                        )
                    )
                return cls(
                    labels=meta["labels"],
                    blocks=blocks,
                    lexicon=meta["lexicon"],
                    lexicon_weight=meta["lexicon_weight"],
                    coef=z["coef"],
                    intercept=z["intercept"],
                )
        except (OSError, KeyError, TypeError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"not a stored text classifier: {exc}") from exc
