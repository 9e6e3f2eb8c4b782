"""Traditional characters and pinyin glosses, for pages that mirror a report in 繁體字.

About one report page in ten is a traditional-character mirror (``總計``,
``結轉``, ``規範性檔案``), sometimes with a pinyin gloss after a character
(``數(shù)量``, ``項(xiàng)``). :func:`strip_pinyin` takes the glosses out,
:func:`simplify` maps the characters to simplified ones, and
:func:`is_traditional` tells whether a text is written in traditional
characters at all.

The converter is OpenCC (the ``opencc`` package, 1.4.2: the official Python
binding of the C++ library, with its dictionaries in the wheel, so nothing is
fetched at run time) with its ``t2s`` configuration. ``t2s`` is a conversion
of characters: each traditional character becomes its simplified form, and its
phrase table only chooses among the forms of a character that has several
(``乾隆`` stays ``乾隆``, ``乾燥`` becomes ``干燥``; ``答覆`` → ``答复``). It has
no regional vocabulary: ``檔案`` becomes ``档案``, not ``文件`` (that would be
``tw2sp``, which rewrites words and can change what a label means), so a label
table that is to match such mirrors needs ``档案`` as a variant of ``文件``.
Digits, ASCII, punctuation and layout characters are left as they are.

A simplified text passes through unchanged (the five seeds do) except for
the 16 characters that are both a simplified character and a traditional form
of another one (``乾`` ``後`` ``於`` ``徵`` ``夥`` ``摺`` ``麽`` …) and a few rare
pairs of the phrase table: ``乾县`` would become ``干县``. So convert a whole
text only when :func:`is_traditional` says so; label cells are safe to
convert always.

>>> simplify(strip_pinyin("本年新制作數(shù)量"))
'本年新制作数量'
>>> simplify("規範性檔案 152790元"), is_traditional("結轉下年度繼續辦理"), is_traditional("结转下年度继续办理")
('规范性档案 152790元', True, False)
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from . import derived

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # the ideographs of the Basic Multilingual Plane
_CJK_RUNS = re.compile(f"[{_CJK}]+")


@lru_cache(maxsize=1)
def _converter():
    import opencc  # here, not at import: loading it and its dictionaries costs ~10 ms

    return opencc.OpenCC("t2s")


def _opencc_files() -> list[Path]:
    """The files of the installed OpenCC that t2s converts with (its configuration and dictionaries)."""
    share = Path(find_spec("opencc").submodule_search_locations[0], "clib", "share", "opencc")
    return [share / f for f in ("t2s.json", "CJK_Compatibility_Ideographs.ocd2", "TSPhrases.ocd2",
                                "TSCharactersExt.ocd2", "TSCharacters.ocd2")]


def _changing() -> tuple[str, str]:
    """(the characters t2s changes on their own, those of them that a simplified text has too),
    asked of the converter (~40 ms, so made once: :func:`_tables`).

    Each ideograph of the BMP is converted alone (one per line, so no phrase
    matches). Of those that change, the ones in GB2312 (the simplified set:
    乾, 於, 後 …) are no sign that a text is traditional.
    """
    chars = [chr(c) for r in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)) for c in range(*r)]
    out = _converter().convert("\n".join(chars)).split("\n")
    if len(out) != len(chars):  # pragma: no cover - a converter that joins lines: every ideograph counts
        return "".join(chars), ""
    changing = "".join(a for a, b in zip(chars, out) if a != b)
    return changing, changing.encode("gb2312", errors="ignore").decode("gb2312")


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[int, None], str]:
    """:func:`_changing`, the first as a table that ``str.translate`` deletes them with; kept in the cache
    folder (:mod:`gkdata.derived`) for the installed OpenCC."""
    def write(path: Path) -> None:
        path.write_text("\n".join(_changing()), encoding="utf-8")

    kept, parts = derived.cached("t2s-changing-1.txt", _opencc_files(), write), []
    try:
        parts = kept.read_text(encoding="utf-8").split("\n") if kept else []
    except (OSError, UnicodeError):  # a damaged file: made in memory, as without a folder
        pass
    changing, also_simplified = parts if len(parts) == 2 else _changing()
    return dict.fromkeys(map(ord, changing)), also_simplified


def _convert(text: str) -> str:
    try:
        return _converter().convert(text)
    except UnicodeEncodeError:  # lone surrogates (bytes decoded with surrogateescape): convert around them
        return "".join(p if p and 0xD800 <= ord(p[0]) <= 0xDFFF else _converter().convert(p)
                       for p in re.split("([\ud800-\udfff]+)", text))


def simplify(text: str) -> str:
    """Traditional characters -> simplified (OpenCC ``t2s``); everything else unchanged.

    An ASCII text is returned as it is. Any other goes through the converter:
    no cheaper test can tell that it has nothing to convert, since some
    conversions belong to a pair of characters only (``答覆`` → ``答复``, while
    ``覆`` alone stays).

    >>> simplify("總體情況"), simplify("總計"), simplify("結轉下年度繼續辦理")
    ('总体情况', '总计', '结转下年度继续办理')
    >>> simplify("行政複議 3件"), simplify("（一）予以公開"), simplify("abc 123")
    ('行政复议 3件', '（一）予以公开', 'abc 123')
    """
    if text.isascii():
        return text
    return _convert(text)


def is_traditional(text: str) -> bool:
    """Whether a text is written in traditional characters.

    Pass the opening of a report (its first ~4000 characters) or a label. True
    when at least a tenth of its ideographs, or of those of its first 1000
    characters, are traditional-only characters: ones that t2s changes and that
    no simplified text has (總 報 開 會 點 這 發 關 區 縣 應 數 項 處 …, not 乾 於 後).
    A simplified report quoting a traditional name stays False.

    >>> is_traditional("二、主動公開政府信息情況"), is_traditional("二、主动公开政府信息情况")
    (True, False)
    >>> is_traditional("乾县"), is_traditional(""), is_traditional("2023")
    (False, False, False)
    """
    if text.isascii():
        return False
    changing, also_simplified = _tables()
    for part in (text[:1000], text) if len(text) > 1000 else (text,):
        found = len(part) - len(part.translate(changing))
        if found:  # less the characters a simplified text has too
            found -= sum(map(part.count, also_simplified))
        if found <= 0:
            continue
        if found * 10 >= len(part):  # more than a tenth of all characters, so of the ideographs too
            return True
        if found * 10 >= sum(map(len, _CJK_RUNS.findall(part))):
            return True
    return False


# -- pinyin glosses ---------------------------------------------------------------------------

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PLAIN = "aaaaeeeeiiiioooouuuuvvvv"
_UNTONE = str.maketrans(_TONED + "ü", _PLAIN + "v")
# A parenthesis holding 1–24 lowercase letters of pinyin's alphabet (after NFC, combining tone marks
# are folded into the vowels). Bounded and unnested, matched only where a parenthesis opens.
_GLOSS = re.compile(f"[(（]([a-z{_TONED}ü\u0300-\u030c]{{1,24}})[)）]")

_FINALS = {  # each initial with the finals it takes (Hanyu Pinyin, ü written v)
    "": "a ai an ang ao e ei en eng er o ou",
    "y": "a an ang ao e i in ing o ong ou u uan ue un",
    "w": "a ai an ang ei en eng o u",
    "b": "a ai an ang ao ei en eng i ian iao ie in ing o u",
    "p": "a ai an ang ao ei en eng i ian iao ie in ing o ou u",
    "m": "a ai an ang ao e ei en eng i ian iao ie in ing iu o ou u",
    "f": "a an ang ei en eng o ou u",
    "d": "a ai an ang ao e ei en eng i ia ian iao ie ing iu ong ou u uan ui un uo",
    "t": "a ai an ang ao e ei eng i ian iao ie ing ong ou u uan ui un uo",
    "n": "a ai an ang ao e ei en eng i ian iang iao ie in ing iu ong ou u uan un uo v ve ue",
    "l": "a ai an ang ao e ei eng i ia ian iang iao ie in ing iu o ong ou u uan un uo v ve ue",
    "g": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "k": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "h": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "j": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "q": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "x": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "zh": "a ai an ang ao e ei en eng i ong ou u ua uai uan uang ui un uo",
    "ch": "a ai an ang ao e en eng i ong ou u ua uai uan uang ui un uo",
    "sh": "a ai an ang ao e ei en eng i ou u ua uai uan uang ui un uo",
    "r": "an ang ao e en eng i ong ou u ua uan ui un uo",
    "z": "a ai an ang ao e ei en eng i ong ou u uan ui un uo",
    "c": "a ai an ang ao e en eng i ong ou u uan ui un uo",
    "s": "a ai an ang ao e en eng i ong ou u uan ui un uo",
}
_SYLLABLES = frozenset(i + f for i, finals in _FINALS.items() for f in finals.split())
_WITH_INITIAL = frozenset(s for s in _SYLLABLES if s[0] not in "aeo")
_LONGEST = max(map(len, _SYLLABLES))


def _syllables(s: str) -> bool:
    """Whether ``s`` splits into 1–4 pinyin syllables."""
    n = len(s)
    fewest = [0] + [99] * n  # fewest syllables covering s[:i]
    for i in range(1, n + 1):
        for k in range(1, min(_LONGEST, i) + 1):
            if fewest[i - k] + 1 < fewest[i] and s[i - k:i] in _SYLLABLES:
                fewest[i] = fewest[i - k] + 1
    return fewest[n] <= 4


def _is_gloss(letters: str) -> bool:
    letters = unicodedata.normalize("NFC", letters)
    if any("\u0300" <= c <= "\u030c" for c in letters):  # a mark NFC could not fold into a vowel
        return False
    plain = letters.translate(_UNTONE)
    if plain != letters.replace("ü", "v"):  # a tone mark: one or a few syllables (bàogào)
        return _syllables(plain)
    # No tone mark: only one syllable with an initial consonant, of two letters or more (shu, xiang),
    # so that (a), (e), (ai), (china), (pdf), (app) stay.
    return len(plain) >= 2 and plain in _WITH_INITIAL


def strip_pinyin(text: str) -> str:
    """The text without pinyin glosses in parentheses right after a character.

    A gloss is written in lowercase pinyin: with a tone mark (one to four
    syllables: ``(shù)``, ``(bàogào)``), or without one as a single syllable that
    starts with a consonant (``(shu)``). Anything else in parentheses stays:
    ``(一)``, ``(万元)``, ``(2023年办件量)``, ``(a)``, ``(pdf)``, and a gloss not
    right after a character (``表 (shu)``).

    >>> strip_pinyin("數(shù)量"), strip_pinyin("項(xiàng)"), strip_pinyin("報(bào)告")
    ('數量', '項', '報告')
    >>> strip_pinyin("(一)主动公开(万元)(区分处理的,只计这一情形)")
    '(一)主动公开(万元)(区分处理的,只计这一情形)'
    """
    # str.find to each parenthesis (C speed), then one bounded match there: linear, ~µs per parenthesis.
    opens = [i for p in "(（" if p in text for i in _positions(text, p)]
    if not opens:
        return text
    pieces, last = [], 0
    for i in sorted(opens):
        if i and _is_ideograph(text[i - 1]) and (m := _GLOSS.match(text, i)) and _is_gloss(m.group(1)):
            pieces.append(text[last:i])
            last = m.end()
    return "".join(pieces) + text[last:] if pieces else text


def _positions(text: str, char: str) -> list[int]:
    found, i = [], text.find(char)
    while i >= 0:
        found.append(i)
        i = text.find(char, i + 1)
    return found


def _is_ideograph(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\uf900" <= c <= "\ufaff" or c >= "\U00020000"
