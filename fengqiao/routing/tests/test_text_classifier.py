"""The routing text classifier on a small synthetic set of three kinds of complaints."""

import pytest

from fengqiao.routing.text import Prediction, TextClassifier, case_text

WATER = [
    ("小区停水", "我们小区已经停水三天了，自来水公司一直没有来修水管，居民生活用水困难。"),
    ("自来水水压低", "楼上自来水水压太低，每天晚上停水，请自来水公司检修供水管道。"),
    ("供水管道破裂", "路边供水管道破裂漏水，小区停水，水管一直在漏，请尽快维修。"),
    ("长期停水", "家里经常停水，自来水公司说水管老化，希望更换供水管道。"),
    ("水质发黄", "自来水水质发黄，烧开有沉淀，怀疑供水管道生锈，请检测水质。"),
    ("二次供水", "小区二次供水水箱很脏，自来水有异味，物业不清洗水箱。"),
]
SCHOOL = [
    ("孩子入学难", "孩子今年上小学，学校说学位已满，不能入学，请教育局协调学位。"),
    ("学校乱收费", "学校向学生收取补课费和资料费，老师强制学生参加补课，请教育局查处。"),
    ("转学问题", "孩子随父母转学到本市小学，学校要求很多证明，转学手续办不下来。"),
    ("幼儿园收费", "幼儿园学费涨价太多，家长负担很重，教育局应该管一管幼儿园收费。"),
    ("老师体罚学生", "班主任老师体罚学生，孩子不敢去学校上学，请教育局调查这名老师。"),
    ("学校食堂", "学校食堂饭菜质量差，学生吃不饱，家长多次向学校反映没有结果。"),
]
WAGES = [
    ("拖欠工资", "工地老板拖欠农民工工资半年，工人多次讨薪没有结果，请劳动监察部门处理。"),
    ("公司不发工资", "公司拖欠员工三个月工资，还不给员工缴纳社保，请劳动部门帮忙讨薪。"),
    ("社保断缴", "单位没有给员工缴纳社保，社保断缴影响退休，要求公司补缴社保。"),
    ("劳动合同纠纷", "公司不签劳动合同，辞退员工不给经济补偿，还拖欠工资。"),
    ("农民工讨薪", "包工头跑路，农民工工资被拖欠，工人过年回不了家，请劳动监察介入。"),
    ("加班费", "工厂每天加班不给加班费，工资低于最低工资标准，员工没有社保。"),
]
KINDS = {"供水": WATER, "教育": SCHOOL, "劳动": WAGES}


@pytest.fixture(scope="module")
def model() -> TextClassifier:
    texts, labels = [], []
    for label, rows in KINDS.items():
        for title, text in rows:
            texts.append(case_text(title, text))
            labels.append(label)
    return TextClassifier.train(texts, labels)


NEW_CASES = [
    ("又停水了", "这个月第三次停水，自来水管道什么时候修好？", "供水"),
    ("学位不够", "小学说学位不够，孩子没法入学，学校让我们去别的学校。", "教育"),
    ("讨要工资", "老板拖欠我们工资，劳动监察能不能帮忙讨薪？", "劳动"),
]


@pytest.mark.parametrize(("title", "text", "expected"), NEW_CASES)
def test_unseen_cases_get_their_category(model, title, text, expected):
    prediction = model.predict(case_text(title, text))

    assert isinstance(prediction, Prediction)
    assert prediction.label == expected
    assert prediction.ranking[0][0] == expected
    assert {label for label, _ in prediction.ranking} == {"供水", "教育", "劳动"}
    assert 1 / 3 < prediction.confidence <= 1
    assert prediction.confidence == prediction.ranking[0][1]
    assert sum(p for _, p in prediction.ranking) == pytest.approx(1)
    assert [p for _, p in prediction.ranking] == sorted(
        (p for _, p in prediction.ranking), reverse=True
    )


def test_top_terms_are_the_words_of_the_category(model):
    prediction = model.predict(case_text("讨要工资", "老板拖欠我们工资，劳动监察能不能帮忙讨薪？"))
    terms = [term for term, _ in prediction.top_terms]

    assert 0 < len(terms) <= 8
    assert any(word in term for term in terms for word in ("工资", "拖欠", "讨薪", "劳动"))
    assert [w for _, w in prediction.top_terms] == sorted(
        (w for _, w in prediction.top_terms), reverse=True
    )
    assert all(w > 0 for _, w in prediction.top_terms)


def test_dumps_and_loads_give_the_same_predictions(model):
    data = model.dumps()
    loaded = TextClassifier.loads(data)

    assert isinstance(data, bytes)
    assert loaded.labels == model.labels == ["供水", "劳动", "教育"]
    for title, text, _ in NEW_CASES:
        assert loaded.predict(case_text(title, text)) == model.predict(case_text(title, text))


def test_loads_refuses_what_is_not_a_model():
    with pytest.raises(ValueError):
        TextClassifier.loads(b"not a model")


def test_predict_many_matches_predict(model):
    texts = [case_text(title, text) for title, text, _ in NEW_CASES]

    assert model.predict_many(texts) == [model.predict(t) for t in texts]


def test_empty_or_unknown_text_still_gets_a_ranking(model):
    prediction = model.predict("")

    assert prediction.label in model.labels
    assert len(prediction.ranking) == 3
    assert prediction.top_terms == []


def test_training_needs_two_categories():
    with pytest.raises(ValueError):
        TextClassifier.train(["停水了", "又停水了"], ["供水", "供水"])


def test_case_text_keeps_title_and_body():
    combined = case_text("小区停水", "三天没有水")

    assert "小区停水" in combined
    assert "三天没有水" in combined
    assert case_text("", "三天没有水").strip() == "三天没有水"


def test_a_model_keeps_its_own_keyword_lexicon():
    texts, labels = [], []
    for label, rows in KINDS.items():
        for title, text in rows:
            texts.append(case_text(title, text))
            labels.append(label)
    lexicon = {"供水": ["停水", "自来水"], "教育": ["学校"], "劳动": ["工资"]}

    trained = TextClassifier.train(texts, labels, lexicon=lexicon)
    loaded = TextClassifier.loads(trained.dumps())

    assert loaded.lexicon == trained.lexicon == {k: tuple(v) for k, v in lexicon.items()}
    prediction = loaded.predict(case_text("停水", "自来水又停了"))
    assert prediction.label == "供水"
    assert "停水" in [term for term, _ in prediction.top_terms]


def test_top_terms_leave_out_single_characters_and_numbers(model):
    prediction = model.predict(case_text("小区停水3天", "2号楼停水72小时，自来水公司没有人来。"))

    assert all(len(term) >= 2 for term, _ in prediction.top_terms)
    assert not any(ch.isdigit() for term, _ in prediction.top_terms for ch in term)
