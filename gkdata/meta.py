"""Who published a report and for which year: :func:`describe` reads them from the report's head.

A report page starts with site chrome (navigation, breadcrumbs, ``字号: 大 中 小``,
dates), often an index block (``索引号`` / ``发布机构`` / ``名 称`` …) and then the
title, ``<publisher><year>年政府信息公开工作年度报告``, which may be split over
two or three lines, printed year first (``2022年上海市政府信息公开…``), marked
up as markdown or written in traditional characters. The preamble states the
statistical period (``…2023年1月1日至2023年12月31日``).

Where each answer comes from, first source that has one wins:

* **year** — the title; then the report naming itself in its prose
  (``现将某县2020年政府信息公开工作年度报告公布如下``); then the statistical
  period. When the title and the period disagree, the title wins (the period
  sentence is the part most often copied from last year's report).
  :func:`period_year` gives the period's year alone, to compare. A bare year
  in the prose (``2020年,我县…``), a date (``2021-01-29``) and a year in a URL
  or file name (``/202101/t20210129_…``, ``….pdf``) are never used.
* **publisher** — the name printed in the title (before the year, or between
  the year and ``政府信息公开`` when the year comes first); then an organ name
  on the line just above a title that lacks one (``高平市人民政府办公室`` /
  ``2022年政府信息公开…``) or just below it (a byline); then the report naming
  itself in its prose; then the index block's ``发布机构`` / ``发文机构`` (and
  ``发文机关``, ``发布单位`` …). Names from outside the title must look like a
  full organ name: Chinese characters only, naming a place (``省市县区镇乡州
  盟旗村`` or ``国家``/``中国``…); a name relative to the site (``县政府办``,
  ``地区行署办公室``, ``区统计局``: a level word followed by no place) is not
  used. A relative name printed *in the title* is replaced by a full name
  from those sources when there is one, else kept as printed.
* **title** — the title line(s) as matched (from the publisher to ``报告``, or
  to the year in brackets after it), else the name the prose gives the report.
* **region** — the publisher without its government organ suffix
  (``人民政府``, ``人民政府办公室``, ``行政公署``, ``政府办公室``, ``管理委员会``,
  ``街道办事处`` → ``街道`` …). A department keeps its whole name
  (``某县财政局``).

Returned strings are simplified Chinese (:func:`gkdata.hanzi.simplify`), with
whitespace removed from the title.

>>> describe("首页 > 政务公开 > 年度报告\\n  會寧縣2020年政府信息公開工作年度報告\\n"
...          "报告所列数据的统计期限为2020年1月1日至12月31日。")
Heading(title='会宁县2020年政府信息公开工作年度报告', publisher='会宁县', region='会宁县', year=2020)
>>> describe("- 发布机构:某某县人民政府\\n2021年政府信息公开工作年度报告")
Heading(title='2021年政府信息公开工作年度报告', publisher='某某县人民政府', region='某某县', year=2021)
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .hanzi import is_traditional, simplify

HEAD_LINES = 60  # non-empty lines read for the title and the index block
HEAD_CHARS = 16_000  # ... within the first this many characters
PERIOD_CHARS = 40_000  # the statistical period is looked for in the first this many characters
_PERIOD_TRIES = 200  # ... around its first this many 月
_JOIN_MAX = 40  # a line longer than this is not a fragment of a title split over lines
_PROSE_LINE = 80  # a line longer than this is prose: a title in it counts only after a lead-in verb
_KEYS_WITHIN = 400  # index keys are looked for in the first this many characters of a line
_WINDOW = 160  # a title ends at most this many characters after its start (publisher ≤ 60, spaces, year …)


class Heading(NamedTuple):
    """A report's title, publisher (as printed), region (publisher without organ suffix) and year."""

    title: str | None
    publisher: str | None
    region: str | None
    year: int | None


_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_S = "[ \t\u00a0\u3000]{0,3}"  # a few spaces (bounded: no backtracking over long runs)
_PUB = f"[{_CJK}（）()·]"
_YEAR = "(?:19|20)\\d{2}|二[〇○零][〇○零一二三四五六七八九]{2}"


def _spaced(word: str) -> str:
    """A regex for ``word`` with up to two spaces between its characters (``名 称``, ``年度 报告``)."""
    return "[ \u3000\u00a0]{0,2}".join(map(re.escape, word))


def _alternatives(words) -> str:
    return "|".join(_spaced(w) for w in sorted(words, key=len, reverse=True))


_BODY = (f"(?:{_alternatives(['政府信息公开', '政务公开', '信息公开'])})"
         f"(?:{_alternatives(['和政务公开', '与政务公开'])})?(?:{_spaced('工作')})?"
         f"(?:{_alternatives(['年度报告', '年报', '报告'])})")
# <publisher> <year>年(度) [<publisher, when the year comes first>] 政府信息公开工作年度报告. The publisher
# starts a run of characters (the look-behind), so a match is tried only at a run's start: linear time.
# A name glued to Latin letters or digits (``A8县``) is no name a government has: no publisher.
_TITLE = re.compile(
    f"(?:(?<!{_PUB})(?<![0-9A-Za-z])(?P<pub>{_PUB}{{1,60}}))?{_S}(?P<year>{_YEAR}){_S}年{_S}度?{_S}"
    f"(?P<mid>{_PUB}{{0,30}}?){_S}(?P<body>{_BODY})")
# <publisher> 政府信息公开工作年度报告（<year>年度）
_TITLE_YEAR_AFTER = re.compile(
    f"(?<!{_PUB})(?<![0-9A-Za-z])(?P<pub>{_PUB}{{0,60}}?){_S}(?P<body>{_BODY}){_S}[（(]{_S}(?P<year>{_YEAR}){_S}年?{_S}度?{_S}[）)]")
_FILE_NAME = re.compile(r"\s*\.(?:docx?|wps|pdf|xlsx?|s?html?|txt|zip|rar)\b", re.I)
_NOT_THIS_REPORT = re.compile(r"^(?:上一篇|下一篇|上一条|下一条|相关|推荐|热门|往年|历年)")
# a verb that introduces the report's own name in prose: 现将 / 现公布 / 特编制 …
_LEAD = re.compile("[现特兹]将|公布|发布|编制(?!委员会|办)|编写|撰写|形成|印发|报送")
_TITLE_LEAD = re.compile("^关于(?:印发|公布|发布)?|^(?:印发|公布|发布)")
_GENERIC = re.compile("^(?:[我本全该各][省市县区乡镇州盟旗局委办厅]?|本机关|本单位|本部门|全省|全市|全县|全区)$")
_NOT_A_NAME = re.compile("报告|首页|当前位置|栏目|网站|门户|正文|政府信息公开|政务公开$")

_ORGAN = re.compile(
    "(?:人民政府|政府)(?:办公室|办公厅|办)?$|行政公署(?:办公室)?$|行署(?:办公室)?$"
    "|(?<=街道)办事处$|管理委员会(?:办公室)?$|管委会(?:办公室)?$")
_LEVEL = re.compile("^(?:自治区|自治州|自治县|地区|街道|省|市|县|区|镇|乡|州|盟|旗)")
_PLACE = re.compile("[省市县区镇乡州盟旗村]|^(?:国家|国务院|中国|中华|全国|海关)")
_ORGAN_END = re.compile(
    "(?:县|市|区|乡|镇|旗|州|盟|省|村|街道|社区|地区|政府|办公室|办公厅|办|局|委|委员会|厅|署|中心|院|所|处|队|会|馆|部)$")

_INDEX_KEYS = {
    "title": ["名称", "标题", "文件名称", "信息名称", "公文名称", "文章标题"],
    "publisher": ["发文机构", "发布机构", "发文机关", "发布机关", "发文单位", "发布单位", "制发机关", "制发单位",
                  "公开主体"],
    "other": ["索引号", "分类", "主题分类", "组配分类", "体裁分类", "服务对象分类", "公文种类", "文种", "发文字号",
              "文号", "发布日期", "发文日期", "成文日期", "生成日期", "公开日期", "发布时间", "有效性", "时效",
              "效力状态", "主题词", "关键词", "信息来源", "来源", "浏览次数", "访问量", "作者", "公开方式", "公开范围",
              "信息类别", "统一编号", "登记号", "实施日期", "废止日期", "字号", "责任部门", "所属机构", "摘要"],
}
_KEY_OF = {w: kind for kind, words in _INDEX_KEYS.items() for w in words}
# A key starts a line or follows a separator, and is followed by a colon, a pipe, a TAB or a space.
_KEY = re.compile(
    f"(?:^|(?<=[\\s|;；]))(?P<key>{_alternatives(_KEY_OF)}){_S}(?:[:：]|(?=[|\t ]|$))")

_DIGITS = str.maketrans("０１２３４５６７８９〇○零一二三四五六七八九", "0123456789000123456789")
_FULLWIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                            "\u200b": None, "\ufeff": None, "\u2060": None, "\r": None})
_TAG = re.compile(r"<[^<>\n]{0,80}>")
_BOOKMARK = re.compile(r"\[bookmark:[^\]\n]{0,200}\]")
_MARKS = re.compile(r"^(?:[ \t\u00a0\u3000]{0,8}(?:#{1,6}|>|[-*+•·]|\d{1,2}\.)(?=[ \t\u00a0\u3000]))+")
_MARK_STARTS = " \t\u00a0\u3000#>-*+•·"
_ODD = re.compile("[０-９\u200b\ufeff\u2060\r]")
_EDGE = " \t\u00a0\u3000|*_"
_SPACES = re.compile("[ \t\u00a0\u3000]+")

_D = "[0-9０-９]"  # the period is matched in the text as it is: full-width digits too
_PERIOD = re.compile(
    f"(?P<y>[12１２][09０９]{_D}{{2}}){_S}年{_S}(?P<m>{_D}{{1,2}}){_S}月{_S}(?:(?P<d>{_D}{{1,2}}){_S}日{_S})?"
    f"(?:起{_S})?(?:至|到|—{{1,2}}|–|-|~|～|－)(?!{_S}今)"
    f"{_S}(?:(?P<y2>[12１２][09０９]{_D}{{2}}){_S}年{_S})?(?P<end>(?:12|１２){_S}月)?")


class _Found(NamedTuple):
    title: str
    publisher: str | None
    year: int
    prose: bool  # the report named in a sentence (after 现将, 现公布 …), not a title line
    last: int  # index of the last head line it used


def describe(text: str) -> Heading:
    """The title, publisher, region and year of a report, from the head of its text (see the module doc).

    >>> describe("巴青县2019年度\\n政府信息公开工作年度报告\\n一、总体情况")
    Heading(title='巴青县2019年度政府信息公开工作年度报告', publisher='巴青县', region='巴青县', year=2019)
    """
    lines = _Head(text)
    found = prose = None
    for i in range(len(lines)):
        if (hit := _title_at(lines, i)) is None:
            continue
        if hit.prose:
            prose = prose or hit
        else:
            found = found or hit
        if found and (prose or found.publisher and _full_name(found.publisher)):
            break
    year = found.year if found else prose.year if prose else period_year(text)
    printed = found.publisher if found else None
    publisher = printed
    if not (printed and _full_name(printed)):  # none, or relative to the site (区统计局): a full name elsewhere?
        others = (_byline(lines, found.last + 1) if found else None,
                  prose.publisher if prose and prose.year == year else None,
                  lines.index_value("publisher"))
        publisher = next((name for name in others if name and _full_name(name)), printed)
    title = found.title if found else prose.title if prose else None
    return Heading(title, publisher, region_of(publisher), year)


def region_of(publisher: str | None) -> str | None:
    """The publisher without its government organ suffix: ``'开阳县人民政府'`` -> ``'开阳县'``.

    >>> region_of("阿里地区行政公署"), region_of("某某街道办事处"), region_of("某某县财政局")
    ('阿里地区', '某某街道', '某某县财政局')
    """
    if not publisher:
        return None
    return _ORGAN.sub("", publisher) or publisher


def period_year(text: str) -> int | None:
    """The year of the statistical period stated near the start (``2023年1月1日至2023年12月31日``), or None.

    A start other than 1 January counts only with an end of 12月 in the same year; ``至今`` never counts.

    >>> period_year("所列数据的统计期限自2023年1月1日起至2023年12月31日止。")
    2023
    """
    for m in _periods(text):
        if m.start() and text[m.start() - 1].translate(_FULLWIDTH).isdigit():  # 12019年…
            continue
        year, month, day, end_year = (int(g.translate(_FULLWIDTH)) if g else None for g in m.group("y", "m", "d", "y2"))
        if year < 1900 or year > 2099:
            continue
        if (m["end"] or (month, day) == (1, 1)) and end_year in (None, year):
            return year
    return None


def _periods(text: str):
    """The matches of :data:`_PERIOD` in the first :data:`PERIOD_CHARS`, looked for around each of the first
    :data:`_PERIOD_TRIES` 月 (a period has one), so the time is bounded whatever the text."""
    last, at = -1, text.find("月", 0, PERIOD_CHARS)
    for _ in range(_PERIOD_TRIES):
        if at < 0:
            return
        m = _PERIOD.search(text, max(at - 20, last + 1), at + 60)
        if m and m.start() > last:
            last = m.start()
            yield m
        at = text.find("月", at + 1, PERIOD_CHARS)


class _Head:
    """The first non-empty lines of a text, each cleaned when first asked for, and the index block seen so far.

    A line of the index block reads as its title value (or the text before its first key), and its values
    go to :attr:`index`, the first value of each key kind.
    """

    def __init__(self, text: str):
        raw = []
        for line in text[:HEAD_CHARS].split("\n"):
            if line.strip():
                raw.append(line)
                if len(raw) == HEAD_LINES:
                    break
        self.whole = is_traditional("\n".join(raw)[:4000])  # a mirror in traditional characters
        self.raw = simplify("\n".join(raw)).split("\n") if self.whole else raw
        self.lines: list[str] = []
        self.index: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.raw)

    def __getitem__(self, i: int) -> str:
        self._read_to(i + 1)
        return self.lines[i]

    def index_value(self, kind: str) -> str | None:
        """The index block's first value of a kind of key, from all the head (it may come after the title)."""
        self._read_to(len(self.raw))
        return self.index.get(kind)

    def _read_to(self, n: int) -> None:
        while len(self.lines) < n:
            self.lines.append(self._read(self.raw[len(self.lines)]))

    def _read(self, line: str) -> str:
        if not self.whole and ("報" in line or "開" in line) and is_traditional(line):
            line = simplify(line)  # a traditional title in a simplified page
        line = _clean(line)
        if not (keys := list(_KEY.finditer(line, 0, _KEYS_WITHIN))):
            return line
        title = line[:keys[0].start()].strip(_EDGE)
        for k, after in zip(keys, keys[1:] + [None]):
            kind = _KEY_OF[_SPACES.sub("", k["key"])]
            value = line[k.end(): after.start() if after else len(line)].strip(_EDGE + ":：-")
            if value:
                self.index.setdefault(kind, value)
                if kind == "title" and not title:
                    title = value
        return title


def _clean(line: str) -> str:
    """A line without markup: full-width digits made ASCII, tags, bookmarks, ``**``, list and heading marks dropped."""
    if _ODD.search(line):
        line = line.translate(_FULLWIDTH)
    if "<" in line:
        line = _TAG.sub(" ", line)
    if "[bookmark:" in line:
        line = _BOOKMARK.sub("", line)
    if "**" in line or "__" in line:
        line = line.replace("**", "").replace("__", "")
    if line[:1] in _MARK_STARTS or line[:1].isdigit():
        line = _MARKS.sub("", line)
    return line.strip(_EDGE)


def _title_at(lines: _Head, i: int) -> _Found | None:
    """A title on line ``i``, or on lines ``i``… joined when it was split over two or three lines."""
    line = lines[i]
    if not line or _NOT_THIS_REPORT.match(line):
        return None
    if hit := _in_line(line, i):
        return hit
    if len(line) > _JOIN_MAX:
        return None
    joined = line
    for j in (i + 1, i + 2):
        if j >= len(lines) or not lines[j] or len(lines[j]) > _JOIN_MAX:
            return None
        if (alone := _in_line(lines[j], j)) and alone.publisher:
            return None  # a line that holds a whole title is read alone, not glued to the chrome above it
        joined += lines[j]
        for pattern in (_TITLE, _TITLE_YEAR_AFTER):
            m = pattern.match(joined)
            # the whole of the lines (a short suffix such as 简介 or （全文） allowed), not a file name
            if not m or len(joined) - m.end() > 8 or _FILE_NAME.match(joined, m.end()):
                continue
            hit = _found(m, j)
            if hit is None or hit.prose:
                return None
            # a publisher on a line of its own (above the year, or above the body) must look like an organ
            if hit.publisher and m.start("year" if pattern is _TITLE else "body") >= len(line) \
                    and not _organ_line(hit.publisher):
                return None
            return hit
    return None


def _in_line(line: str, i: int) -> _Found | None:
    for pattern in (_TITLE, _TITLE_YEAR_AFTER):
        for m in _finditer(pattern, line):
            if _FILE_NAME.match(line, m.end()) or _cited(line, m):
                continue
            hit = _found(m, i)
            if hit and (hit.prose or len(line) <= _PROSE_LINE or m.start() == 0):
                return hit
    return None


def _finditer(pattern: re.Pattern, line: str):
    """``pattern.finditer(line)``; in a long line, only around each 报 (every title has one), so in time
    proportional to the 报 rather than to the line. The look-behinds see the characters before a window."""
    if len(line) <= 2 * _WINDOW:
        yield from pattern.finditer(line)
        return
    last, at = -1, line.find("报")
    for _ in range(50):
        if at < 0:
            return
        for m in pattern.finditer(line, max(at - _WINDOW, last + 1), at + 40):
            if m.start() > last:
                last = m.start()
                yield m
        at = line.find("报", at + 1)


def _cited(line: str, m: re.Match) -> bool:
    """The match is in quotes (``《…年度报告》的通知``): another document's name, unless the line is just it."""
    before = line[max(m.start() - 1, 0):m.start()]
    return before in ("《", "“", '"') and not (m.start() == 1 and line[m.end():] in ("》", "”", '"'))


def _found(m: re.Match, last: int) -> _Found | None:
    """A title match as (title, publisher, year, is prose, last line); None if what follows a year is no name."""
    year = int(m["year"].translate(_DIGITS))
    before, prose = _before(m["pub"] or "")
    if m.re is _TITLE_YEAR_AFTER:
        tail = m.string[m.start("body"):m.end()]
    else:
        tail = m.string[m.start("year"):m.end()]  # with the publisher of a year-first title
    title = _SPACES.sub("", (before or "") + tail)
    publisher = before
    if publisher is None and m.re is _TITLE and m["mid"]:
        mid = m["mid"] + ("政府" if m["mid"].endswith("人民") and m["body"].startswith("政") else "")
        if not _ORGAN_END.search(mid):  # 2020年全县各部门认真落实政府信息公开工作… is prose
            return None
        publisher = _name(mid)
    return _Found(title, publisher, year, prose, last)


def _before(run: str) -> tuple[str | None, bool]:
    """(publisher, is prose) from the characters before a title's year: a lead-in verb marks prose."""
    run = _TITLE_LEAD.sub("", run)
    leads = list(_LEAD.finditer(run))
    if leads and leads[0].start() < 40:  # a verb inside a place's name is none (新发布依族乡): after the places
        from .places import chains

        named = chains(run)[0]
        leads = [m for m in leads if m.start() >= named]
    if leads:
        return _name(re.sub("^[了的]", "", run[leads[-1].end():])), True
    return _name(run), False


def _name(name: str) -> str | None:
    name = _strip(name)
    if not name or _GENERIC.match(name) or _NOT_A_NAME.search(name):
        return None
    return name


def _strip(name: str) -> str:
    """Drop a trailing 关于/的 and unbalanced brackets at either end."""
    name = re.sub("(?:关于|的)$", "", name)
    name = name.lstrip("）)").rstrip("（(")
    if name.startswith(("（", "(")) and not re.search("[）)]", name):
        name = name[1:]
    return name


def _full_name(name: str) -> bool:
    """An organ's full name (``某某县人民政府``), not one relative to the site (``县政府办``, ``区统计局``)."""
    if not re.fullmatch(f"[{_CJK}（）()·]{{2,40}}", name) or _GENERIC.match(name) or _NOT_A_NAME.search(name):
        return False
    level = _LEVEL.match(name)
    rest = name[level.end():] if level else name
    return bool(_PLACE.search(rest))


def _organ_line(name: str) -> bool:
    """A line that is just an organ's name (above or below a title)."""
    return _full_name(name) and bool(_ORGAN_END.search(name))


def _byline(lines: _Head, j: int) -> str | None:
    if j < len(lines) and len(lines[j]) <= 30 and _organ_line(lines[j]) and not _TITLE.search(lines[j]):
        return lines[j]
    return None
