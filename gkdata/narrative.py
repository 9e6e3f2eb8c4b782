"""Figures stated in the prose: proactive disclosure, consultations, messages, applications, appeals.

One pattern table, :data:`PATTERNS`, says for each key the wordings that state
it; each figure keeps the sentence it came from so a reader can check it. A
figure is taken only where its key is certain, so the wordings are narrow on
purpose, and these rules hold for every one of them:

* The figure stands right after the words that name it (or 共/累计/合计/为…)
  and right before its unit. So a rounded or approximate figure is never
  taken: ``26.8万条``, ``3000余条``, ``约50件``, ``超过``/``突破``/``近``,
  ``500条以上``; nor a blank left in a draft (``主动公开政府信息  余条``).
* Digits may be full-width (``１２件``), grouped (``13,717条``) or Chinese
  numerals below 10,000 (``两件``, ``一百零三条``).
* A clause that, before the figure, names another period (上年, 去年, 同期,
  以来 …) is not this year's figure; nor is a received count that includes
  the carried-over ones (``收到申请12件（含上年结转2件）``).
* A total is not read where its clause names a channel (``通过政府网站主动公开…``),
  nor any figure that is no part (a total, a received count, an appeal figure)
  after 其中 in its sentence (``其中，县公安局收到申请30件``): that is some subset's.
* Appeals count only next to 公开 in the same clause (an office that decides
  reconsiderations reports those too), never a figure shared by both
  (``行政复议、行政诉讼案件0件``).

>>> [f[:3] for f in extract("全县主动公开政府信息13717条，其中政府网站公开政府信息8548条。")]
[('proactive_total', 13717, '条'), ('proactive_website', 8548, '条')]
>>> extract("全年主动公开政府信息26.8万条，收到政府信息公开申请两件。")[0].value
2
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .numbers import MAX_DIGITS


class Pattern(NamedTuple):
    """How the prose states one key: wordings with ``{n}`` where the figure and its unit stand."""

    wordings: tuple[str, ...]
    units: str  # regex alternatives, e.g. "件|起"
    unless_before: str = ""  # words that, earlier in the figure's clause, make its key uncertain
    part: bool = False  # a part of a larger figure, so it may follow 其中; a whole after 其中 is some subset's


class Figure(NamedTuple):
    """One figure the prose states: its key, value, unit as written and the sentence that says it."""

    key: str
    value: int
    unit: str
    sentence: str


_INFO = r"(?:政府|政务)?信息"
_SPACE = "[ \u00a0\u3000]?"  # a space that typesetting puts around digits; a TAB or a line break is a cell's edge
_SUM = r"(?:共|共计|累计|合计|总计|计|为|达)?"  # may stand between the words and the figure
_WHO = r"(?:各类|群众|公众|公民|网民)?"
# What an application is called: 政府信息公开申请, 依申请公开(政府信息)(申请), 政府信息依申请公开 …; a bare
# 申请 only after 收到 (受理申请, 办理申请 are as often a service centre's applications of every kind)
_APPLICATION = r"(?:(?:政府)?信息公开申请|公开申请|(?:政府信息)?依申请公开(?:政府信息)?(?:申请)?)"
_CHANNELS = "网站|新媒体|微信|微博|公众号|客户端|公报|查阅点|公开栏|其他方式|依申请"
_APPEAL_OWN = r"公开[^，,。；;\n]{0,16}?(?<![、和及与])"  # an appeal about disclosure, not shared with the other kind

# key -> how the prose states it. The first figure in the text that passes the rules wins. A wording
# that begins with literal text is searched for fast, so lookbehinds come after that text.
PATTERNS: dict[str, Pattern] = {
    "proactive_total": Pattern((rf"主动公开(?<![转为]主动公开)(?:各类)?{_INFO}{_SUM}{{n}}",), "条|件|篇", _CHANNELS),
    "proactive_website": Pattern((rf"(?:政府|门户)网站(?:上|平台)?(?:依法)?(?:主动)?公开{_INFO}{_SUM}{{n}}",), "条",
                                 part=True),
    "proactive_new_media": Pattern((rf"政务新媒体(?:平台)?(?:依法)?(?:主动)?公开{_INFO}{_SUM}{{n}}",), "条", part=True),
    "proactive_reading_points": Pattern((rf"查阅点公开{_INFO}{_SUM}{{n}}",), "条", part=True),
    "proactive_other": Pattern((rf"其他(?:方式|途径|渠道)公开{_INFO}{_SUM}{{n}}",), "条", part=True),
    # what the website published of every kind (news too): 发布, not 公开, so no part of proactive_total
    "website_posts": Pattern((rf"(?:政府|门户)网站(?:上|平台)?{_SUM}(?:发布|编发)(?:各类|文字)?{_INFO}{_SUM}{{n}}",), "条"),
    "consultations_total": Pattern(
        (rf"(?:接受|受理|接待|解答|答复)(?:群众|公众)?(?:政府信息公开|信息公开|依申请公开)?咨询{_SUM}{{n}}",), "人次"),
    "consultations_onsite": Pattern((rf"(?:现场|当面|窗口)咨询{_SUM}{{n}}",), "人次", part=True),
    "consultations_online": Pattern((rf"(?:网上|在线|网络)咨询{_SUM}{{n}}",), "人次", part=True),
    "consultations_phone": Pattern((rf"电话咨询{_SUM}{{n}}",), "人次", part=True),
    "messages_received": Pattern((rf"(?:接收|收到|受理)(?:群众|公众|网民)?留言{_SUM}{{n}}",), "条|件"),
    "messages_handled": Pattern((rf"(?:办结|回复|答复)(?:群众|公众|网民)?留言{_SUM}{{n}}",
                                 rf"留言{_SUM}{_SPACE}\d+{_SPACE}[条件][、，,]?(?:已|并|均)?(?:受理并|全部)?"
                                 rf"(?:办结|回复|答复){_SUM}{{n}}"), "条|件", part=True),
    "applications_received": Pattern(
        (rf"(?:收到{_WHO}(?:{_APPLICATION}|申请)|(?:接收|受理|新收){_WHO}{_APPLICATION}){_SUM}{{n}}"
         r"(?![（(，,]?(?:其中)?(?:含|包括|包含)上)",),
        "件|份|个|条", "复议|诉讼|结转"),
    "applications_carried_over": Pattern((rf"上一?年度?结转(?:的)?{_WHO}(?:{_APPLICATION}|申请)?{_SUM}{{n}}",),
                                         "件|份|个|条", part=True),
    "applications_processed": Pattern((rf"(?:办结|答复|办理|处理|完成)(?:完毕|了)?{_WHO}{_APPLICATION}{_SUM}{{n}}",
                                       rf"(?:答复|办结)(?:(?<=公开申请..)|(?<=依申请公开..)){_SUM}{{n}}"),  # …申请答复N件
                                      "件|份|个|条", "复议|诉讼"),
    "applications_granted": Pattern((rf"(?:予以公开|同意公开)(?:答复)?{_SUM}{{n}}",), "件|份|个|条", "主动|文件|转为",
                                    part=True),
    "applications_carried_forward": Pattern(
        (rf"结转(?:至|到)?下一?年度?(?:继续)?(?:办理)?(?:的)?(?:{_APPLICATION}|申请)?{_SUM}{{n}}",), "件|份|个|条", part=True),
    "reviews": Pattern((rf"{_APPEAL_OWN}行政复议(?:案件|申请)?(?:数量)?{_SUM}{{n}}",), "件|起|宗|次"),
    "lawsuits": Pattern((rf"{_APPEAL_OWN}行政诉讼(?:案件)?(?:数量)?{_SUM}{{n}}",
                         rf"{_APPEAL_OWN}行政复议(?:案件|申请)?{_SUM}{_SPACE}\d+{_SPACE}[件起宗次][，,、](?:被)?(?:提起)?"
                         rf"行政诉讼(?:案件)?{_SUM}{{n}}"), "件|起|宗|次"),
}

# total -> parts, for checks
PARTS: dict[str, tuple[str, ...]] = {
    "proactive_total": ("proactive_website", "proactive_new_media", "proactive_reading_points", "proactive_other"),
    "consultations_total": ("consultations_onsite", "consultations_online", "consultations_phone"),
}
# key -> the table and the rows whose 总计 the prose's figure states (added up), for checks
COUNTERPARTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "applications_received": ("applications", ("new_received",)),
    "applications_carried_over": ("applications", ("carried_over",)),
    "applications_processed": ("applications", ("results_total",)),
    "applications_granted": ("applications", ("granted",)),
    "applications_carried_forward": ("applications", ("carried_forward",)),
    "reviews": ("appeals", ("review",)),
    "lawsuits": ("appeals", ("litigation_direct", "litigation_after_review")),
}

_HANZI = "零〇一二两三四五六七八九十百千"
_NUMBER = rf"\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+|[{_HANZI}]+"  # \d is any decimal digit, full-width too
_OTHER_PERIOD = "上年|上一年|去年|前年|同期|历年|(?<!今年)(?<!本年)(?<!年初)以来"
_CLAUSE_END = "，,；;。：:\n"
_SENTENCE_END = "。；;\n"
_REACH = 300  # characters a sentence or clause is looked for in, either side: text without stops stays cheap


def _compile(p: Pattern) -> tuple[tuple[re.Pattern[str], ...], re.Pattern[str]]:
    figure = rf"{_SPACE}(?P<n>{_NUMBER}){_SPACE}(?P<unit>{p.units})(?!以上|左右|之多)"
    unless = "|".join(filter(None, (p.unless_before, _OTHER_PERIOD)))
    return tuple(re.compile(w.replace("{n}", figure)) for w in p.wordings), re.compile(unless)


_COMPILED = {k: _compile(p) for k, p in PATTERNS.items()}

_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_POWER = {"千": 1000, "百": 100, "十": 10}


def hanzi_number(text: str) -> int | None:
    """A number written in Chinese numerals below 10,000, or None for anything else.

    Only the written form is read (十二, 一百零三, 两千零五十); a run of digits
    (二〇二〇, a year) or a colloquial short form (一百三) is no figure.

    >>> [hanzi_number(t) for t in ("十", "十二", "二十", "一百零三", "两千零五十", "零", "三")]
    [10, 12, 20, 103, 2050, 0, 3]
    >>> [hanzi_number(t) for t in ("百", "十十", "二〇二〇", "一百三", "零三", "三十零")]
    [None, None, None, None, None, None]
    """
    if text in ("零", "〇"):
        return 0
    value, last, zero, i = 0, 10000, False, 0
    while i < len(text):
        c = text[i]
        if _DIGIT.get(c) == 0:
            if zero or not value:
                return None  # a leading or a doubled 零
            zero, i = True, i + 1
            continue
        if c in _POWER:  # only 十 stands alone, and only first: 十二
            if value or c != "十":
                return None
            digit, power, i = 1, 10, i + 1
        elif i + 1 < len(text) and text[i + 1] in _POWER:
            digit, power, i = _DIGIT[c], _POWER[text[i + 1]], i + 2
        elif i + 1 == len(text):
            digit, power, i = _DIGIT[c], 1, i + 1
        else:
            return None  # a digit that is neither last nor followed by its place
        # each place below the last is either there or stood for by one 零 (一百零三, not 一百三)
        if power >= last or (last < 10000 and power * 10 < last) != zero:
            return None
        value, last, zero = value + digit * power, power, False
    return None if zero else value


def _value(written: str) -> int | None:
    digits = written.replace(",", "")
    if digits.isdigit():
        return int(digits) if len(digits) <= MAX_DIGITS else None  # a longer run of digits is no figure
    return hanzi_number(written)


def _sentence(text: str, start: int, end: int) -> str:
    lo, hi = max(0, start - _REACH), min(len(text), end + _REACH)
    left = max(text.rfind(c, lo, start) for c in _SENTENCE_END) + 1 or lo
    rights = [i for c in _SENTENCE_END if (i := text.find(c, end, hi)) >= 0]
    return text[left:min(rights) + 1 if rights else hi].strip()


def _before(text: str, start: int, stops: str) -> str:
    """The text from the last of ``stops`` (the clause's or the sentence's start) to ``start``."""
    lo = max(0, start - _REACH)
    return text[max(text.rfind(c, lo, start) for c in stops) + 1 or lo:start]


def _accepted(prose: str, rx: re.Pattern[str], unless: re.Pattern[str], part: bool) -> re.Match[str] | None:
    """The first match of one wording that passes the rules (module docstring)."""
    for m in rx.finditer(prose):
        if (_value(m["n"]) is not None and not unless.search(_before(prose, m.start(), _CLAUSE_END))
                and (part or "其中" not in _before(prose, m.start(), _SENTENCE_END))):
            return m
    return None


def _first(prose: str, key: str) -> Figure | None:
    wordings, unless = _COMPILED[key]
    found = [m for rx in wordings if (m := _accepted(prose, rx, unless, PATTERNS[key].part))]
    if not found:
        return None
    m = min(found, key=lambda m: m.start())  # the first sentence that states it, whichever wording
    return Figure(key, _value(m["n"]), m["unit"], _sentence(prose, m.start(), m.end()))


def extract(prose: str) -> list[Figure]:
    """The figures the prose states, one per key (the first that passes the rules), in :data:`PATTERNS` order.

    >>> extract("共接收留言37条、受理并办结34条，网站访问量突破842018次。")[1]
    Figure(key='messages_handled', value=34, unit='条', sentence='共接收留言37条、受理并办结34条，网站访问量突破842018次。')
    """
    return [f for key in PATTERNS if (f := _first(prose, key)) is not None]
