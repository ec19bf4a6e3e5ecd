import datetime as dt

import pytest

from fengqiao.cases import codes
from fengqiao.core.validators import is_resident_id, mod11_2_check


def test_design_example_code_has_its_check_character():
    assert codes.make_code("420923", dt.date(2026, 11, 22), 17) == "42092320261122000171"
    assert codes.is_valid_code("42092320261122000171")


def test_check_character_can_be_x():
    # Find a sequence whose check is 10 and see it written X.
    for seq in range(1, 200):
        code = codes.make_code("420923", dt.date(2026, 1, 5), seq)
        if code.endswith("X"):
            assert codes.check_code(code.lower()) == code
            break
    else:
        pytest.fail("no X check character in 200 sequences")


@pytest.mark.parametrize(
    "typo",
    [
        "42092320261122000172",  # wrong check
        "42092320261122000711",  # transposed digits
        "4209232026112200017",  # too short
        "42092320261122O00171",  # letter O for zero
    ],
)
def test_mistyped_codes_are_refused_before_lookup(typo):
    assert not codes.is_valid_code(typo)
    with pytest.raises(codes.InvalidCode):
        codes.check_code(typo)


def test_same_algorithm_validates_resident_id_numbers():
    assert mod11_2_check("11010519491231002") == "X"
    assert is_resident_id("11010519491231002X")
    assert not is_resident_id("110105194912310021")
    assert not is_resident_id("110105194902300021")  # 30 February


def test_spaces_and_dashes_are_ignored():
    assert codes.check_code(" 420923-20261122-000171 ") == "42092320261122000171"


def test_a_slip_in_a_code_is_caught_and_the_meant_code_is_among_the_near_ones():
    meant = codes.make_code("420923", dt.date(2026, 11, 20), 123)
    one_wrong = meant[:10] + str((int(meant[10]) + 1) % 10) + meant[11:]
    swapped = meant[:14] + meant[15] + meant[14] + meant[16:]
    for slip in (one_wrong, swapped):
        if slip == meant:
            continue
        assert codes.mistyped_code(slip) == slip
        near = codes.near_codes(slip)
        assert meant in near
        assert all(codes.is_valid_code(c) for c in near) and len(near) < 40
    assert codes.mistyped_code(meant) is None
    assert codes.mistyped_code("邻里纠纷") is None
