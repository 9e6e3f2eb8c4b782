"""Round trip: generated tables -> report text (every rendering, both templates) -> read_report -> the same tables.

The generator (gkdata.synth) knows the tables it printed, where it printed
each value and the findings its anomaly must raise; the reader must give back
every number it can place and leave the rest NA with a finding — never a
silently wrong number.

What a reader "can place" depends on the rendering (renderings.md A), and
:func:`certain` says it per rendering: where positions are kept every printed
value must come back; where empty cells were dropped, only rows that lost none.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import gkdata
from gkdata import labels, synth, tables
from gkdata.cli import app
from gkdata.findings import CHECKS
from gkdata.synth import (ANOMALIES, HEADING_MARKS, LAYOUTS, MONEY_STYLES, NUMBERINGS, RENDERINGS, TABLES, VARIANTS,
                          Expected, Rendering, Style, Synthetic)

from conftest import SEEDS

# the reader's findings that say why a cell is NA
READER_CHECKS = {"ambiguous_columns", "invalid_value", "unplaced_value", "missing_row", "empty_table", "truncated",
                 "missing_table"}
CROSS_REPORT = {"carry_over_mismatch", "change_mismatch", "year_over_year", "outlier"}
# Shrinking a failing report costs minutes (each step writes and reads one); GKDATA_SHRINK=1 asks for it.
PHASES = [p for p in Phase if p is not Phase.shrink or os.environ.get("GKDATA_SHRINK")]
PER_RENDERING = settings(max_examples=40, deadline=None, phases=PHASES, suppress_health_check=[HealthCheck.too_slow])
# renderings that keep every cell's place (an empty cell is seen where it is)
POSITIONAL = {"tabbed", "tab-rows"}


def styles(blank_zeros: st.SearchStrategy[float]) -> st.SearchStrategy[Style]:
    return st.builds(Style, money=st.sampled_from(MONEY_STYLES), changes=st.sampled_from(("signed", "words")),
                     blank_zeros=blank_zeros, typos=st.booleans(), full_width=st.booleans(), wrap=st.booleans(),
                     vertical=st.booleans(), padding=st.booleans())


def renderings(layout: str, cut: bool = False) -> st.SearchStrategy[Rendering]:
    """A rendering of ``layout`` with any of its options and any heading style."""
    options = {f: st.sampled_from(v) for f, v in VARIANTS.get(layout, {}).items()}
    options |= {"numbering": st.sampled_from(NUMBERINGS), "mark": st.sampled_from(HEADING_MARKS)}
    return st.fixed_dictionaries(options).map(lambda o: Rendering(layout, **o, cut=cut))


@st.composite
def reports(draw, blank_zeros=st.just(0.0), layout=None, cut=False) -> Synthetic:
    """A generated report: any template, style; an anomaly or none; a seed layout or the rendering given."""
    template = draw(st.sampled_from(labels.TEMPLATES))
    kinds = [k for k in ANOMALIES if template == "2019" or k != "published_exceeds_total"]
    rendering = draw(renderings(layout, cut)) if layout else draw(st.sampled_from(LAYOUTS))
    return synth.generate(draw(st.integers(0, 2 ** 32 - 1)), template=template, layout=rendering,
                          anomaly=draw(st.sampled_from([None, *kinds])), style=draw(styles(blank_zeros)))


def read_cells(r: gkdata.Report) -> dict[str, dict]:
    return {"disclosure": {(i, m): v for i, m, v, _ in r.records["disclosure"]},
            "applications": {(a, b): v for a, b, v in r.records["applications"]},
            "appeals": {(a, b): v for a, b, v in r.records["appeals"]}}


def found(r: gkdata.Report) -> set[Expected]:
    return {Expected(f.check, f.table, f.row, f.column) for f in r.finding_records}


def within(s: Synthetic) -> set[Expected]:
    return {e for e in s.expected if e.check not in CROSS_REPORT}


# -- what each rendering makes certain ----------------------------------------------------------

_BLANK = r"(?:/|—|无|-)"  # real pages print a blank as - too, so a lone - may be one (268-100: 268|-|100)
_TOKEN = {  # a value as a run-together row may print it (a little wider than synth prints, never narrower)
    "count": re.compile(rf"{_BLANK}|0|[1-9]\d*"),
    "change": re.compile(rf"{_BLANK}|0|-?[1-9]\d*|[增减][1-9]\d*"),
    "money": re.compile(rf"{_BLANK}|(?:0|[1-9]\d*)(?:\.\d+)?(?:万元|万|元)?"),
}


def splits(run: str, kinds: list[str], limit: int = 2) -> int:
    """In how many ways (up to ``limit``) ``run`` cuts into one value per column of these kinds.

    >>> splits("000", ["count"] * 3), splits("121", ["count"] * 2), splits("105", ["count"] * 2)
    (1, 2, 1)
    """
    memo: dict[tuple[int, int], int] = {}

    def ways(i: int, j: int) -> int:
        if j == len(kinds):
            return int(i == len(run))
        if (i, j) not in memo:
            rx, n = _TOKEN[kinds[j]], 0
            for end in range(i + 1, len(run) + 1):
                if rx.fullmatch(run, i, end):
                    n = min(limit, n + ways(end, j + 1))
                    if n >= limit:
                        break
            memo[i, j] = n
        return memo[i, j]

    return ways(0, 0)


def _kind(table: str, key: tuple[str, str], template: str) -> str:
    return labels.measure(key[1], template).kind if table == "disclosure" else "count"


def _block(table: str, key: tuple[str, str]) -> str:
    """Rows that share their columns: a 第二十条 block of table 二, or the whole table."""
    return labels.ARTICLE_20[key[0]] if table == "disclosure" else table


def certain(s: Synthetic) -> dict[str, set]:
    """By table, the printed value cells a reader must give back exactly under the report's rendering.

    - tabbed, tab-rows, pipe-rows with ``| |`` (padded or not), blank-line counting its empty lines: every cell
      keeps its place;
    - aligned: a gap places an empty cell once a full row of the same columns fixes where they are;
    - blank-line, pipe, spaced, pipe-rows collecting empty cells at the row's end: a row that lost no cell;
    - run-together: a row whose digits split into its columns one way only (blanks print as /, —, 无).
    The cells at and after a cut are never certain.
    """
    r, out = s.rendering, {}
    unread = s.unread()
    for table in TABLES:
        truth = getattr(s.tables, table)
        rows = s.printed[table].rows()
        full = {r_: all(truth[k] is not None for k, _ in cells) for r_, cells in rows.items()}
        if r.layout in POSITIONAL or (r.layout == "pipe-rows" and r.empty != "run") or (
                r.layout == "blank-line" and r.counted):
            sure_rows = set(rows)
        elif r.layout == "aligned":
            fixed = {_block(table, cells[0][0]) for r_, cells in rows.items() if full[r_]}
            sure_rows = {r_ for r_, cells in rows.items() if _block(table, cells[0][0]) in fixed}
        elif r.layout == "run-together":
            sure_rows = {r_ for r_, cells in rows.items()
                         if splits("".join(t.strip() for _, t in cells),
                                   [_kind(table, k, s.tables.template) for k, _ in cells]) == 1}
        else:
            sure_rows = {r_ for r_ in rows if full[r_]}
        out[table] = {k for r_ in sure_rows for k, _ in rows[r_] if truth[k] is not None} - unread[table]
    return out


def check_cells(s: Synthetic, r: gkdata.Report) -> None:
    """Every value read is the printed one; a certain cell is read; an NA has a reason; nothing after a cut."""
    got, sure, unread = read_cells(r), certain(s), s.unread()
    reasons = {(f.table, f.row) for f in r.finding_records if f.check in READER_CHECKS}
    # ambiguous_columns is one finding per table, at its first row, naming every row it holds
    reasons |= {(f.table, row) for f in r.finding_records for row in tables.ambiguous_rows(f)}
    whole = {f.table for f in r.finding_records if f.check in ("truncated", "missing_table", "empty_table")}
    wrong, lost, unexplained, after = [], [], [], []
    for table in TABLES:
        truth = getattr(s.tables, table)
        assert got[table].keys() == truth.keys(), table
        for key, value in got[table].items():
            if value is not None and key in unread[table]:
                after.append((table, key, value))
            elif value is not None and value != truth[key]:
                wrong.append((table, key, value, truth[key]))
            elif value is None and truth[key] is not None and key not in unread[table]:
                if key in sure[table]:
                    lost.append((table, key, truth[key]))
                elif (table, key[0] if table != "appeals" else None) not in reasons and table not in whole:
                    unexplained.append((table, key, truth[key]))
    assert not wrong, f"WRONG NUMBERS (table, key, read, printed): {wrong[:5]}"
    assert not after, f"read after the cut at {s.cut}: {after[:5]}"
    assert not lost, f"NA where {s.layout} {s.rendering.options} keeps the cell (table, key, printed): {lost[:5]}"
    assert not unexplained, f"NA without a finding on its row (table, key, printed): {unexplained[:5]}"


def check_meta(s: Synthetic, r: gkdata.Report) -> None:
    """The meta as generated; the rendering only where a value was printed before any cut (a row of
    labels alone reads the same in every one-row-per-line rendering as in a stream)."""
    unread = s.unread()
    shown = any(v is not None and k not in unread[t] for t in TABLES for k, v in getattr(s.tables, t).items())
    layout = r.meta.layout if shown else s.layout
    assert (layout, r.meta.template, r.meta.year, r.meta.publisher) == (
        s.layout, s.tables.template, s.year, s.publisher)


# -- the round trip, for each rendering -------------------------------------------------------


@PER_RENDERING
@pytest.mark.parametrize("layout", RENDERINGS)
@given(data=st.data())
def test_every_cell_and_finding_comes_back(layout, data):
    """No blanks: every rendering keeps every cell (run-together: where its digits split one way), so the
    tables and findings come back exactly."""
    s = data.draw(reports(layout=layout))
    r = gkdata.read_report(s.data)
    check_cells(s, r)
    check_meta(s, r)
    assert {k: v for k, v, _, _ in r.records["narrative"]} == s.tables.narrative
    sure = certain(s)
    if all(sure[t] == {k for k, v in getattr(s.tables, t).items() if v is not None} for t in TABLES):
        assert found(r) == within(s)  # the anomaly's findings at their cells, and nothing else
        if s.anomaly is None:
            assert not any(f.severity == "error" for f in r.finding_records)
    else:  # run-together: a row that splits two ways is NA, and may hide an anomaly
        assert {e for e in found(r) if CHECKS[e.check][0] == "error"} <= within(s)


@PER_RENDERING
@pytest.mark.parametrize("layout", RENDERINGS)
@given(data=st.data())
def test_no_number_is_ever_silently_wrong(layout, data):
    """With zeros printed blank (and dropped by some renderings), a number is right or NA with a reason,
    and every cell the rendering keeps in place comes back."""
    s = data.draw(reports(blank_zeros=st.sampled_from((0.3, 0.5, 1.0)), layout=layout))
    r = gkdata.read_report(s.data)
    check_cells(s, r)
    check_meta(s, r)
    errors = {e for e in found(r) if CHECKS[e.check][0] == "error"}
    assert errors <= within(s)  # blanks may hide an anomaly, never invent one


@PER_RENDERING
@pytest.mark.parametrize("layout", RENDERINGS)
@given(data=st.data())
def test_a_cut_text_is_read_up_to_the_cut(layout, data):
    """A text that ends inside a table (A7) is a report: the rows before the cut read as always, the row at
    the cut and all after it NA, and a ``truncated`` error names the table."""
    s = data.draw(reports(blank_zeros=st.sampled_from((0.0, 0.0, 0.5)), layout=layout, cut=True))
    r = gkdata.read_report(s.data)
    table = s.cut[0]
    assert any(f.check == "truncated" and f.severity == "error" and f.table == table for f in r.finding_records)
    check_cells(s, r)
    check_meta(s, r)
    later = set(TABLES[TABLES.index(table) + 1:])
    allowed = within(s) | {e for e in found(r) if e.check == "truncated" and e.table == table} | {
        e for e in found(r) if e.check == "missing_table" and e.table in later}
    assert {e for e in found(r) if CHECKS[e.check][0] == "error"} <= allowed


def test_a_cut_in_the_next_groups_label_keeps_the_row_above():
    """Cut inside 三(四)'s label, printed in the group column: the row of 三(三) above it, short of cells (blanks),
    ended there, since a group's label is printed within its own rows, so that row is read."""
    s = synth.generate(1049733587, template="2021", layout=Rendering("aligned", align="center", numbering="arabic",
                                                                     cut=True),
                       style=Style(money="bare", changes="signed", blank_zeros=0.5, full_width=True, wrap=True))
    assert s.text.endswith("（四）无法提")
    r = gkdata.read_report(s.data)
    check_cells(s, r)
    row = r.wide("applications").loc["denied_administrative_query"]
    printed = {c: v for c in row.index if (v := s.tables.applications["denied_administrative_query", c]) is not None}
    assert row.dropna().to_dict() == printed and len(printed) == 3
    cut = [f for f in r.finding_records if f.check == "truncated"]
    assert [(f.table, f.row) for f in cut] == [("applications", "denied_administrative_query")]


def test_blank_line_keeps_only_a_provable_total():
    """One applicant of 7 holds a number and the rest are dropped: only 总计 can be placed."""
    style = Style(blank_zeros=1.0)
    s = next(s for seed in range(100) if (s := synth.generate(seed, layout="blank-line", style=style))
             and sum(s.tables.applications["new_received", c] is not None for c in synth.PEOPLE) == 1)
    r = gkdata.read_report(s.data)
    wide = r.wide("applications")
    assert wide.loc["new_received", "total"] == s.tables.applications["new_received", "total"] > 0
    assert wide.loc["new_received", list(synth.PEOPLE)].isna().all()
    amb = r.findings[(r.findings["check"] == "ambiguous_columns") & (r.findings["row"] == "new_received")]
    assert len(amb) == 1 and "kept as 总计" in amb["message"].iloc[0]


@pytest.mark.parametrize("anomaly", ANOMALIES)
@pytest.mark.parametrize("layout", [r for r in RENDERINGS if r != "run-together"])
def test_each_anomaly_in_each_layout(anomaly, layout):
    s = synth.generate(11, template="2019", layout=layout, anomaly=anomaly, style=Style())
    assert s.expected and all(e.check in (anomaly, "balance", "row_sum") for e in s.expected)
    assert found(gkdata.read_report(s.data)) == set(s.expected)


def test_published_exceeds_total_needs_the_2019_template():
    with pytest.raises(ValueError, match="2019 template"):
        synth.generate(1, template="2021", anomaly="published_exceeds_total")


def test_carry_over_across_years(tmp_path):
    """This year's 上年结转 is last year's 结转下年度, unless the carry-over anomaly breaks it."""
    first = synth.generate(3, template="2019", layout="pipe", style=Style(), year=2020)
    second = synth.generate(4, layout="tabbed", style=Style(), last=first, anomaly="carry_over_mismatch")
    assert (second.publisher, second.year, second.tables.template) == (first.publisher, 2021, "2021")
    third = synth.generate(5, layout="blank-line", style=Style(), last=second)
    assert third.tables.applications["carried_over", "total"] == second.tables.applications["carried_forward", "total"]
    for s in (first, second, third):
        (tmp_path / f"{s.year}.txt").write_bytes(s.data)
    corpus = gkdata.read_reports(tmp_path)
    f = corpus.findings[corpus.findings["check"] == "carry_over_mismatch"]
    assert set(zip(f["year"], f["row"], f["column"])) == {(2021, e.row, e.column) for e in second.expected}
    assert len(second.expected) == 2 and not first.expected and not third.expected


def test_money_in_yuan_wan_or_the_header():
    amounts = []
    for money in MONEY_STYLES:
        s = synth.generate(3, template="2019", layout="tabbed", style=Style(money=money))
        d = gkdata.read_report(s.data).wide("disclosure")
        amounts.append(d.loc["centralized_procurement", "amount"])
        assert amounts[-1] == s.tables.disclosure["centralized_procurement", "amount"] > 0
    text = synth.generate(3, template="2019", layout="tabbed", style=Style(money="元")).text
    assert f"\t{round(amounts[0] * 10000)}元\n" in text
    assert len(set(amounts)) == 1


def test_labels_come_from_the_label_table():
    """2021 prints 行政规范性文件 and 本年收费金额（单位：万元）; captions and headings are the template's."""
    s = synth.generate(2, template="2021", layout="pipe", style=Style())
    assert "行政规范性文件 |" in s.text and "本年收费金额" in s.text and "本年新制作数量" not in s.text
    assert [line for line in s.text.splitlines() if line.startswith("第二十条")] == [
        "第二十条第（一）项 |", "第二十条第（五）项 |", "第二十条第（六）项 |", "第二十条第（八）项 |"]
    assert all(lab.zh in s.text for lab in labels.SECTIONS)
    assert labels.zh("normative_documents", "2021") == "行政规范性文件"


def test_pipe_placeholders_match_the_seed():
    """The pipe-only lines after each row count the grid positions spans cover, as in 阿里地区's report."""
    s = synth.generate(0, template="2019", layout="pipe", style=Style(full_width=False))
    pipes = [line for line in s.text.splitlines() if line and set(line) == {"|"}]
    seed = [line for line in SEEDS["004"].read_text(encoding="utf-8").splitlines() if line and set(line) == {"|"}]
    assert pipes == seed


def test_tabbed_vertical_labels_and_wraps_read_back():
    s = synth.generate(6, template="2021", layout="tabbed", style=Style(vertical=True, wrap=True, padding=True))
    assert "\t（三）\n\n不\n\n予\n\n公\n\n开\n" in s.text or "\t（三）不\n\n予\n\n公\n\n开\n" in s.text
    r = gkdata.read_report(s.data)
    assert read_cells(r)["applications"] == s.tables.applications and r.findings.empty


def test_a_unit_wrapped_onto_its_own_paragraph_still_counts():
    """Reader fix: a scraped page may break 采购总金额(元) into 采购总 / 金额(元); its unit must not be lost."""
    text = SEEDS["001"].read_text(encoding="utf-8")
    for header in ("采购总金额\n\n(元)", "采购总\n\n金额(元)"):
        r = gkdata.read_report(text.replace("采购总金额(万元)", header).encode())
        assert r.wide("disclosure").loc["centralized_procurement", "amount"] == 0.1379  # 1379 元
        assert "assumed_unit" not in set(r.findings["check"])


def test_write_corpus_and_cli(tmp_path):
    result = CliRunner().invoke(app, ["synth", "--n", "12", "--seed", "4", str(tmp_path)])
    assert result.exit_code == 0, result.output
    manifest = [json.loads(line) for line in (tmp_path / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == sorted(m["file"] for m in manifest) and len(manifest) == 12
    for m in manifest:
        r = gkdata.read_report(tmp_path / m["file"])
        assert (r.meta.publisher, r.meta.year, r.meta.layout, r.meta.template) == (
            m["publisher"], m["year"], m["layout"], m["template"])
        expected = {Expected(*e) for e in m["expected"] if e[0] not in CROSS_REPORT}
        if m["style"]["blank_zeros"] == 0:
            assert found(r) == expected
        else:
            assert {e for e in found(r) if CHECKS[e.check][0] == "error"} <= expected
    again = synth.write_corpus(tmp_path / "again", 12, seed=4)
    assert again[0].read_bytes() == (tmp_path / manifest[0]["file"]).read_bytes()  # the same seed, the same corpus


def test_a_national_corpus_has_every_year_of_a_million_reports_of_publishers(tmp_path):
    """``years=NATIONAL``: each publisher's reports of 2019–2025, read back as such; beyond the gazetteer's
    places and first departments come more departments, so a million reports have as many distinct publishers
    as it takes (144,586 × 7), and no earlier publisher number changes."""
    synth.write_corpus(tmp_path, 15, seed=2, years=synth.NATIONAL)
    manifest = [json.loads(line) for line in (tmp_path / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    years = {}
    for m in manifest:
        years.setdefault(m["publisher"], []).append(gkdata.read_report(tmp_path / m["file"]).meta.year)
    first, second, cut = years.values()  # 15 = 7 + 7 + the one year left
    assert first == second == list(range(2019, 2026)) and len(cut) == 1
    assert synth.publisher_of(0).seat == "福建省三明市宁化县人民政府"
    assert synth.publisher_of(102_868) == synth.Publisher("金田乡人民政府", "江西省吉安市安福县金田乡人民政府",
                                                            "360829", "township")
    more = synth.publisher_of(102_869)
    assert more.level == "department" and more.name.endswith(("局", "厅", "室"))
    assert synth.publisher_of(144_585).level == "department"
    assert len({synth.publisher_of(i).seat for i in range(144_586)}) == 144_586
    with pytest.raises(IndexError, match="no publisher number 144586"):
        synth.publisher_of(144_586)
    with pytest.raises(ValueError, match="years must be"):
        synth.write_corpus(tmp_path / "eight", 8, years=(1, 8))


# -- the renderings as written (no reader involved) ---------------------------------------------


def _table_lines(s: Synthetic, first: str, last: str) -> list[str]:
    lines = s.text.splitlines()
    i = next(i for i, line in enumerate(lines) if first in line)
    j = next(j for j in range(i, len(lines)) if last in lines[j])
    return lines[i:j + 1]


def test_pipe_rows_keep_collect_or_pad_empty_cells():
    """A1: `` | `` between cells; ``| |`` in place (padded with ``| |`` to the grid's width), or bare pipes at
    the row's end."""
    style = Style(blank_zeros=1.0, full_width=False)
    for empty in ("cell", "run", "pad"):
        s = synth.generate(4, template="2019", layout=Rendering("pipe-rows", empty=empty), style=style)
        row = dict(s.printed["applications"].rows()).popitem()[1]  # 四、结转下年度继续办理
        blanks = sum(not t.strip() for _, t in row)
        line = next(x for x in s.text.splitlines() if x.startswith("四、结转下年度继续办理 |"))
        assert blanks and line.count("|") == (10 if empty == "pad" else 8)
        if empty == "cell":
            assert "| |" in line and line.count("|") == 8
        if empty == "run":
            assert line.endswith(" |" + "|" * blanks) and "| |" not in line
        if empty == "pad":
            assert line.endswith(" |" + " |" * (blanks + 2))
    s = synth.generate(4, template="2021", layout=Rendering("pipe-rows", edges=True, rules=True), style=Style())
    table = _table_lines(s, "第二十条第（一）项", "本年收费金额")
    assert table[0] == "| 第二十条第（一）项 |" and table[1] == "|---|"
    assert all(line.startswith("| ") and line.endswith(" |") for line in table[2:])


def test_pipe_rows_print_a_merged_cell_in_its_first_row():
    s = synth.generate(4, template="2019", layout="pipe-rows", style=Style(full_width=False))
    assert "\n三、本年度办理结果 | (一)予以公开 | " in s.text and "\n(二)部分公开(区分处理的,只计这一情形,不计其他情形) | " in s.text
    assert "\n自然人 | 法人或其他组织 | 总计 |\n商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n" in s.text
    grid = synth.generate(4, template="2019", layout=Rendering("pipe-rows", spans="grid"), style=Style(full_width=False))
    assert "\n| | (二)部分公开(区分处理的,只计这一情形,不计其他情形) | | " in "\n" + grid.text.replace("\n", "\n| ")


def test_tab_rows_keep_empty_fields():
    s = synth.generate(9, template="2019", layout="tab-rows", style=Style(blank_zeros=1.0))
    rows = [line.split("\t") for line in _table_lines(s, "一、本年新收", "四、结转下年度")]
    assert {len(r) for r in rows if r[0].startswith(("一、", "二、", "四、"))} == {8}
    assert any("" in r for r in rows)


def test_aligned_places_values_at_their_columns():
    """A3: in every data row of table 三 a value starts at its column's character position (CJK two wide),
    an empty cell is a gap, and vertical headers stand one character per line across the columns."""
    # (a seed whose table 三 has a row with all seven cells printed, to take the columns from)
    s = synth.generate(7, template="2019", layout="aligned", style=Style(blank_zeros=0.5))
    lines = _table_lines(s, "一、本年新收", "四、结转下年度")

    def starts(line: str) -> list[int]:
        return [synth.display_width(line[:m.start()]) for m in re.finditer(r"(?<=  )\d+(?= |$)", line)]

    columns = starts(next(x for x in lines if len(starts(x)) == 7))
    values = [[x for x in starts(line) if x >= columns[0]] for line in lines]
    assert all(set(v) <= set(columns) for v in values)
    assert any(0 < len(v) < 7 for v in values)  # gaps where cells are empty
    vertical = synth.generate(5, template="2019", layout=Rendering("aligned", vertical=True), style=Style())
    assert re.search(r"\n *结 +结 +其 +尚 +总 +未经复议直接起诉", vertical.text)  # 结果维持 … 总计: one a column


def test_spaced_and_run_together_drop_the_separators():
    s = synth.generate(2, template="2019", layout="spaced", style=Style(blank_zeros=1.0))
    assert re.search(r"\n四、结转下年度继续办理( \d+)*\n", s.text)
    r = synth.generate(2, template="2019", layout="run-together", style=Style(blank_zeros=1.0))
    line = next(x for x in r.text.splitlines() if x.startswith("四、结转下年度继续办理"))
    assert re.fullmatch(r"四、结转下年度继续办理[\d/—无]{7,}", line)  # an empty cell prints as /, — or 无: it is seen


def test_pipe_variants_and_counted_blank_lines():
    """A4: the ``|`` on its own line, empty cells as one ``|||`` line; A5: one more empty line per empty cell."""
    style = Style(blank_zeros=1.0)
    split = synth.generate(3, template="2019", layout=Rendering("pipe", split=True), style=style)
    assert "\n规章\n|\n" in split.text and "\n规章 |\n" in synth.generate(3, template="2019", layout="pipe").text
    run = synth.generate(3, template="2019", layout=Rendering("pipe", empty="run"), style=style)
    after = run.text.split("\n四、结转下年度继续办理 |\n")[1].split("\n四、")[0].splitlines()  # the last row
    empties = sum(v is None for (r, _), v in run.tables.applications.items() if r == "carried_forward")
    assert sum(len(x) for x in after if set(x) == {"|"}) == empties and "|" not in after
    counted = synth.generate(3, template="2019", layout=Rendering("blank-line", counted=True), style=style)
    expect = "四、结转下年度继续办理"
    for _, text in counted.printed["applications"].rows()[max(counted.printed["applications"].rows())]:
        expect += "\n" if not text.strip() else "\n\n" + text
    assert expect + "\n\n四、" in counted.text
    plain = synth.generate(3, template="2019", layout="blank-line", style=style).text
    assert "\n\n\n" not in plain


def test_a_cut_text_ends_inside_its_table():
    """A7: the text stops inside a data row of the table named, keeping at least a character of that row."""
    for seed in range(30):
        s = synth.generate(seed, layout=Rendering("tab-rows", cut=True), style=Style())
        table, row = s.cut
        assert labels.SECTIONS[TABLES.index(table) + 1].zh in s.text and labels.SECTIONS[-1].zh not in s.text
        last = s.text.rsplit("\n", 1)[-1]
        cells = [c.text for c in sorted(s.printed[table].cells, key=lambda c: c.col) if c.row == row]
        assert last and "\t".join(cells).startswith(last.rstrip("\t")) or "\t".join(cells[1:]).startswith(last)
        unread = s.unread()
        assert unread[table] and not any(unread[t] for t in TABLES[:TABLES.index(table)])


@pytest.mark.parametrize("numbering", NUMBERINGS)
def test_headings_in_any_numbering(numbering):
    s = synth.generate(1, layout=Rendering("tabbed", numbering=numbering, mark="## "), style=Style())
    heads = [line for line in s.text.splitlines() if line.startswith("## ")]
    assert len(heads) == (0 if numbering == "none" else 6)
    expect = {"template": "## 三、收到和处理政府信息公开申请情况", "paren": "## （三）收到和处理政府信息公开申请情况",
              "arabic": "## 3.收到和处理政府信息公开申请情况", "bare": "## 收到和处理政府信息公开申请情况"}
    if numbering in expect:
        assert heads[2] == expect[numbering]
    if numbering == "part":
        assert re.fullmatch(r"## 第三部分[ ：]?收到和处理政府信息公开申请情况", heads[2])


def test_seed_layouts_keep_their_text():
    """The renderings' own random choices never move the seed layouts' (their corpora stay as they were)."""
    for layout in LAYOUTS:
        assert synth.generate(5, layout=layout).text == synth.generate(5, layout=Rendering(layout)).text
    with pytest.raises(ValueError, match="unknown layout"):
        Rendering("csv")
    with pytest.raises(ValueError, match="empty"):
        Rendering("pipe-rows", empty="drop")


# Generated reports that once read a wrong number or lost a cell their rendering keeps, each for its own
# reason; they must read right.
ONCE_WRONG = [
    # a row with one blank cell set the column positions of another block's 2-column row
    dict(seed=34304, template="2019", layout=Rendering("aligned", valign="middle", vertical=True, numbering="part"),
         anomaly="appeals_sum", style=Style(money="header_万元", blank_zeros=0.5, typos=True, full_width=False,
                                            wrap=True)),
    # the header's unit stood on its own line under the header: 元 read as 万元
    dict(seed=3359269132, template="2021", layout=Rendering("aligned", valign="middle", vertical=True, mark="**"),
         anomaly="narrative_mismatch", style=Style(money="header_元", changes="words", blank_zeros=1.0)),
    # 采购 joined to the header before it as a near miss, so the amount header lost its (元)
    dict(seed=1676814981, template="2019", layout=Rendering("blank-line", numbering="none", mark="## ", cut=True),
         style=Style(money="header_元", changes="words", typos=True, wrap=True)),
    # counted blank lines whose only empty cell ends table 二: its gap before 三's heading was not counted (NA)
    dict(seed=61357728, template="2019", layout=Rendering("blank-line", counted=True, numbering="part"),
         anomaly="appeals_sum", style=Style(money="万元", changes="words", blank_zeros=0.3, typos=True,
                                            full_width=False, wrap=True, vertical=True, padding=True)),
]


@pytest.mark.parametrize("case", ONCE_WRONG)
def test_reports_that_once_read_a_wrong_or_lost_number(case):
    s = synth.generate(case["seed"], template=case["template"], layout=case["layout"],
                       anomaly=case.get("anomaly"), style=case["style"])
    check_cells(s, gkdata.read_report(s.data))
