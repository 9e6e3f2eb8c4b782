"""One report: ``read_report(path)`` -> :class:`Report` with tidy tables and findings.

The flow is bytes -> text (:mod:`decode`) -> sections (:mod:`sections`) ->
cells (:mod:`layouts`) -> labelled tables (:mod:`tables`) -> findings
(:mod:`checks`). Tables are built as plain records and turned into
DataFrames only when asked for, so a corpus can skip the per-report frames.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from . import checks, formats, narrative, sections, tables
from . import labels as L
from .errors import ReportError
from .findings import Finding, finding
from .layouts import READERS, Grid, detect

if TYPE_CHECKING:  # pandas is imported with the first frame, not with gkdata
    import pandas as pd

TABLES = ("disclosure", "applications", "appeals")
_READ_TABLE = {"disclosure": tables.disclosure, "applications": tables.applications, "appeals": tables.appeals}
_LAST_LABEL = {  # the label a complete table ends with, to tell a truncated file
    "disclosure": {"2019": "centralized_procurement", "2021": "administrative_fees"},
    "applications": {"2019": "carried_forward", "2021": "carried_forward"},
}


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
        return _frames().wide(getattr(self, table), table, lang, self.meta.template)


def _frames():
    """:mod:`gkdata.frames`, imported on first use: reading a report needs no pandas."""
    from . import frames

    return frames


def _source_name(source) -> str:
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    return getattr(source, "name", None) or "<bytes>"


def _read_bytes(source: str | os.PathLike | bytes | BinaryIO, name: str) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, (str, os.PathLike)):
        try:
            return Path(source).read_bytes()
        except OSError as e:
            raise ReportError(name, f"cannot read the file ({e.strerror or e})") from e
    if isinstance(source, io.TextIOBase):
        return source.read().encode("utf-8")
    return source.read()


_TITLE = re.compile(r"(\S*?)\s*((?:19|20)\d{2})\s*年度?\s*(?:政府信息公开|政务公开)工作年度报告")
_PERIOD = re.compile(r"((?:19|20)\d{2})年1月1日[至到]")
_YEAR_END = re.compile(r"(?:19|20)\d{2}\s*年度?$")
_ORGAN = re.compile(r"(人民政府办公室|人民政府|行政公署办公室|行政公署|政府办公室|行署办公室|行署|政府)$")
_PREFIX = re.compile(r"^(?:-\s*)?(?:名\s*称|标\s*题)\s*[:：]")
_DESCRIBE = re.compile(r"[（(]文字描述[）)]")
# In text with U+3000 and NBSP made spaces; a match starts only where a run of spaces does (linear time).
_GAP_BEFORE_UNIT = re.compile(r" (?<!  ) ++(?:余条|条|件|%|人次)")


def _title(lines: list[str]) -> tuple[str | None, str | None, int | None]:
    """(title, publisher, year) from the first lines; a title may be split after its year."""
    head = [_PREFIX.sub("", line).strip() for line in lines[:30] if line.strip()]
    pairs = [a + b for a, b in zip(head, head[1:]) if _YEAR_END.search(a)]
    for text in head + pairs:
        m = _TITLE.search(text) if len(text) < 80 and "年度报告" in text else None
        if m:
            return m.group(0).strip(), m.group(1) or None, int(m.group(2))
    return None, None, None


def _region(publisher: str | None) -> str | None:
    return _ORGAN.sub("", publisher) or publisher if publisher else None


def read_text(text: str, source: str = "<text>", layout: str | None = None,
              ) -> tuple[dict[str, list[tuple]], list[Finding], dict]:
    """Parse decoded report text into table records, reader findings and facts for the meta.

    ``layout`` names a converted format (its text is in the tabbed layout);
    plain text has its layout detected.
    """
    lines = text.split("\n")
    layout = layout or detect(text)
    reader = READERS.get(layout, READERS["tabbed"])
    found: dict[str, Grid] = {}
    secs = sections.split(text)
    if not secs:
        raise ReportError(source, "no numbered sections (一、总体情况 … 六、其他需要报告的事项) were found; "
                                  "this does not look like a 政府信息公开工作年度报告")
    elsewhere: dict[str, Grid] = {}
    for sec in secs:  # take a table from wherever it occurs (a template may be attached)
        name = sections.TABLE_SECTIONS.get(sec.numeral)
        grid = reader(lines[sec.start:sec.end])
        if not grid.rows:
            continue
        # Where cells keep their places, tables are told apart by their labels, so a table under
        # another heading (or several printed as one) is found; a dropped-cell stream is not split.
        parts = tables.by_content(grid) if grid.keeps_blanks else {}
        if name and not parts:
            found.setdefault(name, grid)
        for part_name, part in parts.items():
            (found if part_name == name else elsewhere).setdefault(part_name, part)
    found = {**elsewhere, **found}  # a table in its own section wins over one found elsewhere
    if not found:
        raise ReportError(source, "none of the statistical tables (二, 三, 四) were found")
    template, findings = tables.detect_template(list(found.values()))
    reading = template or "2019"
    records: dict[str, list[tuple]] = {}
    last_section = sections.TABLE_SECTIONS.get(secs[-1].numeral)
    for name in TABLES:
        if name not in found:
            records[name] = _empty_records(name, reading)
            findings.append(finding("missing_table", f"table {L.TABLE_ZH[name][0]} is not in the report", name))
            continue
        recs, more = _READ_TABLE[name](found[name], reading)
        last_row = _LAST_LABEL.get(name, {}).get(reading)
        if name == last_section and any(f.check == "missing_row" and f.row == last_row for f in more):
            raise ReportError(source, f"the file ends inside table {L.TABLE_ZH[name][0]} (its last row, "
                                      f"{L.zh(last_row)}, is missing): it is truncated")
        findings += more
        if all(r[2] is None for r in recs):
            findings.append(finding("empty_table", f"table {L.TABLE_ZH[name][0]} is present but holds no numbers; "
                                    "its cells are NA, not 0", name))
        records[name] = recs
    records["narrative"] = narrative.extract(text)  # table cells never read as prose figures
    placeholders = _placeholders(text)
    return records, findings, {"layout": layout, "template": template, "placeholders": placeholders,
                               "lines": lines}


def _placeholders(text: str) -> list[str]:
    r"""The fill-in marks of an unfilled template: ``（文字描述）``, or a gap where a figure belongs (``共  件``).

    >>> _placeholders("全年共受理\u3000\u3000件，办结率  %。（文字描述）")
    ['  %', '\u3000\u3000件', '（文字描述）']
    """
    found = _DESCRIBE.findall(text) if "文字描述" in text else []
    spaced = text.replace("\u3000", " ").replace("\xa0", " ")  # same length: positions carry over
    for m in _GAP_BEFORE_UNIT.finditer(spaced):
        before = spaced[m.start() - 1] if m.start() else ""
        if before and not (before.isdecimal() or before.isspace() or before == "%"):  # a gap, not a spaced figure
            found.append(text[m.start():m.end()])
    return sorted(set(found))


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
    text, encoding, layout = formats.to_text(data, source_name)
    records, findings, facts = read_text(text, source_name, layout)
    title, publisher, year = _title(facts["lines"])
    if year is None and (m := _PERIOD.search(text)):
        year = int(m.group(1))
    is_template = bool(facts["placeholders"])
    if is_template:
        held = _blank_out(records)
        shown = "、".join(repr(p) for p in facts["placeholders"][:4])
        findings.insert(0, finding(
            "unfilled_template",
            f"the report is an unfilled template (placeholders {shown}); the {held} numbers in its tables are "
            "the template's, not the publisher's data, and are left NA"))
    meta = ReportMeta(
        region=_region(publisher), year=year, template=facts["template"], layout=facts["layout"],
        title=title, publisher=publisher, source=source_name, sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding, is_template=is_template,
    )
    report = Report(meta, records, findings)
    report.finding_records += checks.check_report(report)
    return report
