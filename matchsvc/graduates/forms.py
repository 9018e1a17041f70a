"""Forms of the officer's desk for graduates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, Optional

from .. import clock
from ..errors import DomainError
from ..models import Degree, EmploymentStatus, FamilyKind, Hardship
from ..validators import (
    STUDENT_YEARS_AHEAD,
    InvalidIdNumber,
    check_graduation_year,
    check_student_year,
    parse_credit_code,
    parse_id_number,
    parse_phone,
)
from ..web.forms import REQUIRED, DateField, MultiCheckboxField, options
from ..web.regions import RegionField, RegionsField
from .service import GraduateInput


def read_by(parse: Callable[[Any], object]) -> Callable[[FlaskForm, Field], None]:
    """A field validator from a validators.parse_… function: its message beside the field, in
    the same round as every other error (not after the rest is fixed)."""

    def check(form: FlaskForm, field: Field) -> None:
        if field.data:
            try:
                parse(field.data)
            except DomainError as err:
                raise ValidationError(err.message) from None

    return check


def _any_graduation_year(year: int) -> None:
    if not 1950 <= year <= clock.today().year + STUDENT_YEARS_AHEAD:
        check_graduation_year(year)


class WishFields(FlaskForm):
    """A graduate's wishes, skills and certificates: on the officer's profile form and on the
    graduate's own 修改求职意向 page."""

    wish_regions = RegionsField("意向工作地区（最多3个）", count=3)
    wish_work = StringField("意向岗位", validators=[Optional(), Length(max=200)])
    wants_training = BooleanField("希望参加培训")
    wants_internship = BooleanField("希望参加就业见习")
    wants_business = BooleanField("有创业意向")
    skills = TextAreaField("技能特长", validators=[Optional(), Length(max=2000)])
    certificates = TextAreaField("证书", validators=[Optional(), Length(max=2000)])


class ProfileForm(WishFields):
    """Every profile field of DOMAIN.md except the ID number and the status (kept with history)."""

    name = StringField("姓名", validators=[DataRequired(REQUIRED), Length(max=50)])
    phone = StringField("手机号", validators=[Optional(), Length(max=20), read_by(parse_phone)])
    home_org = SelectField("建档单位", validators=[DataRequired(REQUIRED)])
    origin_region_code = RegionField("生源地", validators=[Optional()], history=True)
    school_name = StringField("毕业院校", validators=[DataRequired(REQUIRED), Length(max=100)])
    school_region = SelectField("院校所在地", validators=[DataRequired(REQUIRED)])
    major_text = StringField("专业", validators=[DataRequired(REQUIRED), Length(max=100)])
    degree = SelectField("学历", choices=options(Degree.choices()))
    #: The range is checked here (a student's year ahead included); the exact rule, which
    #: depends on whether the archive is a student's, by the service.
    graduation_year = IntegerField(
        "毕业年份（在校生填预计毕业年份）",
        validators=[DataRequired(REQUIRED), read_by(_any_graduation_year)],
    )
    family_kind = SelectField("困难类别", choices=options(FamilyKind.choices()))
    hardships = MultiCheckboxField("具体困难", choices=options(Hardship.choices()))
    parent_employer_name = StringField("父母工作单位", validators=[Optional(), Length(max=200)])
    parent_employer_uscc = StringField(
        "父母单位信用代码", validators=[Optional(), Length(max=18), read_by(parse_credit_code)]
    )
    archive_no = StringField("帮扶档案编号", validators=[Optional(), Length(max=40)])
    registered_on = DateField("登记日期", validators=[DataRequired(REQUIRED)], default=clock.today)

    def profile_values(self) -> dict[str, object]:
        return {
            "name": self.name.data,
            "phone": self.phone.data or None,
            "home_org_code": self.home_org.data,
            "origin_region_code": self.origin_region_code.data or None,
            "school_name": self.school_name.data,
            "school_region_code": self.school_region.data,
            "major_text": self.major_text.data,
            "degree": Degree(self.degree.data),
            "graduation_year": self.graduation_year.data,
            "family_kind": FamilyKind(self.family_kind.data),
            "hardships": [Hardship(h) for h in self.hardships.data or []],
            "parent_employer_name": self.parent_employer_name.data or None,
            "parent_employer_uscc": self.parent_employer_uscc.data or None,
            "wish_regions": list(self.wish_regions.data or []),
            "wish_work": self.wish_work.data or None,
            "wants_training": self.wants_training.data,
            "wants_internship": self.wants_internship.data,
            "wants_business": self.wants_business.data,
            "skills": self.skills.data or None,
            "certificates": self.certificates.data or None,
            # an online application has neither (archives.forms.ApplyForm)
            "archive_no": _value(self, "archive_no"),
            "registered_on": _value(self, "registered_on") or clock.today(),
        }


def _value(form: FlaskForm, name: str) -> Any:
    field = getattr(form, name, None)
    return (field.data or None) if field is not None else None


class EditForm(ProfileForm):
    """Editing a profile: the phone is replaced, never shown in full; the version the form was
    opened at is sent back, so a save over another officer's newer save is refused."""

    phone = StringField(
        "新手机号（不改请留空）", validators=[Optional(), Length(max=20), read_by(parse_phone)]
    )
    remove_phone = BooleanField("删除手机号")
    version = HiddenField(validators=[DataRequired(REQUIRED)])

    def profile_values(self) -> dict[str, object]:
        values = super().profile_values()
        values["keep_phone"] = not self.phone.data and not self.remove_phone.data
        values["version"] = int(self.version.data) if (self.version.data or "").isdigit() else -1
        return values


#: How an officer enters someone: an archive whose 初审, 入户调查 and 公示 are done on paper, or
#: an application taken at the desk (on the family's behalf) that starts at 申请.
ENTRIES = [
    ("archive", "直接建档（初审、入户调查和公示已办结）"),
    ("application", "录入建档申请（代家庭填报，从初审开始办理）"),
]


class RegisterForm(ProfileForm):
    entry = RadioField("登记方式", choices=options(ENTRIES), default="archive")
    student = BooleanField(
        "在校生（暑期返乡的大学生，登记后推荐勤工俭学岗位；毕业当年起按毕业生帮扶）"
    )
    id_number = StringField("身份证号", validators=[DataRequired(REQUIRED), Length(max=18)])
    status = SelectField("就业状态", choices=options(EmploymentStatus.choices()))
    status_since = DateField("状态日期", validators=[Optional()])

    def validate_id_number(self, field: StringField) -> None:
        try:
            parse_id_number(field.data or "")
        except InvalidIdNumber as err:
            raise ValidationError(err.message) from None

    def validate_graduation_year(self, field: IntegerField) -> None:
        """Not before the graduate was 15, read from the ID number's birth date."""
        try:
            born = parse_id_number(self.id_number.data or "").birth_date.year
            if self.student.data:
                check_student_year(field.data or 0, born, self.registered_on.data or clock.today())
            else:
                check_graduation_year(field.data or 0, born)
        except InvalidIdNumber:
            return  # the ID number's own error says it
        except DomainError as err:
            if not field.errors:
                raise ValidationError(err.message) from None

    def to_input(self) -> GraduateInput:
        return GraduateInput(
            id_number=self.id_number.data or "",
            status=EmploymentStatus(self.status.data),
            status_since=self.status_since.data,
            student=bool(self.student.data),
            **self.profile_values(),  # type: ignore[arg-type]
        )


class StatusForm(FlaskForm):
    status = SelectField("新的就业状态", choices=options(EmploymentStatus.choices()))
    effective_on = DateField("生效日期", validators=[DataRequired(REQUIRED)], default=clock.today)
    note = StringField("说明", validators=[Optional(), Length(max=200)])


class TransferForm(FlaskForm):
    to_org = SelectField("接收单位", validators=[DataRequired("请选择接收单位")])
    reason = StringField("转移原因", validators=[DataRequired(REQUIRED), Length(max=500)])


class DecisionForm(FlaskForm):
    note = StringField("说明", validators=[Optional(), Length(max=500)])


class UnmaskForm(FlaskForm):
    """The stated purpose of seeing or exporting full ID numbers and phones (checked by the service)."""

    reason = StringField("用途说明（必填，将记入操作记录）")


class UnmaskedExportForm(UnmaskForm):
    fmt = SelectField("格式", choices=options([("xlsx", "Excel"), ("csv", "CSV")]))
