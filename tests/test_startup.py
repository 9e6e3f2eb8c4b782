"""A fast start for one report (issue: corpus builds at national scale, item 3): ``gkdata show`` and ``check``
import neither pandas, typer nor rich, and the gazetteer's index made by the first run into the cache folder
serves the next. The timing is benchmarks/bench.py's."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT, SEEDS

ALI = SEEDS["004"]


def _run(code: str, cache) -> subprocess.CompletedProcess:
    env = {**os.environ, "GKDATA_CACHE": str(cache)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)


def test_show_and_check_print_the_reports_values_without_pandas_typer_or_rich(tmp_path):
    code = f"""
import contextlib, io, sys
from gkdata import cli
with contextlib.redirect_stdout(io.StringIO()) as out:
    codes = cli.main(["show", {str(ALI)!r}]), cli.main(["check", {str(ALI)!r}])
print(codes, sorted({{"pandas", "numpy", "typer", "click", "rich"}} & set(sys.modules)))
print(out.getvalue())
"""
    for run in range(2):  # the cache folder made by the first run, read by the second
        done = _run(code, tmp_path / "cache")
        assert done.returncode == 0, done.stderr[-2000:]
        first, out = done.stdout.split("\n", 1)
        assert first == "(0, 1) []"
        assert "│ 政府集中采购         │" in out and "│ 11,212.974705 │" in out and "│  671 │" in out
        assert "error   row_sum" in out and "1 files · 1 read · 0 unreadable · 1 with errors" in out
        if run == 0:
            made = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()}
            assert any(name.startswith("gazetteer-") for name in made)
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()} == made  # read, not made again
