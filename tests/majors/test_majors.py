"""The major catalogues by edition, normalisation (measured on the labelled set) and officers'
corrections."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from matchsvc.cli import main
from matchsvc.errors import DomainError
from matchsvc.graduates.service import register_graduate
from matchsvc.majors.catalogue import catalogue
from matchsvc.majors.evaluate import evaluate, read_labels
from matchsvc.majors.normalize import clean, is_unrestricted, normalize
from matchsvc.majors.service import correct, review_queue
from matchsvc.matching.engine.policy import MAJOR_SAME
from matchsvc.matching.engine.score import major_scores
from matchsvc.matching.engine.tables import tables
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


def test_undergraduate_catalogue_of_2012_and_since_with_official_codes() -> None:
    c = catalogue()
    current = [e for e in c.in_edition("本科2026") if not e.is_class]
    assert len(current) == 883 and len({e.group_key for e in current}) == 13
    assert len([e for e in c.in_edition("本科2026") if e.is_class]) == 93
    of_2012 = [e for e in current if e.added == "2012"]
    assert len(of_2012) == 506
    classes = Counter(
        e.group_name for e in {(e.class_key, e.group_name): e for e in of_2012}.values()
    )
    per_group = Counter(e.group_name for e in of_2012)
    assert {g: (classes[g], per_group[g]) for g in PREFACE} == PREFACE
    # T (特设) and K (国家控制布点) kept: 154 T in 2012 as its preface says; 187 marked at all
    assert sum("T" in e.code for e in of_2012 if e.code) == 154
    assert sum(e.code[-1] in "TK" for e in of_2012 if e.code) == 187
    for code, name in {
        "080904K": "信息安全",
        "120203K": "会计学",
        "100201K": "临床医学",
        "080901": "计算机科学与技术",
        "081008T": "智能建造",
        "080216T": "新能源汽车工程",
        "080917T": "区块链工程",
        "020109T": "数字经济",
        "120604T": "供应链管理",
    }.items():
        entry = c.by_code(code)
        assert entry is not None and entry.name == name and entry.verified
    assert c.by_code("081008T").added == "after 2012"  # 智能建造
    assert c.by_code("080904").code == "080904K"  # a code stored without its mark still finds it
    assert all(e.code for e in c.in_edition("本科2026"))


def test_vocational_catalogues_are_listed_without_invented_codes() -> None:
    c = catalogue()
    for edition, majors_at_least, of, classes in (
        ("专科2015", 735, 748, 98),
        ("专科2021", 700, 744, 96),
        ("职业本科2021", 130, 247, 50),
    ):
        entries = c.in_edition(edition)
        majors = [e for e in entries if not e.is_class]
        # the README states each shortfall against the catalogue's own count
        assert majors_at_least <= len(majors) <= of
        assert len([e for e in entries if e.is_class]) >= classes
        assert all(e.code is None and not e.verified for e in entries)
    for edition in ("专科2015", "专科2021"):
        assert len({e.group_key for e in c.in_edition(edition)}) == 19
    # 2015's 专业大类 51–69 are 2021's 41–59: one division across editions
    assert {e.group_key for e in c.in_edition("专科2015")} == {str(n) for n in range(41, 60)}
    keys = [e.key for e in c.entries]
    assert len(keys) == len(set(keys))


def test_old_and_new_names_are_one_major() -> None:
    """会计 (2015) is 大数据与会计 (2021); 计算机类 of 2015 is 计算机类 of 2021: a graduate of one
    and a post requiring the other are the same major to the matcher."""
    c = catalogue()
    old, new = c.named("会计", "专科")[0], c.named("大数据与会计", "专科")[0]
    assert old.edition == "专科2015" and new.edition == "专科2021"
    assert old.canonical == new.key
    t = tables()
    assert major_scores()[t.number(old.key), t.number(new.key)] == MAJOR_SAME
    computing_2015 = next(e for e in c.named("计算机类") if e.edition == "专科2015")
    computing_2021 = next(e for e in c.named("计算机类") if e.edition == "专科2021")
    assert t.entry_class[t.number(computing_2015.key)] == t.number(computing_2021.key)


def test_normalisation_on_the_labelled_set(capsys: pytest.CaptureFixture[str]) -> None:
    rows = read_labels(SPELLINGS.read_bytes())
    groups = Counter(r.group for r in rows)
    assert len(rows) >= 600 and all(r.source for r in rows)
    assert {"abbreviation", "decorated", "typo", "traditional", "english", "new", "old"} <= set(
        groups
    )
    results = {r.group: r for r in evaluate(rows)}
    total = results["all"]
    with capsys.disabled():
        print(
            f"\n专业规范化：{total.right}/{total.total} = {total.accuracy:.1%}，"
            f"错误且未标记核对 {total.wrong_accepted}；"
            + "，".join(f"{g} {r.accuracy:.0%}" for g, r in results.items() if g != "all")
        )
    assert total.accuracy >= 0.95
    assert total.wrong_accepted == 0
    assert all(r.accuracy >= 0.9 for r in results.values())


def test_forms_people_write() -> None:
    assert normalize("计科", "本科").name == "计算机科学与技术"
    assert normalize("计科", "专科").name == "计算机应用技术"
    assert normalize("会计", "本科").name == "会计学"
    assert normalize("会计", "专科").name == "会计"
    assert normalize("软件工程（嵌入式方向）", "本科").code == "080902"
    assert normalize("计算机类").code == "0809"
    # no level: the name itself on top, not the 本科 side by default; accepted automatically
    # only when no other name fits as well — a counterpart of another name on the other side
    # (机械电子工程 for a 本科 graduate) waits for an officer, with both as candidates
    for written, meant, counterpart in [
        ("机电一体化", "机电一体化技术", "机械电子工程"),
        ("计算机应用", "计算机应用技术", "计算机科学与技术"),
        ("汽修", "汽车检测与维修技术", "汽车服务工程"),
        ("Computer Science", "计算机科学与技术", "计算机应用技术"),
        ("Nursing", "护理学", "护理"),
        ("數控", "数控技术", "机械设计制造及其自动化"),
        ("會計學", "会计学", None),
        ("会记学", "会计学", None),
        ("电子商物", "电子商务", None),
        ("大数据与会计", "大数据与会计", None),
    ]:
        m = normalize(written)
        assert m.name == meant, (written, m)
        if counterpart is None:
            assert not m.needs_review, m
        else:
            assert m.needs_review and counterpart in {c.name for c in m.candidates}, m
        with_level = normalize(written, m.level)
        assert with_level.name == meant
    typo = normalize("计算机科学于技术", "本科")
    assert typo.name == "计算机科学与技术" and 0.6 <= typo.confidence < 1
    nothing = normalize("风水堪舆", "本科")
    assert nothing.code is None and nothing.name is None and nothing.needs_review
    assert clean("  计算机科学与技术专业（软件方向） ") == "计算机科学与技术"
    assert clean("計算機科學與技術") == "计算机科学与技术"
    assert all(is_unrestricted(t) for t in ("专业不限", "不限", "不限专业", "所有专业均可", "无"))
    assert not is_unrestricted("计算机类")


def test_an_unsure_answer_waits_for_review_with_its_candidates() -> None:
    unsure = normalize("软体工程")  # a Taiwan term in simplified characters: close, not sure
    assert unsure.needs_review and unsure.name == "软件工程"
    assert {c.name for c in unsure.candidates} >= {"软件工程", "软件技术"}


def test_cli_prints_json_in_input_order(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        main, ["majors", "normalize", "计科", "护理", "风水堪舆", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [d["text"] for d in data] == ["计科", "护理", "风水堪舆"]
    assert set(data[0]) == {
        "text",
        "code",
        "name",
        "category",
        "level",
        "confidence",
        "needs_review",
        "candidates",
    }
    assert (
        data[0]["code"] == "080901"
        and data[0]["category"] == "计算机类"
        and data[0]["level"] == "本科"
        and data[0]["needs_review"] is True  # no level: 计算机应用技术 fits a 专科 graduate as well
    )
    assert {"code", "name", "level"} == set(data[0]["candidates"][0])
    assert [c["name"] for c in data[0]["candidates"]][:2] == ["计算机科学与技术", "计算机应用技术"]
    assert data[2]["code"] is None and data[2]["name"] is None and data[2]["needs_review"] is True
    assert 0 <= data[1]["confidence"] <= 1
    text = runner.invoke(main, ["majors", "normalize", "计科"])
    assert "080901 计算机科学与技术" in text.output


def test_cli_checks_a_labelled_file(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    labels = tmp_path / "labels.csv"
    labels.write_text(
        "text,expected,group,level,source\n"
        "计科,计算机科学与技术|计算机应用技术,abbreviation,,test\n"
        "风水堪舆,计算机科学与技术,unknown,,test\n"
        "會計學,会计学,traditional,本科,test\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["majors", "check", str(labels), "--show-misses"])
    assert result.exit_code == 0, result.output
    lines = {line.split("\t")[0]: line for line in result.output.splitlines() if "\t" in line}
    assert "1/1" in lines["abbreviation"] and "0/1" in lines["unknown"]
    assert "2/3" in lines["合计"] and "66.7%" in lines["合计"]
    assert "风水堪舆 → （未能对应）" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("spelling,answer\n计科,x\n", encoding="utf-8")
    refused = runner.invoke(main, ["majors", "check", str(bad)])
    assert refused.exit_code == 1 and "缺少列" in refused.output


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
        graduate_input(make_id("440106", seq="124"), "440100", "440100", major_text="财会电算"),
    )
    unsure = register_graduate(
        session,
        actor,
        graduate_input(make_id("440106", seq="127"), "440100", "440100", major_text="软体工程"),
    )
    session.flush()
    # two homophone typos are still 计算机科学与技术, surely; 软体工程 is close, not sure
    assert g.major_code == "080901" and not g.major_needs_review
    assert unsure.major_code == "080902" and unsure.major_needs_review
    queue = {i.spelling: i for i in review_queue(session, actor)}
    assert clean("财会电算") in queue and queue[clean("财会电算")].graduates == 1
    assert clean("机算机科学与枝术") not in queue
    assert queue[clean("软体工程")].candidates[0].name == "软件工程"
    with pytest.raises(DomainError):
        correct(session, actor, "财会电算", "999999")
    # an officer names the major by its code or its catalogue name
    changed = correct(session, actor, "财会电算", "会计学")
    assert changed == 1
    session.refresh(odd)
    assert odd.major_code == "120203K" and odd.major_confidence == 1.0
    assert not odd.major_needs_review
    assert (
        session.scalar(select(MajorCorrection.code).where(MajorCorrection.spelling == "财会电算"))
        == "120203K"
    )
    again = register_graduate(
        session,
        actor,
        graduate_input(make_id("440106", seq="125"), "440100", "440100", major_text="财会电算 "),
    )
    session.flush()
    assert again.major_code == "120203K" and again.major_confidence == 1.0
    odd.major_text = "护理学"
    session.flush()
    assert odd.major_code == "101101K"
    assert clean("财会电算") not in {i.spelling for i in review_queue(session, actor)}
    assert (
        session.scalar(select(Graduate.major_key).where(Graduate.id == g.id)) == "机算机科学与枝术"
    )
    vocational = register_graduate(
        session,
        actor,
        graduate_input(
            make_id("440106", seq="126"),
            "440100",
            "440100",
            major_text="大数据与会计",
            degree="zhuanke",
        ),
    )
    session.flush()
    assert vocational.major_code == "专科2021:大数据与会计" and not vocational.major_needs_review
