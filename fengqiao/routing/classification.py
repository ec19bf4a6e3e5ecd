"""Classification of a case from its title and text: keyword rules first (admins edit them),
then the active statistical model trained on the deployment's own closed cases.

Reads only; training and activation (writes) live in :mod:`fengqiao.routing.services`.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field

from django.db.models import Q

from fengqiao.cases.choices import Status
from fengqiao.cases.models import Case, Category
from fengqiao.cases.selectors import active_category
from fengqiao.routing import config
from fengqiao.routing.choices import SuggestionSource
from fengqiao.routing.models import ClassifierVersion, Correction, KeywordRule, split_words
from fengqiao.routing.text import TextClassifier, case_text

logger = logging.getLogger(__name__)

# A rule decides on its own when its score reaches this (one keyword in the title, or two in
# the text) and it leads the runner-up clearly.
RULE_MIN_SCORE = 2.0
RULE_LEAD = 1.5
TITLE_FACTOR = 2.0


@dataclass(frozen=True)
class Suggestion:
    """A proposed category, the unit types that usually handle it, and why."""

    category: Category | None
    unit_types: list[str]
    confidence: float
    top_terms: list[tuple[str, float]]
    source: str = SuggestionSource.NONE
    model_version: int | None = None
    ranking: list[tuple[str, float]] = field(default_factory=list)

    @property
    def category_code(self) -> str:
        return self.category.code if self.category else ""


@dataclass(frozen=True)
class _CompiledRules:
    pattern: re.Pattern | None
    targets: dict[str, list[tuple[str, float]]]  # keyword → [(category code, weight)]


_lock = threading.Lock()
_model: tuple[int, TextClassifier] | None = None


def _load_rules() -> _CompiledRules:
    targets: dict[str, list[tuple[str, float]]] = {}
    rows = KeywordRule.objects.filter(is_active=True, category__is_active=True).values_list(
        "keywords", "weight", "category__code"
    )
    for keywords, weight, code in rows:
        for word in split_words(keywords):
            targets.setdefault(word, []).append((code, float(weight)))
    pattern = None
    if targets:
        # Longest first, so that 拖欠工资 wins over 工资 at the same position.
        alternatives = sorted(targets, key=lambda w: (-len(w), w))
        pattern = re.compile("|".join(re.escape(w) for w in alternatives))
    return _CompiledRules(pattern, targets)


def compiled_rules() -> _CompiledRules:
    """The active rules as one regular expression (cached; see :mod:`.config`)."""
    return config.cached("keyword_rules", _load_rules)


def _apply_rules(title: str, text: str) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    rules = compiled_rules()
    scores: dict[str, float] = {}
    terms: dict[str, dict[str, float]] = {}
    if rules.pattern is None:
        return scores, terms
    for body, factor in ((title, TITLE_FACTOR), (text, 1.0)):
        for word in set(rules.pattern.findall(body or "")):
            for code, weight in rules.targets[word]:
                scores[code] = scores.get(code, 0.0) + weight * factor
                per = terms.setdefault(code, {})
                per[word] = per.get(word, 0.0) + weight * factor
    return scores, terms


def _active_version() -> int | None:
    return (
        ClassifierVersion.objects.filter(is_active=True).values_list("version", flat=True).first()
    )


def active_model() -> tuple[int, TextClassifier] | None:
    """The active model, loaded once per process and reloaded when another is activated."""
    global _model
    version = config.cached("active_version", _active_version)
    if version is None:
        return None
    current = _model
    if current is not None and current[0] == version:
        return current
    blob = ClassifierVersion.objects.filter(version=version).values_list("blob", flat=True).get()
    loaded = (version, TextClassifier.loads(bytes(blob)))
    with _lock:
        _model = loaded
    return loaded


def classify(title: str, text: str) -> Suggestion:
    """Propose a category for an appeal: rules first, then the active model."""
    scores, terms = _apply_rules(title, text)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    best_code, best = ranked[0] if ranked else ("", 0.0)
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    rule_confidence = round(min(0.95, best / (best + second + 1.0)), 3) if best else 0.0
    rule_ranking = [(code, round(s / (sum(scores.values()) or 1.0), 3)) for code, s in ranked[:5]]
    rule_terms = sorted(terms.get(best_code, {}).items(), key=lambda kv: (-kv[1], kv[0]))

    def from_rules() -> Suggestion:
        category = active_category(best_code)
        return Suggestion(
            category=category,
            unit_types=list(category.unit_types) if category else [],
            confidence=rule_confidence if category else 0.0,
            top_terms=rule_terms[:8],
            source=SuggestionSource.RULES if category else SuggestionSource.NONE,
            ranking=rule_ranking,
        )

    if best >= RULE_MIN_SCORE and best >= RULE_LEAD * second:
        return from_rules()
    try:
        loaded = active_model()
        prediction = loaded[1].predict(case_text(title, text)) if loaded else None
    except Exception:  # a broken model must not stop registration: the rules still answer
        logger.exception("the active classifier failed; using the keyword rules only")
        loaded = prediction = None
    if loaded is not None and prediction is not None:
        version = loaded[0]
        category = active_category(prediction.label)
        if category is not None and prediction.confidence >= rule_confidence:
            return Suggestion(
                category=category,
                unit_types=list(category.unit_types),
                confidence=round(float(prediction.confidence), 3),
                top_terms=[(t, round(float(w), 4)) for t, w in prediction.top_terms[:8]],
                source=SuggestionSource.MODEL,
                model_version=version,
                ranking=[(c, round(float(p), 3)) for c, p in prediction.ranking[:5]],
            )
    if best > 0:
        return from_rules()
    return Suggestion(category=None, unit_types=[], confidence=0.0, top_terms=[])


def training_cases():
    """The cases the next model learns from: closed and archived cases with their final
    category, and every case a dispatcher corrected (with the corrected category)."""
    corrected = Correction.objects.values("case_id")
    return (
        Case.objects.filter(
            Q(status__in=[Status.CLOSED, Status.ARCHIVED]) | Q(pk__in=corrected),
            category__isnull=False,
        )
        .select_related("category")
        .order_by("pk")
    )


def training_set() -> tuple[list[str], list[str], list[int]]:
    """Texts, labels (category codes) and case ids of :func:`training_cases`."""
    texts: list[str] = []
    labels: list[str] = []
    ids: list[int] = []
    rows = training_cases().values_list("pk", "title", "description", "category__code")
    for pk, title, description, code in rows.iterator(chunk_size=2000):
        texts.append(case_text(title, description))
        labels.append(code)
        ids.append(pk)
    return texts, labels, ids


def reset_caches() -> None:
    """Forget the compiled rules and the loaded model (tests, after bulk changes)."""
    global _model
    config.invalidate()
    with _lock:
        _model = None
