"""Fuzz ``read_report``: mutated reports in every format must parse or raise ReportError, quickly.

Each case takes a base document of one format and applies one to three
mutations of that format:

- text (the seed reports and generated ones, every layout and template):
  truncation, deleted, duplicated or shuffled lines, swapped digits, random
  bytes, another encoding, huge numbers, very long lines, pathological
  repetitions, or a file blown up to 10 MB;
- HTML (the reports tests/documents.py writes as a site's page, GBK, rendered
  by a script, and a real site's markup): closing tags dropped, tags and rows
  duplicated, huge, zero, negative or junk rowspan/colspan, tables nested in
  their cells or thousands deep, broken entities, scripts with unterminated
  string literals, other charsets declared, and the text mutations;
- .docx: members dropped, duplicated or corrupted, zip header fields (sizes,
  CRC, method, flags) rewritten, a zip bomb; in word/document.xml truncation,
  flipped bytes, elements deleted or duplicated, odd w:gridSpan / w:vMerge,
  DTDs and entities;
- PDF: bytes flipped in streams (compressed, or in the decoded page content),
  the xref table broken, objects deleted, the page tree repeated, looped or
  miscounted, /Length wrong, deep nesting, truncation and random bytes.

``read_report`` must return a report or raise :class:`gkdata.ReportError` —
any other exception is a bug — within a limit of CPU time proportionate to the
input (longer for PDF, see :data:`TIME_LIMITS`; a wait that takes no CPU is held
to :data:`WALL_FACTOR` times it on the clock), and inputs must not take memory
out of proportion to their size.

    python benchmarks/fuzz.py               # 100,000 cases, every format
    python benchmarks/fuzz.py --n 2000 --seed 7 --formats html,pdf

A failing case is written to ``benchmarks/fuzz-failures/`` (its bytes, with
its format's suffix, and the reason) and the script exits 1.
"""

from __future__ import annotations

import argparse
import functools
import io
import logging
import os
import random
import re
import resource
import signal
import statistics
import sys
import time
import tracemalloc
import traceback
import warnings
import zipfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import gkdata
from gkdata import synth

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import documents as D  # noqa: E402  (the writers the format tests use: one report as HTML, .docx and PDF)

SEEDS = sorted((ROOT / "data" / "raw").glob("*.txt"))
FIXTURE = ROOT / "tests" / "fixtures" / "county_2021_site.html"
BIG = 10 * 2 ** 20  # the size the blow-up mutation reaches
MEMORY_FACTOR = 60  # peak Python allocation allowed per input byte, for inputs ≥ 1 MB (beyond a 64 MB base)
RSS_FACTOR, RSS_BASE = 100, 1024 * 2 ** 20  # growth of peak resident memory allowed: per input byte, and beyond
ADDRESS_SPACE = 8 * 2 ** 30  # main() caps the process so that a bomb is a MemoryError, not the machine's memory

Mutation = Callable[[random.Random, bytes], bytes]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def delete_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    start = rng.randrange(len(lines))
    del lines[start: start + rng.choice((1, 1, 2, 5, 30))]
    return b"\n".join(lines)


def duplicate_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    start = rng.randrange(len(lines))
    block = lines[start: start + rng.choice((1, 3, 20, 200))]
    return b"\n".join(lines[:start] + block * rng.choice((2, 3, 50)) + lines[start:])


def shuffle_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    start = rng.randrange(len(lines))
    part = lines[start: start + rng.choice((2, 10, 100))]
    rng.shuffle(part)
    return b"\n".join(lines[:start] + part + lines[start + len(part):])


def swap_digits(rng: random.Random, data: bytes) -> bytes:
    digits = [i for i, b in enumerate(data) if 48 <= b <= 57]
    out = bytearray(data)
    for i in rng.sample(digits, min(len(digits), rng.choice((1, 3, 20)))):
        out[i] = rng.choice(b"0123456789-.,")
    return bytes(out)


def random_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 5, 50))):
        i = rng.randrange(len(out) + 1)
        chunk = rng.randbytes(rng.choice((1, 2, 4, 16)))
        out[i: i + (len(chunk) if rng.random() < 0.5 else 0)] = chunk
    return bytes(out)


def other_encoding(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", errors="replace")
    encoding = rng.choice(("gb18030", "gbk", "big5", "utf-16", "utf-16-le", "shift_jis", "latin-1", "utf-8-sig"))
    encoded = text.encode(encoding, errors="replace")
    if rng.random() < 0.3:  # half re-encoded: a file spliced from two sources
        cut = rng.randrange(len(data) + 1)
        return data[:cut] + encoded[cut:]
    return encoded


def huge_number(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    numbered = [i for i, line in enumerate(lines) if any(48 <= b <= 57 for b in line)]
    i = rng.choice(numbered) if numbered else 0
    big = rng.choice((b"9" * rng.choice((20, 400, 5000)), b"1" + b"0" * 4300, b"1e308", b"-" * 3 + b"9" * 30,
                      b"1," * 2000 + b"000", b"9" * 30 + "万元".encode()))
    lines[i] = bytes(b if not 48 <= b <= 57 else 0 for b in lines[i]).replace(b"\x00", b"") + big
    return b"\n".join(lines)


def long_line(rng: random.Random, data: bytes) -> bytes:
    unit = rng.choice(("政府信息公开", "一、", "\t", "|", " ", "第二十条第(", "1", "(一)", "增", "、"))
    line = (unit * (rng.choice((10_000, 200_000)) // len(unit) + 1)).encode()
    lines = _lines(data)
    lines.insert(rng.randrange(len(lines) + 1), line)
    return b"\n".join(lines)


def many_lines(rng: random.Random, data: bytes) -> bytes:
    filler = rng.choice((b"", b"\t", b" |", b"|||", b"\t0", b"0", "三、收到和处理政府信息公开申请情况".encode()))
    lines = _lines(data)
    at = rng.randrange(len(lines) + 1)
    return b"\n".join(lines[:at] + [filler] * rng.choice((1000, 50_000)) + lines[at:])


def blow_up(rng: random.Random, data: bytes) -> bytes:
    """About 10 MB: the report repeated, or padded with prose or cells."""
    how = rng.choice(("repeat", "prose", "cells"))
    if how == "repeat":
        return (data + b"\n") * (BIG // (len(data) + 1) + 1)
    pad = "今年政府信息公开工作取得新成效。\n".encode() if how == "prose" else b"\t0\n"
    return data + pad * (BIG // len(pad))


MUTATIONS: dict[str, Mutation] = {
    "truncate": truncate, "delete_lines": delete_lines, "duplicate_lines": duplicate_lines,
    "shuffle_lines": shuffle_lines, "swap_digits": swap_digits, "random_bytes": random_bytes,
    "other_encoding": other_encoding, "huge_number": huge_number, "long_line": long_line,
    "many_lines": many_lines, "blow_up": blow_up,
}
# Relative frequency: the expensive mutations are rare.
WEIGHTS = {"long_line": 3, "many_lines": 2, "blow_up": 0.02}


def _splice(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """``data`` with each (start, end) span replaced (spans must not overlap)."""
    out = bytearray(data)
    for start, end, new in sorted(edits, reverse=True):
        out[start:end] = new
    return bytes(out)


def _pick(rng: random.Random, matches: list[re.Match], k: tuple[int, ...] = (1,)) -> list[re.Match]:
    return rng.sample(matches, min(len(matches), rng.choice(k)))


# -- HTML: markup a page's parser, span layout and script scanner must survive -------------------

_TAG = re.compile(rb"<(/?)([A-Za-z][\w:.-]*)\b[^<>]*>")
_TABLE_TAGS = {b"table", b"tbody", b"tr", b"td", b"th", b"p", b"div", b"span"}
_SPAN_ATTR = re.compile(rb"\s(?:rowspan|colspan)\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]*)", re.I)


def _tags(data: bytes, closing: bool, names: set[bytes] | None = None) -> list[re.Match]:
    return [m for m in _TAG.finditer(data) if bool(m.group(1)) == closing
            and (names is None or m.group(2).lower() in names)]


def unclose_tags(rng: random.Random, data: bytes) -> bytes:
    """Closing tags dropped, as pages cut and pasted by hand have them (the parser must guess the tree)."""
    ends = _tags(data, True, _TABLE_TAGS if rng.random() < 0.7 else None)
    return _splice(data, [(m.start(), m.end(), b"") for m in _pick(rng, ends, (1, 5, 50, 1000))])


def duplicate_tags(rng: random.Random, data: bytes) -> bytes:
    """A tag, or a whole row, repeated: stray <td>/<tr>/<table> openings, thousands of copied rows."""
    if rng.random() < 0.5 and (rows := list(re.finditer(rb"<tr\b.*?</tr>", data, re.S | re.I))):
        m = rng.choice(rows)
        return data[:m.end()] + m.group(0) * rng.choice((1, 20, 2000)) + data[m.end():]
    m = rng.choice(_tags(data, rng.random() < 0.3, _TABLE_TAGS if rng.random() < 0.7 else None) or [None])
    at = m.end() if m else 0
    return data[:at] + (m.group(0) if m else b"<td>") * rng.choice((1, 10, 1000)) + data[at:]


SPANS = ("0", "-1", "-2147483648", "2147483648", "1000000", "65534", "99999999999999999999", "1e9", "abc", "",
         "3.7", " 2 ", "0x10", "２", "1" * 5000)


def odd_spans(rng: random.Random, data: bytes) -> bytes:
    """Cells with huge, zero, negative or unparsable rowspan / colspan (a span must not become a grid of its size)."""
    cells = _tags(data, False, {b"td", b"th"}) or _tags(data, False)
    edits = []
    for m in _pick(rng, cells, (1, 3, 30, 10_000)):
        attr = rng.choice((b"rowspan", b"colspan"))
        value = rng.choice(SPANS).encode()
        quoted = rng.choice((b'"%s"', b"'%s'", b"%s")) % value
        tag = _SPAN_ATTR.sub(b"", m.group(0)) if rng.random() < 0.7 else m.group(0)  # else the attribute twice
        end = len(m.group(2)) + 1 + len(m.group(1))
        edits.append((m.start(), m.end(), tag[:end] + b" " + attr + b"=" + quoted + tag[end:]))
    return _splice(data, edits)


def nest_tables(rng: random.Random, data: bytes) -> bytes:
    """A table inside one of its own cells, or tables / divs nested thousands deep (a recursive walk overflows)."""
    tables = list(re.finditer(rb"<table\b.*?</table>", data, re.S | re.I))
    cells = _tags(data, False, {b"td", b"th"})
    if tables and cells and rng.random() < 0.5:
        table, cell = rng.choice(tables), rng.choice(cells)
        return data[:cell.end()] + table.group(0) * rng.choice((1, 2)) + data[cell.end():]
    depth = rng.choice((50, 300, 5_000, 50_000))
    opening, closing = rng.choice(((b"<table><tr><td>", b"</td></tr></table>"), (b"<div>", b"</div>"),
                                   (b"<span><b>", b"</b></span>"), (b"<ul><li>", b"</li></ul>")))
    at = rng.choice(cells).end() if cells else rng.randrange(len(data) + 1)
    inner = "行政许可".encode() + b"</td><td>5" * (opening[:6] == b"<table")
    return data[:at] + opening * depth + inner + closing * depth * rng.choice((0, 1)) + data[at:]


ENTITIES = ("&nbsp", "&nbsp;" * 3000, "&#99999999999;", "&#x110000;", "&#0;", "&#xD800;", "&#-5;", "&;", "&amp",
            "&amp;amp;lt;", "&unknown;", "&#x;", "&" * 3000, "&#" + "9" * 5000 + ";", "&#12288;", "&#x3000",
            "&lt;table&gt;", "&#65279;")


def broken_entities(rng: random.Random, data: bytes) -> bytes:
    """Entity references half-written, out of Unicode, surrogates, NUL, endless runs of &."""
    after_tags = [m.end() for m in _TAG.finditer(data)] or [0]
    at = set(rng.sample(after_tags, min(len(after_tags), rng.choice((1, 5, 50)))))
    return _splice(data, [(i, i, rng.choice(ENTITIES).encode()) for i in at])


def bad_script(rng: random.Random, data: bytes) -> bytes:
    """A <script> whose string literal never ends, or runs of quotes and backslashes (scanning must stay linear)."""
    scripts = list(re.finditer(rb"<script\b[^>]*>(.*?)</script>", data, re.S | re.I))
    quotes = [m.start(1) + i for m in scripts for i, b in enumerate(m.group(1)) if b in b"\"'`"]
    if quotes and rng.random() < 0.3:  # an existing literal left open
        i = rng.choice(quotes)
        return data[:i] + data[i + 1:]
    body = rng.choice((b'var a = "' + data[rng.randrange(len(data) + 1):][:50_000], b"var a = '<table><tr><td>",
                       b'"' * 20_000, b"'" * 20_000, b"`" * 20_000, b"\\" * 20_001 + b'"', b'"\\' * 20_000,
                       b"'a" * 20_000, b'document.write("' + "行政许可".encode() * 10_000, b"/*" + b"'" * 10_000))
    end = rng.choice((b"</script>", b"</script>", b""))
    at = rng.choice([m.start() for m in _TAG.finditer(data)] or [0])
    return data[:at] + b"<script>" + body + end + data[at:]


CHARSETS = ("gbk", "gb2312", "big5", "utf-16", "utf-16-le", "utf-32", "shift_jis", "iso-8859-1", "utf-7",
            "x-user-defined", "bogus-charset", "", "utf-8\x00", "hz-gb-2312", "cp1252", "ebcdic-cp-us", "x" * 300)


def other_charset(rng: random.Random, data: bytes) -> bytes:
    """Another charset declared than the bytes are in (or an unknown one), maybe with a BOM or an XML declaration."""
    charset = rng.choice(CHARSETS).encode()
    declared = re.sub(rb"(charset\s*=\s*[\"']?)[\w.:-]+", lambda m: m.group(1) + charset, data, count=1, flags=re.I)
    if declared == data:
        declared = b'<meta charset="' + charset + b'">' + data
    how = rng.choice(("meta", "meta", "bom", "xml"))
    if how == "bom":
        return rng.choice((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) + declared
    return b'<?xml version="1.0" encoding="' + charset + b'"?>\n' + declared if how == "xml" else declared


HTML_MUTATIONS: dict[str, Mutation] = {
    "unclose_tags": unclose_tags, "duplicate_tags": duplicate_tags, "odd_spans": odd_spans,
    "nest_tables": nest_tables, "broken_entities": broken_entities, "bad_script": bad_script,
    "other_charset": other_charset, "truncate": truncate, "random_bytes": random_bytes,
    "delete_lines": delete_lines, "duplicate_lines": duplicate_lines, "swap_digits": swap_digits,
    "huge_number": huge_number, "other_encoding": other_encoding, "blow_up": blow_up,
}
HTML_WEIGHTS = {"truncate": 4, "random_bytes": 4, "delete_lines": 2, "duplicate_lines": 2, "swap_digits": 2,
                "huge_number": 2, "other_encoding": 3, "blow_up": 0.02}


# -- .docx: the zip container, and the WordprocessingML in word/document.xml ----------------------

DOCUMENT = "word/document.xml"
_KEY_MEMBERS = ("[Content_Types].xml", "_rels/.rels", DOCUMENT, "word/_rels/document.xml.rels", "word/styles.xml")


def _zipped(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        warnings.simplefilter("ignore")  # "Duplicate name": duplicate_member means it
        for name, content in members:
            z.writestr(name, content)
    return buf.getvalue()


def on_members(mutate: Callable[[random.Random, list[tuple[str, bytes]]], list[tuple[str, bytes]]]) -> Mutation:
    """A mutation of a zip's members (name, content), rezipped; bytes no longer a zip get random bytes instead."""
    @functools.wraps(mutate)
    def mutation(rng: random.Random, data: bytes) -> bytes:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                members = [(i.filename, z.read(i)) for i in z.infolist()]
        except Exception:  # an earlier mutation broke the container
            return random_bytes(rng, data)
        return _zipped(mutate(rng, members) if members else [(DOCUMENT, b"")])
    return mutation


def on_document(mutate: Mutation) -> Mutation:
    """A mutation of word/document.xml (of another member when it is gone)."""
    @functools.wraps(mutate)
    @on_members
    def mutation(rng: random.Random, members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
        names = [name for name, _ in members]
        i = names.index(DOCUMENT) if DOCUMENT in names else rng.randrange(len(members))
        members[i] = (members[i][0], mutate(rng, members[i][1]) if members[i][1] else b"<w:document/>")
        return members
    return mutation


def _key_member(rng: random.Random, members: list[tuple[str, bytes]]) -> int:
    names = [name for name, _ in members]
    key = [i for i, name in enumerate(names) if name in _KEY_MEMBERS]
    return rng.choice(key) if key and rng.random() < 0.7 else rng.randrange(len(members))


@on_members
def drop_member(rng, members):
    """A part gone: the content types, the relationships, the document itself."""
    del members[_key_member(rng, members)]
    return members


@on_members
def duplicate_member(rng, members):
    """Two members of one name (which one a reader takes is up to it), the second maybe different."""
    name, content = members[_key_member(rng, members)]
    other = rng.choice((content, b"", rng.randbytes(100), rng.choice(members)[1], content[: len(content) // 2]))
    members.insert(rng.randrange(len(members) + 1), (name, other))
    return members


@on_members
def corrupt_member(rng, members):
    """A part's content replaced: random bytes, cut short, empty, another part's XML, or not XML at all."""
    i = _key_member(rng, members)
    name, content = members[i]
    members[i] = name, rng.choice((rng.randbytes(rng.choice((10, 5000))), content[: rng.randrange(len(content) + 1)],
                                   b"", rng.choice(members)[1], b"\xff\xfe<\x00w\x00:\x00", "<文档/>".encode("gbk"),
                                   random_bytes(rng, content)))
    return members


_ZIP_FIELDS = {  # header signature -> field name -> (offset, size)
    b"PK\x03\x04": {"flags": (6, 2), "method": (8, 2), "crc": (14, 4), "csize": (18, 4), "usize": (22, 4),
                    "namelen": (26, 2), "extralen": (28, 2)},
    b"PK\x01\x02": {"flags": (8, 2), "method": (10, 2), "crc": (16, 4), "csize": (20, 4), "usize": (24, 4),
                    "namelen": (28, 2), "extralen": (30, 2), "offset": (42, 4)},
    b"PK\x05\x06": {"entries": (10, 2), "cdsize": (12, 4), "cdoffset": (16, 4)},
}


def zip_headers(rng: random.Random, data: bytes) -> bytes:
    """A header field rewritten: wrong sizes or CRC, an unknown or bzip2 method, the encrypted flag, bad offsets."""
    headers = [m for sig in _ZIP_FIELDS for m in re.finditer(re.escape(sig), data)]
    if not headers:
        return random_bytes(rng, data)
    out = bytearray(data)
    for m in _pick(rng, headers, (1, 1, 3)):
        offset, size = rng.choice(list(_ZIP_FIELDS[m.group(0)].values()))
        at = m.start() + offset
        old = int.from_bytes(out[at: at + size], "little")
        new = rng.choice((0, 1, old + 1, max(old - 1, 0), 12, 14, 99, 8, 0x41, 2 ** (8 * size) - 1,
                          rng.randrange(2 ** (8 * size)), old * 1000))
        out[at: at + size] = (new % 2 ** (8 * size)).to_bytes(size, "little")
    return bytes(out)


@on_document
def zip_bomb(rng, xml):
    """The document inflated to about 100 MB that zips to a few hundred KB: the reader must not unpack it whole."""
    filler = rng.choice((b" ", b"<w:p/>", b"<w:p><w:r><w:t>0</w:t></w:r></w:p>", "行".encode(),
                         b"<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"))
    at = xml.rfind(b"</w:body>")
    at = at if at >= 0 else len(xml)
    return xml[:at] + filler * (rng.choice((20, 100)) * 2 ** 20 // len(filler)) + xml[at:]


@on_document
def xml_truncate(rng, xml):
    return xml[: rng.randrange(len(xml) + 1)]


@on_document
def xml_bytes(rng, xml):
    """Bytes flipped inside the XML: tags, attributes, UTF-8 sequences broken."""
    return random_bytes(rng, xml)


@on_document
def xml_digits(rng, xml):
    """The cells' numbers changed (and the attributes' numbers with them)."""
    return swap_digits(rng, xml)


_ELEMENT = {name: re.compile(rb"<w:%s\b[^>]*?(?:/>|>.*?</w:%s>)" % (name, name), re.S)
            for name in (b"tbl", b"tr", b"tc", b"p", b"r", b"tcPr", b"tblGrid", b"gridCol", b"t", b"body")}


def _elements(rng: random.Random, xml: bytes) -> list[re.Match]:
    name = rng.choice([b"tr", b"tc", b"tc", b"p", b"tbl", b"tcPr", b"tblGrid", b"gridCol", b"r", b"t", b"body"])
    return list(_ELEMENT[name].finditer(xml)) or list(_ELEMENT[b"p"].finditer(xml))


@on_document
def delete_element(rng, xml):
    """Rows, cells, grids or paragraphs gone — whole, or only their start or end tag (the XML no longer parses)."""
    edits = []
    for m in _pick(rng, _elements(rng, xml), (1, 1, 5)):
        whole = m.group(0)
        how = rng.choice(("whole", "whole", "start", "end"))
        cut = {"whole": (0, len(whole)), "start": (0, whole.find(b">") + 1),
               "end": (max(whole.rfind(b"</"), 0), len(whole))}[how]
        edits.append((m.start() + cut[0], m.start() + cut[1], b""))
    return _splice(xml, edits)


@on_document
def duplicate_element(rng, xml):
    """A row, cell, table or paragraph repeated (a row 500 times over makes a long table)."""
    m = rng.choice(_elements(rng, xml) or [None])
    if m is None:
        return xml + b"<w:p/>"
    return xml[:m.end()] + m.group(0) * rng.choice((1, 3, 500)) + xml[m.end():]


@on_document
def odd_merges(rng, xml):
    """Huge, zero, negative or junk w:gridSpan; w:vMerge continuing nothing, restarting everywhere, junk values."""
    cells = list(re.finditer(rb"<w:tcPr>|<w:tcPr/>", xml)) or list(re.finditer(rb"<w:tc>", xml))
    edits = []
    for m in _pick(rng, cells, (1, 3, 20, 10_000)):
        if rng.random() < 0.5:
            prop = b'<w:gridSpan w:val="%s"/>' % rng.choice(SPANS[:12]).encode()
        else:
            prop = rng.choice((b'<w:vMerge w:val="continue"/>', b'<w:vMerge w:val="restart"/>', b"<w:vMerge/>",
                               b'<w:vMerge w:val="bogus"/>', b'<w:vMerge w:val=""/>'))
        tag = m.group(0)
        edits.append((m.start(), m.end(), b"<w:tcPr>" + prop + b"</w:tcPr>" if tag.endswith(b"/>")
                      else tag + (b"<w:tcPr>" + prop + b"</w:tcPr>" if tag == b"<w:tc>" else prop)))
    existing = list(re.finditer(rb'(<w:gridSpan w:val=")(\d+)', xml))
    edits = [e for e in edits if not any(e[0] < x.end() and x.start() < e[1] for x in existing)]
    edits += [(x.start(2), x.end(2), rng.choice(SPANS[:12]).encode()) for x in _pick(rng, existing, (0, 1, 100))]
    return _splice(xml, edits)


DTDS = (  # exponential entities, an external file, a parameter entity, an undefined entity, a huge internal subset
    b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY %c "%s">' % (98 + i, b"&%c;" % (97 + i) * 10) for i in range(9)) + b"]>",
    b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE w:document [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>',
    b'<!DOCTYPE w:document SYSTEM "http://127.0.0.1:9/word.dtd">',
    b"<!DOCTYPE w:document [" + b'<!ENTITY e "e">' * 20_000 + b"]>",
)


@on_document
def dtd_entities(rng, xml):
    """A DOCTYPE before the root (entity expansion, external entities) and an entity used in a run's text."""
    dtd = rng.choice(DTDS)
    name = re.search(rb"<!ENTITY (\w+)", dtd)
    ref = b"&%s;" % (b"j" if dtd is DTDS[0] else name.group(1) if name else b"undefined")
    decl = re.match(rb"<\?xml[^>]*\?>\s*", xml)
    at = decl.end() if decl else 0
    texts = [m.end() for m in re.finditer(rb"<w:t>|<w:t [^>]*>", xml) if m.start() > at]
    use = rng.choice(texts) if texts and rng.random() < 0.8 else None
    xml = xml[:use] + ref + xml[use:] if use else xml
    return xml[:at] + dtd + xml[at:]


DOCX_MUTATIONS: dict[str, Mutation] = {
    "drop_member": drop_member, "duplicate_member": duplicate_member, "corrupt_member": corrupt_member,
    "zip_headers": zip_headers, "zip_bomb": zip_bomb, "xml_truncate": xml_truncate, "xml_bytes": xml_bytes,
    "xml_digits": xml_digits, "delete_element": delete_element, "duplicate_element": duplicate_element,
    "odd_merges": odd_merges, "dtd_entities": dtd_entities, "truncate": truncate, "random_bytes": random_bytes,
}
DOCX_WEIGHTS = {"zip_bomb": 0.3, "truncate": 4, "random_bytes": 4}


# -- PDF: objects, streams, the cross-reference table and the page tree --------------------------

_OBJECT = re.compile(rb"\d+ \d+ obj\b.*?endobj\s*", re.S)
_STREAM = re.compile(rb"(<<(?:[^<>]|<<[^<>]*>>)*>>)(\s*stream\r?\n)(.*?)(\r?\nendstream)", re.S)
_LENGTH = re.compile(rb"/Length\s+(\d+(?:\s+\d+\s+R)?)")
CONTENT_JUNK = (b"BT", b"ET", b"(", b")", b"1e999 0 0 1e999 0 0 cm", b"/F1 -0 Tf", b"[(\xe4\xb8) 99999999999 (x)] TJ",
                b"q " * 5000, b"Q " * 5000, b"<4e2d" + b"ff" * 1000 + b"> Tj", b"0 0 m 1 1 l " * 5000,
                b"99999999999999999999 0 Td", b"BI /W 1 /H 1 ID \xff EI")


def pdf_streams(rng: random.Random, data: bytes) -> bytes:
    """Bytes flipped in a stream: its compressed bytes, or its decoded page content (operators, strings, numbers)."""
    streams = list(_STREAM.finditer(data))
    if not streams:
        return random_bytes(rng, data)
    m = rng.choice(streams)
    head, body = m.group(1), m.group(3)
    if b"/FlateDecode" in head and rng.random() < 0.6:
        try:
            plain = zlib.decompressobj().decompress(body)
        except zlib.error:
            plain = None
        if plain is not None:
            at = rng.sample(range(len(plain) + 1), min(len(plain) + 1, rng.choice((1, 5))))
            junk = [(i, i, rng.choice(CONTENT_JUNK) + b" ") for i in at]
            plain = _splice(random_bytes(rng, plain) if rng.random() < 0.5 else plain, junk)
            body = zlib.compress(plain)
            head = _LENGTH.sub(b"/Length %d" % len(body), head, count=1)
            return data[:m.start()] + head + m.group(2) + body + m.group(4) + data[m.end():]
    return data[:m.start(3)] + random_bytes(rng, body) + data[m.end(3):]


def pdf_xref(rng: random.Random, data: bytes) -> bytes:
    """The cross-reference table or startxref wrong: offsets changed, entries cut, the table gone."""
    at, end = data.rfind(b"xref"), data.rfind(b"trailer")
    how = rng.choice(("digits", "digits", "startxref", "delete", "count"))
    if at < 0 or end < at or how == "startxref":
        m = list(re.finditer(rb"startxref\s+(\d+)", data)) or None
        if not m:
            return random_bytes(rng, data)
        new = str(rng.choice((0, 1, int(m[-1].group(1)) + rng.choice((-7, 1, 13)), 10 ** 12))).encode()
        return data[:m[-1].start(1)] + new + data[m[-1].end(1):]
    table = data[at:end]
    new = {"digits": lambda: swap_digits(rng, table), "delete": lambda: b"",
           "count": lambda: re.sub(rb"(xref\s+\d+ )(\d+)", lambda x: x.group(1) + rng.choice((b"0", b"1", b"99999999")),
                                   table, count=1)}[how]()
    return data[:at] + new + data[end:]


def delete_object(rng: random.Random, data: bytes) -> bytes:
    """Objects removed (the page tree, a page, its content, the font) while the xref still points at them."""
    objects = list(_OBJECT.finditer(data))
    return _splice(data, [(m.start(), m.end(), b"") for m in _pick(rng, objects, (1, 1, 3))])


_PAGE = re.compile(rb"\d+ \d+ obj\s*(<<[^<>]*?/Type\s*/Page\b[^<>]*>>)")


def _more_pages(rng: random.Random, data: bytes, tree: int) -> bytes:
    """An incremental update (as editors append one) that gives the page tree ``tree`` hundreds of distinct page
    objects copied from the file's own, so a 60 KB file has 1000 pages (a reader dedupes repeated references)."""
    pages = [m.group(1) for m in _PAGE.finditer(data)]
    size = re.findall(rb"/Size\s+(\d+)", data)
    startxref = re.findall(rb"startxref\s+(\d+)", data)
    if not pages or not size or not startxref:
        return random_bytes(rng, data)
    first, copies = int(size[-1]), rng.choice((2, 5, 30, 300, 1000))
    objects = [(first + i, rng.choice(pages)) for i in range(copies)]
    old = re.search(rb"\b%d 0 obj\s*(<<[^<>]*>>)" % tree, data)  # the tree keeps its /MediaBox, which pages inherit
    body = old.group(1) if old else b"<< /Type /Pages /Kids [] /Count 0 >>"
    kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
    kids = (kids.group(1) if kids else b"") + b"".join(b" %d 0 R" % n for n, _ in objects)
    body = re.sub(rb"/Kids\s*\[[^\]]*\]", b"/Kids [%s]" % kids, body)
    body = re.sub(rb"/Count\s+-?\d+", b"/Count %d" % len(re.findall(rb"\d+ \d+ R", kids)), body)
    objects.append((tree, body))
    out, offsets = bytearray(data + b"\n"), {}
    for n, body in objects:
        offsets[n] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n" + b"".join(b"%d 1\n%010d 00000 n \n" % (n, offsets[n]) for n in offsets)
    root = re.findall(rb"/Root\s+(\d+ \d+ R)", data)
    out += b"trailer\n<< /Size %d /Root %s /Prev %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        first + copies, root[-1] if root else b"2 0 R", startxref[-1], xref)
    return bytes(out)


def duplicate_pages(rng: random.Random, data: bytes) -> bytes:
    """The page tree grown to hundreds of pages, its /Kids repeated or looped back to itself, a wrong /Count,
    or no /MediaBox left for the pages to inherit."""
    m = re.search(rb"/Kids\s*\[([^\]]*)\]", data)
    own = m and re.search(rb"(\d+) \d+ obj\s*<<(?:(?!endobj).)*?/Kids", data[:m.end()], re.S)
    if not own:
        return random_bytes(rng, data)
    how = rng.choice(("grow", "grow", "grow", "repeat", "loop", "count", "mediabox"))
    if how == "grow":
        return _more_pages(rng, data, int(own.group(1)))
    if how == "mediabox":
        return re.sub(rb"/MediaBox\s*\[[^\]]*\]", b"", data)
    kids = m.group(1)
    kids = (kids + b" " + own.group(1) + b" 0 R" if how == "loop" else
            b" ".join([kids] * rng.choice((2, 1000))) if how == "repeat" else kids)
    data = data[:m.start(1)] + kids + data[m.end(1):]
    count = re.search(rb"/Count\s+(-?\d+)", data)
    if count:
        new = str(rng.choice((0, -1, 1, 10 ** 9, 2 ** 63))).encode()
        data = data[:count.start(1)] + new + data[count.end(1):]
    return data


def bad_length(rng: random.Random, data: bytes) -> bytes:
    """A stream's /Length wrong: off by one, zero, negative, past the end, not a number, a missing object."""
    lengths = list(_LENGTH.finditer(data))
    edits = []
    for m in _pick(rng, lengths, (1, 1, 5)):
        n = int(m.group(1).split()[0])
        new = rng.choice((0, -1, n + 1, n - 1, n * 100, 10 ** 20, "abc", "999 0 R", "1e10", "", 2 ** 31))
        edits.append((m.start(1), m.end(1), str(new).encode()))
    return _splice(data, edits)


def pdf_nesting(rng: random.Random, data: bytes) -> bytes:
    """Arrays or dictionaries nested thousands deep in an object (a recursive resolver overflows)."""
    objects = list(re.finditer(rb"\d+ \d+ obj\s*<<", data))
    at = rng.choice(objects).end() if objects else rng.randrange(len(data) + 1)
    opening, closing = rng.choice(((b"[", b"]"), (b"<<", b">>"), (b"<</A ", b">>")))
    depth = rng.choice((100, 2_000, 100_000))
    return data[:at] + b"/X " + opening * depth + closing * depth * rng.choice((0, 1)) + b" " + data[at:]


PDF_MUTATIONS: dict[str, Mutation] = {
    "pdf_streams": pdf_streams, "pdf_xref": pdf_xref, "delete_object": delete_object,
    "duplicate_pages": duplicate_pages, "bad_length": bad_length, "pdf_nesting": pdf_nesting,
    "truncate": truncate, "random_bytes": random_bytes,
}
PDF_WEIGHTS = {"truncate": 5, "random_bytes": 5, "duplicate_pages": 4, "pdf_nesting": 4}

FORMATS = ("txt", "html", "docx", "pdf")
FORMAT_MUTATIONS: dict[str, tuple[dict[str, Mutation], dict[str, float]]] = {
    "txt": (MUTATIONS, WEIGHTS), "html": (HTML_MUTATIONS, HTML_WEIGHTS),
    "docx": (DOCX_MUTATIONS, DOCX_WEIGHTS), "pdf": (PDF_MUTATIONS, PDF_WEIGHTS),
}
SUFFIX = {"txt": ".txt", "html": ".html", "docx": ".docx", "pdf": ".pdf"}


class Case(NamedTuple):
    number: int
    base: str
    mutations: tuple[str, ...]
    data: bytes
    fmt: str = "txt"
    name: str | None = None  # the file name read_report is given (None: case-N); without a suffix, sniffing decides


def synth_doc(s: synth.Synthetic) -> D.Doc | None:
    """A tabbed synthetic report as documents.Doc blocks: its prose lines, its tables as printed (cells with spans).

    In the tabbed text a table runs from its first TAB line to the two blank
    lines after it; None if the text does not split into three tables so.
    """
    parts = re.split(r"\n\t.*?(?=\n\n\n)", s.text, flags=re.S)
    if len(parts) != len(s.printed) + 1:
        return None
    doc: D.Doc = []
    for prose, printed in zip(parts, [*s.printed.values(), None]):
        doc += [line.strip() for line in prose.split("\n") if line.strip()]
        if printed:
            cells = printed.cells
            doc.append([[(c.text.replace("\n", ""), c.rowspan, c.colspan) for c in cells if c.row == r]
                        for r in range(max(c.row for c in cells) + 1)])
    return doc


def documents(seed: int, generated: int) -> list[tuple[str, D.Doc]]:
    """The two reports tests/documents.py writes (seed 003's tables, a 2021 county) and ``generated`` synthetic ones."""
    out = [("huining", D.huining_2020()), ("heqing", D.county_2021())]
    i = 0
    while len(out) < 2 + generated:
        s = synth.generate(seed * 1000 + 500 + i, layout="tabbed", template=("2019", "2021")[len(out) % 2])
        if doc := synth_doc(s):
            out.append((f"synth-{seed}-{i}", doc))
        i += 1
    return out


def _to_gbk_html(doc: D.Doc, title: str) -> bytes:
    """The page in GBK, as most government sites serve it (GB18030 when a cell holds what GBK lacks, e.g. NBSP)."""
    try:
        return D.to_html(doc, title, "gbk")
    except UnicodeEncodeError:
        return D.to_html(doc, title, "gb18030")


def bases(seed: int, formats: tuple[str, ...] = FORMATS, generated: int = 60, generated_docs: int = 4,
          ) -> dict[str, list[tuple[str, bytes]]]:
    """Base documents by format: for text the seed reports and ``generated`` synthetic ones (every layout and
    template); for HTML, .docx and PDF the reports tests/documents.py writes, and ``generated_docs`` synthetic
    ones (HTML also GBK-encoded, rendered by a script, and the government-site fixture page)."""
    out: dict[str, list[tuple[str, bytes]]] = {}
    if "txt" in formats:
        out["txt"] = [(p.name, p.read_bytes()) for p in SEEDS]
        for i in range(generated):
            s = synth.generate(seed * 1000 + i, layout=synth.LAYOUTS[i % 3], template=("2019", "2021")[i // 3 % 2])
            out["txt"].append((f"synth-{seed}-{i}", s.data))
    docs = documents(seed, generated_docs) if set(formats) - {"txt"} else []
    if "html" in formats:
        out["html"] = [(FIXTURE.name, FIXTURE.read_bytes())] + [
            (f"{name}.{how}", write(doc, doc[0])) for name, doc in docs for how, write in
            (("html", D.to_html), ("html-gbk", _to_gbk_html), ("html-script", D.to_html_in_script))]
    if "docx" in formats:
        out["docx"] = [(f"{name}.docx", D.to_docx(doc)) for name, doc in docs]
    if "pdf" in formats:
        out["pdf"] = [(f"{name}.pdf", D.to_pdf(doc)) for name, doc in docs]
    return out


def cases(n: int, seed: int = 0, formats: tuple[str, ...] = FORMATS, pool: dict | None = None) -> Iterator[Case]:
    """``n`` fuzz cases spread evenly over ``formats``, the same for the same seed (text alone: as before formats).

    ``pool`` is :func:`bases` (made once by a caller that draws several samples).
    An HTML, .docx or PDF case is named with its suffix, one in five without
    one, so that the sniffers meet mangled input too.
    """
    rng = random.Random(seed)
    pool = pool or bases(seed, formats)
    for number in range(n):
        fmt = formats[0] if len(formats) == 1 else rng.choice(formats)
        mutations, weights = FORMAT_MUTATIONS[fmt]
        names = list(mutations)
        base, data = rng.choice(pool[fmt])
        applied = tuple(rng.choices(names, [weights.get(m, 10) for m in names], k=rng.choice((1, 1, 2, 3))))
        for m in applied:
            data = mutations[m](rng, data) if data else data
        name = None if fmt == "txt" or rng.random() < 0.2 else f"case-{number}{SUFFIX[fmt]}"
        yield Case(number, base, applied, data, fmt, name)


# Seconds one input may take: a base plus a rate per MB, by format. Measured on the base documents (2 shared
# cores): a text report reads in ~25 ms and a MB of table cells in ~2 s; an HTML page of 70-120 KB in 25-130 ms;
# a .docx of 40 KB in 20-60 ms; a PDF in 0.26-0.35 s for 50-60 KB (2 pages) and ~1 s for 117 KB (3 pages). Over
# 20,000 mutated cases the medians were 8 ms (text), 43 ms (HTML), 7 ms (.docx, many refused at once) and 370 ms
# (PDF). So PDF gets 8 s plus 40 s per MB: some 20× a real file's time, less than a page tree grown to 1000 pages;
# a .docx 3 s plus 20 s per MB, its XML being 5-15× its zipped size.
# The limit is on the reader's CPU time: on a shared machine the wall clock runs 3-5× faster than a process's
# CPU at times (load 8 on 2 cores), which made slow-looking failures of inputs that take a second of CPU. A hang
# that takes no CPU (a blocked read, a sleep) is caught by the wall clock, at WALL_FACTOR times the limit.
TIME_LIMITS = {"txt": (2.0, 4.0), "html": (2.0, 4.0), "docx": (3.0, 20.0), "pdf": (8.0, 40.0)}
WALL_FACTOR = 3


def time_limit(size: int, fmt: str = "txt") -> float:
    """CPU seconds an input of ``size`` bytes in ``fmt`` may take (text: 2 s, plus 4 s per MB)."""
    base, per_mb = TIME_LIMITS[fmt]
    return base + per_mb * size / 2 ** 20


class Timeout(BaseException):
    """What :func:`deadline` raises: not an Exception, so that no ``except Exception`` in a reader or a library
    takes it for a parse error (pdfminer's parser swallows every Exception around its debug logging, and
    reading went on for minutes; a reader's catch-all would make a hang a ReportError)."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise :class:`Timeout` in the main thread when the process has used ``seconds`` of CPU, or when
    :data:`WALL_FACTOR` times as many pass on the clock."""
    def expire(signum, frame):
        raise Timeout(f"still running after {seconds:.1f} s of CPU" if signum == signal.SIGPROF
                      else f"still waiting after {WALL_FACTOR * seconds:.1f} s")

    timers = ((signal.SIGPROF, signal.ITIMER_PROF, seconds), (signal.SIGALRM, signal.ITIMER_REAL, WALL_FACTOR * seconds))
    previous = [signal.signal(signum, expire) for signum, _, _ in timers]
    for _, timer, after in timers:
        signal.setitimer(timer, after)
    try:
        yield
    finally:
        for (signum, timer, _), handler in zip(timers, previous):
            signal.setitimer(timer, 0)
            signal.signal(signum, handler)


class Result(NamedTuple):
    outcome: str  # report | report_error | failure
    seconds: float  # wall clock
    peak: int | None  # peak Python allocation in bytes, measured for large inputs
    problem: str | None
    rss: int | None = None  # growth of the process's peak resident memory while reading (Linux), bytes
    cpu: float | None = None  # CPU seconds (what the time limit is on)


def read(case: Case, limit: float) -> tuple[str, str | None]:
    """(outcome, problem) of reading one case and building its frames within ``limit`` seconds."""
    try:
        with deadline(limit):
            report = gkdata.read_report(case.data, name=case.name or f"case-{case.number}")
            for table in ("disclosure", "applications", "appeals", "narrative", "findings"):
                getattr(report, table)  # its frames must build too
    except gkdata.ReportError:
        return "report_error", None
    except (Exception, Timeout):  # the bug this script looks for: anything but ReportError, or a hang
        return "failure", traceback.format_exc()  # whole: the frame that raised is what a fix needs
    return "report", None


def _rss() -> tuple[int, int] | None:
    """(current, peak) resident memory in bytes from /proc (None elsewhere)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    kb = dict(re.findall(r"(VmRSS|VmHWM):\s+(\d+)", status))
    return int(kb["VmRSS"]) * 1024, int(kb["VmHWM"]) * 1024


def _reset_rss_peak() -> tuple[int, int] | None:
    """Reset the peak to the current resident memory (Linux: writing 5 to clear_refs) and return _rss()."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return None
    return _rss()


def run(case: Case) -> Result:
    """Read one case; a failure is any exception but ReportError, a timeout or memory out of proportion.

    An input of 1 MB or more is read a second time under tracemalloc for its
    peak memory (tracing slows reading several times, so it is not timed).
    Every input's growth of peak resident memory is bounded too: tracemalloc
    sees neither lxml's nor pdfium's allocations, and a zip or stream bomb is
    a small input.
    """
    limit = time_limit(len(case.data), case.fmt)
    before = _reset_rss_peak()
    start, cpu_start = time.perf_counter(), time.process_time()
    outcome, problem = read(case, limit)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    if problem is None and (cpu > limit + 0.5 or seconds > WALL_FACTOR * limit + 0.5):  # an alarm was swallowed
        outcome, problem = "failure", f"took {cpu:.1f} s of CPU ({seconds:.1f} s), over its limit of {limit:.1f} s"
    after = _rss() if before else None
    rss = after[1] - before[0] if after else None
    if problem is None and rss is not None and rss > RSS_FACTOR * len(case.data) + RSS_BASE:
        outcome, problem = "failure", (f"peak resident memory grew {rss / 2 ** 20:.0f} MB "
                                       f"for {len(case.data) / 2 ** 20:.2f} MB")
    peak = None
    if problem is None and len(case.data) >= 2 ** 20:
        tracemalloc.start()
        read(case, 10 * limit)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        if peak > MEMORY_FACTOR * len(case.data) + 64 * 2 ** 20:
            outcome, problem = "failure", f"peak memory {peak / 2 ** 20:.0f} MB for {len(case.data) / 2 ** 20:.1f} MB"
    return Result(outcome, seconds, peak, problem, rss, cpu)


FUZZING = "## Fuzzing"


def record(results: Path, day: str, summary: list[str]) -> None:
    """Add a run's summary to the ``## Fuzzing`` section of a results file (made at its end if missing), after
    the runs recorded before; bench.py keeps the section when it writes the file again."""
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    entry = f"- {day}: " + "\n  ".join(summary) + "\n"
    if FUZZING + "\n" not in text:
        text = text.rstrip("\n") + f"\n\n{FUZZING}\n\nRuns of `python benchmarks/fuzz.py`, each as it printed its summary.\n\n"
        results.write_text(text + entry, encoding="utf-8")
        return
    head, _, rest = text.partition(FUZZING + "\n")
    nxt = rest.find("\n## ")
    body, tail = (rest, "") if nxt < 0 else (rest[:nxt + 1], rest[nxt + 1:])
    results.write_text(head + FUZZING + "\n" + body.rstrip("\n") + "\n" + entry + ("\n" + tail if tail else ""),
                       encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of cases (default 100000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help=f"comma-separated formats to mutate (default {','.join(FORMATS)})")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "fuzz-failures",
                        help="where failing cases are written")
    parser.add_argument("--record", type=Path, nargs="?", const=ROOT / "benchmarks" / "results.md",
                        help="add this run's summary to the Fuzzing section of a results file "
                             "(default benchmarks/results.md)")
    args = parser.parse_args(argv)
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    if not formats or set(formats) - set(FORMATS):
        parser.error(f"--formats: a comma-separated subset of {','.join(FORMATS)}")
    for logger in ("pdfminer", "pdfplumber"):  # their warnings on every broken stream drown the summary
        logging.getLogger(logger).setLevel(logging.ERROR)
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, resource.getrlimit(resource.RLIMIT_AS)[1]))
    outcomes: Counter[tuple[str, str]] = Counter()
    by_mutation: Counter[str] = Counter()
    seconds: defaultdict[str, list[float]] = defaultdict(list)  # CPU seconds
    slowest: list[tuple[float, str, tuple[str, ...], int]] = []  # CPU seconds, base, mutations, size
    peaks: list[tuple[int, int]] = []
    failures = 0
    started = time.perf_counter()
    for case in cases(args.n, args.seed, formats):
        result = run(case)
        outcomes[case.fmt, result.outcome] += 1
        by_mutation.update(f"{case.fmt}:{m}" for m in case.mutations)
        seconds[case.fmt].append(result.cpu)
        slowest = sorted([*slowest, (result.cpu, case.base, case.mutations, len(case.data))], reverse=True)[:5]
        if result.peak is not None:
            peaks.append((len(case.data), result.peak))
        if result.problem:
            failures += 1
            args.out.mkdir(parents=True, exist_ok=True)
            stem = args.out / f"seed{args.seed}-case{case.number}"
            stem.with_suffix(SUFFIX[case.fmt]).write_bytes(case.data)
            stem.with_suffix(".reason").write_text(f"{case.base} {case.mutations} name={case.name}\n{result.problem}",
                                                   encoding="utf-8")
            print(f"FAIL case {case.number} ({case.base}, {'+'.join(case.mutations)}): "
                  f"{result.problem.strip().splitlines()[-1][:300]}", flush=True)
        if (case.number + 1) % 1_000 == 0:
            print(f"{case.number + 1} cases, {failures} failures, {time.perf_counter() - started:.0f} s, "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
    total = time.perf_counter() - started
    summary = [f"{args.n} cases (seed {args.seed}; {', '.join(formats)}) in {total:.1f} s "
               f"({total / max(args.n, 1) * 1000:.2f} ms each), load average "
               f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"]
    for fmt in formats:
        t = sorted(seconds[fmt]) or [0.0]
        summary.append(f"{fmt}: " + ", ".join(f"{o} {v}" for (f, o), v in sorted(outcomes.items()) if f == fmt)
                       + f"; CPU median {statistics.median(t) * 1000:.1f} ms, 99th percentile "
                       f"{t[int(0.99 * (len(t) - 1))]:.2f} s, max {t[-1]:.2f} s")
    summary.append("slowest (CPU): " + "; ".join(f"{s:.2f} s ({base}, {'+'.join(m)}, {size / 2 ** 20:.1f} MB)"
                                                 for s, base, m, size in slowest))
    if peaks:
        size, peak = max(peaks, key=lambda x: x[1] / x[0])
        summary.append(f"largest memory ratio: {peak / 2 ** 20:.0f} MB peak for a {size / 2 ** 20:.1f} MB input "
                       f"({peak / size:.1f}× its size)")
    summary.append(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    summary.append(f"failures: {failures}" + (f" (written to {args.out})" if failures else ""))
    print("\n" + "\n".join(summary))
    print("mutations applied: " + ", ".join(f"{k} {v}" for k, v in by_mutation.most_common()))
    if args.record:
        record(args.record, time.strftime("%Y-%m-%d"), summary)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
