"""Text normalisation and tokens for routing: jieba words and character n-grams.

jieba's dictionary is loaded once, lazily, on the first call that needs words, and its
logging is kept quiet so that a worker's log is not filled with its start-up lines.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata

_lock = threading.Lock()
_tokenizer = None

# Runs of characters kept for character n-grams: CJK ideographs, letters, digits.
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def _jieba():
    """The jieba tokenizer, with its dictionary loaded once per process."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba  # noqa: PLC0415 - ~0.5 s; loaded by the first text that needs it

                jieba.setLogLevel(logging.WARNING)
                logging.getLogger("jieba").setLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                _tokenizer = tokenizer
    return _tokenizer


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, digits folded to one symbol, spaces squeezed."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DIGITS.sub("0", text)
    return _SPACE.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """jieba words (precise mode) of normalised text, punctuation and single symbols left out."""
    out = []
    for token in _jieba().lcut(text, HMM=False):
        token = token.strip()
        if not token or not any(ch.isalnum() for ch in token):
            continue
        out.append(token)
    return out


def char_ngrams(text: str, sizes: tuple[int, ...] = (1, 2, 3)) -> list[str]:
    """Character n-grams inside runs of Chinese characters (they never cross punctuation)."""
    out = []
    for run in _HAN_RUN.findall(text):
        for n in sizes:
            if len(run) < n:
                continue
            out.extend(run[i : i + n] for i in range(len(run) - n + 1))
    return out
