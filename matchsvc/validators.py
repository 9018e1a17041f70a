"""Validators for national identifiers: 身份证号 (GB 11643-1999) and 统一社会信用代码 (GB 32100-2015)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from . import areacodes, clock
from .errors import DomainError

#: First two digits of a valid 身份证号: the province-level divisions of GB/T 2260.
PROVINCE_PREFIXES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64"}
    | {"65", "71", "81", "82", "83", "91"}
)
_ID_WEIGHTS = [(2 ** (17 - i)) % 11 for i in range(17)]
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


class InvalidIdNumber(DomainError):
    pass


class InvalidCreditCode(DomainError):
    pass


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: date
    sex: str  # "M" or "F": the 17th digit, odd for men

    @property
    def region(self) -> str:
        return self.value[:6]


def id_check_char(first17: str) -> str:
    """The GB 11643 (ISO 7064 MOD 11-2) check character for 17 digits."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def parse_id_number(raw: object, *, today: date | None = None) -> IdNumber:
    """Validate a 身份证号 and return it normalised (upper-case X) with birth date and sex."""
    if not isinstance(raw, str):
        raise InvalidIdNumber("身份证号必须是文本（18位），不能是数字格式")
    value = raw.strip().upper()
    if len(value) != 18:
        raise InvalidIdNumber(f"身份证号应为18位，实际为{len(value)}位")
    if not _ID_SHAPE.match(value):
        raise InvalidIdNumber("身份证号前17位必须是数字，最后一位是数字或X")
    if value[:2] not in PROVINCE_PREFIXES:
        raise InvalidIdNumber(f"身份证号前两位（{value[:2]}）不是有效的省级行政区划代码")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIdNumber("身份证号中的出生日期无效") from None
    if born.year < 1900 or born > (today or clock.today()):
        raise InvalidIdNumber("身份证号中的出生日期不在合理范围内")
    if id_check_char(value[:17]) != value[17]:
        raise InvalidIdNumber("身份证号校验位错误，请核对是否输错")
    return IdNumber(value, born, "M" if int(value[16]) % 2 else "F")


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_USCC_SHAPE = re.compile(rf"^[{_USCC_CHARS}]{{18}}$")


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character (MOD 31) for the first 17 characters."""
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def parse_credit_code(raw: object) -> str:
    """Validate a 统一社会信用代码 and return it normalised (upper case)."""
    if not isinstance(raw, str):
        raise InvalidCreditCode("统一社会信用代码必须是18位文本")
    value = raw.strip().upper()
    if len(value) != 18:
        raise InvalidCreditCode(f"统一社会信用代码应为18位，实际为{len(value)}位")
    if not _USCC_SHAPE.match(value):
        raise InvalidCreditCode("统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）")
    if uscc_check_char(value[:17]) != value[17]:
        raise InvalidCreditCode("统一社会信用代码校验位错误，请核对是否输错")
    return value


_PHONE = re.compile(r"^1[3-9]\d{9}$")


def parse_phone(raw: object) -> str:
    """Validate a mainland mobile number (11 digits, starting 13–19)."""
    value = str(raw).strip().replace(" ", "").replace("-", "") if raw is not None else ""
    if value.startswith("+86"):
        value = value[3:]
    if not _PHONE.match(value):
        raise DomainError("手机号应为11位中国大陆手机号码", field="phone")
    return value


#: A landline: area code 0xx or 0xxx, 7–8 digits, optional extension (010-12345678-123).
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def parse_contact_phone(raw: object) -> str:
    """An employer's contact number: a mobile, or a landline with its area code."""
    value = str(raw).strip().replace(" ", "") if raw is not None else ""
    value = value.replace("（", "(").replace("）", ")")
    if value.startswith("(") and ")" in value:  # (020)12345678
        area, _, rest = value[1:].partition(")")
        value = f"{area}-{rest.lstrip('-')}"
    if _LANDLINE.match(value):
        return value
    try:
        return parse_phone(value)
    except DomainError:
        raise DomainError(
            "联系电话应为11位手机号，或带区号的固定电话（如 020-12345678）", field="contact_phone"
        ) from None


def is_mobile(value: str | None) -> bool:
    return bool(value) and bool(_PHONE.match(value or ""))


_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")


def parse_email(raw: object) -> str:
    value = str(raw).strip() if raw is not None else ""
    if len(value) > 254 or not _EMAIL.match(value):
        raise DomainError("电子邮箱格式不正确（如 name@example.com）", field="email")
    return value


_REGION = re.compile(r"^\d{6}$")


@cache
def region_codes() -> frozenset[str]:
    """Every code of the region table (GB/T 2260, package data), and 000000 for 全国."""
    return frozenset({"000000", *areacodes.current()})


def _region(raw: object) -> tuple[str, str]:
    """(what was typed, the code in use today it is read as); refuses a code that never was."""
    value = str(raw).strip() if raw is not None else ""
    if not _REGION.match(value):
        raise DomainError(f"区划代码应为6位数字（GB/T 2260），而不是“{value[:20]}”")
    if value in region_codes():
        return value, value
    today = areacodes.counted_as(value)
    if today is None:
        if value in areacodes.history():
            raise DomainError(
                f"区划代码 {value} 已撤销，其地域今分属多个省份，请填写今天的区划代码"
            )
        raise DomainError(f"没有区划代码为 {value} 的地区（GB/T 2260），请核对")
    return value, today


def parse_region_code(raw: object) -> str:
    """A six-digit GB/T 2260 code, read as the division it is today: a municipality's 市辖区 row
    (110100) as the municipality, a code abolished since 1981 as its successor (371202 →
    370116). 999999 is six digits and no place."""
    return _region(raw)[1]


def parse_origin_code(raw: object) -> str:
    """A region as papers carry it (生源地, an ID number's first six digits): a past code is kept
    as typed, shown with its successor and counted under it (areacodes); a 市辖区 row is the
    municipality."""
    typed, today = _region(raw)
    return typed if typed in areacodes.history() else today


#: 2012-08-15, 2012/8/15, 2012.8.15, 2012年8月15日 (and 2012-8-15 …): year, month, day.
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
DATE_FORMAT = "日期格式应为 2012-08-15（也可写 2012/8/15、2012.8.15 或 2012年8月15日）"


def parse_date(text: str) -> date:
    """A date as officers write it; ValueError says which format is expected, or that the
    day does not exist."""
    match = _DATE.match(text or "")
    if not match:
        raise ValueError(DATE_FORMAT)
    year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"没有这一天：{year}年{month}月{day}日") from None


def latest_graduation_year(today: date | None = None) -> int:
    """The latest 毕业年份 a registration takes: next summer's graduates may be registered ahead,
    nothing later (a typo such as 2030 would count nowhere and never be 应届)."""
    return (today or clock.today()).year + 1


#: A student registered for 勤工俭学 graduates at most this many years ahead (本科 and 硕士).
STUDENT_YEARS_AHEAD = 7


def check_student_year(year: int, birth_year: int, on: date) -> int:
    """A student's 毕业年份 (预计): after the year of registration, at most 7 years ahead."""
    if not on.year < year <= on.year + STUDENT_YEARS_AHEAD:
        raise DomainError(
            f"在校生的预计毕业年份应在 {on.year + 1}–{on.year + STUDENT_YEARS_AHEAD} 年之间；"
            "今年或以前毕业的请按毕业生登记",
            field="graduation_year",
        )
    if year < birth_year + 15:
        raise DomainError(
            f"毕业年份 {year} 与出生年份 {birth_year} 不符（毕业时不满15岁）",
            field="graduation_year",
        )
    return year


def check_graduation_year(year: int, birth_year: int | None = None) -> int:
    """毕业年份: from 1950 up to next year, and not before the graduate was 15."""
    latest = latest_graduation_year()
    if not 1950 <= year <= latest:
        raise DomainError(f"毕业年份应在 1950–{latest} 年之间", field="graduation_year")
    if birth_year is not None and year < birth_year + 15:
        raise DomainError(
            f"毕业年份 {year} 与出生年份 {birth_year} 不符（毕业时不满15岁）",
            field="graduation_year",
        )
    return year
