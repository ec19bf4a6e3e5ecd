"""Participation's rules: SMS sign-in, clues → cases and points, the ledger, fraud guards,
deliberation from topic to outcome, notices with read counts, 普法/平安创建, surveys."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fengqiao.cases.models import Attachment, Case
from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.notifications.models import OutboundMessage
from fengqiao.participation import selectors
from fengqiao.participation.choices import ClueStatus, TopicStatus
from fengqiao.participation.models import PhoneCode, PointEntry, PointRule, Reward
from fengqiao.participation.services import (
    clues,
    creation,
    deliberation,
    identity,
    notices,
    points,
)
from fengqiao.participation.services.common import Throttled
from fengqiao.participation.testing import last_code, png

pytestmark = pytest.mark.django_db


def _photo(seed: bytes = b"a") -> SimpleUploadedFile:
    return SimpleUploadedFile("p.png", png(seed), content_type="image/png")


def _clue(pw, who=None, **kw):
    args = {
        "resident": who or pw.alice,
        "kind": "hazard",
        "text": "村口桥栏杆松动，孩子上学经过很危险",
        "region": pw.village,
        "grid": pw.gw.grid,
    }
    args.update(kw)
    return clues.submit_clue(**args)


# --- identity ------------------------------------------------------------------------------


def test_a_code_signs_in_once_and_the_phone_is_stored_encrypted(world):
    identity.request_code(phone="13912345678", ip="1.1.1.1")
    code = last_code("13912345678")
    assert len(code) == 6
    person = identity.verify_code(phone="139 1234 5678", code=code)
    assert person.phone_masked == "139****5678"
    assert "13912345678" not in person.phone_encrypted
    assert person.phone == "13912345678"
    with pytest.raises(ValidationFailed):  # single-use
        identity.verify_code(phone="13912345678", code=code)


def test_codes_expire_limit_attempts_and_are_throttled(world):
    identity.request_code(phone="13912345678")
    with pytest.raises(Throttled):  # a minute between codes
        identity.request_code(phone="13912345678")
    code = last_code("13912345678")
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ValidationFailed, match="还可以再试4次"):
        identity.verify_code(phone="13912345678", code=wrong)
    later = timezone.now() + dt.timedelta(minutes=6)
    with pytest.raises(ValidationFailed, match="失效"):
        identity.verify_code(phone="13912345678", code=code, now=later)
    with pytest.raises(ValidationFailed):
        identity.request_code(phone="12345")
    assert PhoneCode.objects.count() == 1


def test_too_many_wrong_codes_use_the_code_up(world):
    identity.request_code(phone="13912345678")
    code = last_code("13912345678")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            identity.verify_code(phone="13912345678", code=wrong)
    with pytest.raises(ValidationFailed, match="失效"):
        identity.verify_code(phone="13912345678", code=code)


# --- clues and points ----------------------------------------------------------------------


def test_a_useful_clue_becomes_a_case_with_its_photo_and_earns_points_once(pw):
    clue = _clue(pw, photo=_photo(), latitude="31.01", longitude="113.705", address="村口桥")
    assert clue.status == ClueStatus.PENDING and clue.photo_hash
    reviewed = clues.review_clue(actor=pw.gw.worker, clue=clue, decision="case", note="属实")
    case = Case.objects.get(pk=reviewed.case_id)
    assert case.region == pw.village and case.grid == pw.gw.grid
    assert Attachment.objects.filter(case=case).count() == 1
    assert reviewed.points == PointRule.objects.get(code="hazard_case").points == 8
    assert selectors.balance(pw.alice) == 8
    entry = PointEntry.objects.get(resident=pw.alice)
    assert "线索被采纳" in entry.reason and entry.balance == 8
    with pytest.raises(Conflict):
        clues.review_clue(actor=pw.gw.worker, clue=clue, decision="case")
    assert Case.objects.count() == 1 and selectors.balance(pw.alice) == 8


def test_points_follow_the_rules_an_admin_edits(pw):
    points.update_rule(actor=pw.director, code="clue_useful", points=3)
    clue = _clue(pw, kind="report")
    clues.review_clue(actor=pw.director, clue=clue, decision="useful")
    assert selectors.balance(pw.alice) == 3
    with pytest.raises(PermissionDenied):
        points.update_rule(actor=pw.gw.worker, code="clue_useful", points=99)


def test_anonymous_clues_earn_nothing_and_do_not_name_the_sender(pw):
    clue = _clue(pw, anonymous=True)
    assert clue.resident is None
    clues.review_clue(actor=pw.gw.worker, clue=clue, decision="case")
    clue.refresh_from_db()
    assert clue.points == 0 and selectors.balance(pw.alice) == 0
    case = Case.objects.get(pk=clue.case_id)
    party = case.parties.get()
    assert party.name == "匿名群众" and not party.phone_hash


def test_a_duplicate_photo_is_flagged_and_earns_nothing(pw):
    _clue(pw, photo=_photo(b"same"))
    copy = _clue(pw, who=pw.bob, photo=_photo(b"same"))
    assert "duplicate_photo" in copy.flags
    clues.review_clue(actor=pw.gw.worker, clue=copy, decision="useful")
    assert selectors.balance(pw.bob) == 0


def test_one_phone_sends_at_most_five_clues_a_day_even_anonymously(pw):
    for i in range(5):
        _clue(pw, anonymous=i % 2 == 0, text=f"第{i}条隐患情况说明")
    with pytest.raises(Throttled):
        _clue(pw)
    _clue(pw, who=pw.bob)  # another phone is not held up


def test_bad_input_is_refused_before_anything_is_written(pw):
    with pytest.raises(ValidationFailed):
        _clue(pw, text="短")
    with pytest.raises(ValidationFailed, match="JPG或PNG"):
        _clue(pw, photo=SimpleUploadedFile("x.png", b"GIF89a....", content_type="image/png"))
    with pytest.raises(ValidationFailed):
        _clue(pw, region=pw.gw.world.township)
    assert not pw.alice.clues.exists()


def test_only_the_grid_worker_or_the_center_reviews_and_rejection_needs_a_reason(pw):
    clue = _clue(pw)
    with pytest.raises(PermissionDenied):
        clues.review_clue(actor=pw.gw.other_worker, clue=clue, decision="useful")
    with pytest.raises(ValidationFailed):
        clues.review_clue(actor=pw.gw.worker, clue=clue, decision="rejected")
    clues.review_clue(actor=pw.gw.worker, clue=clue, decision="rejected", note="不属实")
    assert selectors.balance(pw.alice) == 0
    assert clue not in selectors.visible_clues(pw.gw.other_worker)


def test_a_reward_is_redeemed_at_its_center_from_the_balance(pw):
    points.award(resident=pw.alice, rule_code="clue_case", key="t:1", reason="测试")
    towel = Reward.objects.create(center=pw.gw.world.village_center, name="毛巾", cost=6, stock=1)
    points.redeem(actor=pw.director, resident=pw.alice, reward=towel)
    assert selectors.balance(pw.alice) == 4
    assert [e.delta for e in selectors.ledger(pw.alice)] == [-6, 10]
    towel.refresh_from_db()
    assert towel.stock == 0
    with pytest.raises(Conflict):
        points.redeem(actor=pw.director, resident=pw.alice, reward=towel)
    big = Reward.objects.create(center=pw.gw.world.village_center, name="电饭煲", cost=50, stock=3)
    with pytest.raises(Conflict, match="积分不足"):
        points.redeem(actor=pw.director, resident=pw.alice, reward=big)
    big.refresh_from_db()
    assert big.stock == 3  # nothing taken


# --- deliberation --------------------------------------------------------------------------


def test_a_topic_from_opening_to_published_outcome(pw):
    topic = deliberation.open_topic(
        actor=pw.director, region=pw.village, title="村道路灯安装", body="是否在主干道安装路灯？"
    )
    c = deliberation.comment(resident=pw.alice, topic=topic, text="支持，晚上太黑")
    rude = deliberation.comment(resident=pw.bob, topic=topic, text="广告：代办贷款")
    with pytest.raises(Conflict):
        deliberation.vote(resident=pw.alice, topic=topic, choice="yes")
    with pytest.raises(ValidationFailed):
        deliberation.moderate(actor=pw.director, comment=rude, hide=True)
    deliberation.moderate(actor=pw.director, comment=rude, hide=True, reason="广告")
    assert list(selectors.public_comments(topic)) == [c]
    topic = deliberation.advance(actor=pw.director, topic=topic)
    assert topic.status == TopicStatus.VOTING
    deliberation.vote(resident=pw.alice, topic=topic, choice="yes")
    deliberation.vote(resident=pw.bob, topic=topic, choice="no")
    with pytest.raises(Conflict):
        deliberation.vote(resident=pw.alice, topic=topic, choice="no")
    assert selectors.tally(topic).total == 2
    topic = deliberation.publish_outcome(actor=pw.director, topic=topic, outcome="通过，下月安装")
    assert topic.status == TopicStatus.PUBLISHED
    assert [e.action for e in topic.log.all()] == ["open", "hide", "voting", "publish"]
    assert selectors.balance(pw.alice) == 1  # the vote rule
    with pytest.raises(Conflict):
        deliberation.comment(resident=pw.alice, topic=topic, text="再说一句")


def test_only_villagers_take_part_and_only_managers_open_topics(pw):
    with pytest.raises(PermissionDenied):
        deliberation.open_topic(actor=pw.gw.worker, region=pw.village, title="x", body="y")
    topic = deliberation.open_topic(actor=pw.director, region=pw.village, title="议题", body="说明")
    outsider = identity.resident_for_phone("13800000009")
    with pytest.raises(PermissionDenied):
        deliberation.comment(resident=outsider, topic=topic, text="外村人的意见")


def test_an_offline_meeting_is_recorded_with_attendance(pw):
    m = deliberation.record_meeting(
        actor=pw.director,
        region=pw.village,
        kind="shuoshi",
        held_on=timezone.localdate(),
        place="村委会",
        subject="垃圾清运",
        attendance=23,
        outcome="定于每周二清运",
    )
    assert m.center == pw.gw.world.village_center
    with pytest.raises(ValidationFailed):
        deliberation.record_meeting(
            actor=pw.director, region=pw.village, kind="shuoshi", held_on=timezone.localdate(),
            place="村委会", subject="x", attendance=0, outcome="y",
        )  # fmt: skip


# --- notices -------------------------------------------------------------------------------


def test_a_notice_reaches_the_grid_by_inbox_and_sms_with_read_counts(
    pw, django_capture_on_commit_callbacks
):
    other = identity.set_place(
        resident=identity.resident_for_phone("13800000003"), region=pw.village, grid=pw.gw.east
    )
    with django_capture_on_commit_callbacks(execute=True):  # the SMS task, after commit
        notice = notices.send_notice(
            actor=pw.director,
            region=pw.village,
            grid=pw.gw.grid,
            title="停水通知",
            body="明日停水",
            by_sms=True,
        )
    assert notice.recipients == 2
    assert not other.notices.exists()
    assert (
        OutboundMessage.objects.filter(dedupe_key__startswith=f"part:notice:{notice.pk}:").count()
        == 2
    )
    notices.mark_read(resident=pw.alice, notice=notice)
    notices.mark_read(resident=pw.alice, notice=notice)
    assert notices.read_count(notice) == 1
    village = notices.send_notice(actor=pw.director, region=pw.village, title="全村", body="内容")
    assert village.recipients == 3


# --- 普法, 平安创建, surveys ---------------------------------------------------------------


def test_activities_campaigns_and_awareness(pw):
    creation.record_activity(
        actor=pw.director,
        region=pw.village,
        kind="stall",
        title="民法典宣传",
        held_on=timezone.localdate(),
        place="村广场",
        audience=120,
        materials=300,
    )
    camp = creation.create_campaign(
        actor=pw.director,
        region=pw.village,
        title_kind="family",
        year=2026,
        criteria="无矛盾纠纷",
        pass_score=80,
    )
    a = creation.add_candidate(actor=pw.director, campaign=camp, name="张三家")
    b = creation.add_candidate(actor=pw.director, campaign=camp, name="李四家")
    with pytest.raises(Conflict):
        creation.add_candidate(actor=pw.director, campaign=camp, name="张三家")
    assert creation.evaluate(actor=pw.director, candidate=a, score=92).result == "awarded"
    assert creation.evaluate(actor=pw.director, candidate=b, score=60).result == "not_awarded"
    survey = creation.create_survey(
        actor=pw.director,
        region=pw.village,
        title="平安建设知晓率",
        questions=["综治中心在哪", "110", ""],
    )
    assert len(survey.questions) == 2
    creation.answer_survey(resident=pw.alice, survey=survey, answers=[True, True])
    creation.answer_survey(resident=pw.bob, survey=survey, answers=[True, False])
    with pytest.raises(Conflict):
        creation.answer_survey(resident=pw.bob, survey=survey, answers=[True, True])
    assert selectors.awareness(survey) == 0.75
    counts = selectors.counts(pw.director)
    assert counts["activities"] == 1 and counts["audience"] == 120 and counts["titles"] == 1
