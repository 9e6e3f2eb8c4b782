"""A build survives any file and keeps what the user owns: per-file time limit, dying workers,
no orphans, a cache that holds data only, one build per OUT, OUT's files and mode, a full disk,
CSV copies that a spreadsheet cannot run.

Files that hang or kill their worker are made by patching the parse in this process: the
build's workers are forked from it, so they run the patched parse.
"""

from __future__ import annotations

import csv
import io
import os
import pickle
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

import msgpack
import pandas as pd
import pytest

import gkdata
from gkdata import batch, serial, store
from gkdata.errors import BuildError

from conftest import RAW, ROOT, SEEDS


@pytest.fixture
def raw(tmp_path) -> Path:
    """Three seeds and two more copies of seeds, named for what a patched parse does with them."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for seed in ("000", "003", "004"):
        shutil.copy(SEEDS[seed], raw / SEEDS[seed].name)
    # not quite the seeds' bytes: never a cache hit from a build of the seeds
    (raw / "hang.txt").write_bytes(SEEDS["001"].read_bytes() + b"\n")
    (raw / "die.txt").write_bytes(SEEDS["002"].read_bytes() + b"\n")
    return raw


def patched_parse(monkeypatch, **what):
    """``batch.parse`` that, for a file named ``<name>.txt``, does what[name]() first."""
    parse = batch.parse

    def odd(data, name):
        if (act := what.get(Path(name).stem)) is not None:
            act()
        return parse(data, name)

    monkeypatch.setattr(batch, "parse", odd)


def hang() -> None:
    time.sleep(120)


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def statuses(built) -> dict[str, tuple[str, str | None]]:
    r = built.corpus.reports
    return {p: (s, e) for p, s, e in zip(r["path"], r["status"], r["error"].astype(object).where(r["error"].notna(), None))}


# -- a build survives any file ----------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_over_the_time_limit_and_one_that_kills_its_worker_are_failed_rows(raw, tmp_path, monkeypatch, jobs):
    patched_parse(monkeypatch, hang=hang, die=die)
    start = time.perf_counter()
    built = gkdata.build(raw, tmp_path / "out", jobs=jobs, timeout=1.5)
    took = time.perf_counter() - start
    rows = statuses(built)
    assert rows["hang.txt"] == ("failed", "parsing took longer than 1.5 s, the build's limit per file "
                                          "(see timeout / --timeout); stopped")
    assert rows["die.txt"][0] == "failed"
    assert rows["die.txt"][1].startswith("the worker process parsing it died (exit code -9, killed: out of memory?)")
    assert [rows[SEEDS[s].name] for s in ("000", "003", "004")] == [("ok", None)] * 3
    assert built.corpus.reports.set_index("path").loc[SEEDS["004"].name, "region"] == "阿里地区"
    assert took < 30, f"the build waited {took:.0f} s for a file limited to 1.5 s"

    monkeypatch.undo()  # the same files, read normally: what failed was not cached, and now reads
    again = gkdata.build(raw, tmp_path / "out", jobs=jobs)
    assert again.from_cache == 3
    assert {p: s for p, (s, _) in statuses(again).items()} == dict.fromkeys(rows, "ok")


def test_an_executor_that_cannot_stop_a_task_gives_up_on_the_file_in_a_thread(monkeypatch):
    """dask's tasks: parse_many's own limit per file (the file's slot is None, the others are parsed)."""
    patched_parse(monkeypatch, hang=hang)
    start = time.perf_counter()
    answers = batch.parse_many([(b"x", "hang.txt"), (SEEDS["004"].read_bytes(), "004.txt")], timeout=0.5)
    assert time.perf_counter() - start < 10
    # the result as the main process takes it, and the bytes the cache keeps of it: the same result
    assert answers[0] is None and answers[1].result.meta.region == "阿里地区"
    assert serial.load(answers[1].blob) == answers[1].result


ORPHANS = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from gkdata import batch

    raw, out, pids = sys.argv[1:]
    def parse(data, name):
        Path(pids, str(os.getpid())).touch()
        time.sleep(120)
    batch.parse, batch.BATCH = parse, 1  # a file per task: both workers get one
    batch.build(raw, out, jobs=2)
""")


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")  # a zombie has ended (only its parent's bookkeeping is left)


def test_no_worker_outlives_a_killed_build(raw, tmp_path):
    pids = tmp_path / "pids"
    pids.mkdir()
    build = subprocess.Popen([sys.executable, "-c", ORPHANS, str(raw), str(tmp_path / "out"), str(pids)], cwd=ROOT,
                             stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline and build.poll() is None:
        time.sleep(0.1)
    workers = [int(p.name) for p in pids.iterdir()]
    assert len(workers) == 2, build.stderr.read() if build.poll() is not None else "the workers did not start"
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_running, workers)), f"workers {workers} still run after the build was killed"


# -- nothing read back from OUT can run code ----------------------------------------------------


class _RunsCode:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return Path.touch, (self.marker,)


def _entries(out: Path) -> sqlite3.Connection:
    return closing(sqlite3.connect(out / ".cache" / f"v{batch.PARSER_VERSION}.sqlite"))


def test_a_crafted_pickle_in_the_cache_runs_nothing_and_the_file_is_parsed_again(seeds_out, tmp_path):
    marker = tmp_path / "ran"
    with _entries(seeds_out) as db, db:
        db.execute("UPDATE results SET result = ?", (pickle.dumps(_RunsCode(marker)),))
    before = {t: (seeds_out / f"{t}.parquet").read_bytes() for t in store.TABLES}
    rebuilt = gkdata.build(RAW, seeds_out)
    assert not marker.exists()
    assert rebuilt.from_cache == 0 and {t: (seeds_out / f"{t}.parquet").read_bytes() for t in store.TABLES} == before


def test_a_tampered_entry_that_decodes_is_refused_when_it_does_not_fit_the_schema(seeds_out):
    with _entries(seeds_out) as db:
        key, blob = db.execute("SELECT key, result FROM results ORDER BY key LIMIT 1").fetchone()
    data = msgpack.unpackb(blob)
    data[7][1][0][0] = b"\x7f" * len(data[7][1][0][0])  # table 三's row codes: no such row
    with _entries(seeds_out) as db, db:
        db.execute("UPDATE results SET result = ? WHERE key = ?", (msgpack.packb(data), key))
    with pytest.raises(ValueError, match="applications.row: a category code out of range"):
        serial.load(msgpack.packb(data))
    assert gkdata.build(RAW, seeds_out).from_cache == 4


@pytest.fixture
def seeds_out(tmp_path) -> Path:
    out = tmp_path / "out"
    gkdata.build(RAW, out)
    return out


# -- one build per OUT; OUT's files and mode are the user's ---------------------------------------

HOLDS = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from gkdata import batch

    raw, out, started = sys.argv[1:]
    def parse(data, name):
        Path(started).touch()
        time.sleep(120)
    batch.parse = parse
    batch.build(raw, out)
""")


def test_a_second_build_into_the_same_out_stops_with_a_clear_message(raw, seeds_out, tmp_path):
    started = tmp_path / "started"
    first = subprocess.Popen([sys.executable, "-c", HOLDS, str(raw), str(seeds_out), str(started)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while not started.exists() and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.1)
        assert started.exists(), "the first build did not start"
        with pytest.raises(BuildError, match=r"out: another build is writing it \(it holds .*\.out\.lock\)"):
            gkdata.build(RAW, seeds_out)
    finally:
        first.kill()
        first.wait()
    assert gkdata.build(RAW, seeds_out).from_cache == 5  # the lock went with the killed build


def test_files_the_user_saved_in_out_are_not_deleted(seeds_out):
    (seeds_out / "summary.xlsx").write_bytes(b"my workbook")
    (seeds_out / "notes").mkdir()
    (seeds_out / ".gitkeep").write_bytes(b"")
    before = {p.relative_to(seeds_out) for p in seeds_out.rglob("*")}
    with pytest.raises(FileExistsError, match=r"holds files a build does not write \(notes/, summary.xlsx\)"):
        gkdata.build(RAW, seeds_out)
    assert {p.relative_to(seeds_out) for p in seeds_out.rglob("*")} == before
    shutil.rmtree(seeds_out / "notes")
    (seeds_out / "summary.xlsx").unlink()
    gkdata.build(RAW, seeds_out)
    assert (seeds_out / ".gitkeep").exists()  # hidden files beside the tables are kept, as before


@pytest.mark.parametrize("mode", [0o755, 0o750])
def test_out_keeps_its_permissions(seeds_out, mode):
    seeds_out.chmod(mode)
    gkdata.build(RAW, seeds_out)
    assert seeds_out.stat().st_mode & 0o7777 == mode


def test_a_new_out_gets_the_users_umask(tmp_path):
    umask = os.umask(0o027)
    try:
        gkdata.build(RAW, tmp_path / "new")
    finally:
        os.umask(umask)
    assert (tmp_path / "new").stat().st_mode & 0o7777 == 0o750


FULL = textwrap.dedent("""
    import resource, signal, sys
    from gkdata.cli import app

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) as on a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), resource.RLIM_INFINITY))
    app(sys.argv[2:])
""")


@pytest.mark.parametrize("limit", [2_000, 60_000])  # the first table written, or the cache
def test_a_full_disk_is_a_clear_error_and_out_is_as_it_was(seeds_out, limit):
    before = {p.relative_to(seeds_out): p.read_bytes() for p in seeds_out.rglob("*") if p.is_file()}
    run = subprocess.run([sys.executable, "-c", FULL, str(limit), "build", str(RAW), str(seeds_out), "--timeout", "0"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert re.search(r"error .*out: the build could not be written \(.*\): the disk is full, or a file size limit "
                     r"was reached; .*out is as it was before the build", run.stderr), run.stderr
    assert {p.relative_to(seeds_out): p.read_bytes() for p in seeds_out.rglob("*") if p.is_file()} == before
    assert [p.name for p in seeds_out.parent.iterdir() if ".build-" in p.name] == []


# -- CSV copies hold no formula ------------------------------------------------------------------

_FORMULA = re.compile(r"^[=+\-@\t\r]")


def test_csv_copies_neutralise_formula_looking_text_and_parquet_keeps_it(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    names = ["=HYPERLINK(\"x.cn\",\"open\").txt", "=cmd|' -C calc'!A0.txt", "@SUM(1+1).txt", "+1.txt"]
    for name, seed in zip(names, ("000", "001", "002", "003")):
        shutil.copy(SEEDS[seed], raw / name)
    (raw / "-2.docx").write_bytes(b"not a zip")  # a failed row whose path and error start with -
    out = tmp_path / "out"
    gkdata.build(raw, out)
    assert sorted(pd.read_parquet(out / "reports.parquet")["path"]) == sorted([*names, "-2.docx"])
    for table in store.TABLES:
        with open(out / f"{table}.csv", encoding="utf-8-sig", newline="") as f:
            cells = [cell for row in csv.reader(f) for cell in row]
        risky = [c for c in cells if _FORMULA.match(c) and not re.fullmatch(r"-?\d+(\.\d+)?", c)]
        assert risky == [], (table, risky[:3])
    with open(out / "reports.csv", encoding="utf-8-sig", newline="") as f:
        paths = [row["path"] for row in csv.DictReader(f)]
    assert sorted(paths) == sorted("'" + n for n in [*names, "-2.docx"])
    assert pd.read_csv(io.StringIO((out / "findings.csv").read_text(encoding="utf-8-sig")))["expected"].dtype == float
