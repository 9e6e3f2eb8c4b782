"""What a PDF's streams would cost pdfium, measured from the file's bytes before any page is loaded.

pdfium builds a page whole when it loads it: it inflates the page's content
streams and the forms it draws, and makes an object for every thing drawn and
every graphics state pushed (~350 bytes each). So a 300 KB file can inflate to
hundreds of MB, or hold millions of objects, and a form drawing forms that draw
forms multiplies them (measured: 2 KB of nested forms, 3 s and 490 MB).

Every stream of the file is found by its ``stream`` keyword (whatever the
cross-reference table says, so no stream pdfium might use is missed) and
inflated a chunk at a time through its filters, the output counted and
dropped: its decoded bytes (each stream at most
:data:`~gkdata.limits.MAX_PDF_STREAM`, all at most
:data:`~gkdata.limits.MAX_PDF_DECODED`), and the letters that begin an
operator making an object (``Tj TJ ' "``, ``m l c v y re``, ``Do sh BI q``: an
over-count, as a letter in a name or a string counts too). A form's objects
count once for each ``Do`` that could draw it, nested forms multiplied
(:data:`~gkdata.limits.MAX_PDF_OBJECTS`).

Streams that say they are binary data — images (never decoded when text is
read: not even inflated), font programs, colour profiles, object streams,
metadata, attachments — count their bytes only. An encrypted file's streams
cannot be inflated without its key and are not measured.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Iterator
from typing import NamedTuple

from .. import limits
from ..errors import ReportError

_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_CHUNK = 1 << 20
_BRACKETS = re.compile(rb"<<|>>")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_FILTER = re.compile(rb"/Filter\s*(/[^\s/\[\]<>()]+|\[[^\]]*\]|\d+\s+\d+\s+R)")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_BINARY = re.compile(rb"/Length[123]\b|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType|XML)\b|/Type\s*/(?:ObjStm|XRef|"
                     rb"Metadata|EmbeddedFile)\b|/N\s+[134]\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_FORM = re.compile(rb"/Subtype\s*/Form\b")
_TERMINAL = {b"DCTDecode", b"DCT", b"JPXDecode", b"JBIG2Decode", b"CCITTFaxDecode", b"CCF"}  # image codecs
_TEXT_OPS = (b"Tj", b"TJ", b"'", b'"')
_OTHER_OPS = (b"m", b"l", b"c", b"v", b"y", b"re", b"Do", b"sh", b"BI", b"q")
# every other byte dropped first (one pass): the letters kept stay in order, so no operator is missed
_DROP = bytes(sorted(set(range(256)) - set(b"".join(_TEXT_OPS + _OTHER_OPS))))
_UNMEASURED = 1 << 16  # raw bytes of a stream whose filter cannot be run here (LZW, RunLength): above, refused


class Cost(NamedTuple):
    """What pdfium could build from a file's streams (upper bounds), and whether they could be measured."""

    objects: int  # objects its pages could make, forms counted where drawn
    texts: int  # of them, text objects
    decoded: int  # bytes its streams inflate to
    measured: bool  # False: encrypted, its streams not inflated


class _Counts(NamedTuple):
    objects: int
    texts: int
    draws: int  # Do operators: forms (or images) drawn


def _top_level(dictionary: bytes) -> bytes:
    """A dictionary's own entries, those of the dictionaries nested in it left out (their /Subtype is not its)."""
    out, depth, at = [], 0, 0
    for m in _BRACKETS.finditer(dictionary):
        if depth <= 1:
            out.append(dictionary[at:m.start()])
        depth += 1 if m.group() == b"<<" else -1
        at = m.end()
    out.append(dictionary[at:] if depth <= 1 else b"")
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), b"".join(out))


def _filters(dictionary: bytes) -> list[bytes] | None:
    """The stream's filters, in the order they are undone; None where they are not written out (a reference)."""
    m = _FILTER.search(dictionary)
    if m is None:
        return []
    if m.group(1).endswith(b"R"):
        return None
    return re.findall(rb"/([^\s/\[\]<>()]+)", m.group(1))


def _inflate(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Flate, a chunk in, at most a chunk out at a time; stops at the end of the deflate data or at an error
    (where pdfium stops too)."""
    d = zlib.decompressobj()
    for chunk in chunks:
        while chunk:
            try:
                out = d.decompress(chunk, _CHUNK)
            except zlib.error:
                return
            chunk = d.unconsumed_tail
            if out:
                yield out
            if d.eof:
                return


def _decoded(data: bytes, start: int, end: int, filters: list[bytes], source: str) -> Iterator[bytes]:
    """The stream's decoded bytes, a chunk at a time."""
    chunks: Iterator[bytes] = (data[i:min(i + _CHUNK, end)] for i in range(start, end, _CHUNK))
    for name in filters:
        if name in (b"FlateDecode", b"Fl"):
            chunks = _inflate(chunks)
        elif name in (b"ASCIIHexDecode", b"AHx", b"ASCII85Decode", b"A85"):  # (never longer than its input)
            text = b"".join(chunks)
            try:
                if name in (b"ASCIIHexDecode", b"AHx"):
                    hexa = re.sub(rb"\s", b"", text.split(b">", 1)[0])
                    one = binascii.unhexlify(hexa + b"0" * (len(hexa) % 2))
                else:
                    one = base64.a85decode(re.sub(rb"\s", b"", text).split(b"~>", 1)[0].removeprefix(b"<~"))
            except ValueError:
                one = b""
            chunks = iter([one])
        elif name in _TERMINAL:
            break  # an image codec: pdfium does not run it on content
        elif name != b"Crypt":
            if end - start > _UNMEASURED:
                raise ReportError(source, f"a stream of the PDF in {name.decode('latin-1')} of {end - start:,} bytes:"
                                          " what it decodes to cannot be measured before pdfium inflates it")
            break
    yield from chunks


def _count(data: bytes, start: int, end: int, dictionary: bytes, source: str, budget: list[int]) -> _Counts:
    """One stream's decoded bytes and the objects it could make (added to ``budget``'s, checked against the caps)."""
    filters = _filters(dictionary)
    if filters is None:
        if end - start > _UNMEASURED:
            raise ReportError(source, f"a stream of the PDF whose filter is a reference, of {end - start:,} bytes: "
                                      "what it decodes to cannot be measured before pdfium inflates it")
        filters = []
    binary = _BINARY.search(dictionary) is not None
    size = objects = texts = draws = 0
    for chunk in _decoded(data, start, end, filters, source):
        size += len(chunk)
        budget[0] += len(chunk)
        limits.check(size, "MAX_PDF_STREAM", source, "a stream of the PDF, decoded", stopped=True)
        limits.check(budget[0], "MAX_PDF_DECODED", source, "the PDF's streams, decoded", stopped=True)
        if not binary:
            letters = chunk.translate(None, _DROP)
            text = sum(map(letters.count, _TEXT_OPS))
            made = text + sum(map(letters.count, _OTHER_OPS))
            texts, objects, draws = texts + text, objects + made, draws + letters.count(b"Do")
            budget[1] += made  # (a form's objects count here once: at least what they will be)
            limits.check(budget[1], "MAX_PDF_OBJECTS", source, "the PDF's content", "objects", stopped=True)
    return _Counts(objects, texts, draws)


def _form_factor(forms: list[_Counts]) -> tuple[int, int]:
    """The most objects (and text objects) one ``Do`` could make: the largest form, drawn inside the form drawing
    the most forms, inside the next one … (pdfium never draws a form inside itself)."""
    if not forms:
        return 0, 0
    chain, product = 1, 1
    for draws in sorted((f.draws for f in forms if f.draws), reverse=True):
        product *= draws
        chain += product
        if product > limits.MAX_PDF_OBJECTS:
            break  # already over any cap
    return chain * max(f.objects for f in forms), chain * max(f.texts for f in forms)


def measure(data: bytes, source: str, encrypted: bool) -> Cost:
    """What the file's streams would cost pdfium; raises :class:`ReportError` over a cap.

    >>> page = b"1 0 obj << /Length 29 >> stream\\nBT /F1 9 Tf (Hello) Tj ET\\nendstream endobj"
    >>> measure(page, "a.pdf", encrypted=False)  # (the l of Hello count as lines: an over-count)
    Cost(objects=3, texts=1, decoded=29, measured=True)
    >>> bomb = zlib.compress(b"q " * 10**6)  # 2 KB: a million graphics states saved, 170 MB in pdfium
    >>> measure(b"1 0 obj << /Filter /FlateDecode >> stream\\n" + bomb + b"\\nendstream", "b.pdf", False)
    Traceback (most recent call last):
    gkdata.errors.ReportError: b.pdf: the PDF's content: over the cap of 500,000 objects (gkdata.limits.MAX_PDF_OBJECTS)
    """
    if encrypted:
        return Cost(0, 0, 0, False)
    budget = [0, 0]  # bytes decoded, objects counted
    pages, forms = [], []
    for m in _STREAM.finditer(data):
        head = data.rfind(b"obj", max(0, m.start() - 65536), m.start())
        dictionary = _top_level(data[head + 3 if head >= 0 else max(0, m.start() - 4096):m.end()])
        if _IMAGE.search(dictionary):
            continue
        start = m.end()
        end = data.find(b"endstream", start)
        end = len(data) if end < 0 else end
        if (length := _LENGTH.search(dictionary)) and start + int(length.group(1)) > end:
            end = min(start + int(length.group(1)), len(data))
        counts = _count(data, start, end, dictionary, source, budget)
        (forms if _FORM.search(dictionary) else pages).append(counts)
    each, each_text = _form_factor(forms)
    draws = sum(c.draws for c in pages)
    objects = sum(c.objects for c in pages) + draws * each
    limits.check(objects, "MAX_PDF_OBJECTS", source, "the PDF's content", "objects")
    return Cost(objects, sum(c.texts for c in pages) + draws * each_text, budget[0], True)
