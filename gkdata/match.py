"""The one label matcher: a cell's text -> the label of the label table it holds, for every table and format.

A label is matched, in order: as the template spells it after normalising
(spaces, punctuation, numbering, traditional characters; :func:`spelt`), with
a note after it (``规章(设区的市…)``), numbered in another style; cut where what
remains starts one label only (:func:`cut_labels`); or misspelt within
:func:`tolerance` edits and clearly nearer to one label than to any other
(:func:`nearest`, RapidFuzz). The vocabulary of each table and template is
indexed once. Cells run together (``规章000``) are split by :func:`run_together`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from . import labels as L
from .cache import text_cache
from .numbers import is_value

# A label may carry a note after it: 规章(设区的市…), 本年增/减(指…), 1.申请人…、行政机关…
NOTE_START = tuple("(:,、;")
# A label with the row's cells run onto it: 规章000, 其他对外管理服务事项6-18, 行政许可154增50,
# 规章/—58, 政府集中采购586.4万元
_GLUED = re.compile(r"^(.*?[^-+\d./—无增减])([-+\d./—无增减]*[\d/—无-](?:万元|万|元)?)$")
MAX_GLUED_DIGITS = 40  # longer digit runs are not a row of cells
# Characters of a cell that may hold a label: the longest label cell of the seeds, fixtures and generated reports
# (a note and run-together cells included) is 58, so a longer cell is prose or garbage and is matched as no label,
# at the cost of a length check (a line of 200,000 characters would be normalised on every look at it).
MAX_CELL = 1_000


@lru_cache(maxsize=None)
def vocabulary(table: str, template: str) -> tuple[tuple[str, L.Label, str], ...]:
    """(normalised text, label, role) for one table, longest text first."""
    if table == "disclosure":
        rows = [lab for lab in L.DISCLOSURE_ITEMS if template in lab.templates]
        headers = [lab for lab in L.DISCLOSURE_MEASURES if template in lab.templates] + list(L.DISCLOSURE_HEADERS)
    elif table == "applications":
        rows = [lab for lab in L.APPLICATION_ROWS if template in lab.templates]
        headers = list(L.APPLICATION_HEADERS)
    else:
        rows, headers = [], list(L.APPEALS_HEADERS)
    vocab: dict[str, tuple[L.Label, str]] = {}
    for role, labs in (("header", headers), ("row", rows)):
        for lab in labs:
            for text in (lab.zh, *lab.variants):
                vocab.setdefault(L.normalize(text), (lab, role))
    header_texts = {t for t, (_, role) in vocab.items() if role == "header"}
    for lab in rows:  # rows written without their numbering, where that stays unique
        bare = L._unnumbered(L.normalize(lab.zh))
        if bare not in header_texts:
            vocab.setdefault(bare, (lab, "row"))
    return tuple(sorted(((t, lab, role) for t, (lab, role) in vocab.items()), key=lambda x: -len(x[0])))


@text_cache()
def match(cell: str, table: str, template: str) -> tuple[L.Label | None, str] | None:
    """The label a cell holds, or None. Captions match with label None.

    Exact after normalisation (a note may follow: ``规章(设区的市…)``), numbered in
    another style, cut where what remains is one label's start (``1.本机关不掌握相关政``),
    or within a few edits of one label and clearly farther from every other
    (``5.属于三类内容事务信息``). A cell over :data:`MAX_CELL` characters is no label.

    >>> match("（一）予以公开", "applications", "2021")[0].key, match("予以公开" * 300, "applications", "2021")
    ('granted', None)
    """
    return None if len(cell) > MAX_CELL else _match(cell, table, template, 0)


NESTED = 2  # labels run together that a note check looks into: enough for real text, a bound for hostile text


def _match(cell: str, table: str, template: str, depth: int) -> tuple[L.Label | None, str] | None:
    norm = L.normalize(cell)
    if not norm or is_value(cell):
        return None
    if (found := spelt(norm, table, template, depth)) is not None:
        return found
    for head in _heads(norm):
        if head != norm and is_exact(head, table, template):
            continue  # a label followed by a second one, not by a note: the cell is two cells run together
        if found := cut_labels(table, template).get(head):
            return found
        if (near := nearest(head, table, template)) and near.sure:
            return near.label, near.role
    return None


def spelt(norm: str, table: str, template: str, depth: int = 0) -> tuple[L.Label | None, str] | None:
    """A normalised cell's label as the template spells it: exact, with a note after it, or numbered
    in another style.

    Whether what follows a label is a note, not a second label, is itself a match; below :data:`NESTED`
    labels deep it is taken as a note only when it is no label as spelt (so the recursion stays shallow
    whatever the cell: ``规章(规章(规章(…``).
    """
    if len(norm) > MAX_CELL:
        return None
    if table == "disclosure" and L.CAPTION.match(norm):
        return None, "header"
    index = _index(table, template)
    if found := index.get(norm):
        return found
    def is_note(rest: str) -> bool:
        if depth >= NESTED:
            return index.get(L.normalize(rest)) is None
        return _match(rest, table, template, depth + 1) is None

    for p in _notelabel_starts(norm, _longest(table, template)):  # the longest label first, then a note
        if (found := index.get(norm[:p])) and is_note(norm[p:]):
            return found
    bare = L._unnumbered(norm)
    if bare != norm:  # numbered in another style (1、予以公开, 七、总计): numbering marks a row, not a header
        number = numeral(norm)
        for text, lab in _bare_rows(table, template):
            if number is not None and numeral(L.normalize(lab.zh)) not in (None, number):
                continue  # another number: (六)其他 is not 3.其他 (but the start of (六)其他处理)
            if bare == text or (bare.startswith(text) and bare[len(text)].startswith(NOTE_START)
                                and is_note(bare[len(text):])):
                return lab, "row"
    return None


_NUMERAL = re.compile(r"^(?:\(([一二三四五六七八九十])\)|([一二三四五六七八九十])[、.]|(\d{1,2})\.(?=\D))")


@text_cache()
def numeral(norm: str) -> int | None:
    """The number a normalised label is numbered with, in any style (``(三)``, ``三、``, ``3.``), or None.

    >>> numeral("(六)其他"), numeral("六、其他"), numeral("3.其他"), numeral("其他")
    (6, 6, 3, None)
    """
    m = _NUMERAL.match(norm)
    if m is None:
        return None
    chinese = m.group(1) or m.group(2)
    return "一二三四五六七八九十".index(chinese) + 1 if chinese else int(m.group(3))


@lru_cache(maxsize=None)
def _index(table: str, template: str) -> dict[str, tuple[L.Label | None, str]]:
    """The vocabulary as a dict (normalised text -> label, role), looked up once per candidate."""
    return {text: (lab, role) for text, lab, role in reversed(vocabulary(table, template))}


def _notelabel_starts(norm: str, longest: int) -> list[int]:
    """Positions where a note may begin after a label, longest label first: within the first ``longest``
    characters only, since no label is longer (so a line of 200,000 characters is looked at 40 times, not
    100,000 times each hashing its start).

    >>> _notelabel_starts("规章(注)、" + "一、" * 100_000, 8)
    [7, 5, 2]
    """
    return sorted((i for i, c in enumerate(norm[:longest + 1]) if c in _NOTE_CHARS and i), reverse=True)


@lru_cache(maxsize=None)
def _longest(table: str, template: str) -> int:
    """The length of the longest normalised label text of a table and template."""
    return len(vocabulary(table, template)[0][0])


_NOTE_CHARS = frozenset("".join(NOTE_START))


def _heads(norm: str) -> tuple[str, ...]:
    """The text to match loosely: the whole cell, and the part before a note that follows the label."""
    cut = min((i for i in (norm.find(c) for c in NOTE_START) if i >= MIN_LOOSE), default=-1)
    return (norm, norm[:cut]) if cut > 0 else (norm,)


def is_exact(text: str, table: str, template: str) -> bool:
    return any(text == t for t, _, _ in vocabulary(table, template))


MIN_LOOSE = 4  # characters a cut or misspelt label must keep to be matched at all
MAX_LOOSE = 60  # longer text is prose, not a misspelt label


@lru_cache(maxsize=None)
def cut_labels(table: str, template: str) -> dict[str, tuple[L.Label | None, str]]:
    """Every start of a label text (at least :data:`MIN_LOOSE` long) that belongs to one label only."""
    found: dict[str, tuple[L.Label | None, str] | None] = {}
    for text, lab, role in vocabulary(table, template):
        for k in range(MIN_LOOSE, len(text)):
            head = text[:k]
            seen = found.get(head, (lab, role))
            found[head] = (lab, role) if seen is not None and seen[0] is lab else None
    full = {text for text, _, _ in vocabulary(table, template)}
    return {head: v for head, v in found.items() if v is not None and head not in full}


class Near(NamedTuple):
    """The label a text is nearest to, by edit distance, and whether that is clear."""

    label: L.Label | None
    role: str
    distance: int
    sure: bool  # within the tolerance and at least two edits nearer than any other label
    others: tuple[str, ...]  # the other labels as near, when not sure


def tolerance(text: str) -> int:
    """Edits allowed between a misspelt label and its label: one per four characters, at least one
    (``本年处理绝对数量``: two edits from 本年处理决定数量)."""
    return max(1, len(text) // 4)


@text_cache()
def nearest(text: str, table: str, template: str) -> Near | None:
    """The label within :func:`tolerance` edits of a text, or None when none is that near."""
    if not MIN_LOOSE <= len(text) <= MAX_LOOSE:
        return None
    from rapidfuzz import process  # imported on the first unknown cell: most reports have few
    from rapidfuzz.distance import Levenshtein

    vocab = vocabulary(table, template)
    limit = tolerance(text)
    hits = process.extract(text, [t for t, _, _ in vocab], scorer=Levenshtein.distance,
                           score_cutoff=limit + 1, limit=12)
    if not hits:
        return None
    best: dict[int, tuple[int, L.Label | None, str]] = {}  # label identity -> (distance, label, role)
    for _, d, i in hits:
        _, lab, role = vocab[i]
        if id(lab) not in best or d < best[id(lab)][0]:
            best[id(lab)] = (d, lab, role)
    ranked = sorted(best.values(), key=lambda x: x[0])
    d, lab, role = ranked[0]
    if d > limit:
        return None
    rest = [r for r in ranked[1:]]
    sure = not rest or rest[0][0] >= d + 2
    others = tuple(r[1].zh for r in rest if r[0] <= d + 1 and r[1] is not None)
    return Near(lab, role, d, sure, () if sure else (lab.zh if lab else "", *others))


@lru_cache(maxsize=None)
def _bare_rows(table: str, template: str) -> tuple[tuple[str, L.Label], ...]:
    """(row label without numbering, label), longest first; a bare 总计 is (七)总计 here."""
    rows = {L._unnumbered(text): lab for text, lab, role in reversed(vocabulary(table, template)) if role == "row"}
    return tuple(sorted(rows.items(), key=lambda x: -len(x[0])))


@text_cache()
def run_together(cell: str, table: str, template: str) -> tuple[tuple[str, ...], str] | None:
    """A cell that is several labels run together, and the digits after them (``规章000``).

    ``(label texts, digits)`` when the labels cover the cell's text exactly, else None.
    """
    if len(cell) > MAX_CELL:
        return None
    norm = L.normalize(cell)
    m = _GLUED.match(norm)
    rest, digits = (m.group(1), m.group(2)) if m else (norm, "")
    if len(digits) > MAX_GLUED_DIGITS:
        return None
    out: list[str] = []
    while rest:
        if out and match(rest, table, template) is not None:  # the last label may be cut or carry a note
            out.append(rest)
            break
        text = next((t for t, _, _ in vocabulary(table, template) if rest.startswith(t)), None)
        if text is None:
            return None
        out.append(text)
        rest = rest[len(text):]
    return (tuple(out), digits) if out and (digits or len(out) > 1) else None


@lru_cache(maxsize=None)
def label_starts(table: str) -> frozenset[str]:
    """Every start of every label text of a table, in either template."""
    return frozenset(text[:k] for template in L.TEMPLATES for text, _, _ in vocabulary(table, template)
                     for k in range(1, len(text) + 1))


def near_miss(text: str, table: str, template: str) -> tuple[str, ...]:
    """The labels an unknown text is equally near to (a typo that could be either), if any."""
    if len(text) > MAX_CELL:
        return ()
    for head in _heads(L.normalize(text)):
        if (near := nearest(head, table, template)) and not near.sure:
            return near.others
    return ()


def starts_row(text: str, table: str, template: str) -> bool:
    """Whether a text is the start of a data row's label (行政 of 行政强制): a new row, not a wrapped line."""
    return any(not lab.group for lab in row_starts(text, table, template))


def row_starts(text: str, table: str, template: str) -> tuple[L.Label, ...]:
    """The row labels (data rows and groups) whose text starts with a text: what a cut-off label may be.

    >>> [lab.key for lab in row_starts("（四）无法提", "applications", "2021")]
    ['unable']
    """
    if len(text) > MAX_CELL:
        return ()
    norm = L.normalize(text)
    return tuple(dict.fromkeys(lab for t, lab, role in vocabulary(table, template)
                               if role == "row" and t.startswith(norm)))
