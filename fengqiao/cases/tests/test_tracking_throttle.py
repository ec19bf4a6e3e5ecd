"""Guessing the four digits is held back per address and per code, never by a lock that the
right digits cannot pass (cases.tracking.verify_and_track, used by the portal and the API)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import translation

from fengqiao.cases import tracking
from fengqiao.cases.tracking import (
    TrackThrottled,
    code_delay,
    seconds_to_try,
    track_limit,
    verify_and_track,
)
from fengqiao.core.errors import NotFound

pytestmark = pytest.mark.django_db
PHONE = "13800138000"
RIGHT, WRONG = PHONE[-4:], "0000"
START = 1_800_000_000.0  # the start of a clock hour (UTC), so that hours are easy to count


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def _guess(code: str, *, ip: str, now: float, digits: str = WRONG) -> str:
    """ "found", "wrong" or "wait:<seconds>" for one try."""
    try:
        verify_and_track(code=code, phone_last4=digits, ip=ip, now=now)
    except TrackThrottled as refused:
        return f"wait:{refused.retry_after}"
    except NotFound:
        return "wrong"
    return "found"


def _guess_as_fast_as_allowed(code: str, guesses: int, now: float) -> tuple[float, int]:
    """Wrong tries from a new address each, each at the first moment it is let through;
    returns the time of the last one and the longest wait asked for."""
    longest = 0
    for n in range(guesses):
        while (answer := _guess(code, ip=f"10.{n // 250}.{n % 250}.1", now=now)) != "wrong":
            wait = int(answer.removeprefix("wait:"))
            longest = max(longest, wait)
            now += wait
    return now, longest


def test_the_citizen_gets_through_a_minute_after_200_wrong_tries_by_others(world):
    code = world.register(phone=PHONE).code
    last_wrong, longest_wait = _guess_as_fast_as_allowed(code, 200, START)
    assert longest_wait == track_limit("max_delay_seconds") == 60  # never an hour-long lock
    # Right after the last wrong try the right digits are asked to wait, at most a minute...
    assert _guess(code, ip="172.16.0.9", now=last_wrong + 1, digits=RIGHT) == "wait:59"
    # ... and then get through from a fresh address, although the code was tried 200 times.
    assert _guess(code, ip="172.16.0.9", now=last_wrong + 60, digits=RIGHT) == "found"


def test_the_right_digits_pass_at_once_after_a_few_wrong_tries(world):
    code = world.register(phone=PHONE).code
    for n in range(track_limit("free_failures_per_code")):
        assert _guess(code, ip=f"10.0.0.{n}", now=START) == "wrong"
    assert _guess(code, ip="172.16.0.9", now=START, digits=RIGHT) == "found"
    assert _guess(code, ip="10.0.0.1", now=START) == "wrong"  # the 6th wrong try
    assert _guess(code, ip="172.16.0.9", now=START, digits=RIGHT) == "wait:1"
    assert _guess(code, ip="172.16.0.9", now=START + 1, digits=RIGHT) == "found"


def test_one_address_is_stopped_by_the_per_address_limit_until_the_hour_is_over(world):
    codes = [world.register(phone=PHONE).code for _ in range(6)]
    limit = track_limit("failures_per_ip_hour")
    for n in range(limit):  # spread over codes, so that no code's wait gets in the way
        assert _guess(codes[n % 6], ip="10.9.9.9", now=START + n) == "wrong"
    now = START + limit
    # Stopped, even for the right digits of another case, until the clock hour is over.
    assert _guess(codes[5], ip="10.9.9.9", now=now, digits=RIGHT) == f"wait:{3600 - limit}"
    with translation.override("zh-hans"), pytest.raises(TrackThrottled) as refused:
        verify_and_track(code=codes[5], phone_last4=RIGHT, ip="10.9.9.9", now=now)
    assert "请60分钟后再试" in str(refused.value.message)
    with translation.override("en"), pytest.raises(TrackThrottled) as refused:
        verify_and_track(code=codes[5], phone_last4=RIGHT, ip="10.9.9.9", now=now)
    assert "try again in 60 minutes" in str(refused.value.message)
    # Another address is not affected; the stopped one may try again the next hour.
    assert _guess(codes[5], ip="10.9.9.10", now=now, digits=RIGHT) == "found"
    assert _guess(codes[5], ip="10.9.9.9", now=START + 3600, digits=RIGHT) == "found"


def test_the_wait_per_code_doubles_up_to_a_minute():
    free = track_limit("free_failures_per_code")
    assert [code_delay(free + k) for k in range(9)] == [0, 1, 2, 4, 8, 16, 32, 60, 60]
    assert all(code_delay(n) == 0 for n in range(free))
    assert code_delay(10**9) == 60


def test_10000_guesses_over_any_number_of_addresses_take_about_a_week():
    seconds = seconds_to_try(10_000)
    assert seconds == 6 * 0 + (1 + 2 + 4 + 8 + 16 + 32) + (10_000 - 12) * 60 == 599_343
    assert 6.9 < seconds / 86_400 < 7.0  # the figure in the module's docstring
    assert seconds_to_try(5_000) / 86_400 > 3.4  # half of them: the expected time to hit


def test_the_throttle_lets_guesses_through_no_faster_than_the_arithmetic(world):
    code = world.register(phone=PHONE).code
    last_wrong, _ = _guess_as_fast_as_allowed(code, 300, START)
    assert last_wrong - START == seconds_to_try(300)  # the waits before each of the 300


def test_tries_refused_by_a_wait_do_not_lengthen_it(world):
    code = world.register(phone=PHONE).code
    free = track_limit("free_failures_per_code")
    for n in range(free + 3):
        _guess(code, ip=f"10.0.0.{n}", now=START + 100 * n)
    last = START + 100 * (free + 2)
    wait = code_delay(free + 3)
    assert wait == 4
    for n in range(50):  # a burst from many addresses during the wait
        assert _guess(code, ip=f"10.1.0.{n}", now=last + 1) == f"wait:{wait - 1}"
    assert _guess(code, ip="172.16.0.9", now=last + wait, digits=RIGHT) == "found"


def test_one_try_of_a_code_at_a_time(world):
    code = world.register(phone=PHONE).code
    cache.add(tracking._claim_key(code, 0), 1, 10)  # another worker is evaluating a try
    assert _guess(code, ip="10.0.0.1", now=START, digits=RIGHT) == "wait:1"
    cache.delete(tracking._claim_key(code, 0))
    assert _guess(code, ip="10.0.0.1", now=START, digits=RIGHT) == "found"
    assert _guess(code, ip="10.0.0.1", now=START, digits=RIGHT) == "found"  # claim released


def test_a_mistyped_code_or_short_digits_are_not_counted(world):
    code = world.register(phone=PHONE).code
    bad = code[:19] + ("0" if code[19] != "0" else "1")
    for _ in range(50):
        with pytest.raises(Exception) as refused:
            verify_and_track(code=bad, phone_last4=WRONG, ip="10.0.0.1", now=START)
        assert refused.value.code == "invalid_code"
        assert _guess(code, ip="10.0.0.1", now=START, digits="12") == "wrong"
    assert _guess(code, ip="10.0.0.1", now=START, digits=RIGHT) == "found"


def test_the_wait_message_says_when_in_both_languages(world):
    code = world.register(phone=PHONE).code
    now, _ = _guess_as_fast_as_allowed(code, track_limit("free_failures_per_code") + 5, START)
    with translation.override("zh-hans"), pytest.raises(TrackThrottled) as refused:
        verify_and_track(code=code, phone_last4=RIGHT, ip="10.1.1.1", now=now)
    assert "请16秒后再试" in str(refused.value.message)
    assert refused.value.http_status == 429 and refused.value.code == "throttled"
    with translation.override("en"), pytest.raises(TrackThrottled) as refused:
        verify_and_track(code=code, phone_last4=RIGHT, ip="10.1.1.1", now=now)
    assert "try again in 16 seconds" in str(refused.value.message)
