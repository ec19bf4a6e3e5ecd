"""A checker for English pages: which Chinese is left that is not data a person typed.

Unlike a check that trusts ``translate="no"``, this one reads every text node, attribute a
user reads or hears, ``<option>`` and the JSON data a page hands to its charts, and removes
only what people typed or named (case titles and texts, notes, person, unit and place
names). Reference data (categories, grades, risk levels, unit types…) is *not* removed: in
English it must show its English name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html.parser import HTMLParser

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff60]")
TEXT_ATTRS = ("placeholder", "aria-label", "title", "alt", "data-label", "label", "content")
JSON_TYPES = ("application/json", "application/ld+json")
# A language's name in its own language is what a language menu shows, in every language.
OWN_NAMES = {"简体中文", "中文"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._in: list[str] = []  # "skip" (code, styles), "json" (data) or "text"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._in.append("json" if attrs.get("type") in JSON_TYPES else "skip")
        elif tag == "style":
            self._in.append("skip")
        elif tag == "meta" and attrs.get("name") not in ("description",):
            return
        self.parts.extend(str(attrs[a]) for a in TEXT_ATTRS if attrs.get(a))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._in:
            self._in.pop()

    def handle_data(self, data):
        state = self._in[-1] if self._in else "text"
        if state == "text":
            self.parts.append(data)
        elif state == "json":
            self.parts.extend(_json_strings(data))


def _json_strings(data: str) -> list[str]:
    try:
        value = json.loads(data)
    except ValueError:
        return [data]
    found: list[str] = []

    def walk(v) -> None:
        if isinstance(v, str):
            found.append(v)
        elif isinstance(v, dict):
            for k, item in v.items():
                found.append(str(k))
                walk(item)
        elif isinstance(v, list | tuple):
            for item in v:
                walk(item)

    walk(value)
    return found


def visible_text(html: str) -> list[str]:
    """The pieces of text a user of ``html`` reads, hears or sees in its charts."""
    parser = _Text()
    parser.feed(html)
    return [p for p in parser.parts if p.strip()]


def json_text(value) -> list[str]:
    """The strings (keys and values) of a JSON answer."""
    return _json_strings(json.dumps(value, ensure_ascii=False))


def chinese_left(pieces: Iterable[str], typed: Iterable[str]) -> list[str]:
    """The lines of ``pieces`` that still hold Chinese once every typed value is removed."""
    typed = sorted({v for v in {*typed, *OWN_NAMES} if v and CJK.search(v)}, key=len, reverse=True)
    text = "\n".join(pieces)
    for value in typed:
        text = text.replace(value, "")
    left = {line.strip() for line in text.splitlines() if CJK.search(line)}
    return sorted(line for line in left if not _shortened(line, typed))


def _shortened(line: str, typed: list[str]) -> bool:
    """A long typed text cut short by the page (``truncatechars``: its start, then …)."""
    start = line.removesuffix("…").removesuffix("...").strip()
    return len(start) >= 10 and any(v.startswith(start) for v in typed)


def typed_data() -> set[str]:
    """What people typed or named, which has no English name: titles, texts and notes of
    cases, their parties (and their masked names), staff, units and places (everything else
    must be translated). Imported here: the checker is loaded before Django is set up."""
    from fengqiao.cases.models import Case, CaseAssignment, CaseEvent, CaseLink, Party
    from fengqiao.core.crypto import mask_name
    from fengqiao.deadlines.models import ExtensionRequest
    from fengqiao.followup.models import Visit
    from fengqiao.org.models import Unit, User
    from fengqiao.regions.models import Grid, Region
    from fengqiao.routing.models import CaseRouting
    from fengqiao.supervision.models import SupervisionOrder, SupervisionReply

    fields = [
        (Case, ("title", "description", "address", "result", "public_result")),
        (Party, ("name", "address")),
        (CaseAssignment, ("report", "return_reason")),
        (CaseEvent, ("note",)),
        (CaseLink, ("note",)),
        (SupervisionOrder, ("requirement", "close_note")),
        (SupervisionReply, ("text",)),
        (ExtensionRequest, ("reason", "decision_note")),
        (Visit, ("comment",)),
        (Unit, ("name",)),
        (Grid, ("name",)),
        (Region, ("name", "full_name")),
    ]
    values: set[str] = set()
    for model, names in fields:
        for row in model.objects.values_list(*names):
            for value in row:
                values.update([*(value or "").splitlines(), value or ""])
    values.update(mask_name(name) for name in Party.objects.values_list("name", flat=True))
    for terms in CaseRouting.objects.values_list("top_terms", flat=True):  # words of the text
        values.update(t[0] if isinstance(t, list | tuple) else str(t) for t in terms or [])
    for user in User.objects.all():
        values.update((user.display_name, user.username, str(user)))
    return values
