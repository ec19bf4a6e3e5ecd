"""Plausible people for the demo: names, mobile numbers and resident ID numbers of 云梦县.

Everything is drawn from a seeded :class:`random.Random`, so the same seed gives the same
people. ID numbers carry the county prefix 420923, a birth date that matches the person's
age and the ISO 7064 MOD 11-2 check character; mobile numbers use real operator prefixes.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from fengqiao.core.validators import mod11_2_check

COUNTY_PREFIX = "420923"

# Common surnames, with the ones frequent in 孝感 (胡、熊、涂、程、万…) weighted up.
SURNAMES = (
    "王" * 8 + "李" * 8 + "张" * 7 + "刘" * 7 + "陈" * 6 + "胡" * 6 + "杨" * 4 + "黄" * 4
    + "吴" * 4 + "周" * 4 + "徐" * 3 + "熊" * 4 + "涂" * 3 + "程" * 3 + "万" * 3 + "赵" * 3
    + "孙" * 2 + "朱" * 3 + "郭" * 2 + "何" * 2 + "罗" * 2 + "余" * 3 + "彭" * 2 + "肖" * 3
    + "曾" * 2 + "汪" * 3 + "喻" * 2 + "邓" * 2 + "蔡" * 2 + "雷" * 2 + "龚" * 2 + "聂" * 2
    + "夏" + "谢" + "宋" + "唐" + "许" + "韩" + "冯" + "曹" + "袁" + "潘" + "蒋" + "杜"
    + "叶" + "魏" + "吕" + "丁" + "沈" + "姚" + "卢" + "钟" + "谭" + "陆" + "范" + "金"
    + "石" + "廖" + "贾" + "付" + "方" + "邹" + "秦" + "江" + "段" + "侯" + "史" + "陶"
    + "贺" + "毛" + "郝" + "邵" + "严" + "戴" + "孔" + "汤" + "鲁" + "晏" + "操" + "祝"
)  # fmt: skip

# Given names by generation: (male, female) character pools.
OLD_MALE = [
    "国华",
    "建国",
    "德胜",
    "长林",
    "正清",
    "金山",
    "福生",
    "志刚",
    "学文",
    "明德",
    "新民",
    "继承",
    "守成",
    "桂生",
    "水清",
    "友才",
    "庆丰",
    "炳坤",
    "家旺",
    "春生",
]
OLD_FEMALE = [
    "秀英",
    "桂兰",
    "玉兰",
    "翠花",
    "凤英",
    "秀珍",
    "淑芬",
    "春梅",
    "金枝",
    "冬梅",
    "秀兰",
    "菊香",
    "桂芳",
    "玉珍",
    "爱华",
    "美英",
    "月娥",
    "巧云",
]
MID_MALE = [
    "建军",
    "卫东",
    "志强",
    "红兵",
    "海军",
    "小平",
    "勇",
    "军",
    "斌",
    "伟",
    "涛",
    "刚",
    "峰",
    "辉",
    "磊",
    "明",
    "新华",
    "向阳",
    "汉林",
    "立平",
    "国庆",
    "跃进",
    "爱民",
    "振华",
]
MID_FEMALE = [
    "红梅",
    "丽",
    "艳",
    "敏",
    "霞",
    "静",
    "芳",
    "燕",
    "娟",
    "丽华",
    "小红",
    "春燕",
    "慧",
    "玲",
    "琴",
    "晓琴",
    "桂香",
    "雪梅",
    "俊英",
    "美华",
]
YOUNG_MALE = [
    "浩",
    "磊",
    "鹏",
    "超",
    "杰",
    "俊杰",
    "子豪",
    "浩然",
    "宇轩",
    "博文",
    "梓豪",
    "一鸣",
    "天佑",
    "思远",
    "家豪",
    "文博",
    "晨阳",
    "志远",
    "俊熙",
    "睿",
]
YOUNG_FEMALE = [
    "欣怡",
    "梦瑶",
    "诗涵",
    "雨欣",
    "佳怡",
    "婷",
    "倩",
    "雪",
    "晶晶",
    "思琪",
    "子涵",
    "可馨",
    "梓萱",
    "心怡",
    "语嫣",
    "悦",
    "瑶",
    "琳",
    "紫薇",
    "若曦",
]

MOBILE_PREFIXES = [
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "147",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "172",
    "178",
    "182",
    "183",
    "184",
    "187",
    "188",
    "198",
    "130",
    "131",
    "132",
    "155",
    "156",
    "166",
    "175",
    "176",
    "185",
    "186",
    "133",
    "153",
    "173",
    "177",
    "180",
    "181",
    "189",
    "191",
    "199",
]


@dataclass(frozen=True)
class Person:
    name: str
    male: bool
    birth: dt.date
    phone: str
    id_number: str

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth.year
        return years - ((day.month, day.day) < (self.birth.month, self.birth.day))


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def resident_id(rng: random.Random, birth: dt.date, male: bool) -> str:
    """An 18-character ID of 云梦县 with a valid check character."""
    seq = rng.randrange(0, 999)
    if (seq % 2 == 1) != male:  # the 17th digit is odd for men, even for women
        seq = seq + 1 if seq < 998 else seq - 1
    body = f"{COUNTY_PREFIX}{birth:%Y%m%d}{seq:03d}"
    return body + mod11_2_check(body)


def given_name(rng: random.Random, male: bool, birth_year: int) -> str:
    if birth_year < 1960:
        pool = OLD_MALE if male else OLD_FEMALE
    elif birth_year < 1990:
        pool = MID_MALE if male else MID_FEMALE
    else:
        pool = YOUNG_MALE if male else YOUNG_FEMALE
    return rng.choice(pool)


def person(
    rng: random.Random,
    on: dt.date,
    *,
    min_age: int = 22,
    max_age: int = 72,
    male: bool | None = None,
    surname: str | None = None,
) -> Person:
    """Someone aged ``min_age``..``max_age`` on ``on``."""
    male = rng.random() < 0.55 if male is None else male
    age = rng.randint(min_age, max_age)
    birth = on - dt.timedelta(days=age * 365 + rng.randrange(0, 360))
    name = (surname or rng.choice(SURNAMES)) + given_name(rng, male, birth.year)
    return Person(name, male, birth, mobile(rng), resident_id(rng, birth, male))


def landline(rng: random.Random) -> str:
    """A 孝感 landline (area code 0712)."""
    return f"0712{rng.choice('4567')}{rng.randrange(10**6):06d}"
