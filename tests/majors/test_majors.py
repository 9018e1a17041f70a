"""The major catalogues, normalisation (measured on a labelled set) and officers' corrections."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest
from sqlalchemy import select

from matchsvc.cli import main
from matchsvc.errors import DomainError
from matchsvc.graduates.service import register_graduate
from matchsvc.majors.catalogue import catalogue
from matchsvc.majors.normalize import AUTO_ACCEPT, clean, normalize
from matchsvc.majors.service import correct, review_queue
from matchsvc.models import Graduate, MajorCorrection
from matchsvc.paths import DATA_DIR

from ..conftest import graduate_input, make_id, officer_actor

SPELLINGS = DATA_DIR / "major_spellings.csv"

#: The 2012 catalogue's preface: 专业类 and 专业 per 学科门类.
PREFACE = {
    "哲学": (1, 4),
    "经济学": (4, 17),
    "法学": (6, 32),
    "教育学": (2, 16),
    "文学": (3, 76),
    "历史学": (1, 6),
    "理学": (12, 36),
    "工学": (31, 169),
    "农学": (7, 27),
    "医学": (11, 44),
    "管理学": (9, 46),
    "艺术学": (5, 33),
}


def test_undergraduate_catalogue_matches_its_preface() -> None:
    c = catalogue()
    majors = [e for e in c.majors if e.level == "本科" and e.added_year is None]
    classes = [e for e in c.classes if e.level == "本科"]
    assert len({e.group_name for e in majors}) == 12
    assert len(classes) == 92
    assert len(majors) == 506
    per_group = Counter(e.group_name for e in majors)
    class_groups = Counter(e.group_name for e in classes)
    assert {g: (class_groups[g], per_group[g]) for g in PREFACE} == PREFACE
    assert c.by_code("080901").name == "计算机科学与技术"
    assert c.by_code("080901").class_name == "计算机类"
    assert c.by_code("120203").name == "会计学"
    later = {e.code: e.added_year for e in c.majors if e.added_year}
    assert later["080717"] == 2018  # 人工智能


def test_vocational_catalogue_has_its_19_groups() -> None:
    c = catalogue()
    majors = [e for e in c.majors if e.level == "专科" and e.added_year is None]
    groups = {e.group_code: e.group_name for e in majors}
    assert len(groups) == 19
    assert sorted(groups) == [str(n) for n in range(51, 70)]
    # The official catalogue lists 99 classes and 747 or 748 majors (sources differ by one);
    # ours is a transcription missing one small class (see the README), so within 2 %.
    classes = [e for e in c.classes if e.level == "专科"]
    assert 98 <= len(classes) <= 99
    assert abs(len(majors) - 748) / 748 < 0.02
    assert c.by_code("610201").name == "计算机应用技术"
    assert c.by_code("620201").name == "护理"
    codes = [e.code for e in c.entries]
    assert len(codes) == len(set(codes))


def test_normalisation_accuracy_on_the_labelled_set(capsys: pytest.CaptureFixture[str]) -> None:
    with SPELLINGS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 300
    wrong = []
    for row in rows:
        m = normalize(row["text"], row["level"] or None)  # type: ignore[arg-type]
        if (m.name, m.level) != (row["expected"], row["expected_level"]):
            wrong.append((row["text"], row["expected"], m.name, m.confidence))
    accuracy = 1 - len(wrong) / len(rows)
    with capsys.disabled():
        print(
            f"\n专业规范化准确率：{accuracy:.1%}（{len(rows)} 个写法，错 {len(wrong)} 个）{wrong[:5]}"
        )
    assert accuracy >= 0.95


def test_forms_people_write() -> None:
    assert normalize("计科", "本科").name == "计算机科学与技术"
    assert normalize("国贸", "本科").name == "国际经济与贸易"
    assert normalize("国贸", "专科").name == "国际贸易实务"
    assert normalize("会计", "本科").name == "会计学"
    assert normalize("会计", "专科").name == "会计"
    assert normalize("电气自动化", "专科").code == "560302"
    assert normalize("软件工程（嵌入式方向）", "本科").code == "080902"
    assert normalize("计算机类").code == "0809"
    typo = normalize("计算机科学于技术", "本科")
    assert typo.name == "计算机科学与技术" and 0.6 <= typo.confidence < 1
    nothing = normalize("量子玄学", "本科")
    assert nothing.code is None and nothing.name is None
    assert clean("  计算机科学与技术专业（软件方向） ") == "计算机科学与技术"


def test_cli_prints_json_in_input_order(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        main, ["majors", "normalize", "计科", "护理", "量子玄学", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [d["text"] for d in data] == ["计科", "护理", "量子玄学"]
    assert set(data[0]) == {"text", "code", "name", "category", "level", "confidence"}
    assert (
        data[0]["code"] == "080901"
        and data[0]["category"] == "计算机类"
        and data[0]["level"] == "本科"
    )
    assert data[2]["code"] is None and data[2]["name"] is None
    assert 0 <= data[1]["confidence"] <= 1
    text = runner.invoke(main, ["majors", "normalize", "计科"])
    assert "080901 计算机科学与技术" in text.output


def test_majors_are_mapped_when_written_and_corrections_are_remembered(session) -> None:  # type: ignore[no-untyped-def]
    actor = officer_actor(session, "440100")
    g = register_graduate(
        session,
        actor,
        graduate_input(make_id("440106"), "440100", "440100", major_text="机算机科学与枝术"),
    )
    odd = register_graduate(
        session,
        actor,
        graduate_input(make_id("440106", seq="124"), "440100", "440100", major_text="大数据与会计"),
    )
    session.flush()
    assert g.major_code == "080901" and g.major_confidence < AUTO_ACCEPT
    queue = {i.spelling: i for i in review_queue(session, actor)}
    assert clean("大数据与会计") in queue and queue[clean("大数据与会计")].graduates == 1
    with pytest.raises(DomainError):
        correct(session, actor, "大数据与会计", "999999")
    changed = correct(session, actor, "大数据与会计", "630302")
    assert changed == 1
    session.refresh(odd)
    assert odd.major_code == "630302" and odd.major_confidence == 1.0
    assert (
        session.scalar(
            select(MajorCorrection.code).where(MajorCorrection.spelling == "大数据与会计")
        )
        == "630302"
    )
    again = register_graduate(
        session,
        actor,
        graduate_input(
            make_id("440106", seq="125"), "440100", "440100", major_text="大数据与会计 "
        ),
    )
    session.flush()
    assert again.major_code == "630302" and again.major_confidence == 1.0
    odd.major_text = "护理学"
    session.flush()
    assert odd.major_code == "101101"
    assert clean("大数据与会计") not in {i.spelling for i in review_queue(session, actor)}
    assert (
        session.scalar(select(Graduate.major_key).where(Graduate.id == g.id)) == "机算机科学与枝术"
    )
