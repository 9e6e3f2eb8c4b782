"""gkdata.build / gkdata.load: statuses, interruption, determinism, cache, executors, schema, CLI.

The inputs are the real seeds plus a news article, an empty, a binary, a
duplicated file and one in a format that is not read; every assertion is about values read from them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import gkdata
from gkdata import batch, corpus_checks, serial, store, synth
from gkdata.cli import app
from gkdata.corpus import TABLE_COLUMNS, Result, find_inputs, input_names

from conftest import RAW, ROOT, SEEDS

DATA_FILES = sorted(f"{t}.{ext}" for t in store.TABLES for ext in ("parquet", "csv"))


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """Seeds in two sub-folders, a duplicate, three files that are no report, a file in a format that is not
    read, and files that are not inputs (hidden, and another build's output)."""
    raw = tmp_path_factory.mktemp("mixed") / "raw"
    for seed, folder in (("000", "2019"), ("002", "2019"), ("001", "2020"), ("003", "2020"), ("004", "2020")):
        (raw / folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(SEEDS[seed], raw / folder / SEEDS[seed].name)
    shutil.copy(SEEDS["003"], raw / "2020" / "copy_of_003.txt")
    (raw / "bad").mkdir()
    (raw / "bad" / "news.txt").write_text("县政府召开常务会议\n\n会议研究了春耕生产工作。\n", encoding="utf-8")
    (raw / "bad" / "empty.txt").write_bytes(b"")
    (raw / "bad" / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (raw / "notes.md").write_text("not a report", encoding="utf-8")
    (raw / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")  # hidden: not an input
    (raw / ".git").mkdir()
    (raw / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (raw / "old_build").mkdir()  # a build output: not an input
    for name in ("manifest.json", "reports.parquet", "reports.csv"):
        (raw / "old_build" / name).write_bytes(b"{}")
    for f in raw.rglob("*"):
        f.chmod(0o444 if f.is_file() else 0o755)
    return raw


@pytest.fixture(scope="module")
def seeds_built(tmp_path_factory) -> Path:
    """data/raw built once; tests that change an OUT work on a copy (see :func:`copy_of`)."""
    out = tmp_path_factory.mktemp("seeds") / "out"
    gkdata.build(RAW, out)
    return out


def copy_of(out: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(out, tmp_path / "out"))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder (cache and manifest included) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def data_bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in DATA_FILES}


def leftovers(out: Path) -> list[str]:
    """What a build left beside OUT, but for its lock file (kept: removing it would race with the next build)."""
    return sorted(p.name for p in out.parent.iterdir()
                  if p.name.startswith(f".{out.name}.") and p.name != f".{out.name}.lock")


# -- statuses: nothing lost, the batch goes on ------------------------------------------------


def test_mixed_folder_gives_a_row_per_file_with_its_status(mixed, tmp_path):
    built = gkdata.build(mixed, tmp_path / "out")
    r = built.corpus.reports.set_index("path")
    assert r.index.tolist() == ["2019/000_83d950f2ae04f609.txt", "2019/002_b2d2c71bcc05c0a2.txt",
                                "2020/001_d822c2f35621c521.txt", "2020/003_e0c0fba79554bc10.txt",
                                "2020/004_8b07afbb35c54ec3.txt", "2020/copy_of_003.txt",
                                "bad/binary.txt", "bad/empty.txt", "bad/news.txt", "notes.md"]
    assert r["status"].value_counts().to_dict() == {"ok": 5, "failed": 3, "duplicate": 1, "unsupported": 1}
    for path, row in r.iterrows():
        data = (mixed / path).read_bytes()
        assert (row["size"], row["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert r.loc["2020/004_8b07afbb35c54ec3.txt", ["region", "year", "layout", "errors"]].tolist() == \
        ["阿里地区", 2020, "pipe", 7]
    # failed rows carry the ReportError's reason, read from the same file
    for path in ("bad/binary.txt", "bad/empty.txt", "bad/news.txt"):
        with pytest.raises(gkdata.ReportError) as e:
            gkdata.read_report(mixed / path)
        assert r.loc[path, "error"] == e.value.reason
    assert r.loc["bad/empty.txt", "error"] == "the file is empty"
    assert r.loc["bad/news.txt", "error"].startswith("no numbered sections")
    dup = r.loc["2020/copy_of_003.txt"]
    assert (dup["status"], dup["error"], dup["region"]) == ("duplicate", "same content as an earlier file", "会宁县")
    assert dup["report_id"] == r.loc["2020/003_e0c0fba79554bc10.txt", "report_id"]
    # a file the user put there in a format that is not read: a row with the reason, no report, no tables
    notes = r.loc["notes.md"]
    assert (notes["status"], notes["error"]) == (
        "unsupported", "not a report format gkdata reads (.md); it reads .txt, .pdf, .docx, .html, .htm, .shtml, .xhtml, "
                       ".zip (its members), and .doc, .wps, .xls, .et with LibreOffice")
    assert notes[["report_id", "region", "year", "errors"]].isna().all()
    assert str(built).startswith("10 files · 5 ok · 3 failed · 1 duplicate · 1 unsupported · 0 from cache")
    assert repr(gkdata.read_reports(mixed)) == "<Corpus 10 files · 5 reports · 3 failed · 1 unsupported>"
    pd.testing.assert_series_equal(gkdata.read_reports(mixed).reports["status"], built.corpus.reports["status"])
    # the per-report tables hold each ok report once, and its numbers as read alone
    apps = built.corpus.applications
    assert apps.groupby("report_id").size().to_dict() == {rid: 161 for rid in r.loc[r["status"] == "ok", "report_id"]}
    ali = apps[apps["region"] == "阿里地区"].drop(columns=["report_id", "region", "year"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(ali, gkdata.read_report(SEEDS["004"]).applications)


def test_shipped_seeds_build_with_the_cli(tmp_path):
    out = tmp_path / "processed"
    result = CliRunner().invoke(app, ["build", str(RAW), str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "5 files · 5 ok · 0 failed · 0 duplicate · 0 unsupported · 0 from cache · findings: 7 error,")
    c = gkdata.load(out)
    template = c.reports[c.reports["is_template"]]
    assert template["region"].tolist() == ["卞路口乡"]
    f = c.findings[c.findings["report_id"] == template["report_id"].item()]
    assert "unfilled_template" in f["check"].tolist()
    assert c.reports["path"].tolist() == sorted(p.name for p in SEEDS.values())  # relative to RAW


def test_cli_help_and_errors(tmp_path):
    runner = CliRunner()
    assert "gkdata build data/raw data/processed --jobs 2" in runner.invoke(app, ["build", "--help"]).output
    assert "Examples: gkdata build" in runner.invoke(app, ["--help"]).output
    result = runner.invoke(app, ["build", str(tmp_path / "nope"), str(tmp_path / "out")])
    assert result.exit_code == 2 and "nope: no such folder of reports" in result.output
    result = runner.invoke(app, ["build", str(RAW), str(RAW / "out")])
    assert result.exit_code == 2 and "must be outside the reports folder" in result.output


# -- load: same tables, same dtypes, checked ------------------------------------------------


def test_load_gives_back_the_built_tables_with_their_dtypes(mixed, tmp_path):
    built = gkdata.build(mixed, tmp_path / "out")
    loaded = gkdata.load(tmp_path / "out")
    for table, columns in TABLE_COLUMNS.items():
        pd.testing.assert_frame_equal(loaded.tables[table], built.corpus.tables[table], check_exact=True)
        assert [(c, str(t)) for c, t in loaded.tables[table].dtypes.items()] == \
            [(c, str(pd.api.types.pandas_dtype(t))) for c, t in columns]
    assert loaded.applications["row"].cat.ordered
    raw_csv = (tmp_path / "out" / "reports.csv").read_bytes()
    assert raw_csv.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with a BOM
    csv = pd.read_csv(tmp_path / "out" / "reports.csv", encoding="utf-8-sig")
    assert csv.loc[csv["region"] == "阿里地区", "errors"].tolist() == [7]


@pytest.mark.parametrize("table, column, spoil, message", [
    ("reports", "status", lambda df: df.assign(status="weird"), "isin"),
    ("applications", "value", lambda df: df.assign(value=df["value"].astype("float64")), "dtype must be"),
    ("appeals", "outcome", lambda df: df.assign(outcome=df["outcome"].astype("string")), "dtype must be"),
    ("findings", "message", lambda df: df.drop(columns="message"), "column_in_dataframe"),
])
def test_load_names_the_file_and_column_of_a_schema_violation(seeds_built, tmp_path, table, column, spoil, message):
    out = copy_of(seeds_built, tmp_path)
    path = out / f"{table}.parquet"
    spoil(pd.read_parquet(path)).to_parquet(path, index=False)
    with pytest.raises(store.SchemaError, match=rf"{table}\.parquet: .*column '{column}': .*{message}"):
        gkdata.load(out)


def test_load_of_a_missing_or_broken_table(seeds_built, tmp_path):
    out = copy_of(seeds_built, tmp_path)
    (out / "narrative.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(store.SchemaError, match=r"narrative\.parquet: not a readable Parquet file"):
        gkdata.load(out)
    (out / "narrative.parquet").unlink()
    with pytest.raises(FileNotFoundError, match=r"narrative\.parquet: no such table"):
        gkdata.load(out)


# -- determinism and executors ----------------------------------------------------------------


def test_same_inputs_give_the_same_bytes_whatever_the_executor_or_location(mixed, tmp_path):
    from distributed import LocalCluster

    elsewhere = tmp_path / "deeper" / "copy"
    shutil.copytree(mixed, elsewhere)
    serial = gkdata.build(mixed, tmp_path / "serial")
    gkdata.build(elsewhere, tmp_path / "processes", jobs=2)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        gkdata.build(mixed, tmp_path / "dask", executor="dask", scheduler=cluster.scheduler_address)
    expected = data_bytes(tmp_path / "serial")
    assert serial.from_cache == 0 and len(expected) == 12
    for out in ("processes", "dask"):
        assert data_bytes(tmp_path / out) == expected, out
    gkdata.build(mixed, tmp_path / "serial")  # again, from the cache
    assert data_bytes(tmp_path / "serial") == expected


def test_bad_arguments_are_refused_before_anything_is_written(tmp_path):
    with pytest.raises(ValueError, match="executor must be one of processes, dask, not 'spark'"):
        gkdata.build(RAW, tmp_path / "out", executor="spark")
    with pytest.raises(ValueError, match="jobs must be at least 1"):
        gkdata.build(RAW, tmp_path / "out", jobs=0)
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match=r"empty: no input files \(\.txt"):
        gkdata.build(tmp_path / "empty", tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]


def test_a_cut_off_report_builds_as_ok_with_its_truncated_finding(tmp_path):
    (tmp_path / "raw").mkdir()
    text = SEEDS["004"].read_text(encoding="utf-8")
    (tmp_path / "raw" / "cut.txt").write_text(text[: text.index("(六)其他处理 |")], encoding="utf-8")
    corpus = gkdata.build(tmp_path / "raw", tmp_path / "out").corpus
    assert corpus.reports["status"].tolist() == ["ok"]
    cut = corpus.findings[corpus.findings["check"] == "truncated"]
    assert cut[["table", "row"]].values.tolist() == [["applications", "not_processed_excessive"]]
    granted = corpus.applications.set_index(["row", "applicant"]).loc[("granted", "other_org"), "value"]
    assert granted == 16  # a row before the cut, as printed


def test_office_and_archive_files_get_unsupported_rows_with_the_reason(tmp_path, monkeypatch):
    # without LibreOffice (.doc and .wps with it, and .zip members: tests/test_legacy_and_archives.py)
    monkeypatch.setenv("PATH", os.pathsep.join(d for d in os.environ["PATH"].split(os.pathsep)
                                               if d and not os.path.exists(os.path.join(d, "soffice"))))
    raw = tmp_path / "raw"
    (raw / "2021").mkdir(parents=True)
    shutil.copy(SEEDS["004"], raw / "2021" / SEEDS["004"].name)
    files = {"2021/report.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,  # an OLE2 (Word 97) file
             "2021/report.wps": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 504,
             "reports.RAR": b"Rar!\x1a\x07\x00" + b"\x00" * 18,  # a RAR archive
             "README": b"what is in this folder"}
    for name, data in files.items():
        (raw / name).write_bytes(data)
    built = gkdata.build(raw, tmp_path / "out")
    r = built.corpus.reports.set_index("path")
    assert r.index.tolist() == ["2021/004_8b07afbb35c54ec3.txt", "2021/report.doc", "2021/report.wps", "README",
                                "reports.RAR"]
    assert r["error"].drop("2021/004_8b07afbb35c54ec3.txt").to_dict() == {
        "2021/report.doc": gkdata.formats.legacy.missing("report.doc") + " (not read)",
        "2021/report.wps": gkdata.formats.legacy.missing("report.wps") + " (not read)",
        "README": "not a report format gkdata reads (no suffix); it reads .txt, .pdf, .docx, .html, .htm, .shtml, "
                  ".xhtml, .zip (its members), and .doc, .wps, .xls, .et with LibreOffice",
        "reports.RAR": "an archive: unpack it (not read)"}
    assert r.loc["2021/report.doc", "error"].startswith("a Word 97 .doc file: gkdata reads it with LibreOffice, which "
                                                        "is not installed (no soffice on PATH): install it")
    assert r["status"].value_counts().to_dict() == {"unsupported": 4, "ok": 1}
    for name, data in files.items():  # hashed and sized as they are, but no report
        assert (r.loc[name, "size"], r.loc[name, "sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert r.loc[list(files), "report_id"].isna().all()
    assert set(built.corpus.applications["report_id"]) == {r.loc["2021/004_8b07afbb35c54ec3.txt", "report_id"]}
    assert str(built).startswith("5 files · 1 ok · 0 failed · 0 duplicate · 4 unsupported · 0 from cache")
    assert len(cache_entries(tmp_path / "out")) == 1  # not cached
    # load gives the status back through the schema; read_reports gives the same rows
    loaded = gkdata.load(tmp_path / "out")
    pd.testing.assert_frame_equal(loaded.reports, built.corpus.reports, check_exact=True)
    memory = gkdata.read_reports(raw).reports
    pd.testing.assert_frame_equal(memory.drop(columns="path"), loaded.reports.drop(columns="path"), check_exact=True)
    first = data_bytes(tmp_path / "out")
    again = gkdata.build(raw, tmp_path / "out", jobs=2)
    assert again.from_cache == 1 and data_bytes(tmp_path / "out") == first
    # only files in formats that are not read is still a build, of unsupported rows
    only = tmp_path / "only"
    only.mkdir()
    (only / "a.doc").write_bytes(files["2021/report.doc"])
    assert gkdata.build(only, tmp_path / "only_out").corpus.reports["status"].tolist() == ["unsupported"]
    assert gkdata.load(tmp_path / "only_out").applications.empty


def test_a_build_of_only_unreadable_files_has_empty_tables_that_load(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "empty.txt").write_bytes(b"")
    (tmp_path / "raw" / "news.txt").write_text("县政府召开常务会议。", encoding="utf-8")
    built = gkdata.build(tmp_path / "raw", tmp_path / "out")
    assert built.corpus.reports["status"].tolist() == ["failed", "failed"]
    loaded = gkdata.load(tmp_path / "out")
    for t, columns in TABLE_COLUMNS.items():
        assert loaded.tables[t].dtypes.tolist() == [pd.api.types.pandas_dtype(d) for _, d in columns], t
    assert loaded.applications.empty and loaded.findings.empty


def test_a_build_in_chunks_writes_the_tables_of_one_pass(mixed, tmp_path, monkeypatch):
    """A large build hands its tables on every CHUNK reports; the tables are those of the corpus in memory."""
    one = gkdata.build(mixed, tmp_path / "one")
    monkeypatch.setattr(gkdata.corpus, "CHUNK", 2)
    chunks = gkdata.build(mixed, tmp_path / "chunks")
    assert pq.ParquetFile(tmp_path / "chunks" / "applications.parquet").num_row_groups == 3  # 5 reports
    memory = gkdata.read_reports(mixed).tables
    for t in store.TABLES:
        assert (tmp_path / "chunks" / f"{t}.csv").read_bytes() == (tmp_path / "one" / f"{t}.csv").read_bytes(), t
        pd.testing.assert_frame_equal(chunks.corpus.tables[t], one.corpus.tables[t], check_exact=True)
        if t != "reports":  # whose paths read_reports gives as it was passed them, not relative to RAW
            pd.testing.assert_frame_equal(chunks.corpus.tables[t], memory[t], check_exact=True)
    assert len(chunks.corpus.findings) > len(memory["findings"][memory["findings"]["check"] == "balance"]) > 0


@pytest.fixture(scope="module")
def histories(tmp_path_factory) -> Path:
    """40 generated reports of publishers with 1–5 years each, half with an anomaly (manifest.jsonl says which)."""
    raw = tmp_path_factory.mktemp("histories")
    synth.write_corpus(raw, 40, seed=7, anomaly_rate=0.5, renderings=("tabbed",))
    return raw


def test_cross_report_checks_bucket_by_bucket_find_what_the_corpus_holds(histories, monkeypatch):
    """The checks of a publisher's years run on one bucket of histories at a time: with a bucket per 3 reports,
    their findings handed on 2 at a time, they find what one bucket finds, the carry-over breaks the generator
    planted, and year-over-year jumps against the median of the publisher's earlier years, recomputed here
    from the long tables."""
    manifest = [json.loads(line) for line in (histories / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    planted = sorted((m["file"], e[3]) for m in manifest for e in m["expected"] if e[0] == "carry_over_mismatch")
    one = gkdata.read_reports(histories)
    monkeypatch.setattr(corpus_checks, "BUCKET", 3)
    many = gkdata.read_reports(histories)
    assert corpus_checks.CrossReport(histories, len(many.reports)).buckets == 14
    pd.testing.assert_frame_equal(many.findings, one.findings, check_exact=True)
    monkeypatch.setattr(corpus_checks, "SLICE", 2)
    pd.testing.assert_frame_equal(gkdata.read_reports(histories).findings, one.findings, check_exact=True)
    f, r = many.findings, many.reports
    path = dict(zip(r["report_id"], r["path"].map(lambda p: Path(p).name)))
    carry = f[f["check"] == "carry_over_mismatch"]
    assert planted and sorted(zip(carry["report_id"].map(path), carry["column"])) == planted
    yoy = f[f["check"] == "year_over_year"]
    assert len(yoy) >= 5
    place = r.set_index("report_id")["adcode"]
    cells = pd.concat([many.applications.rename(columns={"applicant": "column"}),
                       many.disclosure.rename(columns={"item": "row", "measure": "column"})])
    cells = cells.assign(place=cells["report_id"].map(place))
    for _, hit in yoy.iterrows():
        same = cells[(cells["place"] == place[hit["report_id"]]) & (cells["row"] == hit["row"])
                     & (cells["column"] == hit["column"])]
        assert same.loc[same["report_id"] == hit["report_id"], "value"].tolist() == [hit["actual"]]
        assert same.loc[same["year"] < hit["year"], "value"].median() == hit["expected"]


def test_the_main_process_takes_its_workers_results_as_they_come(mixed, tmp_path, monkeypatch):
    """A cold build decodes nothing in its main process (the workers' results are appended as sent, their
    cache bytes only stored); what the cache gives back is decoded and checked."""
    load = serial.load
    monkeypatch.setattr(serial, "load", lambda blob: pytest.fail("a worker's result decoded in the main process"))
    built = gkdata.build(mixed, tmp_path / "out", jobs=2)
    assert (built.from_cache, built.status) == (0, {"ok": 5, "failed": 3, "duplicate": 1, "unsupported": 1})
    decoded = []
    monkeypatch.setattr(serial, "load", lambda blob: decoded.append(blob) or load(blob))
    assert gkdata.build(mixed, tmp_path / "out", jobs=2).from_cache == len(decoded) == 9


def test_input_names_are_in_the_order_of_paths(tmp_path):
    """A build lists its inputs as texts, in the order find_inputs gives Paths (part by part, not as text:
    ``a/b`` before ``a-b``), without hidden files, build outputs, or folders behind links."""
    for name in ("a/b.txt", "a-b.txt", "a.txt", "a/c/d.txt", "b.txt", ".hidden/x.txt", "a/.DS_Store",
                 "old/manifest.json", "old/reports.parquet", "Z.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)
    names = input_names(tmp_path)
    assert names == ["Z.txt", "a/b.txt", "a/c/d.txt", "a-b.txt", "a.txt", "b.txt"]
    assert [tmp_path / n for n in names] == find_inputs(tmp_path) == sorted(tmp_path / n for n in names)


# -- cache ----------------------------------------------------------------------------------------


def test_cache_reparses_only_what_changed(mixed, tmp_path, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(mixed, raw)
    assert gkdata.build(raw, out).from_cache == 0
    first = data_bytes(out)
    again = gkdata.build(raw, out)
    assert again.from_cache == 9 and data_bytes(out) == first
    r = again.corpus.reports.set_index("region")

    entries = cache_entries(out)
    assert len(entries) == 8  # one per distinct content: the duplicate shares its original's
    ali = serial.load(entries[r.loc["阿里地区", "sha256"] + ".txt"])
    assert isinstance(ali, Result) and not any(isinstance(v, pd.DataFrame) for v in ali)  # packed columns
    assert ali.meta.region == "阿里地区" and ali.counts[0] == 7  # errors

    changed = raw / "2020" / "004_8b07afbb35c54ec3.txt"
    changed.chmod(0o644)
    changed.write_bytes(changed.read_bytes().replace("阿里地区".encode(), "阿里".encode(), 1))
    with closing(sqlite3.connect(out / ".cache" / f"v{batch.PARSER_VERSION}.sqlite")) as db, db:
        db.execute("UPDATE results SET result = ? WHERE key = ?", (b"damaged", hashlib.sha256(b"").hexdigest() + ".txt"))
    touched = gkdata.build(raw, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    parsed = [p["path"] for p in manifest["parse"] if not p["from_cache"]]
    # notes.md is never parsed nor cached: it is listed, not from the cache, and took no time
    assert touched.from_cache == 7 and parsed == ["2020/004_8b07afbb35c54ec3.txt", "bad/empty.txt", "notes.md"]
    assert manifest["status"] == {"ok": 5, "failed": 3, "duplicate": 1, "unsupported": 1}
    assert touched.corpus.reports["region"].tolist()[4] == "阿里"  # not the cached 阿里地区
    assert len(cache_entries(out)) == 8  # the old content's entry is gone

    (out / ".cache" / f"v{batch.PARSER_VERSION}.sqlite").write_bytes(b"not a database")
    assert gkdata.build(raw, out).from_cache == 0
    monkeypatch.setattr(batch, "PARSER_VERSION", 2)
    assert gkdata.build(raw, out).from_cache == 0
    assert [p.name for p in (out / ".cache").iterdir()] == ["v2.sqlite"]


def cache_entries(out: Path) -> dict[str, bytes]:
    """key -> encoded result (:mod:`gkdata.serial`), from the build cache."""
    with closing(sqlite3.connect(out / ".cache" / f"v{batch.PARSER_VERSION}.sqlite")) as db:
        return dict(db.execute("SELECT key, result FROM results"))


# -- interruption: OUT stays as it was ------------------------------------------------------------


@pytest.mark.parametrize("interrupt", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_an_exception_while_writing_leaves_out_as_it_was(mixed, seeds_built, tmp_path, monkeypatch, interrupt):
    out = copy_of(seeds_built, tmp_path)
    before = snapshot(out)
    written = []

    write = store.Writer.__call__

    def write_then_fail(writer, table, df):
        if written:
            raise interrupt
        written.append(table)
        write(writer, table, df)

    monkeypatch.setattr(store.Writer, "__call__", write_then_fail)
    with pytest.raises(type(interrupt)):
        gkdata.build(mixed, out)
    assert snapshot(out) == before and len(written) == 1
    assert leftovers(out) == []


KILLER = textwrap.dedent("""
    import os, signal, sys
    from gkdata import batch, corpus_checks, serial, store, synth

    raw, out, when = sys.argv[1:]
    kill = lambda: os.kill(os.getpid(), signal.SIGKILL)
    if when == "write":
        write = store.Writer.__call__
        store.Writer.__call__ = lambda writer, table, df: kill() if table == "appeals" else write(writer, table, df)
    batch.build(raw, out, progress=lambda done, total: kill() if when == "parse" and done == 4 else None)
""")


@pytest.mark.parametrize("when", ["parse", "write"])
def test_kill_9_mid_build_leaves_out_as_it_was(mixed, seeds_built, tmp_path, when):
    out = copy_of(seeds_built, tmp_path)
    before = snapshot(out)
    run = subprocess.run([sys.executable, "-c", KILLER, str(mixed), str(out), when], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == -9, run.stderr
    assert snapshot(out) == before
    assert [n.split("-")[0] for n in leftovers(out)] == [".out.build"]  # the unfinished folder
    assert gkdata.build(mixed, out).corpus.reports["status"].value_counts()["failed"] == 3
    assert leftovers(out) == []  # cleaned up by the next build


def test_out_moved_aside_by_a_killed_swap_is_put_back(seeds_built, tmp_path):
    out = copy_of(seeds_built, tmp_path)
    dead = subprocess.Popen(["true"])
    dead.wait()
    os.rename(out, tmp_path / f".out.old-{dead.pid}")  # killed between the two renames of the swap
    assert gkdata.build(RAW, out).from_cache == 5  # the old OUT, cache and all, came back first
    assert leftovers(out) == []


def test_a_folder_that_is_not_a_build_output_is_not_replaced(tmp_path):
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.docx").write_bytes(b"mine")
    with pytest.raises(FileExistsError, match="thesis: exists and is not a gkdata build output"):
        gkdata.build(RAW, out)
    assert snapshot(out) == {"chapter1.docx": b"mine"}
