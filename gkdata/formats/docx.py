"""Word ``.docx``: the body's paragraphs and tables in document order, list numbers included.

The package is read with :mod:`zipfile` and lxml directly. Its members are
checked before any is inflated (:func:`_check_package`: count, sizes, methods,
compression ratios), and a member is only ever inflated when it is read — the
relationships, the main document, and for list numbers ``numbering.xml`` and
``styles.xml`` — and then only up to the size it declares (a lying size, a bad
CRC is an error; other members are never inflated). The XML parser expands no
entities and fetches nothing.

The body XML is walked directly, so that text inside tracked insertions,
content controls and smart tags is kept, and deleted text, drawings and text
boxes are not. The rows below a vertically merged cell (``w:vMerge``) get an
empty cell, never a copy of its number; a horizontally merged one
(``w:gridSpan``) is written once. A paragraph numbered by Word's list
numbering gets its number back as text (``一、``, ``（三）``, ``2.``), counted as
Word counts it (:class:`_Numbering`).

>>> import io, docx as python_docx
>>> d = python_docx.Document()
>>> _ = d.add_paragraph("二、主动公开政府信息情况")
>>> t = d.add_table(rows=2, cols=2)
>>> t.cell(0, 0).merge(t.cell(1, 0)).text = "行政许可"
>>> t.cell(0, 1).text, t.cell(1, 1).text = "5", "6"
>>> buf = io.BytesIO(); d.save(buf)
>>> blocks, _ = read(buf.getvalue(), "r.docx")
>>> blocks[0], [cell[:4] for cell in blocks[1]]
('二、主动公开政府信息情况', [(0, 0, '行政许可', 1), (0, 1, '5', 1), (1, 0, '', 1), (1, 1, '6', 1)])
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import unicodedata
import zipfile
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import unquote

from .. import limits
from ..errors import ReportError
from . import Block, Cell, Converter, is_data_table, join_lines, zipcheck

if TYPE_CHECKING:
    from lxml.etree import _Element

SUFFIXES = (".docx",)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_P, _R, _T, _TBL, _TR, _TC = (_W + t for t in ("p", "r", "t", "tbl", "tr", "tc"))
_PPR, _TCPR, _TRPR, _VAL = _W + "pPr", _W + "tcPr", _W + "trPr", _W + "val"
_SPAN, _VMERGE, _HMERGE = _W + "gridSpan", _W + "vMerge", _W + "hMerge"
# Subtrees whose text is not the paragraph's: deletions, drawings and text boxes (kept twice, as a
# choice and a fallback), field codes.
_NOT_TEXT = {_W + "del", _W + "drawing", _W + "pict", _W + "object", _MC + "AlternateContent", _W + "instrText",
             _W + "rPr", _W + "pPr"}
_CHARS = {_W + "tab": "\t", _W + "ptab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-"}
_CONTAINERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "smartTag"}
_MEMBER = b"PK\x01\x02"  # a central directory entry's signature: zipfile makes one ZipInfo per entry
_LOCAL = b"PK\x03\x04"


def sniff(data: bytes, source: str) -> bool:
    """A ``.docx`` file, or a zip package with a Word document inside."""
    if source.lower().endswith(SUFFIXES):
        return True
    if not data.startswith(_LOCAL):
        return False
    if data.count(_MEMBER) > limits.MAX_ZIP_MEMBERS:
        return True  # too many members to list: read says why
    try:
        return "word/document.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False
    except NotImplementedError:  # a zip version zipfile does not read: read says why, if it names a Word document
        return b"word/document.xml" in data


@functools.cache
def _parser():
    """The XML parser for every part: no entities expanded, nothing fetched, libxml2's size and depth limits."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


# -- the package -------------------------------------------------------------------------------------

def _check_package(data: bytes, source: str) -> dict[str, zipfile.ZipInfo]:
    """The package's members by name, once it is known that reading any of them costs what a real one does.

    Members are counted before zipfile lists them; their sizes together are
    held to :data:`~gkdata.limits.MAX_PACKAGE`, an XML part's to
    :data:`~gkdata.limits.MAX_XML_PART`, and an XML part over 1 MiB may not be
    compressed more than :data:`~gkdata.limits.MAX_XML_RATIO` : 1. Word writes
    stored or deflated members only. Nothing is inflated here: :func:`_inflate`
    holds a member to its declared size when it is read.
    """
    infos = zipcheck.listing(data, source, "the package", "MAX_PACKAGE")  # count and sizes, as archives are
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ReportError(source, f"the part {info.filename!r} is compressed with method {info.compress_type},"
                                      " which Word never uses")
        if info.filename.endswith((".xml", ".rels")):
            _check_xml(info, source)
    return {i.filename: i for i in infos}  # a name listed twice: the last, as zipfile reads it


def _check_xml(info: zipfile.ZipInfo, source: str) -> None:
    part = f"the part {info.filename!r}"
    limits.check(info.file_size, "MAX_XML_PART", source, part)
    zipcheck.check_ratio(info, source, part, "MAX_XML_RATIO")


def _inflate(data: bytes, info: zipfile.ZipInfo, source: str) -> bytes:
    """A member's bytes, inflated at most one byte past its declared size (zipfile would inflate all of it
    into memory, then cut it at that size): more is a lying size; its CRC is checked as zipfile does."""
    return zipcheck.inflate(data, info, source, f"the part {info.filename!r}", "the package")


class _Package:
    """A checked package; members are read (and parsed) on demand."""

    def __init__(self, data: bytes, source: str) -> None:
        self.data, self.source = data, source
        self.members = _check_package(data, source)

    def info(self, name: str) -> zipfile.ZipInfo | None:
        info = self.members.get(name)
        if info is None:  # part names ignore case
            info = next((i for n, i in reversed(self.members.items()) if n.lower() == name.lower()), None)
        return info

    def read(self, name: str) -> bytes | None:
        info = self.info(name)
        if info is None:
            return None
        _check_xml(info, self.source)  # whatever its name, a part read as XML is held to the XML caps
        return _inflate(self.data, info, self.source)

    def xml(self, name: str) -> _Element | None:
        from lxml import etree

        data = self.read(name)
        return None if data is None else etree.fromstring(data, _parser())

    def related(self, part: str, *kinds: str) -> dict[str, str]:
        """A part's relationships of these kinds, the last segment of their type (``officeDocument``,
        ``styles``…) -> the target part's name (the first of a kind); {} when the part has none or they
        cannot be read."""
        from lxml import etree

        folder, base = posixpath.split(part)
        try:
            root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        except etree.XMLSyntaxError:
            return {}
        out: dict[str, str] = {}
        for rel in root.iter(_REL) if root is not None else ():
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            if kind not in kinds or kind in out or rel.get("TargetMode") == "External":
                continue
            if target := unquote(rel.get("Target", "")):
                out[kind] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(folder, target))
        return out


# -- list numbering ----------------------------------------------------------------------------------

def _int(el: _Element | None, default=0, most: int = 1000, name: str = _VAL):
    """A count (a span, a level, a start) in ``w:val`` or another attribute, at most ``most`` (a span at most
    1000 as in a browser: Word allows 63 columns); ``default`` when it is no ASCII number."""
    value = "" if el is None else el.get(name, "")
    return min(int(value.lstrip("0")[:6] or 0), most) if value.isascii() and value.isdigit() else default


def _on(el: _Element | None) -> bool:
    """A ``w:ST_OnOff`` toggle: present and not switched off."""
    return el is not None and el.get(_VAL, "1") not in ("0", "false", "off")


_DIGITS = "〇一二三四五六七八九"
_LEGAL_SIMPLIFIED = ("零壹贰叁肆伍陆柒捌玖", "拾佰仟", "万")
_LEGAL_TRADITIONAL = ("零壹貳參肆伍陸柒捌玖", "拾佰仟", "萬")
_STEMS, _BRANCHES = "甲乙丙丁戊己庚辛壬癸", "子丑寅卯辰巳午未申酉戌亥"
_ENCLOSED = {"decimalEnclosedCircle": (0x2460, 20), "decimalEnclosedCircleChinese": (0x2460, 20),
             "decimalEnclosedFullstop": (0x2488, 20), "decimalEnclosedParen": (0x2474, 20),
             "ideographEnclosedCircle": (0x3220, 10)}
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _counting(n: int, digits: str = "零一二三四五六七八九", units: str = "十百千", myriad: str = "万") -> str:
    """A number in Chinese counting: 十一, 二十, 一百零五, 三千零一十, 一万二千 (n ≥ 1)."""
    if n >= 10**4:
        high, low = divmod(n, 10**4)
        rest = _counting(low, digits, units, myriad) if low else ""
        gap = digits[0] if low and low < 1000 else ""
        return _counting(high, digits, units, myriad) + myriad + gap + (
            digits[1] + rest if gap and rest.startswith(units[0]) else rest)
    out, zero = "", False
    for power in (3, 2, 1, 0):
        d = n // 10**power % 10
        if d:
            out += (digits[0] if zero and out else "") + digits[d] + (units[power - 1] if power else "")
            zero = False
        elif out:
            zero = True
    if out.startswith(digits[1] + units[0]) and digits[1] == "一":
        out = out[1:]  # 十一, not 一十一 (the legal 壹拾壹 keeps its 壹)
    return out


def number_text(n: int, fmt: str) -> str:
    """A counter as a ``w:numFmt`` prints it; a format gkdata does not know (or a value it has no glyph
    for) is printed in decimal, as Word falls back.

    >>> [number_text(n, "chineseCounting") for n in (1, 6, 10, 11, 20, 105)]
    ['一', '六', '十', '十一', '二十', '一百零五']
    >>> number_text(3, "ideographTraditional"), number_text(2, "decimalEnclosedCircle"), number_text(4, "upperRoman")
    ('丙', '②', 'IV')
    """
    if fmt in ("decimal", "decimalHalfWidth") or n <= 0 or n >= 10**8:
        return "" if fmt in ("none", "bullet") else str(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting"):
        return _counting(n, myriad="萬" if fmt.startswith("taiwanese") else "万")
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        digits, units, myriad = _LEGAL_SIMPLIFIED if fmt == "chineseLegalSimplified" else _LEGAL_TRADITIONAL
        return _counting(n, digits, units, myriad)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_DIGITS[int(d)] for d in str(n))
    if fmt == "ideographTraditional":
        return _STEMS[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _BRANCHES[(n - 1) % 12]
    if fmt == "ideographZodiacTraditional":
        return _STEMS[(n - 1) % 10] + _BRANCHES[(n - 1) % 12]
    if fmt in _ENCLOSED:
        first, most = _ENCLOSED[fmt]
        return chr(first + n - 1) if n <= most else str(n)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperRoman", "lowerRoman") and n < 4000:
        out = ""
        for value, letters in _ROMAN:
            count, n = divmod(n, value)
            out += letters * count
        return out if fmt == "upperRoman" else out.lower()
    if fmt in ("upperLetter", "lowerLetter") and n <= 26 * 20:
        letter = chr((ord("A") if fmt == "upperLetter" else ord("a")) + (n - 1) % 26)
        return letter * ((n - 1) // 26 + 1)  # 27 is AA, 53 is AAA
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


def _closed(char: str) -> bool:
    """Whether a number ending in ``char`` needs no gap before its paragraph's text: it ends in wide
    punctuation (一、 （一） ２．), where 1. (a) 一 take the space Word's tab or space shows."""
    return unicodedata.category(char)[0] == "P" and unicodedata.east_asian_width(char) in "WF"


class _Level(NamedTuple):
    """One level (``w:lvl``) of a list: how its counter starts, prints and restarts."""

    start: int
    fmt: str  # w:numFmt
    text: str  # w:lvlText: %1 … %9 stand for the levels' counters
    restart: int | None  # w:lvlRestart: restart after a use of a level above this 1-based one (0: never)
    legal: bool  # w:isLgl: every level's counter in decimal
    suffix: str  # w:suff: tab, space, nothing
    style: str | None  # w:pStyle: the paragraph style this level numbers

    @classmethod
    def of(cls, lvl: _Element) -> _Level:
        props: dict = {}
        for child in lvl:
            props.setdefault(child.tag, child)
        fmt = props.get(_W + "numFmt")
        if fmt is None and (alternate := props.get(_MC + "AlternateContent")) is not None:
            fmt = alternate.find(f"{_MC}Fallback/{_W}numFmt")  # Word 2010's custom formats, and their fallback
        text = props.get(_W + "lvlText")
        restart, style = props.get(_W + "lvlRestart"), props.get(_W + "pStyle")
        return cls(_int(props.get(_W + "start"), 0, 32767),
                   "decimal" if fmt is None else fmt.get(_VAL, "decimal"),
                   "" if text is None or _on(text.find(_W + "null")) else text.get(_VAL, "")[:100],
                   None if restart is None else _int(restart, None, 9), _on(props.get(_W + "isLgl")),
                   "tab" if (suffix := props.get(_W + "suff")) is None else suffix.get(_VAL, "tab"),
                   None if style is None else style.get(_VAL))


_PLACEHOLDER = re.compile(r"%([1-9])")


class _Numbering:
    """Word's list numbering: ``w:numPr`` on a paragraph or its style -> the number Word prints.

    A list (``w:num``) is an instance of an abstract list (``w:abstractNum``),
    whose levels say how each counter prints (``w:numFmt``, ``w:lvlText``
    ``%1、``). Counters are kept per abstract list, as Word does (lists of one
    abstract list continue each other) — except that a list with a
    ``w:startOverride`` restarts its level at its first use. A counter starts at
    ``w:start``; using a level restarts the levels below it, unless their
    ``w:lvlRestart`` says otherwise. A paragraph's ``w:numId`` and ``w:ilvl``
    not given by its own ``w:numPr`` are its style's (through ``w:basedOn``),
    and a style's list without a level takes the level that names the style
    (``w:pStyle``); a ``w:numId`` of 0 numbers nothing. Bullets print
    nothing. Numbers are text: their characters are held to
    :data:`~gkdata.limits.MAX_CHARS` as they are made.
    """

    def __init__(self, numbering: _Element, styles: _Element | None, paragraphs: set[_Element], source: str) -> None:
        self.source, self.chars = source, 0
        self.paragraphs = paragraphs  # the only ones that may be numbered: with a w:pStyle or w:numPr
        self.abstract: dict[str, dict] = {}
        for el in numbering.iterchildren(_W + "abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in el.iterchildren(_W + "lvl"):
                levels.setdefault(_int(lvl, -1, 9, _W + "ilvl"), _Level.of(lvl))
            link = el.find(_W + "numStyleLink")
            self.abstract.setdefault(el.get(_W + "abstractNumId", ""), {
                "levels": levels, "link": None if link is None else link.get(_VAL)})
        self.nums: dict[str, tuple[str, dict[int, _Element]]] = {}
        for el in numbering.iterchildren(_W + "num"):
            ref = el.find(_W + "abstractNumId")
            overrides = {_int(o, -1, 9, _W + "ilvl"): o for o in el.iterchildren(_W + "lvlOverride")}
            self.nums.setdefault(el.get(_W + "numId", ""), ("" if ref is None else ref.get(_VAL, ""), overrides))
        # styleId -> (basedOn, numId, ilvl) of paragraph and numbering styles
        self.styles: dict[str, tuple[str | None, str | None, int | None]] = {}
        for el in styles.iterchildren(_W + "style") if styles is not None else ():
            kind, sid = el.get(_W + "type", "paragraph"), el.get(_W + "styleId")
            if kind not in ("paragraph", "numbering") or sid is None or sid in self.styles:
                continue
            based, num = el.find(_W + "basedOn"), el.find(f"{_PPR}/{_W}numPr")
            num_id, ilvl = _num_pr(num)
            self.styles[sid] = (None if based is None else based.get(_VAL), num_id, ilvl)
        self._style_cache: dict[str | None, tuple[str | None, int | None]] = {}
        self._lists: dict[str, tuple[str, list[_Level | None], set[int]] | None] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()

    def _style(self, sid: str | None) -> tuple[str | None, int | None]:
        """A style's numId and ilvl, each from the nearest style in its ``w:basedOn`` chain that sets it."""
        if sid in self._style_cache:
            return self._style_cache[sid]
        num_id = ilvl = None
        seen, at = set(), sid
        while at is not None and at not in seen and at in self.styles and (num_id is None or ilvl is None):
            seen.add(at)
            based, n, i = self.styles[at]
            num_id = n if num_id is None else num_id
            ilvl = i if ilvl is None else ilvl
            at = based
        self._style_cache[sid] = num_id, ilvl
        return num_id, ilvl

    def _list(self, num_id: str) -> tuple[str, list[_Level | None], set[int]] | None:
        """A list's abstract list (whose counters it uses), its nine levels with its overrides, and the levels
        its ``w:startOverride`` restarts."""
        if num_id in self._lists:
            return self._lists[num_id]
        self._lists[num_id] = None  # a numStyleLink that leads back here
        found, abstract_id = self.nums.get(num_id), None
        for _ in range(4):  # abstract -> numbering style -> list -> abstract …
            if found is None or (abstract := self.abstract.get(found[0])) is None:
                return None
            abstract_id = found[0]
            if abstract["link"] is None:
                break
            linked = self._style(abstract["link"])[0]
            found = self.nums.get(linked) if linked is not None else None
        else:
            return None
        levels: list[_Level | None] = [abstract["levels"].get(i) for i in range(9)]
        restarted: set[int] = set()
        for i, override in self.nums[num_id][1].items():
            if not 0 <= i < 9:
                continue
            if (lvl := override.find(_W + "lvl")) is not None:
                levels[i] = _Level.of(lvl)
            if (start := override.find(_W + "startOverride")) is not None:
                restarted.add(i)
                if levels[i] is not None:
                    levels[i] = levels[i]._replace(start=_int(start, 0, 32767))
        self._lists[num_id] = out = (abstract_id, levels, restarted)
        return out

    def number(self, p: _Element) -> str:
        """The number Word prints before a paragraph ('' if none), its counters moved on."""
        style = num_id = ilvl = None
        ppr = p.find(_PPR)
        if ppr is not None:
            for child in ppr:
                if child.tag == _W + "pStyle":
                    style = child.get(_VAL)
                elif child.tag == _W + "numPr":
                    num_id, ilvl = _num_pr(child)
        if style is None and num_id is None:
            return ""  # most paragraphs: neither a style nor a list
        if num_id is None or ilvl is None:
            from_style = self._style(style)
            num_id = from_style[0] if num_id is None else num_id
            ilvl = from_style[1] if ilvl is None else ilvl
        if num_id is None or num_id == "0" or (found := self._list(num_id)) is None:
            return ""
        abstract_id, levels, restarted = found
        if ilvl is None:
            ilvl = next((i for i, lv in enumerate(levels) if lv is not None and lv.style == style), 0)
        level = levels[ilvl] if 0 <= ilvl < 9 else None
        if level is None:
            return ""
        counters = self.counters.setdefault(abstract_id, [None] * 9)
        if num_id not in self.started:
            self.started.add(num_id)
            for i in restarted:
                counters[i] = None
        counters[ilvl] = level.start if counters[ilvl] is None else counters[ilvl] + 1
        for i in range(ilvl + 1, 9):
            below = levels[i]
            restart = i if below is None or below.restart is None or below.restart > i else below.restart
            if restart and ilvl < restart:
                counters[i] = None
        if level.fmt == "bullet":
            return ""

        def counter(m: re.Match) -> str:
            i = int(m.group(1)) - 1
            lv = levels[i]
            value = counters[i] if counters[i] is not None else lv.start if lv is not None else 0
            return number_text(value, "decimal" if level.legal or lv is None else lv.fmt)

        text = _PLACEHOLDER.sub(counter, level.text)
        if text and level.suffix != "nothing" and not _closed(text[-1]):
            text += " "
        self.chars += len(text)
        if self.chars > limits.MAX_CHARS:
            limits.check(self.chars, "MAX_CHARS", self.source, "the text's list numbers", "characters")
        return text


def _num_pr(num_pr: _Element | None) -> tuple[str | None, int | None]:
    """``(numId, ilvl)`` of a ``w:numPr``, each None when it is not given."""
    num_id = ilvl = None
    for child in num_pr if num_pr is not None else ():
        if child.tag == _W + "numId":
            num_id = child.get(_VAL)
        elif child.tag == _W + "ilvl":
            ilvl = _int(child, None, 9)
    return num_id, ilvl


# -- the body ----------------------------------------------------------------------------------------

# The walk below steps from a child to the next with getnext(): for the few children most elements
# have, that is twice as fast as ``for child in el`` (which sets up an iterator each time).

def _text(el: _Element) -> str:
    parts = []
    child = el[0] if len(el) else None
    while child is not None:
        tag = child.tag
        if tag == _R:  # most children are runs of text: their children are read here, without a call
            leaf = child[0] if len(child) else None
            while leaf is not None:
                tag = leaf.tag
                if tag == _T:
                    parts.append(leaf.text or "")
                elif tag in _CHARS:
                    parts.append(_CHARS[tag])
                elif tag not in _NOT_TEXT and len(leaf):
                    parts.append(_text(leaf))
                leaf = leaf.getnext()
        elif tag == _T:
            parts.append(child.text or "")
        elif tag in _CHARS:
            parts.append(_CHARS[tag])
        elif tag not in _NOT_TEXT and len(child):
            parts.append(_text(child))
        child = child.getnext()
    return "".join(parts)


_UNMERGED = (1, None, None, None)
_cell = tuple.__new__  # Cell(...) without NamedTuple's Python-level __new__: a table makes hundreds


def _merge(el: _Element) -> str:
    """``restart`` / ``continue`` for a merged cell (a bare ``<w:vMerge/>`` continues)."""
    return el.get(_VAL, "continue")


class _Body:
    """Walks a body in document order; ``numbering`` (None: the document numbers no list) adds list numbers
    to the paragraphs it may number (``numbered``: those with a style or a list of their own)."""

    def __init__(self, numbering: _Numbering | None) -> None:
        self.numbering = numbering
        self.numbered = frozenset() if numbering is None else numbering.paragraphs

    def blocks(self, container: _Element) -> list[Block]:
        """Paragraphs and tables of a body or cell, in order; layout tables are read as their content."""
        out: list[Block] = []
        child = container[0] if len(container) else None
        while child is not None:
            tag = child.tag
            if tag == _P:
                text = _text(child)
                if child in self.numbered:
                    text = self.numbering.number(child) + text
                out.append(text)
            elif tag == _TBL:
                out += self.table(child)
            elif tag in _CONTAINERS:
                out += self.blocks(child)
            child = child.getnext()
        return out

    def table(self, tbl: _Element) -> list[Block]:
        """A data table as one block of cells at their grid positions, a layout table as its cells' blocks.

        A table holding a table, or with one column, lays out the page. A
        vertically merged cell keeps a placeholder ``w:tc`` in every row it
        covers; it is written as an empty cell whatever it still holds, so a
        merged number is read once. A ``w:gridSpan`` cell is one cell.
        """
        if next(tbl.iterdescendants(_TBL), None) is not None:
            return [b for tr in tbl.iterchildren(_TR) for tc in tr.iterchildren(_TC) for b in self.blocks(tc)]
        # the spans and merges of the few cells that have them, found by lxml (a look at every cell's
        # properties would make a proxy of each of them)
        merged: dict[_Element, list] = {}
        for prop in tbl.iter(_SPAN, _VMERGE, _HMERGE):
            props = prop.getparent()
            tc = props.getparent()
            if props.tag != _TCPR or tc.tag != _TC:
                continue
            spec = merged.get(tc)
            if spec is None:
                spec = merged[tc] = [1, None, None, props]
            elif spec[3] is not props:
                continue  # the cell's first properties, as Word reads them
            tag = prop.tag
            if tag == _SPAN:
                spec[0] = max(_int(prop), 1)
            elif tag == _VMERGE:
                spec[1] = spec[1] or _merge(prop)
            else:
                spec[2] = spec[2] or _merge(prop)
        cells: list[Cell] = []
        layout: list[Block] = []  # the cells' paragraphs, if it is a layout table after all
        numbering, numbered = self.numbering, self.numbered
        paragraph_text, add, merges = _text, cells.append, merged.get
        r = -1
        for tr in tbl.iterchildren(_TR):
            r += 1
            col = 0
            tc = tr[0] if len(tr) else None
            while tc is not None:
                if tc.tag != _TC:
                    if tc.tag == _TRPR:  # before the row's cells
                        col = next((_int(el) for el in tc if el.tag == _W + "gridBefore"), col)
                    tc = tc.getnext()
                    continue
                # the cell's paragraphs: the first as ``text`` (most cells have one), all in ``paragraphs``
                text = paragraphs = None
                child = tc[0] if len(tc) else None
                while child is not None:
                    tag = child.tag
                    if tag == _P:
                        line = paragraph_text(child)
                        if child in numbered:
                            line = numbering.number(child) + line
                        if text is None:
                            text = line
                        elif paragraphs is None:
                            paragraphs = [text, line]
                        else:
                            paragraphs.append(line)
                    elif tag in _CONTAINERS:
                        paragraphs = ([] if text is None else [text]) if paragraphs is None else paragraphs
                        paragraphs += self.blocks(child)  # strings: the table holds no table
                    child = child.getnext()
                if paragraphs is not None:
                    layout += paragraphs
                elif text is not None:
                    layout.append(text)
                span, vmerge, hmerge, _ = merges(tc, _UNMERGED)
                if hmerge != "continue":  # a legacy horizontal merge is covered from the left
                    if vmerge == "continue":
                        text = ""
                    elif paragraphs is not None:  # paragraphs and <w:br/>
                        text = join_lines(line for b in paragraphs for line in b.split("\n"))
                    elif text is None:
                        text = ""
                    elif "\n" in text:
                        text = join_lines(text.split("\n"))
                    else:
                        text = text.strip().replace("\t", " ")
                    add(_cell(Cell, (r, col, text, 1, span)))
                col += span
                tc = tc.getnext()
        return [cells] if is_data_table(cells) else layout


def _numbering(package: _Package, main: str, body: _Element) -> _Numbering | None:
    """The document's list numbering, None when no paragraph can be numbered (then no part is read for it).

    A ``w:numPr`` numbers a paragraph, its own or its style's (``w:pStyle``):
    a body with neither has no list numbers. styles.xml (Word's is ~30 KB,
    python-docx's 350 KB, ~10 ms to parse) is read only when a paragraph has
    a style or a list links a numbering style; the default paragraph style's
    list (which would number every paragraph and cell) is not given to
    paragraphs without a style. A list part or style part that is not
    well-formed XML numbers nothing.
    """
    from lxml import etree

    marks = list(body.iter(_W + "numPr", _W + "pStyle"))
    if not marks:
        return None
    styled = any(el.tag == _W + "pStyle" for el in marks)
    related = package.related(main, "numbering", "styles")
    folder = posixpath.dirname(main)
    try:
        numbering = package.xml(related.get("numbering", posixpath.join(folder, "numbering.xml")))
        if numbering is None or numbering.find(_W + "num") is None:
            return None
        styles = None
        if styled or next(numbering.iter(_W + "numStyleLink"), None) is not None:
            data = package.read(related.get("styles", posixpath.join(folder, "styles.xml")))
            styles = etree.fromstring(data, _parser()) if data and b"numPr" in data else None
    except etree.XMLSyntaxError:
        return None
    paragraphs = {ppr.getparent() for el in marks if (ppr := el.getparent()).tag == _PPR and ppr.getparent().tag == _P}
    return _Numbering(numbering, styles, paragraphs, package.source)


def read(data: bytes, source: str) -> tuple[list[Block], str]:
    """The document's blocks, and its encoding (a .docx stores its text as UTF-8 XML)."""
    from lxml import etree

    try:
        package = _Package(data, source)
        main = package.related("", "officeDocument").get("officeDocument", "word/document.xml")
        xml = package.read(main)
        if xml is None:
            raise ReportError(source, f"its main document part {main!r} is missing")
        root = etree.fromstring(xml, _parser())
        if root.tag != _W + "document":
            raise ReportError(source, f"its main part {main!r} is not a Word document but <{root.tag}>")
        body = root.find(_W + "body")
        if body is None:
            raise ReportError(source, "its document has no body")
        numbering = _numbering(package, main, body)
    except ReportError as e:
        raise ReportError(source, f"this is not a readable Word .docx file ({e.reason})") from e
    except MemoryError:
        raise
    except Exception as e:  # zipfile, zlib and lxml on a damaged package: a bad zip, bad XML…
        raise ReportError(source, f"this is not a readable Word .docx file ({type(e).__name__}: {e})") from e
    return _Body(numbering).blocks(body), "utf-8"


CONVERTER = Converter(sniff, read, SUFFIXES)
