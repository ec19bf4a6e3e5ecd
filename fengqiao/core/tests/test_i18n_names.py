"""Reference names in the active language (fengqiao.core.i18n.pick_name)."""

from __future__ import annotations

from django.utils import translation

from fengqiao.core.i18n import pick_name


def test_chinese_is_shown_in_chinese():
    assert pick_name("邻里纠纷", "Neighbour disputes") == "邻里纠纷"


def test_english_name_then_catalogue_then_chinese():
    with translation.override("en"):
        assert pick_name("邻里纠纷", "Neighbour disputes") == "Neighbour disputes"
        assert pick_name("橙色") == "Orange"  # a default risk level's name, in the catalogue
        assert pick_name("本地特色事项") == "本地特色事项"  # an admin's own name
        assert pick_name("") == ""  # never the catalogue's header
