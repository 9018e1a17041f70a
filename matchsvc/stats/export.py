"""The table in the notice's layout, for CSV (and later workbooks)."""

from __future__ import annotations

from typing import Any

from .items import LINES


def notice_rows(
    table: dict[str, Any], reporter: str = "", phone: str = ""
) -> tuple[list[str], list[list[Any]]]:
    """A header line (province · 填报人 · 联系电话) and one row per line of the table."""
    header = [
        f"{table['org_name']}",
        f"填报人：{reporter}",
        f"联系电话：{phone}",
        f"数据统计截止日期：{table['cutoff']}",
    ]
    rows = [
        [line.item, line.sub, line.wording, table["items"][line.key], line.unit] for line in LINES
    ]
    return header, rows
