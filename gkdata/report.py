"""One report: ``read_report(path)`` -> :class:`Report` with tidy tables and findings.

The flow is bytes -> text (:mod:`decode`, :mod:`formats`) -> rows (:mod:`layouts`,
one splitter per rendering; converted documents hand their grid rows over) ->
the rows of each table, found by their labels and the headings (:func:`locate`,
:mod:`sections`) -> labelled tables (:mod:`tables`, the aligner) -> findings
(:mod:`checks`); the title, publisher and year come from :mod:`meta`. Tables are
built as plain records and turned into DataFrames only when asked for, so a
corpus can skip the per-report frames.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, BinaryIO

from . import checks, formats, limits, narrative, places, sections, tables
from . import labels as L
from .errors import ReportError
from .findings import Finding, finding
from .hanzi import is_traditional, simplify
from .layouts import Row
from .layouts import split as split_rows
from .meta import describe
from .numbers import is_value

if TYPE_CHECKING:  # pandas is imported with the first frame, not with gkdata
    import pandas as pd

TABLES = L.TABLES


@dataclass(frozen=True)
class ReportMeta:
    """Who published the report, for which year, and how it was read."""

    region: str | None
    year: int | None
    template: str | None
    layout: str
    title: str | None
    publisher: str | None
    source: str
    sha256: str
    encoding: str
    is_template: bool
    traditional: bool = False  # written in traditional characters (labels and headings were read simplified)
    # where the publisher is (gkdata.places): names, the 6-digit code, the level (province | prefecture | county
    # | township | department) and, for a name that fits several places, their codes; NA when not certain
    province: str | None = None
    prefecture: str | None = None
    county: str | None = None
    adcode: str | None = None
    level: str | None = None
    place_candidates: str | None = None


class Report:
    """One parsed report: ``meta``, the three tables, ``narrative`` and ``findings``.

    >>> r = read_report("data/raw/003_e0c0fba79554bc10.txt")
    >>> r
    <Report 会宁县 2020 · template 2019 · tabbed · 0 findings>
    >>> int(r.wide("applications").loc["results_total", "total"])
    10
    """

    def __init__(self, meta: ReportMeta, records: dict[str, list[tuple]], findings: list[Finding]):
        self.meta = meta
        self.records = records  # plain rows per table, the source of every frame
        self.finding_records = findings

    def __repr__(self) -> str:
        m = self.meta
        n = len(self.finding_records)
        errors = sum(f.severity == "error" for f in self.finding_records)
        tail = f", {errors} errors" if errors else ""
        flag = " · unfilled template" if m.is_template else ""
        return (f"<Report {m.region or '?'} {m.year or '?'} · template {m.template or '?'} · {m.layout}{flag}"
                f" · {n} findings{tail}>")

    @cached_property
    def disclosure(self) -> pd.DataFrame:
        """Table 二, long: item, measure, value (Float64), unit."""
        return _frames().frame("disclosure", self.records["disclosure"])

    @cached_property
    def applications(self) -> pd.DataFrame:
        """Table 三, long: row, applicant, value (Int64)."""
        return _frames().frame("applications", self.records["applications"])

    @cached_property
    def appeals(self) -> pd.DataFrame:
        """Table 四, long: proceeding, outcome, value (Int64)."""
        return _frames().frame("appeals", self.records["appeals"])

    @cached_property
    def narrative(self) -> pd.DataFrame:
        """Figures stated in the prose: key, value, unit, sentence."""
        return _frames().frame("narrative", self.records["narrative"])

    @cached_property
    def findings(self) -> pd.DataFrame:
        """One row per finding: check, severity, table, row, column, expected, actual, message."""
        return _frames().frame("findings", self.finding_records)

    def wide(self, table: str = "applications", lang: str = "key") -> pd.DataFrame:
        """A table as printed: rows × columns in template order.

        ``lang="zh"`` labels rows and columns in Chinese, as in the report.
        """
        return _frames().wide(table, self.records[table], lang, self.meta.template)


def _frames():
    """:mod:`gkdata.frames`, imported on first use: reading a report needs no pandas."""
    from . import frames

    return frames


def _source_name(source) -> str:
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    return getattr(source, "name", None) or "<bytes>"


def _read_bytes(source: str | os.PathLike | bytes | BinaryIO, name: str) -> bytes:
    """The input's bytes: a path is read as a regular file (:func:`limits.read_regular`); bytes and file
    objects are held to the same :data:`limits.MAX_BYTES`, of which at most one more byte is read."""
    if isinstance(source, (str, os.PathLike)):
        return limits.read_regular(source, name)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        limits.check(len(data), "MAX_BYTES", name, "the input")
        return data
    if isinstance(source, io.TextIOBase):
        data = source.read(limits.MAX_BYTES + 1).encode("utf-8")
    else:
        data = bytes(source.read(limits.MAX_BYTES + 1) or b"")  # a non-blocking stream may give None
    limits.check(len(data), "MAX_BYTES", name, "the input", stopped=True)
    return data


_DESCRIBE = re.compile(r"[（(]文字描述[）)]")
# In text with U+3000 and NBSP made spaces; a match starts only where a run of spaces does (linear time).
_GAP_BEFORE_UNIT = re.compile(r" (?<!  ) ++(?:余条|条|件|%|人次)")


def _is_prose(row: Row) -> bool:
    """A paragraph of the text between or around the tables, which ends the table before it."""
    if len(row.cells) != 1:
        return False
    cell = row.cells[0]
    return len(cell) > MAX_CELL or ("。" in cell and not tables.owners(cell))


MAX_CELL = 80  # characters; a longer single cell that is no label is prose


def locate(rows: list[Row], headings: list[sections.Heading]) -> dict[str, list[Row]]:
    """Assign rows to the tables (二 disclosure, 三 applications, 四 appeals) whose labels they hold.

    A row goes to the table most of its labels belong to; a row without such
    a label (numbers, a header the template lacks) stays with the table
    before it. A heading opens its table (or, for 一/五/六, closes the one
    before it) and a paragraph of prose closes it; so a report with all
    three tables printed as one, under one heading or under none, is read.
    """
    parts: dict[str, list[Row]] = {}
    heads = iter(headings)
    nxt = next(heads, None)
    current: str | None = None
    for row in rows:
        while nxt is not None and nxt.line < row.line:
            current = sections.TABLE_SECTIONS.get(nxt.numeral)
            nxt = next(heads, None)
        if _is_prose(row):
            current = None
            continue
        if won := tables.vote(row):
            current = won
        if current:
            parts.setdefault(current, []).append(row)
    return parts


def _complete(name: str, read: tables.Read, template: str) -> bool:
    """Whether a table's last row is there (table 四: all 15 cells of its data row)."""
    if name == "appeals":
        data = read.rows.get("data")
        return data is not None and len(data.values) >= 15
    last = L.application_rows(template)[-1] if name == "applications" else L.DISCLOSURE_LAYOUT[template][-1][0]
    return last in read.rows


def _cut(name: str, read: tables.Read, template: str, last_line: int) -> tables.Read | None:
    """The table the text ends inside, read up to the cut; None if the text does not end inside it.

    The table's rows reach the text's last line. The text ends inside it when
    a template row reaches that line (it may be cut short: ``470.14`` of
    ``470.1416万元``) or the table's last row is missing. That row and every
    row after it are NA, and a ``truncated`` finding says where.
    """
    rows = read.source

    def reaches_cut(seg: tables.Segment) -> bool:
        # its label or a cell is on the last line (a line of pipes too: an empty cell as often as a row's end)
        cells = [v for v in seg.values if v.text or rows[v.row].blanks == "marked"]
        return rows[seg.end].line >= last_line or bool(cells) and rows[cells[-1].row].line >= last_line

    at_cut = {key for key, seg in read.rows.items() if reaches_cut(seg)} | ({read.open_end} - {None})
    if not at_cut and _complete(name, read, template):
        return None
    order = [r for r, _ in L.DISCLOSURE_LAYOUT[template]] if name == "disclosure" else (
        list(L.application_rows(template)) if name == "applications" else ["data"])
    key_at = {k: i for i, k in enumerate(order)}
    cut_from = min((key_at[k] for k in at_cut), default=len(order))
    before = [k for k in order[:cut_from] if k in read.rows and k != "data"]
    records = [(*r[:2], None, *r[3:]) if name == "appeals" or key_at[r[0]] >= cut_from else r for r in read.records]
    where = f"after row {L.zh(before[-1])}" if before else "before its first data row"
    message = (f"the text ends inside table {L.TABLE_ZH[name][0]}, {where}: the row at the cut and every "
               "row after it are NA (the file is cut off)")
    cut_rows = set(order[cut_from:])
    findings = [f for f in read.findings if f.check != "missing_row" and f.row not in cut_rows]
    findings.append(finding("truncated", message, name, before[-1] if before else None))
    return read._replace(records=records, findings=findings)


def read_text(text: str, source: str = "<text>", layout: str | None = None, rows: list[Row] | None = None,
              ) -> tuple[dict[str, list[tuple]], list[Finding], dict]:
    """Parse decoded report text into table records, reader findings and facts for the meta.

    ``rows``: the table rows of a converted document (HTML, Word, PDF), whose
    grid the converter read, with ``layout`` naming its format; plain text
    has its rows split from its lines, each rendering detected line by line.
    """
    if layout is not None and layout not in formats.CONVERTERS:
        raise ValueError(f"unknown format {layout!r} (valid options are {', '.join(formats.CONVERTERS)})")
    lines = text.split("\n")
    traditional = is_traditional(text[:4000])
    headings = sections.find(lines, simplify if traditional else None)
    if rows is None:
        rows = split_rows(lines, {h.line for h in headings})
    located = locate(rows, headings)
    if not located:
        if not headings:
            raise ReportError(source, "no numbered sections (一、总体情况 … 六、其他需要报告的事项) and none of the "
                                      "statistical tables were found; this does not look like a 政府信息公开工作年度报告")
        raise ReportError(source, "none of the statistical tables (二, 三, 四) were found")
    located = {name: tables.headers_joined(rows, name) for name, rows in located.items()}
    template, findings = tables.detect_template(located)
    reading = template or "2019"
    # the last line that prints something: text, or a row (a line of pipes that only closes the cell
    # before it is no row; one that stands for merged positions after a row is, and says the row ended)
    printed = (row.line for row in reversed(rows) if row.blanks != "counted" or any(row.cells))  # not empty lines
    text_end = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip().strip("|").strip()), 0)
    last_line = max(text_end, next(printed, 0))
    records: dict[str, list[tuple]] = {}
    glued = 0
    for name in TABLES:
        if name not in located:
            records[name] = _empty_records(name, reading)
            findings.append(finding("missing_table", f"table {L.TABLE_ZH[name][0]} is not in the report", name))
            continue
        table_rows = located[name]
        read = tables.READERS[name](table_rows, reading)
        if table_rows[-1].line >= last_line and (cut := _cut(name, read, reading, last_line)):
            read = cut
        findings += read.findings
        glued += read.glued
        if all(r[2] is None for r in read.records) and not any(f.check == "truncated" for f in read.findings):
            findings.append(finding("empty_table", f"table {L.TABLE_ZH[name][0]} is present but holds no numbers; "
                                    "its cells are NA, not 0", name))
        records[name] = read.records
    records["narrative"] = narrative.extract(text)  # table cells never read as prose figures
    placeholders = _placeholders(text)
    rendering = layout or _rendering(located, glued)
    return records, findings, {"layout": rendering, "template": template, "placeholders": placeholders,
                               "traditional": traditional}


def _rendering(parts: dict[str, list[Row]], glued: int) -> str:
    """The rendering most of the tables' rows were read in (meta.layout); cells run together when
    most label rows held their digits."""
    counts: dict[str, int] = {}  # printed values by rendering: a row that lost all its values says nothing
    for rows in parts.values():
        for row in rows:
            n = counts.get(row.rendering, 0)
            for c in row.cells:
                if c and is_value(c):
                    n += 1
            counts[row.rendering] = n
    labelled = sum(len(rows) for rows in parts.values())
    if glued * 4 >= labelled:
        return "run-together"
    return max(counts, key=counts.__getitem__) if any(counts.values()) else parts[next(iter(parts))][0].rendering


def _placeholders(text: str) -> list[str]:
    r"""The fill-in marks of an unfilled template: ``（文字描述）``, or a gap where a figure belongs (``共  件``).

    >>> _placeholders("全年共受理\u3000\u3000件，办结率  %。（文字描述）\n本   本\n件   件")
    ['  %', '\u3000\u3000件', '（文字描述）']
    """
    found = _DESCRIBE.findall(text) if "文字描述" in text else []
    spaced = text.replace("\u3000", " ").replace("\xa0", " ")  # same length: positions carry over
    for m in _GAP_BEFORE_UNIT.finditer(spaced):
        before = spaced[m.start() - 1] if m.start() else ""
        if before and not (before.isdecimal() or before.isspace() or before == "%") and _in_sentence(spaced, m):
            found.append(text[m.start():m.end()])  # a gap in a sentence, not a spaced figure or a table's columns
    return sorted(set(found))


def _in_sentence(text: str, m: re.Match) -> bool:
    """Whether a match stands in a line of prose (one with sentence punctuation), not in a table laid out in columns."""
    start, end = text.rfind("\n", 0, m.start()) + 1, text.find("\n", m.end())
    line = text[start:end if end >= 0 else len(text)]
    return any(p in line for p in "，。；,;")


def _empty_records(name: str, template: str) -> list[tuple]:
    if name == "disclosure":
        return [(i, m, None, L.measure(m, template).unit) for i, m in L.disclosure_cells(template)]
    if name == "applications":
        return [(r, a, None) for r in L.application_rows(template) for a in L.keys("applicant")]
    return [(p, o, None) for p in L.keys("proceeding") for o in L.keys("outcome")]


def _blank_out(records: dict[str, list[tuple]]) -> int:
    """Replace an unfilled template's values with NA; return how many numbers it held."""
    n = 0
    for name in TABLES:
        n += sum(r[2] is not None for r in records[name])
        records[name] = [(*r[:2], None, *r[3:]) for r in records[name]]
    return n


def read_report(source: str | os.PathLike | bytes | BinaryIO, *, name: str | None = None) -> Report:
    """Read one report (a path, bytes or a binary file) into a :class:`Report`.

    Raises :class:`ReportError`, naming the file and the reason, when the input
    is not a readable report (empty, binary, no tables, truncated).

    >>> r = read_report("data/raw/004_8b07afbb35c54ec3.txt")
    >>> r.meta.region, r.meta.year, r.meta.layout
    ('阿里地区', 2020, 'pipe')
    """
    source_name = name or _source_name(source)
    data = _read_bytes(source, source_name)
    text, encoding, layout, rows = formats.convert(data, source_name)
    records, findings, facts = read_text(text, source_name, layout, rows)
    head = describe(text)
    is_template = bool(facts["placeholders"])
    if is_template:
        held = _blank_out(records)
        shown = "、".join(repr(p) for p in facts["placeholders"][:4])
        findings.insert(0, finding(
            "unfilled_template",
            f"the report is an unfilled template (placeholders {shown}); the {held} numbers in its tables are "
            "the template's, not the publisher's data, and are left NA"))
    place, place_findings = places.locate(head.publisher, text, traditional=facts["traditional"])
    findings += place_findings
    meta = ReportMeta(
        region=head.region, year=head.year, template=facts["template"], layout=facts["layout"],
        title=head.title, publisher=head.publisher, source=source_name, sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding, is_template=is_template, traditional=facts["traditional"], **place._asdict(),
    )
    report = Report(meta, records, findings)
    report.finding_records += checks.check_report(report)
    return report
