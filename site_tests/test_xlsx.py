"""The XLSX writer of the open data (plansite.xlsx), read back with openpyxl (a test-only dependency)."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
import zipfile

import openpyxl
import pytest

from plansite import xlsx

STAMP = dt.date(2025, 3, 1)
COLUMNS = ["序号", "正文", "网址"]
ROWS = [
    ["1", "第一段\n第二段", "https://example.org/plans/documents/a/#diyitiao"],
    ["2", "  前后有空格  ", "documents/a/#dier"],  # relative: stays text
    ["3", "=1+1", ""],  # never a formula; an empty cell
    ["4", "A&B <c> \"d\" 'e'\r回车", "http://example.org/x?a=1&b=2"],
]


def _book(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_values_read_back_exactly() -> None:
    ws = _book(xlsx.workbook(COLUMNS, ROWS, "工作要点", STAMP, links=("网址",))).active
    got = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
    assert got == [COLUMNS, *ROWS]
    assert ws.title == "工作要点"
    assert all(c.data_type == "s" for row in ws.iter_rows() for c in row if c.value is not None)


def test_frozen_header_autofilter_print_titles_bold_header() -> None:
    wb = _book(xlsx.workbook(COLUMNS, ROWS, "任务", STAMP))
    ws = wb.active
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:C5"
    assert ws.print_title_rows == "$1:$1"
    assert all(c.font.b for c in ws[1])
    assert not any(c.font.b for c in ws[2])
    assert all(c.alignment.wrap_text and c.alignment.vertical == "top" for c in ws[2])
    assert wb.properties.created == dt.datetime(2025, 3, 1)


def test_links_are_live_only_for_absolute_addresses_in_link_columns() -> None:
    ws = _book(xlsx.workbook(COLUMNS, ROWS, "工作要点", STAMP, links=("网址",))).active
    links = {c.coordinate: c.hyperlink.target for row in ws.iter_rows() for c in row if c.hyperlink}
    assert links == {"C2": ROWS[0][2], "C5": ROWS[3][2]}
    assert ws["C2"].font.u == "single"
    # the same table without link columns has no links
    ws = _book(xlsx.workbook(COLUMNS, ROWS, "工作要点", STAMP)).active
    assert not any(c.hyperlink for row in ws.iter_rows() for c in row)


def test_every_part_is_well_formed_and_the_bytes_are_deterministic() -> None:
    data = xlsx.workbook(COLUMNS, ROWS, "工作要点", STAMP, links=("网址",))
    assert data == xlsx.workbook(COLUMNS, ROWS, "工作要点", STAMP, links=("网址",))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert names[0] == "[Content_Types].xml" and names == sorted(names)
        for name in names:
            ET.fromstring(z.read(name))
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
    assert data != xlsx.workbook(COLUMNS, ROWS, "工作要点", dt.date(2025, 3, 2))


def test_a_header_only_table_and_a_quote_in_the_sheet_name() -> None:
    wb = _book(xlsx.workbook(COLUMNS, [], "单位'的任务", STAMP))
    assert list(wb.active.iter_rows(values_only=True)) == [tuple(COLUMNS)]
    assert wb.active.title == "单位'的任务"


@pytest.mark.parametrize(
    "rows, sheet, message",
    [
        ([["1", "控制字符\x1b", ""]], "表", r"U\+001B"),
        ([["1", "字" * (xlsx.MAX_CELL + 1), ""]], "表", "最多 32767"),
        ([["1", "少一列"]], "表", "表格有 3 列"),
        ([["1", 2, ""]], "表", "只能是文字"),
        ([], "a/b", "工作表名称"),
        ([], "长" * 32, "工作表名称"),
    ],
)
def test_what_a_spreadsheet_cannot_hold_is_an_error_not_a_silent_change(rows, sheet, message) -> None:
    with pytest.raises(ValueError, match=message):
        xlsx.workbook(COLUMNS, rows, sheet, STAMP)


def test_column_letters() -> None:
    assert [xlsx.column_letter(n) for n in (1, 26, 27, 52, 53, 702, 703)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
