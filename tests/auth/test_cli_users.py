"""`matchsvc users create`: every role, and bad input that writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from matchsvc.actors import Actor
from matchsvc.cli import main
from matchsvc.employers.service import register_employer
from matchsvc.graduates.service import register_graduate
from matchsvc.models import EmployerKind, Role, User

from ..conftest import graduate_input, make_id

USCC = "91350100M000100Y43"
GRAD_ID = make_id("440106")


@pytest.fixture
def linked(session: Session, hq_actor: Actor) -> None:
    register_employer(
        session, hq_actor, name="测试集团", uscc=USCC, kind=EmployerKind.SOE, org_code="440100"
    )
    register_graduate(session, hq_actor, graduate_input(GRAD_ID, "440100", "440100"))
    session.commit()


def users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


@pytest.mark.parametrize(
    "args",
    [
        ["--role", "hq", "--username", "boss"],
        ["--role", "officer", "--username", "gz", "--org", "440100"],
        ["--role", "employer", "--username", "hr", "--employer", USCC.lower()],
        ["--role", "graduate", "--username", "stu", "--graduate", GRAD_ID.lower()],
    ],
)
def test_create_each_role(runner, session: Session, linked: None, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        main, ["users", "create", *args, "--password-stdin"], input="Secr3t-pass\n"
    )
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User).where(User.username == args[3]))
    assert user is not None and user.role == Role(args[1])
    assert check_password_hash(user.password_hash, "Secr3t-pass")


def test_generated_password_is_printed_once(runner, session: Session) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        main, ["users", "create", "--role", "officer", "--username", "x", "--org", "440000"]
    )
    assert result.exit_code == 0
    password = result.output.split("初始密码：")[1].strip()
    user = session.scalar(select(User).where(User.username == "x"))
    assert user is not None and check_password_hash(user.password_hash, password)


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--role", "officer", "--username", "gz"], "Secr3t-pass\n", "--org"),
        (["--role", "officer", "--username", "gz", "--org", "999999"], "Secr3t-pass\n", "999999"),
        (["--role", "officer", "--username", "gz", "--org", "440100"], "short\n", "至少8位"),
        (
            ["--role", "officer", "--username", "gz", "--org", "440100"],
            "onlyletters\n",
            "字母和数字",
        ),
        (
            ["--role", "employer", "--username", "hr", "--employer", "91350100M000100Y44"],
            "Secr3t-pass\n",
            "校验位",
        ),
        (
            ["--role", "employer", "--username", "hr", "--employer", "91110000600037341L"],
            "Secr3t-pass\n",
            "请先登记",
        ),
        (
            ["--role", "graduate", "--username", "s", "--graduate", GRAD_ID[:-1] + "0"],
            "Secr3t-pass\n",
            "身份证号",
        ),
        (
            ["--role", "graduate", "--username", "s", "--graduate", make_id("420106")],
            "Secr3t-pass\n",
            "没有该身份证号",
        ),
        (["--role", "hq", "--username", "bad name"], "Secr3t-pass\n", "空格"),
        (["--role", "hq", "--username", "h", "--org", "440000"], "Secr3t-pass\n", "000000"),
    ],
)
def test_bad_input_writes_nothing(
    runner, session: Session, linked: None, args: list[str], stdin: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    before = users(session)
    result = runner.invoke(main, ["users", "create", *args, "--password-stdin"], input=stdin)
    assert result.exit_code == 1
    assert message in result.output
    assert users(session) == before


def test_duplicate_username_and_second_account(runner, session: Session, linked: None) -> None:  # type: ignore[no-untyped-def]
    args = [
        "users",
        "create",
        "--role",
        "graduate",
        "--username",
        "stu",
        "--graduate",
        GRAD_ID,
        "--password-stdin",
    ]
    assert runner.invoke(main, args, input="Secr3t-pass\n").exit_code == 0
    again = runner.invoke(main, args, input="Secr3t-pass\n")
    assert again.exit_code == 1 and "已被使用" in again.output
    other = runner.invoke(main, [*args[:5], "stu2", *args[6:]], input="Secr3t-pass\n")
    assert other.exit_code == 1 and "已有账号" in other.output
