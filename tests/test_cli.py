"""The command line: results on stdout, what went wrong on stderr, and the exit codes (issue #17, items 4 and 6).

click >= 8.2: ``result.stdout`` and ``result.stderr`` are apart (``result.output`` mixes them).
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import json
import os
import re
import subprocess
import sys
from collections import Counter
from decimal import Decimal

import pandas as pd
import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

import gkdata
from gkdata import batch, cli, corpus, findings, store, tables
from gkdata.cli import app

from conftest import RAW, SEEDS, expected

runner = CliRunner()
ALI = SEEDS["004"]  # 阿里地区 2020: 7 errors (balance, row_sum), a 5-digit amount 11212.974705万
HUINING = SEEDS["003"]  # 会宁县 2020: no findings, 131483 and 11492 decisions
KAIYANG = SEEDS["001"]  # 开阳县 2019: dropped empty cells in four rows of table 三


def invoke(*args: str, **env: str | None):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": None, **env})


# -- a missing path fails loudly, naming it ----------------------------------------------------------------


def test_read_reports_of_a_missing_path_raises_naming_it(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(FileNotFoundError, match=re.escape(f"no such file or folder: '{missing}'")) as e:
        gkdata.read_reports(missing)
    assert e.value.filename == str(missing)
    with pytest.raises(FileNotFoundError, match="nope.txt"):  # one missing among files: nothing is read
        gkdata.read_reports([ALI, tmp_path / "nope.txt"])
    # a link to nothing exists: it is a file that cannot be read, a failed row
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    reports = gkdata.read_reports(tmp_path / "raw").reports
    assert reports["status"].tolist() == ["failed"] and "No such file" in reports["error"].item()


@pytest.mark.parametrize("args", [
    ("show", "{missing}"),
    ("check", ALI, "{missing}"),  # checked before any file is read: nothing on stdout
    ("excel", "{out}", "--from", "{missing}"),
])
def test_a_missing_path_is_an_error_on_stderr_with_exit_2(tmp_path, args):
    missing, out = tmp_path / "MISSING", tmp_path / "out.xlsx"
    result = invoke(*(str(a).format(missing=missing, out=out) for a in args))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error ") and f"{missing}: no such file" in result.stderr
    assert not out.exists()  # no workbook of one "failed" row


def test_an_unreadable_report_is_an_error_on_stderr(tmp_path):
    empty = tmp_path / "[red]empty.txt"  # rich markup in a name is printed as it is
    empty.write_bytes(b"")
    result = invoke("show", empty)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error {empty}: the file is empty\n"
    result = invoke("check", empty, HUINING)
    assert result.exit_code == 1
    assert result.stderr == f"unreadable {empty}: the file is empty\n"
    assert f"{HUINING} <Report 会宁县 2020 · template 2019 · tabbed · 0 findings>" in result.stdout
    assert "2 files · 1 read · 1 unreadable · 0 with errors · findings: 0 error, 0 warning, 0 info" in result.stdout


def test_a_build_error_is_on_stderr_only(tmp_path):
    result = invoke("build", tmp_path / "nope", tmp_path / "out")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error {tmp_path / 'nope'}: no such folder of reports\n"


# -- check: a summary, --errors-only, --format json ------------------------------------------------------


def _seed_findings() -> dict[str, list]:
    return {str(p): gkdata.read_report(p).finding_records for p in SEEDS.values()}


def _severities() -> Counter:
    return Counter(f.severity for found in _seed_findings().values() for f in found)


def test_check_ends_with_a_summary_of_all_files():
    result = invoke("check", *SEEDS.values())
    assert result.exit_code == 1 and result.stderr == ""  # 阿里地区 has errors
    lines = result.stdout.splitlines()
    n = _severities()
    assert n["error"] == 7  # report-format.md §8: 阿里地区's table 三, 3 balance and 4 row_sum
    at = lines.index("5 files · 5 read · 0 unreadable · 1 with errors · findings: "
                     f"7 error, {n['warning']} warning, {n['info']} info")
    counts = Counter(f.check for found in _seed_findings().values() for f in found)
    assert counts["row_sum"] == 4 and counts["balance"] == 3
    summary = [line.split() for line in lines[at + 1:]]
    assert [(check, int(n)) for n, _, check in summary] == sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    assert summary[0] == ["4", "error", "row_sum"] and ["1", "warning", "ambiguous_columns"] in summary
    # each file's findings before it, 开阳县's dropped cells as one finding naming its four rows
    assert [line for line in lines if line.startswith("  warning ambiguous_columns")] == [
        "  warning ambiguous_columns          表三 本年新收申请数量: 3 cells for 7 columns ('9' '1' '10'), the last, 10, "
        "equals the sum of the others and is kept as 总计 · 表三 予以公开: 3 cells for 7 columns ('7' '1' '8'), the "
        "last, 8, equals the sum of the others and is kept as 总计 · 表三 属于三类内部事务信息: 2 cells for 7 columns "
        "('2' '2'), the last, 2, equals the sum of the others and is kept as 总计 · 表三 办理结果总计: 3 cells for 7 "
        "columns ('9' '1' '10'), the last, 10, equals the sum of the others and is kept as 总计 — empty cells were "
        "dropped, so which columns they belong to is unknown"]


def test_check_without_errors_exits_0():
    result = invoke("check", HUINING, SEEDS["000"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        "2 files · 2 read · 0 unreadable · 0 with errors · findings: 0 error, 0 warning, 0 info")


def test_check_errors_only_prints_the_error_findings_and_the_summary():
    result = invoke("check", "--errors-only", *SEEDS.values())
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{ALI} <Report 阿里地区 2020 · template 2019 · pipe · 8 findings, 7 errors>"
    errors = [f for f in gkdata.read_report(ALI).finding_records if f.severity == "error"]
    assert len(lines[1:8]) == len(errors) == 7
    for line, f in zip(lines[1:8], errors):
        assert line.split()[:2] == ["error", f.check] and line.endswith(f.message)
    assert "671" in lines[7]  # row_sum: 办理结果总计 is 671, but the 19 result rows above it add up to 653
    assert lines[8].startswith("5 files · 5 read · 0 unreadable · 1 with errors")  # the summary counts all
    assert not any(s in result.stdout for s in ("开阳县", "  warning", "  info"))


def test_check_json_is_one_document_of_every_file_and_the_summary(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("会议纪要：本周无事。\n", encoding="utf-8")
    result = invoke("check", "--format", "json", *SEEDS.values(), bad)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)  # stdout holds the document only
    assert result.stderr.startswith(f"unreadable {bad}: no numbered sections")
    assert [f["path"] for f in doc["files"]] == [*map(str, SEEDS.values()), str(bad)]
    assert doc["files"][-1] == {"path": str(bad), "error": corpus.read_one(bad).error}
    by_path = {f["path"]: f for f in doc["files"][:-1]}
    assert by_path[str(ALI)]["report"] == {"region": "阿里地区", "year": 2020, "template": "2019", "layout": "pipe",
                                           "is_template": False, "findings": 8, "errors": 7}
    assert by_path[str(SEEDS["002"])]["report"]["is_template"] is True
    for path, found in _seed_findings().items():
        assert by_path[path]["findings"] == [f._asdict() for f in found]
    balance = [f for f in by_path[str(ALI)]["findings"] if f["check"] == "balance" and f["column"] == "total"]
    assert [(f["row"], f["expected"], f["actual"]) for f in balance] == [("results_total", 18, 671)]
    amb = [f for f in by_path[str(KAIYANG)]["findings"] if f["check"] == "ambiguous_columns"]
    assert [(f["table"], f["row"]) for f in amb] == [("applications", "new_received")]
    assert tables.ambiguous_rows(findings.Finding(**amb[0])) == (
        "new_received", "granted", "denied_internal_affairs", "results_total")
    n = _severities()
    by_check = Counter(f.check for found in _seed_findings().values() for f in found)
    assert doc["summary"] == {
        "files": 6, "read": 5, "unreadable": 1, "with_errors": 1, "errors": 7, "warnings": n["warning"],
        "info": n["info"], "by_check": dict(sorted(by_check.items(), key=lambda kv: (-kv[1], kv[0])))}
    assert list(doc["summary"]["by_check"].items())[:2] == [("row_sum", 4), ("balance", 3)]  # most frequent first
    assert {k: by_check[k] for k in ("ambiguous_columns", "empty_table", "published_exceeds_total",
                                     "unfilled_template", "assumed_unit")} == dict.fromkeys(
        ("ambiguous_columns", "empty_table", "published_exceeds_total", "unfilled_template", "assumed_unit"), 1)


def test_check_json_errors_only():
    result = invoke("check", "--format", "json", "--errors-only", *SEEDS.values())
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert [f["path"] for f in doc["files"]] == [str(ALI)]
    assert Counter(f["check"] for f in doc["files"][0]["findings"]) == {"row_sum": 4, "balance": 3}
    assert doc["summary"]["warnings"] == _severities()["warning"] >= 4  # the summary still counts every finding


# -- show: the terminal's width, no number or label cut ----------------------------------------------------


NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def _transcribed(seed: str) -> list[Decimal]:
    """Every number of a seed's three tables, from its hand transcription (tests/expected)."""
    exp = expected(seed)
    values = [v for ms in exp["disclosure"].values() for v in ms.values()]
    values += [v for t in ("applications", "appeals") for vs in exp[t].values() for v in vs]
    return sorted(Decimal(str(v)) for v in values if v is not None)


def _table_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line[:1] in "┏┃┡│└"]


def _shown_numbers(out: str) -> list[Decimal]:
    """The numbers in the tables' cells, each read whole (thousands separators dropped)."""
    cells = [c.strip() for line in _table_lines(out) if line.startswith("│") for c in line.strip("│").split("│")[1:]]
    assert all(NUMBER.fullmatch(c) for c in cells if c), [c for c in cells if c and not NUMBER.fullmatch(c)]
    return sorted(Decimal(c.replace(",", "")) for c in cells if c)


def _label_column(out: str) -> str:
    """The row labels, their folded lines joined."""
    return "".join(line.split("│")[1].strip() for line in _table_lines(out) if line.startswith("│"))


@pytest.mark.parametrize("seed", ["004", "003"])
@pytest.mark.parametrize("width", [80, 60, 200])
def test_show_fits_the_width_and_cuts_no_number_nor_label(seed, width):
    result = invoke("show", SEEDS[seed], COLUMNS=str(width))
    assert result.exit_code == 0 and result.stderr == ""
    out = result.stdout
    assert max(cell_len(line) for line in _table_lines(out)) <= width
    assert "…" not in out
    assert _shown_numbers(out) == _transcribed(seed)  # 11,212.974705 and 131,483 whole, every other one too
    report = gkdata.read_report(SEEDS[seed])
    parts = out.count("（续）")  # a table too wide is printed in parts, each with the row labels
    labels = "".join("".join(map(str, report.wide(t, lang="zh").index)) * (1 + out.count(f"{title}（续）"))
                     for t, title in cli.TITLES.items())
    assert _label_column(out) == labels
    assert (parts == 0) == (width == 200)


def test_show_at_80_columns_folds_labels_and_splits_table_two():
    out = invoke("show", ALI, COLUMNS="80").stdout
    assert out.count("二、主动公开政府信息情况（续）") == 1 and "三、收到和处理政府信息公开申请情况（续）" not in out
    assert "│ 政府集中采购         │        │     79 │ 11,212.974705 │" in out
    rows = _table_lines(out)
    at = next(i for i, line in enumerate(rows) if "要求行政机关确认或" in line)  # folded onto a second line
    assert rows[at].split("│")[-2:] == ["    0 ", ""] and "出具已获取信息" in rows[at + 1]


def test_show_piped_keeps_whole_labels_on_one_line():
    out = invoke("show", ALI).stdout  # no terminal, no COLUMNS: 200 columns
    report = gkdata.read_report(ALI)
    lines = _table_lines(out)
    for t in cli.TITLES:
        for label in map(str, report.wide(t, lang="zh").index):
            assert any(line.startswith(f"│ {label} ") for line in lines), label


# -- build --jobs, synth --n ---------------------------------------------------------------------------------


def test_jobs_above_the_cpus_here_are_capped_with_a_warning(tmp_path, monkeypatch):
    cpus = len(os.sched_getaffinity(0))
    used = []
    real = batch.build

    def spy(raw, out, jobs, *args, **kwargs):
        used.append(jobs)
        return real(raw, out, jobs, *args, **kwargs)

    monkeypatch.setattr(batch, "build", spy)
    result = invoke("build", RAW, tmp_path / "out", "--jobs", "999")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"warning --jobs 999 is more than the {cpus} CPUs here; parsing in {cpus}\n"
    assert used == [cpus]
    assert result.stdout.startswith("5 files · 5 ok · 0 failed")
    result = invoke("build", RAW, tmp_path / "out", "--jobs", str(cpus))
    assert result.exit_code == 0 and result.stderr == "" and used == [cpus, cpus]


@pytest.mark.parametrize("n", ["0", "-5"])
def test_synth_refuses_fewer_than_one_report(tmp_path, n):
    result = invoke("synth", "--n", n, tmp_path / "s")
    assert result.exit_code == 2 and result.stdout == ""
    assert "--n" in result.stderr
    assert not (tmp_path / "s").exists()


# -- README and docs: a newcomer's way in ----------------------------------------------------------------------


ROOT = RAW.parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_link_points_to_a_file_in_the_repository(doc):
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8"))
    local = [link for link in links if not re.match(r"[a-z]+://", link)]
    for link in local:
        target = (doc.parent / link).resolve()
        assert target.is_relative_to(ROOT) and target.exists(), f"{doc.name}: {link}"
    assert "../shared" not in doc.read_text(encoding="utf-8")
    if doc.name == "README.md":
        assert {"docs/data-model.md", "docs/report-format.md"} <= set(local)


def test_readme_setup_names_python_and_a_venv_and_keeps_its_two_commands():
    setup = (ROOT / "README.md").read_text(encoding="utf-8").split("## Setup", 1)[1].split("\n## ", 1)[0]
    assert "Python 3.11 or newer" in setup
    blocks = re.findall(r"```bash\n(.*?)\n```", setup, re.S)
    assert blocks == ["python3 -m venv .venv && . .venv/bin/activate", "pip install -e . && gkdata build",
                      'pip install -e ".[test]" && pytest']


def test_the_data_model_names_every_column_of_every_table():
    text = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    for table, columns in corpus.TABLE_COLUMNS.items():
        assert f"`{table}`" in text
        for column, _ in columns:
            assert f"`{column}`" in text, (table, column)
    for check in findings.CHECKS:
        assert f"| `{check}` |" in text, check
    for field in dataclasses.fields(gkdata.ReportMeta):
        assert f"`{field.name}`" in text, field.name


# -- fast start: show and check without typer or pandas, the same output (issue #19, items 3 and 4) ------------


PLAIN = [("show", ALI), ("check", *SEEDS.values()), ("check", "--errors-only", *SEEDS.values()),
         ("check", *SEEDS.values(), "--format=JSON"), ("show", "{missing}")]


@pytest.mark.parametrize("args", PLAIN, ids=["show", "check", "check-errors-only", "check-json", "show-missing"])
def test_the_gkdata_program_prints_what_the_typer_app_prints(args, capsys, monkeypatch, tmp_path):
    args = [str(a).format(missing=tmp_path / "MISSING") for a in args]
    monkeypatch.setenv("COLUMNS", "80")
    assert cli._plain(args) is not None  # read without typer
    code = cli.main(args)
    out, err = capsys.readouterr()
    typed = invoke(*args, COLUMNS="80")
    assert (code, out, err) == (typed.exit_code, typed.stdout, typed.stderr)
    assert code == (2 if "MISSING" in args[-1] else 0 if args[0] == "show" else 1)


def test_show_and_check_import_neither_pandas_nor_typer():
    code = f"""
import contextlib, io, sys
from gkdata import cli
with contextlib.redirect_stdout(io.StringIO()) as out:
    codes = cli.main(["show", {str(ALI)!r}]), cli.main(["check", "--format", "json", {str(ALI)!r}])
assert codes == (0, 1) and "11,212.974705" in out.getvalue(), (codes, out.getvalue()[-300:])
heavy = sorted({{"pandas", "numpy", "pyarrow", "pandera", "typer", "click"}} & set(sys.modules))
assert not heavy, heavy
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_plain_commands_take_typers_defaults_and_leave_the_rest_to_it():
    from typer.main import get_command

    typed = get_command(app).commands
    for name, (command, _, options) in cli._COMMANDS.items():
        defaults = {p: v.default for p, v in inspect.signature(command).parameters.items()
                    if v.default is not inspect.Parameter.empty}
        params = {p.name: p for p in typed[name].params}
        assert {p: (params[p].default.value if isinstance(params[p].default, enum.Enum) else params[p].default)
                for p in defaults} == defaults, name
        assert {o for p in params.values() for o in p.opts if o.startswith("-")} == set(options), name
    assert cli.main(["build", "--jobs", "0"]) == 2  # out of range: typer says so


@pytest.mark.parametrize("statistics", [True, False])
def test_load_finds_an_empty_key_from_the_files_statistics_or_its_rows(tmp_path, statistics):
    out = tmp_path / "out"
    gkdata.build(RAW, out)
    assert gkdata.load(out, validate=True).appeals.equals(gkdata.load(out).appeals)
    path = out / "appeals.parquet"
    df = pd.read_parquet(path)
    df.loc[3, "report_id"] = pd.NA
    df.to_parquet(path, index=False, write_statistics=statistics)
    for validate in (False, True):
        with pytest.raises(store.SchemaError, match=r"appeals\.parquet: .*column 'report_id': not_nullable"):
            gkdata.load(out, validate=validate)
