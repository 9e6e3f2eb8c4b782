""".doc/.wps/.xls/.et through LibreOffice, and .zip archives member by member.

The legacy files are made here by LibreOffice from the .docx and HTML that tests/documents.py writes
(once per module: a conversion costs a second or more), and must give the tables of their modern
form. Without ``soffice`` (PATH without it) they are ``unsupported`` rows saying how to convert them.
A RAW of every kind gives one ``reports`` row per file or member, alike in read_reports and build
(both executors), and a rebuild takes members from the cache by their content.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import struct
import subprocess
import tempfile
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pytest

import documents as D
import gkdata
from gkdata import archives, formats, limits
from gkdata.corpus import find_inputs, read_inputs
from gkdata.errors import ReportError
from gkdata.formats import legacy

from conftest import SEEDS

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (no soffice on PATH): .ci/run installs it; "
                            "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui")
TABLES = ("disclosure", "applications", "appeals", "narrative")
NEWS = "县政府召开常务会议\n\n会议研究了春耕生产工作。\n".encode()


def _convert(calls: list[tuple[list[Path], str, str | None]], folder: Path) -> None:
    """LibreOffice runs side by side, each with a profile of its own: (files, target, import filter)."""
    procs = []
    for i, (sources, target, infilter) in enumerate(calls):
        command = [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={(folder / f'profile{i}').as_uri()}",
                   *([f"--infilter={infilter}"] if infilter else []), "--convert-to", target,
                   "--outdir", str(folder / "out"), *map(str, sources)]
        procs.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    for p in procs:
        assert p.wait(120) == 0


@pytest.fixture(scope="module")
def modern() -> dict[str, bytes]:
    """The modern forms: a .docx of each template, an HTML page (the .xls's source)."""
    return {"huining.docx": D.to_docx(D.huining_2020()), "county.docx": D.to_docx(D.county_2021()),
            "huining.html": D.to_html(D.huining_2020(), "会宁县2020年政府信息公开工作年度报告")}


@pytest.fixture(scope="module")
def old(modern, tmp_path_factory) -> dict[str, bytes]:
    """huining.doc, county.doc and huining.xls, made by LibreOffice from the modern forms."""
    if SOFFICE is None:
        pytest.skip(needs_soffice.kwargs["reason"])
    folder = tmp_path_factory.mktemp("soffice")
    for name, data in modern.items():
        (folder / name).write_bytes(data)
    _convert([([folder / "huining.docx", folder / "county.docx"], "doc", None),  # one start for both
              ([folder / "huining.html"], "xls", "HTML (StarCalc)")], folder)  # (an HTML page opens in Writer else)
    return {p.name: p.read_bytes() for p in (folder / "out").iterdir()}


@pytest.fixture
def no_soffice(monkeypatch):
    """PATH without LibreOffice (in this process and the workers it starts)."""
    path = [d for d in os.environ["PATH"].split(os.pathsep) if d and not (Path(d) / "soffice").exists()]
    monkeypatch.setenv("PATH", os.pathsep.join(path))
    assert legacy.soffice() is None


# -- zips made by hand -----------------------------------------------------------------------------------

class GBKName(zipfile.ZipInfo):
    """A member whose name is written in GBK without the UTF-8 flag, as Chinese Windows tools write it."""

    def __init__(self, name: str, extra: bytes = b""):
        super().__init__(name.encode("gbk").decode("cp437"))
        self.extra = extra

    def _encodeFilenameFlags(self):
        return self.filename.encode("cp437"), self.flag_bits


def zip_of(members: dict[str | zipfile.ZipInfo, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def patch_member(archive: bytes, member: str, size: int | None = None, flags: int = 0) -> bytes:
    """``archive`` with ``member`` declaring ``size`` bytes (and the CRC of that many), or more flag bits set,
    in both its headers."""
    with zipfile.ZipFile(io.BytesIO(archive)) as z, z.open(member) as f:
        info = z.getinfo(member)
        crc = zlib.crc32(f.read(size)) if size is not None else info.CRC
    data = bytearray(archive)
    central = data.find(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(member)] != member.encode():
        central = data.find(b"PK\x01\x02", central + 1)
    for at in (info.header_offset + 6, central + 8):  # flags, then 6 bytes on the CRC, 4 more the size uncompressed
        bits, declared = struct.unpack_from("<H", data, at)[0], struct.unpack_from("<L", data, at + 16)[0]
        struct.pack_into("<H", data, at, bits | flags)
        struct.pack_into("<L", data, at + 8, crc)
        struct.pack_into("<L", data, at + 16, declared if size is None else size)
    return bytes(data)


def bundle(modern: dict[str, bytes]) -> bytes:
    """An archive as people send them: a seed, a .docx, a nested zip, notes, a GBK-named seed, macOS's
    leftovers, a hidden file, a folder entry, and names that would leave the folder if extracted."""
    return zip_of({
        "2019/" + SEEDS["000"].name: SEEDS["000"].read_bytes(),
        "docs/": b"",
        "docs/county.docx": modern["county.docx"],
        "nested.zip": zip_of({"inner.txt": SEEDS["001"].read_bytes()}),
        "notes.md": "说明".encode(),
        GBKName("会宁县2020年政府信息公开年报.txt"): SEEDS["003"].read_bytes(),
        "__MACOSX/docs/._county.docx": b"\x00\x05\x16\x07",
        ".DS_Store": b"\x00\x00\x00\x01Bud1",
        "../outside.txt": NEWS,
        "/abs.txt": b"",
    })


def bomb() -> bytes:
    """A seed beside 32 MiB of zeros (deflated ~1000:1)."""
    return zip_of({"a.txt": SEEDS["002"].read_bytes(), "bomb.txt": bytes(32 * 2**20)})


@pytest.fixture(scope="module")
def raw(old, modern, tmp_path_factory) -> Path:
    """A RAW of every kind: .doc, .wps, .xls, a .zip of many kinds, a zip bomb, a damaged zip, .shtml, .xyz."""
    raw = tmp_path_factory.mktemp("every") / "raw"
    for name, data in {"2020/huining.doc": old["huining.doc"], "2021/county.wps": old["county.doc"],
                       "2020/tables.xls": old["huining.xls"], "bundle.zip": bundle(modern), "bomb.zip": bomb(),
                       "damaged.zip": bundle(modern)[:-200], "page.shtml": D.to_html(D.county_2021(), "报告"),
                       "data.xyz": b"x"}.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(data)
    return raw


def statuses(reports: pd.DataFrame) -> dict[str, str]:
    return dict(zip(reports["path"], reports["status"]))


EVERY = {  # path -> status, with LibreOffice
    "2020/huining.doc": "ok", "2020/tables.xls": "ok", "2021/county.wps": "ok",
    "bomb.zip": "failed",
    "bundle.zip//abs.txt": "failed", "bundle.zip/../outside.txt": "failed",
    "bundle.zip/2019/000_83d950f2ae04f609.txt": "ok", "bundle.zip/docs/county.docx": "ok",
    "bundle.zip/nested.zip": "unsupported", "bundle.zip/notes.md": "unsupported",
    "bundle.zip/会宁县2020年政府信息公开年报.txt": "ok",
    "damaged.zip": "failed", "data.xyz": "unsupported", "page.shtml": "ok",
}
NOT_CONVERTED = {"2020/huining.doc", "2020/tables.xls", "2021/county.wps"}


@pytest.fixture(scope="module")
def built(raw, tmp_path_factory) -> gkdata.batch.Built:
    return gkdata.build(raw, tmp_path_factory.mktemp("built") / "out", jobs=2)


# -- LibreOffice ----------------------------------------------------------------------------------------------

def same_report(r: gkdata.Report, form: gkdata.Report, layout: str) -> None:
    """``r`` (converted by LibreOffice) has the tables and findings of ``form``, the modern form it was made of."""
    assert (r.meta.layout, r.meta.region, r.meta.year) == (layout, form.meta.region, form.meta.year)
    for t in TABLES:
        pd.testing.assert_frame_equal(getattr(r, t), getattr(form, t))
    assert [f.check for f in r.finding_records] == [f.check for f in form.finding_records]


@needs_soffice
def test_a_doc_given_directly_is_converted_and_read_as_its_docx(old, modern, tmp_path):
    (tmp_path / "会宁县.doc").write_bytes(old["huining.doc"])
    doc = gkdata.read_report(tmp_path / "会宁县.doc")
    same_report(doc, gkdata.read_report(modern["huining.docx"], name="r.docx"), "doc")
    assert doc.meta.sha256 == hashlib.sha256(old["huining.doc"]).hexdigest()  # the file's, not LibreOffice's .docx
    assert doc.applications["value"].notna().sum() > 100


@needs_soffice
def test_a_conversion_over_its_time_is_stopped_with_all_its_processes(old, monkeypatch):
    made: list[str] = []
    real = tempfile.TemporaryDirectory

    def recorded(*args, **kwargs):
        made.append((folder := real(*args, **kwargs)).name)
        return folder

    monkeypatch.setattr(tempfile, "TemporaryDirectory", recorded)
    monkeypatch.setattr(limits, "CONVERT_SECONDS", 0.2)
    with pytest.raises(ReportError, match=r"r\.doc: a Word 97 \.doc file: LibreOffice took longer than 0\.2 s to "
                                          r"convert it \(gkdata\.limits\.CONVERT_SECONDS\); stopped"):
        gkdata.read_report(old["huining.doc"], name="r.doc")
    (folder,) = made
    running = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            running += [cmdline] if folder.encode() in cmdline.read_bytes() else []
        except OSError:  # ended meanwhile
            pass
    assert running == [] and not Path(folder).exists()


@needs_soffice
def test_what_libreoffice_writes_is_held_to_the_file_cap(old, monkeypatch):
    monkeypatch.setattr(limits, "MAX_BYTES", len(old["huining.xls"]) + 1000)  # its HTML is larger
    with pytest.raises(ReportError) as e:
        gkdata.read_report(old["huining.xls"], name="r.xls")
    assert re.fullmatch(r"the \.html LibreOffice made of it: [\d,]+ bytes, over the cap of [\d,]+ bytes "
                        r"\(gkdata\.limits\.MAX_BYTES\)", e.value.reason)


@needs_soffice
def test_a_build_converts_legacy_files_reads_zip_members_and_gives_a_row_for_each(built, raw, modern, tmp_path):
    r = built.corpus.reports
    assert statuses(r) == EVERY
    assert str(built).startswith("14 files · 7 ok · 4 failed · 0 duplicate · 3 unsupported")
    row = r.set_index("path")
    assert row.loc[["2020/huining.doc", "2020/tables.xls", "2021/county.wps", "bundle.zip/docs/county.docx",
                    "page.shtml"], "layout"].tolist() == ["doc", "xls", "doc", "docx", "html"]
    assert row.loc["bundle.zip/会宁县2020年政府信息公开年报.txt", "region"] == "会宁县"
    # a member's row is about the member: its size and hash
    seed = SEEDS["000"].read_bytes()
    assert row.loc["bundle.zip/2019/000_83d950f2ae04f609.txt", ["size", "sha256"]].tolist() == [
        len(seed), hashlib.sha256(seed).hexdigest()]
    assert row.loc["bundle.zip/nested.zip", "error"].startswith("an archive inside an archive: unpack it")
    assert row.loc["bundle.zip/notes.md", "error"].startswith("not a report format gkdata reads (.md)")
    assert row.loc["bundle.zip/../outside.txt", "error"].startswith("no numbered sections")
    assert row.loc["bundle.zip//abs.txt", "error"] == "the file is empty"
    assert "is compressed" in row.loc["bomb.zip", "error"] and "(a zip bomb; over gkdata.limits." \
        "MAX_ARCHIVE_RATIO = 100:1)" in row.loc["bomb.zip", "error"]
    assert row.loc["damaged.zip", "error"] == ("not a readable .zip archive (its end record, after the list of its "
                                               "members, is missing: the file was cut short, or is no zip)")
    # names are only names: nothing was extracted, in RAW or beside it
    assert sorted(p.name for p in raw.parent.rglob("*") if "outside" in p.name or "abs" in p.name) == []
    # the converted reports: the tables of their modern form
    for path, form in (("2020/huining.doc", "huining.docx"), ("2021/county.wps", "county.docx"),
                       ("2020/tables.xls", "huining.html")):
        expected = gkdata.read_report(modern[form], name=form)
        for t in TABLES:
            table = getattr(built.corpus, t)
            mine = table[table["report_id"] == row.loc[path, "report_id"]].drop(columns=["report_id", "region", "year"])
            pd.testing.assert_frame_equal(mine.reset_index(drop=True), getattr(expected, t))


@needs_soffice
def test_a_rebuild_takes_members_from_the_cache_by_content(built, raw, tmp_path):
    again = Path(shutil.copytree(raw, tmp_path / "raw"))
    (again / "bundle.zip").rename(again / "2020-bundle.zip")  # the same members in another archive
    out = Path(shutil.copytree(built.out, tmp_path / "out"))
    rebuilt = gkdata.build(again, out)
    parsed = {p for p, s in EVERY.items() if s != "unsupported" and p not in ("bomb.zip", "damaged.zip")}
    assert rebuilt.from_cache == len(parsed) == 9
    manifest = _manifest(out)
    assert manifest["2020-bundle.zip/docs/county.docx"] and manifest["2020/huining.doc"]
    first, second = built.corpus.reports, rebuilt.corpus.reports
    assert sorted(second["path"].str.replace("2020-bundle.zip", "bundle.zip", regex=False)) == sorted(first["path"])
    pd.testing.assert_series_equal(
        second.set_index("path")["sha256"].rename(lambda p: p.replace("2020-bundle.zip", "bundle.zip")).sort_index(),
        first.set_index("path")["sha256"].sort_index())


def _manifest(out: Path) -> dict[str, bool]:
    import json

    return {e["path"]: e["from_cache"] for e in json.loads((out / "manifest.json").read_text())["parse"]}


def test_without_soffice_legacy_files_are_unsupported_rows_saying_how_to_convert(no_soffice, modern, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("r.doc", "r.wps", "r.xls", "r.et"):
        (raw / name).write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    r = gkdata.read_reports(raw).reports.set_index("path")
    assert r["status"].tolist() == ["unsupported"] * 4
    for name, what, form in (("r.doc", "a Word 97 .doc file", ".docx"), ("r.wps", "a WPS Writer .wps file", ".docx"),
                             ("r.xls", "an Excel 97 .xls workbook", ".html"),
                             ("r.et", "a WPS Spreadsheets .et workbook", ".html")):
        error = r.loc[str(raw / name), "error"]
        assert error.startswith(f"{what}: gkdata reads it with LibreOffice, which is not installed (no soffice on "
                                "PATH): install it (apt-get install libreoffice-writer-nogui") and error.endswith(
            " (not read)") and f"save the file as {form}" in error
        assert r.loc[str(raw / name), "sha256"] == hashlib.sha256((raw / name).read_bytes()).hexdigest()
        with pytest.raises(ReportError) as e:  # given directly: the same reason
            gkdata.read_report(raw / name)
        assert f"{e.value.reason} (not read)" == error == f"{formats.unsupported(name)}"


def test_without_soffice_read_reports_and_both_executors_agree(no_soffice, modern, tmp_path):
    raw = tmp_path / "raw"
    for name, data in {"2020/huining.doc": b"\xd0\xcf\x11\xe0", "bundle.zip": bundle(modern), "bomb.zip": bomb(),
                       "damaged.zip": bundle(modern)[:-200], "page.shtml": D.to_html(D.county_2021(), "报告"),
                       "data.xyz": b"x"}.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(data)
    expected = {p: s for p, s in EVERY.items() if p not in NOT_CONVERTED} | {"2020/huining.doc": "unsupported"}
    assert [p.relative_to(raw).as_posix() for p in find_inputs(raw)] == [
        "2020/huining.doc", "bomb.zip", "bundle.zip", "damaged.zip", "data.xyz", "page.shtml"]
    read = gkdata.read_reports(raw).reports
    read["path"] = read["path"].str.removeprefix(f"{raw}/")
    assert statuses(read) == expected
    processes = gkdata.build(raw, tmp_path / "p").corpus.reports
    dask = gkdata.build(raw, tmp_path / "d", executor="dask", jobs=1).corpus.reports
    pd.testing.assert_frame_equal(processes, read)
    pd.testing.assert_frame_equal(dask, read)
    assert (tmp_path / "p" / "reports.parquet").read_bytes() == (tmp_path / "d" / "reports.parquet").read_bytes()


# -- archives -------------------------------------------------------------------------------------------------

def test_an_archive_gives_the_rows_of_the_folder_it_unpacks_to(modern, tmp_path):
    files = {"2019/" + SEEDS["000"].name: SEEDS["000"].read_bytes(), "2020/county.docx": modern["county.docx"],
             "2020/" + SEEDS["003"].name: SEEDS["003"].read_bytes(), "2020/copy.txt": SEEDS["003"].read_bytes(),
             "notes.md": b"x", "news.txt": NEWS, ".hidden.txt": b"x", "2020/.DS_Store": b"x",
             "__MACOSX/2020/._county.docx": b"x", "old/manifest.json": b"{}", "old/reports.parquet": b"x"}
    folder, packed = tmp_path / "unpacked", tmp_path / "packed"
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    packed.mkdir()
    (packed / "unpacked.zip").write_bytes(zip_of(files))
    a = gkdata.read_reports(folder).reports
    b = gkdata.read_reports(packed).reports
    assert b["path"].tolist() == [f"{packed}/unpacked.zip/{p}" for p in ("2019/" + SEEDS["000"].name,
                                                                          "2020/" + SEEDS["003"].name,
                                                                          "2020/copy.txt", "2020/county.docx",
                                                                          "news.txt", "notes.md")]
    assert a["path"].str.removeprefix(f"{folder}/").tolist() == b["path"].str.removeprefix(
        f"{packed}/unpacked.zip/").tolist()
    pd.testing.assert_frame_equal(a.drop(columns="path"), b.drop(columns="path"))
    assert b["status"].tolist() == ["ok", "ok", "duplicate", "ok", "failed", "unsupported"]


def test_gbk_and_unicode_path_names_are_read_right():
    name = "政府信息公开/2020年度报告.txt"
    raw = name.encode("gbk")
    assert archives.member_name(GBKName(name)) == name
    # a name in another code page with an Info-ZIP Unicode Path field (0x7075) holding the UTF-8 name
    field = struct.pack("<BL", 1, zlib.crc32(raw)) + "政府信息公开/其他.txt".encode()
    info = GBKName(name, struct.pack("<HH", 0x7075, len(field)) + field)
    assert archives.member_name(info) == "政府信息公开/其他.txt"
    data = zip_of({GBKName(name): SEEDS["003"].read_bytes(), "utf8/名称.txt": b"", GBKName("a\\b.txt"): b""})
    assert [m.name for m in archives.members(data, "z.zip")] == ["z.zip/a/b.txt", "z.zip/utf8/名称.txt",
                                                                 f"z.zip/{name}"]


def test_member_failures_are_rows_of_their_own(monkeypatch):
    seed = SEEDS["002"].read_bytes()
    data = bytearray(zip_of({"big.txt": "规章" * 20_000, "ok.txt": seed, "crc.txt": seed}, zipfile.ZIP_STORED))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        start = z.getinfo("crc.txt").header_offset + 30 + len("crc.txt")
    data[start + 100] ^= 0xFF  # one byte of crc.txt's data changed
    data = patch_member(bytes(data), "big.txt", flags=1)  # encrypted
    rows = {m.name: m.reason for m in archives.members(data, "z.zip")}
    assert rows == {"z.zip/big.txt": "the member is encrypted: unpack the archive with its password",
                    "z.zip/crc.txt": "the member is damaged (its size or CRC is not the one the archive lists)",
                    "z.zip/ok.txt": None}
    (bz2,) = archives.members(zip_of({"b.txt": seed}, zipfile.ZIP_BZIP2), "b.zip")
    assert bz2.reason.startswith("the member is compressed with bzip2, which gkdata does not inflate")
    monkeypatch.setattr(limits, "MAX_BYTES", 30_000)
    rows = {m.name: (m.reason, m.data is None) for m in archives.members(zip_of({"big.txt": "规章" * 20_000,
                                                                                "a.txt": seed[:20_000]}), "z.zip")}
    assert rows == {"z.zip/a.txt": (None, False),
                    "z.zip/big.txt": ("the member: 120,000 bytes, over the cap of 30,000 bytes "
                                      "(gkdata.limits.MAX_BYTES)", True)}


def test_archives_over_a_cap_are_one_failed_row(monkeypatch, tmp_path):
    def reason(data: bytes) -> str:
        (tmp_path / "a.zip").write_bytes(data)
        (row,) = read_inputs(tmp_path / "a.zip", "a.zip")
        assert (row.path, row.meta, row.unsupported) == ("a.zip", None, False)
        return row.error

    seed = SEEDS["002"].read_bytes()
    assert reason(zip_of({})) == "the archive holds no files (hidden ones and __MACOSX/ aside)"
    assert reason(zip_of({"__MACOSX/._a.txt": b"x", ".a.txt": seed})) == reason(zip_of({}))
    assert reason(b"PK\x03\x04 not a zip").startswith("not a readable .zip archive (its end record")
    assert reason(zip_of({"a.txt": seed}).replace(b"PK\x01\x02", b"PK\x01\x03")) == \
        "not a readable .zip archive (BadZipFile: Bad magic number for central directory)"
    # a lying size: a member declaring 4 KiB inflates to 32 MiB; caught without inflating it into memory
    lying = patch_member(zip_of({"a.txt": seed, "lie.txt": b"\xe8\xa7\x84" * (2**25 // 3)}), "lie.txt", 4096)
    assert reason(lying) == "the member 'lie.txt' inflates to more than the 4,096 bytes it declares"
    tracemalloc.start()
    try:
        with pytest.raises(ReportError, match="inflates to more than"):
            archives.members(lying, "a.zip")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20, f"{peak:,} bytes allocated: the member was inflated"
    monkeypatch.setattr(limits, "MAX_ZIP_MEMBERS", 2)
    assert reason(zip_of({"a.txt": b"", "b.txt": b"", "c.txt": b""})) == \
        "the archive: 3 members, over the cap of 2 members (gkdata.limits.MAX_ZIP_MEMBERS)"
    monkeypatch.setattr(limits, "MAX_ARCHIVE", 10_000)
    assert reason(zip_of({"a.txt": seed[:6000], "b.txt": seed[:6000]})) == \
        "the archive uncompressed: 12,000 bytes, over the cap of 10,000 bytes (gkdata.limits.MAX_ARCHIVE)"


def test_a_zip_given_to_read_report_says_to_read_its_members():
    with pytest.raises(ReportError, match="an archive holds files, not one report: read_reports and build read"):
        gkdata.read_report(zip_of({"a.txt": SEEDS["002"].read_bytes()}), name="a.zip")
    with pytest.raises(ValueError, match="read it with read_inputs"):
        gkdata.corpus.read_input("a.zip")


def test_a_failed_conversion_is_not_cached_and_each_goes_to_a_worker_alone():
    from gkdata import batch
    from gkdata.corpus import Result

    failed = Result("a.doc", 1, 0.0, "0" * 64, "a Word 97 .doc file: LibreOffice took longer …", None, None)
    assert not batch._keep(failed, "2020/a.DOC") and batch._keep(failed._replace(path="a.txt"), "a.txt")
    tasks = [batch.Task(i, b"", name, "") for i, name in enumerate(["a.txt", "b.doc", "c.txt", "d.xls", "e.txt"])]
    assert [[t.name for t in b] for b in batch._batches(iter(tasks))] == [["b.doc"], ["d.xls"], ["a.txt", "c.txt",
                                                                                                  "e.txt"]]
