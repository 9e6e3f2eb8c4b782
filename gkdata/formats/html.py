"""HTML pages: a government site's page, or a Word document saved as a web page.

The page is parsed with lxml and walked in document order: block elements
make prose lines, a data ``<table>`` becomes cells with its ``rowspan`` /
``colspan`` spans (laid out by :func:`gkdata.formats.lay_out`). Tables that
only lay out the page (a table holding other tables, or one column) are
walked as prose. Scripts, styles, navigation and hidden elements are not
text — except a report embedded in a script as a string literal (pages that
render their article with JavaScript), which is unescaped and read in place.

>>> page = ('<html><head><meta charset="gbk"><title>某县2021年政府信息公开工作年度报告</title></head><body>'
...         '<p>二、主动公开政府信息情况</p><table><tr><td rowspan="2">行政许可</td><td>5</td></tr>'
...         '<tr><td>&nbsp;</td></tr></table><script>var a = "<b>x</b>";</script></body></html>')
>>> blocks, encoding = read(page.encode("gbk"), "page.html")
>>> encoding, blocks[:2]
('gb18030', ['某县2021年政府信息公开工作年度报告', '二、主动公开政府信息情况'])
>>> [cell[:4] for cell in blocks[2]]
[(0, 0, '行政许可', 2), (0, 1, '5', 1), (1, 1, '', 1)]
"""

from __future__ import annotations

import functools
import html as htmlcodec
import json
import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .. import limits
from ..decode import decode
from ..errors import ReportError
from . import Block, Cell, Converter, is_data_table, join_lines

if TYPE_CHECKING:
    from lxml.etree import _Element

SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|table)\b", re.I)
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

# Elements whose content is not page text (a report embedded in a <script> is handled first).
_SKIP = frozenset({"head", "script", "style", "noscript", "template", "nav", "footer", "select", "button",
                   "textarea", "iframe", "object", "svg", "map"})
_BLOCK = frozenset({"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
                    "div", "dl", "dt", "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5",
                    "h6", "header", "hr", "html", "legend", "li", "main", "menu", "ol", "p", "pre", "section",
                    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"})
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")  # in a lower-cased style
_SPACE_RUN = re.compile(r"[ \t\n\r\f]+")  # HTML collapses these; NBSP and U+3000 are text
_BREAK_RUN = re.compile(r"(?<![ \t\r\f])[ \t\r\f]*+\n[ \t\n\r\f]*+")  # a whole run holding a line break (linear)

# A JavaScript string literal's opening quote, and its body up to the closing one (possessive: no backtracking).
_QUOTE = re.compile(r"[\"'`]")
# (unrolled: a run of plain characters at a time, then an escape; the same strings as (?:[^"\\]|\\.)*+)
_BODY = {q: re.compile(rf"[^{q}\\{line}]*+(?:\\.[^{q}\\{line}]*+)*+", re.S)
         for q, line in (('"', r"\n"), ("'", r"\n"), ("`", ""))}
_JS_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|.)", re.S)
_JS_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "b": "", "f": "", "v": "", "0": "", "\n": "", "\r\n": ""}
_MARKUP = re.compile(r"<\s*(?:table|p|div|tr|td|span|br|h\d)\b", re.I)
# Characters lxml keeps in what it parses but refuses in a string given to an element (the text of a script's
# markup, a tail moved with it): control characters, which a page does not show, and the two non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffe\uffff]")


def sniff(data: bytes, source: str) -> bool:
    """An ``.htm(l)`` file, or a page whose start has HTML markup (whatever its name)."""
    if source.lower().endswith(SUFFIXES):
        return True
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: keep the ASCII of the markup
        head = head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
    return bool(_SNIFF.search(head))


def unescape_js(literal: str) -> str:
    """The value of a JavaScript string literal (quotes included).

    >>> unescape_js(r'"<td class=\\"x\\">\\u003cb\\u003e规章\\/td\\n"')
    '<td class="x"><b>规章/td\\n'
    """
    if literal[0] == '"':  # most embedded pages are JSON strings: json reads them in C
        try:
            text = json.loads(literal)
        except ValueError:
            pass
        else:
            if "\b" not in text and "\f" not in text:  # else \b, \f (dropped) or \u0008, \u000c (kept): below
                return text.encode("utf-16", "surrogatepass").decode("utf-16", errors="replace")

    def one(m: re.Match) -> str:
        e = m.group(1)
        if e[0] == "u" and len(e) > 1:
            code = int(e[1:].strip("{}"), 16)
            return chr(code) if code <= 0x10FFFF else "\ufffd"  # \u{110000} is no character
        if e[0] == "x" and len(e) == 3:
            return chr(int(e[1:], 16))
        return _JS_SIMPLE.get(e, e)

    text = _JS_ESCAPE.sub(one, literal[1:-1])
    return text.encode("utf-16", "surrogatepass").decode("utf-16", errors="replace")  # \ud83d\ude00 pairs


def _literal_runs(script: str) -> Iterator[list[str]]:
    """A script's string literals, in runs joined with ``+`` (a page built by concatenation), in one pass.

    A literal ends at its closing quote. Once a template literal (`` ` ``) is
    unterminated nothing after it is a literal; an unterminated ``'…'`` or
    ``"…"`` ends at its line. So each character is scanned once (retrying
    from every quote inside an unterminated literal is quadratic).

    >>> list(_literal_runs('''a = "<p>" + 'x' + `y`; b = "z"; c = "open\\n d = `<table>'''))
    [['"<p>"', "'x'", '`y`'], ['"z"']]
    """
    run: list[str] = []
    pos = end = 0
    while m := _QUOTE.search(script, pos):
        quote, start = m.group(), m.start()
        pos = _BODY[quote].match(script, start + 1).end()
        if not script.startswith(quote, pos):
            if quote == "`":
                break
            continue  # '…' or "…" cut at a line end: go on from there
        if run and script[end:start].strip() != "+":
            yield run
            run = []
        pos = end = pos + 1
        run.append(script[start:end])
    if run:
        yield run


def _embedded_markup(script: str) -> str | None:
    """HTML that a script carries as string literals, when it holds a table."""
    parts = []
    for run in _literal_runs(script):
        value = "".join(unescape_js(lit) for lit in run)
        if "<" not in value and "&lt;" in value:
            value = htmlcodec.unescape(value)  # an entity-escaped page inside the string
        if _MARKUP.search(value):
            parts.append(value)
    markup = "".join(parts)
    return markup if re.search(r"<\s*table\b", markup, re.I) else None


def _xml_text(text: str) -> str:
    """Text that lxml takes as an element's text: a form feed is the space HTML reads it as, and the other
    characters of :data:`_NOT_XML` go.

    >>> _xml_text("规\\x00章\\x0c5\\x01")
    '规章 5'
    """
    return _NOT_XML.sub("", text.replace("\x0c", " "))


def _squash(text: str) -> str:
    return "".join(text.split())


_FULL_PAGE = re.compile(r"^\s*<(?:html|!doctype)", re.I)


def _fragment(markup: str) -> _Element | None:
    """Markup as a ``<div>`` of its elements, as ``lxml.html.fragment_fromstring(create_parent="div")`` makes it;
    None if lxml cannot parse it (an XML declaration in the string)."""
    from lxml import etree

    markup = _xml_text(markup)
    page = markup if _FULL_PAGE.match(markup) else f"<html><body>{markup}</body></html>"
    try:
        doc = etree.fromstring(page, _parser())
    except (etree.ParserError, ValueError):
        return None
    div = etree.Element("div")
    body = None if doc is None else doc.find("body")
    if body is not None:
        if body.text and body.text.strip():
            div.text = body.text
        div.extend(list(body))
    return div


def _inline_embedded(doc: _Element, source: str, tags: int) -> None:
    """Replace each script that carries a report by the report's markup, unless the page shows it already;
    ``tags``, the page's count, grows by the markup's (it is held to the same cap)."""
    visible = None
    for script in doc.iter("script"):
        markup = _embedded_markup(script.text or "")
        if markup is None:
            continue
        tags += markup.count("<")
        limits.check(tags, "MAX_HTML_TAGS", source, "the page's markup with its scripts' markup", "tags")
        fragment = _fragment(markup)
        if fragment is None:
            continue
        if visible is None:
            visible = _squash("".join(doc.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]")))
        if _squash(_string(fragment))[:200] in visible:
            continue  # a server-rendered page keeps its data twice; read it once
        fragment.tail = script.tail
        script.getparent().replace(script, fragment)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _collapse(text: str) -> str:
    """HTML white-space collapsing: a run becomes one space, and a source line
    break between two Chinese characters disappears (CSS Text 3 segment breaks)."""
    def gap(m: re.Match) -> str:
        start, end = m.span()
        wide = 0 < start and end < len(text) and _wide(text[start - 1]) and _wide(text[end])
        return "" if wide else " "

    return _SPACE_RUN.sub(" ", _BREAK_RUN.sub(gap, text))  # only a run with a line break needs a look around


def _hidden(el: _Element) -> bool:
    """``hidden``, or a style that hides it (looked into only if it holds a none or hidden in any case)."""
    style = el.get("style")
    if style is not None:
        style = style.lower()
        if ("none" in style or "hidden" in style) and _HIDDEN.search(style):
            return True
    return el.get("hidden") is not None


def _span(el: _Element, name: str, most: int) -> int:
    """A ``rowspan``/``colspan`` as browsers read it: its leading ASCII digits, at most ``most``; 1 if none."""
    value = el.get(name)
    if value is None:
        return 1
    m = re.match(r"\s*([0-9]+)", value)
    return min(int(m.group(1).lstrip("0")[:6] or 0), most) if m else 1


def _flush(pieces: list[str], blocks: list[Block]) -> None:
    """The pieces of text so far as one prose line (white space collapsed), if any."""
    if not pieces:
        return
    line = "".join(pieces)
    del pieces[:]
    if "\n" in line or "  " in line or "\t" in line or "\r" in line or "\f" in line:
        line = _collapse(line)
    line = line.strip()
    if line:
        blocks.append(line)


def _walk(el: _Element, pieces: list[str], blocks: list[Block], source: str) -> None:
    """Walk a shown element in document order: its text goes to ``pieces``, a block element ends a line
    in ``blocks`` before and after it, a data table is one block of cells.

    Children are stepped through with getnext(), which is faster than an
    iterator for the few children most elements have, and an inline child
    without children (a ``<span>`` of text) is read without a call.
    """
    tag = el.tag
    if tag == "br":
        _flush(pieces, blocks)
    elif tag == "table" and (cells := _data_table(el, source)) is not None:
        _flush(pieces, blocks)
        blocks += ["" if _hidden(c) else _cell_text(c, source) for c in el.iterchildren("caption")]
        blocks.append(cells)
    else:
        block = tag in _BLOCK
        if block:
            _flush(pieces, blocks)
        text = el.text
        if text:
            pieces.append(text)
        child = el[0] if len(el) else None
        while child is not None:
            tag = child.tag
            if tag.__class__ is str and tag not in _SKIP and not _hidden(child):  # not a comment, not skipped
                if len(child) or tag in _BLOCK or tag == "br":
                    _walk(child, pieces, blocks, source)
                elif text := child.text:
                    pieces.append(text)
            text = child.tail
            if text:
                pieces.append(text)
            child = child.getnext()
        if block:
            _flush(pieces, blocks)


def _cell_text(el: _Element, source: str) -> str:
    """A cell's text on one line (a shown cell): its paragraphs and <br> lines joined."""
    blocks: list[Block] = []
    pieces: list[str] = []
    _walk(el, pieces, blocks, source)
    _flush(pieces, blocks)
    if len(blocks) == 1 and isinstance(blocks[0], str):
        return blocks[0].replace("\t", " ")  # stripped by _flush, as join_lines would
    return join_lines(b for b in blocks if isinstance(b, str))


_CELL_TAGS = ("td", "th")


def _data_table(table: _Element, source: str) -> list[Cell] | None:
    """The cells of a table with their grid positions, or None for a layout table.

    Spans are clamped as browsers do (colspan 1–1000, rowspan 0–65534 and to
    the table's rows); the grid slots the cells cover are held to
    :data:`~gkdata.limits.MAX_GRID_CELLS` before they are taken.
    """
    if next(table.iterdescendants("table"), None) is not None:
        return None
    rows = [tr for tr in _rows(table) if not _hidden(tr)]
    cells: list[Cell] = []
    taken: set[tuple[int, int]] = set()
    for r, tr in enumerate(rows):
        col = 0
        td = tr[0] if len(tr) else None
        while td is not None:
            if td.tag not in _CELL_TAGS or _hidden(td):
                td = td.getnext()
                continue
            while (r, col) in taken:
                col += 1
            rowspan = _span(td, "rowspan", 65534) or len(rows) - r  # rowspan="0": to the end of the table
            rowspan, colspan = min(rowspan, len(rows) - r), max(_span(td, "colspan", 1000), 1)
            if len(taken) + rowspan * colspan > limits.MAX_GRID_CELLS:
                limits.check(len(taken) + rowspan * colspan, "MAX_GRID_CELLS", source,
                             f"a table of {len(rows):,} rows, {col + colspan:,} columns or more", "grid cells")
            cells.append(_cell(Cell, (r, col, _cell_text(td, source), rowspan, colspan)))
            if rowspan == colspan == 1:
                taken.add((r, col))
            else:
                taken.update((r + i, col + j) for i in range(rowspan) for j in range(colspan))
            col += colspan
            td = td.getnext()
    return cells if is_data_table(cells) else None


_cell = tuple.__new__  # Cell(...) without NamedTuple's Python-level __new__: a table makes hundreds


def _title(doc: _Element) -> list[str]:
    """The page's title: a CMS's ArticleTitle meta, else <title> (site navigation can push the
    body's own title far down the text)."""
    for meta in doc.iter("meta"):
        if (meta.get("name") or "").lower() == "articletitle" and meta.get("content", "").strip():
            return [meta.get("content")]
    title = next(doc.iter("title"), None)
    return [_string(title)] if title is not None else []


@functools.cache
def _parser():
    """lxml's HTML parser, with plain elements (lxml.html's element classes cost a lookup per element)."""
    from lxml import etree

    return etree.HTMLParser()


@functools.cache
def _xpaths():
    from lxml import etree

    return etree.XPath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"), etree.XPath("string()")


def _rows(table: _Element) -> list[_Element]:
    return _xpaths()[0](table)


def _string(el: _Element) -> str:
    """An element's text content (lxml.html's ``text_content()``)."""
    return str(_xpaths()[1](el))


def read(data: bytes, source: str) -> tuple[list[Block], str]:
    """The page's blocks, and the encoding it was read in (its ``<meta charset>`` is honoured).

    A page over :data:`~gkdata.limits.MAX_HTML_BYTES` or with more than
    :data:`~gkdata.limits.MAX_HTML_TAGS` tags raises :class:`ReportError` before it is parsed.
    """
    from lxml import etree

    limits.check(len(data), "MAX_HTML_BYTES", source, "the page")
    limits.check(tags := data.count(b"<"), "MAX_HTML_TAGS", source, "the page's markup", "tags")
    declared = m.group(1).decode("ascii") if (m := _CHARSET.search(data[:4096])) else None
    text, encoding = decode(data, source, declared)
    try:
        doc = etree.fromstring(_xml_text(_XML_DECLARATION.sub("", text, count=1)), _parser())
    except (etree.ParserError, ValueError) as e:
        raise ReportError(source, f"the HTML cannot be parsed ({e})") from e
    if doc is None:
        raise ReportError(source, "the HTML cannot be parsed (Document is empty)")
    _inline_embedded(doc, source, tags)
    body = doc.find("body")
    blocks: list[Block] = _title(doc)
    pieces: list[str] = []
    root = body if body is not None else doc
    if root.tag not in _SKIP and not _hidden(root):
        _walk(root, pieces, blocks, source)
    _flush(pieces, blocks)
    return blocks, encoding


CONVERTER = Converter(sniff, read, SUFFIXES)
