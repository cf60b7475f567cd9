import pytest
from hypothesis import given
from hypothesis import strategies as st

from openkam.common.credit_code import (
    ALPHABET,
    CreditCodeError,
    check_character,
    is_valid_credit_code,
    validate_credit_code,
)

# Codes printed on real business licences (public registry entries).
PUBLISHED_CODES = [
    "914403001922038216",  # 华为技术有限公司
    "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
    "91330100716105852F",  # 阿里巴巴(中国)有限公司
    "91350100M000100Y43",  # the example used in GB 32100-2015 explanations
]


@pytest.mark.parametrize("code", PUBLISHED_CODES)
def test_published_codes_are_valid(code: str) -> None:
    assert validate_credit_code(code) == code


def test_bad_check_digit_is_refused_and_the_expected_one_named() -> None:
    with pytest.raises(CreditCodeError, match="check digit is 7, expected 6"):
        validate_credit_code("914403001922038217")


@pytest.mark.parametrize(
    ("code", "length"), [("91440300192203821", 17), ("9144030019220382161", 19), ("", 0)]
)
def test_wrong_length_is_refused(code: str, length: int) -> None:
    with pytest.raises(CreditCodeError, match=f"must have 18 characters, got {length}"):
        validate_credit_code(code)


def test_letters_outside_the_alphabet_are_refused() -> None:
    with pytest.raises(CreditCodeError, match="not allowed in a credit code: IO"):
        validate_credit_code("9144030019220382IO")


def test_lower_case_full_width_and_spaces_are_normalised() -> None:
    assert validate_credit_code(" ９１４４０３００７１５２６７２６xg ") == "9144030071526726XG"


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_every_body_has_exactly_one_valid_check_character(body: str) -> None:
    valid = [ch for ch in ALPHABET if is_valid_credit_code(body + ch)]
    assert valid == [check_character(body)]
