"""A fixed sample of benchmarks/fuzz.py: mangled reports parse or raise ReportError, in bounded time and memory."""

from __future__ import annotations

import io
import random
import sys
import time
import zipfile

import pandas as pd
import pypdfium2
import pytest

import gkdata
from gkdata import labels, match, numbers, tables

from conftest import ROOT, SEEDS

sys.path.insert(0, str(ROOT / "benchmarks"))
import fuzz  # noqa: E402  (a script folder, not a package)


def test_a_fixed_sample_of_fuzz_cases():
    failures = [(c.number, c.base, c.mutations, r.problem) for c in fuzz.cases(300, seed=1, formats=("txt",))
                if (r := fuzz.run(c)).problem]
    assert failures == []


DOCUMENT_FORMATS = ("html", "docx", "pdf")
# (cases, seed) per format: a PDF case takes ~0.3 s, the others a few ms; seeds whose sample draws no input of
# 1 MB or more (the harness reads those again under tracemalloc, which is ~15× slower)
SAMPLE = {"html": (40, 3), "docx": (40, 2), "pdf": (20, 3)}


@pytest.fixture(scope="module")
def pool() -> dict[str, list[tuple[str, bytes]]]:
    """The base documents of the fuzzer without generated ones: seed 003's tables and the 2021 county."""
    return fuzz.bases(1, DOCUMENT_FORMATS, generated_docs=0)


def test_every_base_document_reads_as_a_report(pool):
    """Else the mutations would only ever meet a reader's first refusal."""
    for fmt, docs in pool.items():
        for base, data in docs:
            assert fuzz.run(fuzz.Case(0, base, (), data, fmt, f"x{fuzz.SUFFIX[fmt]}")).outcome == "report", base


@pytest.mark.parametrize("fmt", DOCUMENT_FORMATS)
def test_a_fixed_sample_of_fuzz_cases_in_every_format(pool, fmt):
    """Mangled HTML, .docx and PDF through the same harness (its time limit for the format)."""
    docs = {fmt: pool[fmt][-1:]} if fmt == "pdf" else pool  # the 2-page PDF: seed 003's takes 4× as long
    failures = [(c.number, c.base, c.mutations, r.problem.strip().splitlines()[-1])
                for c in fuzz.cases(*SAMPLE[fmt], formats=(fmt,), pool=docs) if (r := fuzz.run(c)).problem]
    assert failures == []


def test_ten_megabytes_in_bounded_time_and_memory():
    rng = random.Random(0)  # draws "repeat": the report 350 times over
    data = fuzz.blow_up(rng, SEEDS["003"].read_bytes())
    assert len(data) >= fuzz.BIG
    result = fuzz.run(fuzz.Case(0, "003", ("blow_up",), data))
    assert result.problem is None and result.outcome in ("report", "report_error")  # a cap may refuse it (limits.py)
    assert result.seconds < fuzz.time_limit(len(data)) and result.peak < fuzz.MEMORY_FACTOR * len(data)


def test_a_huge_number_is_an_invalid_cell_not_a_crash():
    """Reader fix: int() refuses over 4300 digits; such a cell is NA with invalid_value, such prose no figure."""
    text = SEEDS["003"].read_text(encoding="utf-8")
    huge = "9" * 5000
    text = text.replace("\t11492", f"\t{huge}").replace("主动公开政府信息13717条", f"主动公开政府信息{huge}条")
    r = gkdata.read_report(text.encode())
    assert r.wide("disclosure").loc["administrative_licensing", "decisions"] is pd.NA
    assert r.findings["check"].tolist() == ["invalid_value"]
    assert "proactive_total" not in set(r.narrative["key"])


def test_lines_after_a_label_are_joined_in_linear_time():
    """Reader fix: each line without a TAB was glued to the label before it and the whole re-checked."""
    lines = SEEDS["003"].read_text(encoding="utf-8").split("\n")
    at = lines.index("\t规章")

    def read(n: int) -> tuple[float, gkdata.Report]:
        text = "\n".join(lines[: at + 1] + ["0"] * n + lines[at + 1:]).encode()
        times = []
        for _ in range(3):  # the fastest of three: what the machine's other load adds is not the reader's
            start = time.perf_counter()
            r = gkdata.read_report(text)
            times.append(time.perf_counter() - start)
        return min(times), r

    small, _ = read(12_500)
    large, r = read(50_000)
    # four times the lines: linear takes about 4x as long, the quadratic join took 16x (7 s at 50,000)
    assert large < 8 * small, (small, large)
    assert r.wide("applications").equals(gkdata.read_report(SEEDS["003"]).wide("applications"))


def test_long_cells_are_not_kept_in_caches():
    """Reader fix: the caches of cell matching and parsing kept every cell, so a batch held its long ones for good."""
    lines = SEEDS["003"].read_text(encoding="utf-8").split("\n")
    at = lines.index("\t规章")
    caches = (match.match, match.nearest, match.run_together, tables._kind, tables._template_marked, tables.owners,
              labels.normalize, numbers.clean, numbers.parse, numbers.is_value, numbers.looks_numeric)

    def read_with(cell: str) -> list[int]:
        gkdata.read_report("\n".join(lines[: at + 1] + [cell] + lines[at + 1:]).encode())
        return [len(f.cache) for f in caches]

    assert read_with("\t" + "政府信息公开" * 1000 + "A") == read_with("\t" + "政府信息公开" * 1000 + "B")


def test_the_harness_reports_other_exceptions_and_hangs(monkeypatch):
    """The sample above can fail: an exception other than ReportError, or a hang, is a failure."""
    case = fuzz.Case(0, "003", (), SEEDS["003"].read_bytes())
    monkeypatch.setattr(gkdata, "read_report", lambda data, name: {}["boom"])
    assert fuzz.run(case).outcome == "failure" and "KeyError" in fuzz.run(case).problem

    monkeypatch.setattr(gkdata, "read_report", lambda data, name: time.sleep(5))
    monkeypatch.setattr(fuzz, "time_limit", lambda size, fmt="txt": 0.2)
    result = fuzz.run(case)
    assert result.outcome == "failure" and "Timeout" in result.problem and result.seconds < 1

    def swallows(data, name):  # as pdfminer's parser does around its logging
        for _ in range(50):
            try:
                time.sleep(0.1)
            except Exception:
                pass
    monkeypatch.setattr(gkdata, "read_report", swallows)
    result = fuzz.run(case)
    assert result.outcome == "failure" and "Timeout" in result.problem and result.seconds < 1


def test_the_time_limit_is_on_cpu_time(monkeypatch):
    """A reader busy past its limit is stopped by its CPU time (what a loaded machine does not inflate)."""
    def spins(data, name):
        while True:
            pass
    monkeypatch.setattr(gkdata, "read_report", spins)
    monkeypatch.setattr(fuzz, "time_limit", lambda size, fmt="txt": 0.2)
    monkeypatch.setattr(fuzz, "WALL_FACTOR", 100)  # however little of the CPU the machine's load leaves it
    result = fuzz.run(fuzz.Case(0, "003", (), SEEDS["003"].read_bytes()))
    assert result.outcome == "failure" and "of CPU" in result.problem.strip().splitlines()[-1]
    assert 0.2 <= result.cpu < 0.5


def test_control_characters_in_a_script_s_report_and_after_it_are_no_error():
    """Reader fix: lxml keeps control characters in a page it parses but refuses them in text given to an
    element, as the markup a script carries was (``\\u0001`` before its table) and the tail moved with it."""
    from documents import huining_2020, to_html_in_script

    page = to_html_in_script(huining_2020(), "会宁县2020年政府信息公开工作年度报告")
    page = page.replace(b'"content": "', b'"content": "\\u0001\\f', 1).replace(b"</script>", b"</script>\x01\x0b", 1)
    assert b"\\u0001" in page and b"\x01\x0b" in page
    report = gkdata.read_report(page, name="script.html")
    assert report.wide("applications").equals(gkdata.read_report(SEEDS["003"]).wide("applications"))


def test_a_zip_version_zipfile_cannot_read_is_a_report_error(pool):
    """Reader fix: a .docx sniffed by its content whose directory names a zip version over 6.3 raised zipfile's
    NotImplementedError."""
    data = bytearray(pool["docx"][0][1])
    entry = data.find(b"PK\x01\x02")
    data[entry + 6:entry + 8] = (142).to_bytes(2, "little")  # version needed to extract: 14.2
    for name in ("report", "report.docx"):
        with pytest.raises(gkdata.ReportError, match=r"not a readable Word \.docx file \(NotImplementedError: zip "
                                                     r"file version 14\.2\)"):
            gkdata.read_report(bytes(data), name=name)


@pytest.mark.parametrize("mutation", sorted(fuzz.MUTATIONS))
def test_each_mutation_changes_its_input(mutation):
    data = SEEDS["004"].read_bytes()
    assert any(fuzz.MUTATIONS[mutation](random.Random(seed), data) != data for seed in range(5))


@pytest.mark.parametrize("fmt,mutation", [(f, m) for f in DOCUMENT_FORMATS for m in fuzz.FORMAT_MUTATIONS[f][0]])
def test_each_format_mutation_changes_its_input(pool, fmt, mutation):
    mutate = fuzz.FORMAT_MUTATIONS[fmt][0][mutation]
    for base, data in pool[fmt]:
        assert any(mutate(random.Random(seed), data) != data for seed in range(5)), base


def test_document_mutations_hit_their_target(pool):
    """The structured mutations change what they claim to: word/document.xml alone; a PDF's page count."""
    rng = random.Random(0)
    docx, pdf = pool["docx"][0][1], pool["pdf"][0][1]

    def members(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {i.filename: z.read(i) for i in z.infolist()}

    before, after = members(docx), members(fuzz.odd_merges(rng, docx))
    assert [name for name in before if before[name] != after[name]] == [fuzz.DOCUMENT]

    def pages(data: bytes) -> int:
        doc = pypdfium2.PdfDocument(data)
        try:
            return len(doc)
        finally:
            doc.close()

    assert pages(fuzz._more_pages(rng, pdf, 1)) > pages(pdf)
