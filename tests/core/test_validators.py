"""身份证号 (GB 11643) and 统一社会信用代码 (GB 32100) validation."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from matchsvc.errors import DomainError
from matchsvc.validators import (
    InvalidCreditCode,
    InvalidIdNumber,
    id_check_char,
    parse_credit_code,
    parse_id_number,
    parse_phone,
    parse_region_code,
    uscc_check_char,
)

#: The GB 11643 standard's own example, and numbers whose check digit is computed here.
_BODIES = ["44010619900101123", "42900419951231456", "51010420001229998", "65400119880229071"]
VALID_IDS = ["11010519491231002X"] + [b + id_check_char(b) for b in _BODIES]
VALID_USCC = ["91350100M000100Y43", "91110000600037341L", "11100000000013127D"]


@pytest.mark.parametrize("value", VALID_IDS)
def test_valid_id_numbers_parse(value: str) -> None:
    idn = parse_id_number(value)
    assert idn.value == value
    assert idn.birth_date == date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    assert idn.sex == ("M" if int(value[16]) % 2 else "F")


def test_lower_case_x_is_normalised() -> None:
    assert parse_id_number(" 11010519491231002x ").value == "11010519491231002X"


def test_check_char_of_standard_example() -> None:
    assert id_check_char("11010519491231002") == "X"


@pytest.mark.parametrize("value", VALID_IDS)
def test_every_single_character_change_is_rejected(value: str) -> None:
    for pos, replacement in itertools.product(range(18), "0123456789X"):
        if replacement == value[pos] or (replacement == "X" and pos != 17):
            continue
        changed = value[:pos] + replacement + value[pos + 1 :]
        with pytest.raises(InvalidIdNumber):
            parse_id_number(changed)


@pytest.mark.parametrize("value", VALID_IDS)
def test_every_adjacent_swap_is_rejected(value: str) -> None:
    for pos in range(17):
        if value[pos] == value[pos + 1]:
            continue
        swapped = value[:pos] + value[pos + 1] + value[pos] + value[pos + 2 :]
        with pytest.raises(InvalidIdNumber):
            parse_id_number(swapped)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1101051949123100", "18位"),
        ("11010519491231002XX", "18位"),
        ("1101051949123A002X", "前17位"),
        ("000105194912310021", "省级"),
        ("110105194902300028", "出生日期"),
        ("110105209912310027", "出生日期"),
        ("11010519491231002Y", "前17位"),
    ],
)
def test_malformed_id_numbers_say_why(value: str, message: str) -> None:
    with pytest.raises(InvalidIdNumber) as err:
        parse_id_number(value)
    assert message in err.value.message


def test_id_number_given_as_excel_number_is_rejected() -> None:
    with pytest.raises(InvalidIdNumber, match="文本"):
        parse_id_number(1.10105194912310e17)


@pytest.mark.parametrize("value", VALID_USCC)
def test_valid_credit_codes(value: str) -> None:
    assert parse_credit_code(value.lower()) == value


@pytest.mark.parametrize("value", VALID_USCC)
def test_every_credit_code_substitution_and_swap_is_rejected(value: str) -> None:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for pos, replacement in itertools.product(range(18), alphabet):
        if replacement != value[pos]:
            with pytest.raises(InvalidCreditCode):
                parse_credit_code(value[:pos] + replacement + value[pos + 1 :])
    for pos in range(17):
        if value[pos] != value[pos + 1]:
            with pytest.raises(InvalidCreditCode):
                parse_credit_code(value[:pos] + value[pos + 1] + value[pos] + value[pos + 2 :])


def test_credit_code_check_char() -> None:
    assert uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize("value", ["", "91350100M000100Y4", "91350100M000100YI3", 913501])
def test_malformed_credit_codes(value: object) -> None:
    with pytest.raises(InvalidCreditCode):
        parse_credit_code(value)


def test_phone_and_region_code() -> None:
    assert parse_phone("+86 138-0013-8000") == "13800138000"
    for bad in ["12800138000", "1380013800", "abc"]:
        with pytest.raises(DomainError):
            parse_phone(bad)
    assert parse_region_code(" 440106 ") == "440106"
    with pytest.raises(DomainError):
        parse_region_code("44010")
