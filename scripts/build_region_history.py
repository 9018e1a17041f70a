"""Build matchsvc/data/region_history.csv from yescallop/areacodes (CC0 1.0).

Usage: python scripts/build_region_history.py result.csv codes.json > matchsvc/data/region_history.csv

Input: the project's result.csv (every code 1981-2024 with its period and its successors) and
codes.json (the approvals' texts, for their dates). Output: one row per code no longer in use,
with the year from which its area belongs to its successors ("since"): the year of the first
yearly table without it, or the next year when the approval is dated after 20 December (such
changes are carried out from the new year: 莱芜 2018-12-26 → 2019).
"""

from __future__ import annotations

import csv
import json
import re
import sys

_DIGITS = dict(zip("〇一二三四五六七八九", "0123456789", strict=True))


def _chinese_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (int(_DIGITS[tens]) if tens else 1) * 10 + (int(_DIGITS[ones]) if ones else 0)
    return int("".join(_DIGITS[c] for c in text))


def approval_date(text: str) -> tuple[int, int, int] | None:
    m = re.search(
        r"日期：\s*([〇一二三四五六七八九十\d]+)年([〇一二三四五六七八九十\d]+)月([〇一二三四五六七八九十\d]+)日",
        text,
    )
    if not m:
        return None
    year = m.group(1)
    y = int(year) if year.isdigit() else int("".join(_DIGITS[c] for c in year))
    return y, _chinese_number(m.group(2)), _chinese_number(m.group(3))


def main(result_csv: str, codes_json: str) -> None:
    with open(codes_json, encoding="utf-8") as fh:
        codes = json.load(fh)
    approved: dict[tuple[int, int], tuple[int, int, int] | None] = {}

    def walk(items: list[dict]) -> None:
        for item in items:
            if "end" in item:
                untimed = [s for s in item.get("succ", []) if "time" not in s and "desc" in s]
                date = None
                if untimed:
                    text = codes["descriptions"][str(item["end"])][untimed[0]["desc"]]
                    date = approval_date(text)
                approved[(item["code"], item["start"])] = date
            walk(item.get("children", []))

    walk(codes["items"])
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(
        ["code", "name", "city", "province", "level", "start", "end", "since", "successors"]
    )
    with open(result_csv, encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            if row["状态"] != "弃用":
                continue
            end = int(row["变更/弃用时间"])
            date = approved.get((int(row["代码"]), int(row["启用时间"])))
            since = end + 1 if date and date[0] == end and (date[1], date[2]) > (12, 20) else end
            out.writerow(
                [
                    row["代码"],
                    row["名称"],
                    row["二级行政区"],
                    row["一级行政区"],
                    row["级别"],
                    row["启用时间"],
                    end,
                    since,
                    row["新代码"],
                ]
            )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
