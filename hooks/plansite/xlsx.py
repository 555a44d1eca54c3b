"""A small XLSX (Office Open XML spreadsheet) writer for the open-data tables: one sheet of text cells.

Written with the standard library only, byte-for-byte deterministic (sorted parts, fixed zip times, the data's
date as the workbook's date), and about as fast as writing the XML by hand can be: a site with 10,000 work points
has about 1,600 of these files. What a reader of the table needs is in the file itself:

- the header row is bold, frozen (it stays in view while scrolling) and repeated on every printed page;
- an autofilter on the header (filter and sort each column in Excel, WPS or LibreOffice);
- text wraps, cells align to the top, columns are as wide as their content (up to a limit);
- the cells of link columns are live links when they hold an absolute ``http(s)://`` address (a relative
  address would point nowhere once the file is downloaded, so it stays text).

Nothing is dropped or changed silently: a value that XML cannot carry (a control character) or that is longer than
a spreadsheet cell holds (32,767 characters) raises :class:`ValueError` (the validator rejects such data first).
Cells are inline strings, never formulas: a value that starts with ``=`` is shown as written.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

#: The most characters a cell holds in Excel (and LibreOffice).
MAX_CELL = 32767
#: The widest a column is made, in characters.
MAX_WIDTH = 60

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Characters XML 1.0 cannot carry (U+FFFE/U+FFFF and unpaired surrogates included).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_ABSOLUTE = re.compile(r"https?://[^\s<>\"]+\Z")

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Cell styles (cellXfs): 0 default, 1 header (bold, wrapped, top), 2 body (wrapped, top), 3 link (as 2, blue underlined)
_STYLES = (
    _XML + f'<styleSheet xmlns="{_NS}">'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
).encode()

_CONTENT_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
).encode()

_ROOT_RELS = (
    _XML + f'<Relationships xmlns="{_PKG_R}">'
    f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_R}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
).encode()

_WORKBOOK_RELS = (
    _XML + f'<Relationships xmlns="{_PKG_R}">'
    f'<Relationship Id="rId1" Type="{_R}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_R}/styles" Target="styles.xml"/>'
    "</Relationships>"
).encode()

_APP = (
    _XML + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>plansite</Application></Properties>"
).encode()


def column_letter(n: int) -> str:
    """The letters of column ``n`` (1 → A, 27 → AA)."""
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _problem(table: list[list], width: int) -> str:
    """What a spreadsheet cannot hold in the table (empty when nothing): a row of another length, a value that is
    not text, too long, or with a character XML cannot carry. One pass over the text: the tables are large."""
    for r, row in enumerate(table, start=1):
        if len(row) != width:
            return f"第 {r} 行有 {len(row)} 个单元格，表格有 {width} 列"
        for c, v in enumerate(row):
            if type(v) is not str:
                return f"第 {r} 行第 {c + 1} 列: 表格的单元格只能是文字，这里是 {type(v).__name__}"
            if len(v) > MAX_CELL:
                return f"第 {r} 行第 {c + 1} 列: 有 {len(v)} 个字符，电子表格的一个单元格最多 {MAX_CELL} 个"
    if _NOT_XML.search("".join(v for row in table for v in row)):
        for r, row in enumerate(table, start=1):
            for c, v in enumerate(row):
                bad = _NOT_XML.search(v)
                if bad:
                    return f"第 {r} 行第 {c + 1} 列: 含有不能写入 XLSX 的字符 U+{ord(bad.group()):04X}"
    return ""


def _width(values: Sequence[str]) -> float:
    """A column's width in characters: its longest line (a CJK character counts about double: (UTF-8 bytes +
    characters) / 2 is 1 for ASCII and 2 for CJK), within [8, MAX_WIDTH]."""
    longest = 0
    for v in values:
        if len(v) * 3 <= longest:  # no line of it is wider
            continue
        for line in v.split("\n") if "\n" in v else (v,):
            n = (len(line.encode()) + len(line)) // 2
            if n > longest:
                if n >= MAX_WIDTH:
                    return MAX_WIDTH
                longest = n
    return max(8, longest + 2)


def _escape(v: str) -> str:
    v = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return v.replace("\r", "&#13;") if "\r" in v else v  # a bare CR would be read as a line end


def workbook(
    columns: Sequence[str], rows: Sequence[Sequence[str]], sheet: str, stamp: dt.date, links: Sequence[str] = ()
) -> bytes:
    """An XLSX file of one sheet named ``sheet``: the header ``columns``, then ``rows`` (text, as many cells as
    columns). The cells of the columns named in ``links`` are live links when they hold an absolute address.
    ``stamp`` is the workbook's creation date (the data's date, so that the same data gives the same bytes)."""
    if not columns:
        raise ValueError("表格没有列")
    if not sheet or len(sheet) > 31 or _SHEET_NAME_BAD.search(sheet) or sheet[0] == "'" or sheet[-1] == "'":
        raise ValueError(f"工作表名称“{sheet}”不能用（1–31 个字符，不含 []:*?/\\，不以 ' 开头或结尾）")
    width = len(columns)
    table = [list(columns), *(list(r) for r in rows)]
    problem = _problem(table, width)
    if problem:
        raise ValueError(problem)
    letters = [column_letter(i + 1) for i in range(width)]
    link_cols = {i for i, name in enumerate(columns) if name in links}
    last = f"{letters[-1]}{len(table)}"

    out = [
        _XML,
        f'<worksheet xmlns="{_NS}" xmlns:r="{_R}">',
        f'<dimension ref="A1:{last}"/>',
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>',
        '<sheetFormatPr defaultRowHeight="15"/><cols>',
    ]
    for i in range(width):
        out.append(f'<col min="{i + 1}" max="{i + 1}" width="{_width([row[i] for row in table]):g}" customWidth="1"/>')
    out.append("</cols><sheetData>")
    hyperlinks = []
    for r, row in enumerate(table, start=1):
        out.append(f'<row r="{r}">')
        for i, v in enumerate(row):
            ref = f"{letters[i]}{r}"
            style = 1 if r == 1 else 2
            if r > 1 and i in link_cols and _ABSOLUTE.match(v):
                style = 3
                hyperlinks.append((ref, v))
            if not v:
                out.append(f'<c r="{ref}" s="{style}"/>')
                continue
            space = ' xml:space="preserve"' if v != v.strip() or "\n" in v else ""
            out.append(f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{_escape(v)}</t></is></c>')
        out.append("</row>")
    out.append(f'</sheetData><autoFilter ref="A1:{last}"/>')
    if hyperlinks:
        out.append("<hyperlinks>")
        out.extend(f'<hyperlink ref="{ref}" r:id="rId{n}"/>' for n, (ref, _) in enumerate(hyperlinks, start=1))
        out.append("</hyperlinks>")
    out.append(
        '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        '<pageSetup orientation="landscape"/></worksheet>'
    )

    quoted = "'" + sheet.replace("'", "''") + "'"
    moment = f"{stamp.isoformat()}T00:00:00Z"
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "docProps/app.xml": _APP,
        "docProps/core.xml": (
            _XML
            + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>plansite</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified></cp:coreProperties>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/styles.xml": _STYLES,
        "xl/workbook.xml": (
            _XML + f'<workbook xmlns="{_NS}" xmlns:r="{_R}"><bookViews><workbookView activeTab="0"/></bookViews>'
            f'<sheets><sheet name={quoteattr(sheet)} sheetId="1" r:id="rId1"/></sheets><definedNames>'
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            f"{escape(quoted)}!$A$1:${letters[-1]}${len(table)}</definedName>"
            f'<definedName name="_xlnm.Print_Titles" localSheetId="0">{escape(quoted)}!$1:$1</definedName>'
            "</definedNames></workbook>"
        ).encode(),
        "xl/worksheets/sheet1.xml": "".join(out).encode(),
    }
    if hyperlinks:
        parts["xl/worksheets/_rels/sheet1.xml.rels"] = (
            _XML
            + f'<Relationships xmlns="{_PKG_R}">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{_R}/hyperlink" Target={quoteattr(url)} TargetMode="External"/>'
                for n, (_, url) in enumerate(hyperlinks, start=1)
            )
            + "</Relationships>"
        ).encode()
    return _zip(parts)


def _zip(parts: dict[str, bytes]) -> bytes:
    """The parts as a zip with sorted names and fixed times."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(parts):
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, parts[name], compresslevel=1)  # small files: the fastest level costs a few bytes
    return out.getvalue()
