"""Translations: every catalogue of every app is complete, and English pages show no Chinese
except user data (names, places, titles) — which templates mark with translate="no"."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from fengqiao.cases.choices import Status

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff60]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
TEXT_ATTRS = ("placeholder", "aria-label", "title", "alt")


def catalogues() -> list[Path]:
    return sorted(ROOT.glob("*/locale/en/LC_MESSAGES/django.po"))


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgid, the msgstr forms and the flags (no third-party parser)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [ln for ln in block.strip().splitlines() if not ln.startswith("#~")]
        if not lines:
            continue
        entry: dict = {"flags": set(), "msgid": "", "msgstr": []}
        current = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith("msgid_plural "):
                current = "plural"
            elif line.startswith("msgid "):
                current = "msgid"
                entry["msgid"] = _unquote(line[6:])
            elif line.startswith("msgstr"):
                current = "msgstr"
                entry["msgstr"].append(_unquote(line.split(" ", 1)[1]))
            elif line.startswith('"'):
                if current == "msgid":
                    entry["msgid"] += _unquote(line)
                elif current == "msgstr":
                    entry["msgstr"][-1] += _unquote(line)
        if entry["msgid"] or entry["msgstr"]:
            entries.append(entry)
    return entries


def _unquote(text: str) -> str:
    return text.strip()[1:-1].replace('\\"', '"')


def test_there_are_catalogues():
    assert ROOT / "workbench/locale/en/LC_MESSAGES/django.po" in catalogues()


@pytest.mark.parametrize("path", catalogues(), ids=lambda p: p.parts[-5])
def test_catalogue_is_complete(path):
    problems = []
    for entry in parse_po(path):
        if not entry["msgid"]:
            continue  # the header
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {entry['msgid']}")
        if not entry["msgstr"] or any(not s.strip() for s in entry["msgstr"]):
            problems.append(f"untranslated: {entry['msgid']}")
        elif any(CJK.search(s) for s in entry["msgstr"]):
            problems.append(f"Chinese left in the English: {entry['msgid']}")
    assert not problems, f"{path}:\n" + "\n".join(problems)


class _VisibleText(HTMLParser):
    """Collects the text a user reads or hears, skipping user data (translate="no"),
    scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skip = attrs.get("translate") == "no" or tag in ("script", "style")
        if tag not in VOID:
            self.stack.append((tag, skip))
            if skip:
                self.skip_depth += 1
        if not self.skip_depth and not skip:
            self.parts.extend(str(attrs[a]) for a in TEXT_ATTRS if attrs.get(a))

    def handle_endtag(self, tag):
        while self.stack:
            name, skip = self.stack.pop()
            if skip:
                self.skip_depth -= 1
            if name == tag:
                break

    def handle_data(self, data):
        if not self.skip_depth:
            self.parts.append(data)


def chinese_left(html: str, data: set[str]) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    text = "\n".join(parser.parts)
    for value in sorted(data, key=len, reverse=True):
        if value:
            text = text.replace(value, "")
    return sorted({line.strip() for line in text.splitlines() if CJK.search(line)})


def user_data() -> set[str]:
    """Names of units, regions and people: data, not interface text. (Categories are
    reference data with English names: not data here.)"""
    from fengqiao.cases.models import Case, Party
    from fengqiao.org.models import Unit, User
    from fengqiao.regions.models import Region

    values: set[str] = set()
    values.update(Unit.objects.values_list("name", flat=True))
    values.update(Region.objects.filter(code__startswith="4209").values_list("name", flat=True))
    values.update(str(u) for u in User.objects.all())
    values.update(Party.objects.values_list("name", flat=True))
    values.update(Case.objects.values_list("title", flat=True))
    return values


@pytest.mark.django_db
def test_english_pages_have_no_chinese(client, world, settings, django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "zh-hans"
    from django.utils import timezone

    from fengqiao.supervision.services import issue_order

    handling = world.register(status=Status.HANDLING)
    registered = world.register()
    resolved = world.register(status=Status.RESOLVED)
    with django_capture_on_commit_callbacks(execute=True):
        clocked = world.register(status=Status.HANDLING)  # with its clocks running
    from fengqiao.deadlines.services import request_extension

    request_extension(case=clocked, actor=world.justice_handler, days=3, reason="等待鉴定")
    issue_order(
        case=handling,
        grade="key",
        requirement="请加快办理",
        reply_deadline=timezone.now() + timezone.timedelta(days=2),
        actor=world.supervisor,
    )
    headers = {"Accept-Language": "en"}
    pages = {
        None: ["/login/"],
        world.dispatcher: [
            "/", "/?list=to_dispatch", "/cases/", "/cases/?q=nothing-matches", "/cases/new/",
            f"/cases/{registered.code}/", f"/cases/{registered.code}/receipt/",
            "/cases/42092320260101000019/", "/password/", "/inbox/", "/tokens/",
            f"/cases/{clocked.code}/", "/supervision/",
            f"/cases/new/regions/?region={world.township.code}",
        ],
        world.justice_handler: ["/", f"/cases/{handling.code}/", f"/cases/{clocked.code}/"],
        world.supervisor: ["/supervision/", "/supervision/?grade=key&auto=0"],
        world.director: [
            "/", f"/cases/{resolved.code}/", "/manage/units/", "/manage/staff/",
            "/manage/categories/", f"/manage/regions/?code={world.township.code}",
        ],
        world.leader: ["/", "/cases/new/", "/manage/units/"],
    }  # fmt: skip
    data = user_data()
    problems = {}
    for user, urls in pages.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url, headers=headers)
            assert response.status_code in (200, 403, 404), url
            assert response.headers.get("Content-Language", "en") == "en"
            left = chinese_left(response.content.decode(), data)
            if left:
                problems[url] = left
    # A form with every error shown, in English.
    client.force_login(world.receptionist)
    response = client.post(
        "/cases/new/", {"applicant_phone": "123", "applicant_id_number": "1"}, headers=headers
    )
    left = chinese_left(response.content.decode(), data)
    if left:
        problems["/cases/new/ (errors)"] = left
    assert "This field is required." in response.content.decode()
    assert not problems, problems


@pytest.mark.django_db
def test_chinese_is_the_default(client, world):
    client.force_login(world.dispatcher)
    body = client.get("/", headers={"Accept-Language": ""}).content.decode()
    assert 'lang="zh-Hans"' in body and "我的工作" in body


# Words that Chinese text uses as they are (file types, keys on the keyboard).
LATIN_ALLOWED = {"PDF", "Office", "MB", "Tab", "Enter", "JPG", "PNG", "QR", "ID", "API"}
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.mark.django_db
def test_chinese_pages_have_no_english(client, world):
    handling = world.register(status=Status.HANDLING)
    pages = {
        None: ["/login/"],
        world.dispatcher: [
            "/", "/cases/", "/cases/?q=nothing", "/cases/new/", f"/cases/{handling.code}/",
            f"/cases/{handling.code}/receipt/", "/inbox/", "/tokens/", "/password/",
        ],
        world.director: ["/", "/manage/units/", "/manage/staff/", "/manage/categories/"],
    }  # fmt: skip
    data = user_data() | {"English"}
    problems = {}
    for user, urls in pages.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            html = client.get(url, headers={"Accept-Language": "zh-hans"}).content.decode()
            parser = _VisibleText()
            parser.feed(html)
            text = "\n".join(parser.parts)
            words = {w for w in LATIN_WORD.findall(text) if w not in LATIN_ALLOWED}
            words -= {w for value in data for w in LATIN_WORD.findall(value)}
            if words:
                problems[url] = sorted(words)
    assert not problems, problems
