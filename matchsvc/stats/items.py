"""The table's lines: item number, sub-item, the notice's wording and unit, in the notice's order."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    key: str  # the JSON key of DOMAIN.md
    item: str  # "（06）"
    sub: str  # "（A）", or "" for a line continuing the sub-item above
    wording: str
    unit: str


LINES = (
    Line("06A", "（06）", "（A）", "省（区、市）共有困难职工家庭高校毕业生", "人"),
    Line("06B", "", "（B）", "其中应届毕业生", "人"),
    Line("06C", "", "（C）", "其中往届毕业生", "人"),
    Line("07A", "（07）", "（A）", "共为困难职工家庭高校毕业生提供实习见习机会", "人次"),
    Line("08A", "（08）", "（A）", "向困难职工家庭高校毕业生提供就业技能培训", "人次"),
    Line("08B", "", "（B）", "帮助通过职业技能鉴定获得相应职业资格证书", "人次"),
    Line("09A", "（09）", "（A）", "共举办就业招聘会等就业服务系列活动", "场"),
    Line("09A_positions", "", "", "提供适合高校毕业生的就业岗位", "个"),
    Line(
        "10A",
        "（10）",
        "（A）",
        "运用国有大中型企业、劳模企业、社会爱心企业及政府公益性岗位等资源，为困难职工家庭高校毕业生提供就业岗位",
        "个",
    ),
    Line("11A", "（11）", "（A）", "共为困难职工家庭高校毕业生提供创业指导", "人次"),
    Line("11B", "", "（B）", "提供创业培训", "人次"),
    Line("11C", "", "（C）", "提供小额担保贷款", "人次"),
    Line("11C_amount", "", "", "提供小额担保贷款", "元"),
    Line("12A", "（12）", "（A）", "共帮助落实对困难职工家庭高校毕业生的就业扶持政策", "人次"),
    Line("13A", "（13）", "（A）", "共帮助困难职工家庭高校毕业生实现就业", "人次"),
    Line("14A", "（14）", "（A）", "共资助困难职工家庭高校毕业生求职", "人次"),
    Line("14B", "", "（B）", "发放求职补贴", "万元"),
    Line(
        "15A",
        "（15）",
        "（A）",
        "在本地就读的尚未签约就业的应届困难职工家庭高校毕业生（含本地和外地生源学生）",
        "人",
    ),
    Line("16A", "（16）", "（A）", "往届未就业的困难职工家庭高校毕业生", "人"),
)
KEYS = tuple(line.key for line in LINES)
#: Amounts kept in 元 while computing; 14B is reported in 万元.
MONEY_KEYS = ("11C_amount", "14B")
