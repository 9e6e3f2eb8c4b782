"""Figures stated in the prose: totals of proactive disclosure, consultations, applications.

One pattern table drives extraction; each figure keeps the sentence it came
from so a reader can check it.
"""

from __future__ import annotations

import re

from .numbers import MAX_DIGITS

_INFO = r"(?:政府)?信息"
# key -> (pattern with one number group, unit). First match in the prose wins. A pattern that
# begins with literal text is searched for fast, so lookbehinds come after that text.
PATTERNS: dict[str, tuple[str, str]] = {
    "proactive_total": (rf"主动公开(?<![转为]主动公开){_INFO}(?:共|累计)?(\d+)条", "条"),
    "proactive_website": (rf"政府网站公开{_INFO}(\d+)条", "条"),
    "proactive_new_media": (rf"政务新媒体公开{_INFO}(\d+)条", "条"),
    "proactive_reading_points": (rf"查阅点公开{_INFO}(\d+)条", "条"),
    "proactive_other": (rf"其他方式公开{_INFO}(\d+)条", "条"),
    "consultations_total": (r"(?:接受|受理|接待)(?:政府信息公开|依申请公开)?咨询(?:共)?(\d+)人次", "人次"),
    "consultations_onsite": (r"现场咨询(\d+)人次", "人次"),
    "consultations_online": (r"网上咨询(\d+)人次", "人次"),
    "consultations_phone": (r"电话咨询(\d+)人次", "人次"),
    "applications_received": (r"收到[^。；;,，]{0,12}?申请(?:共)?(\d+)件", "件"),
}
_COMPILED = {k: re.compile(p) for k, (p, _) in PATTERNS.items()}
_SENTENCE_END = "。；;\n"

# total -> parts, for checks
PARTS: dict[str, tuple[str, ...]] = {
    "proactive_total": ("proactive_website", "proactive_new_media", "proactive_reading_points", "proactive_other"),
    "consultations_total": ("consultations_onsite", "consultations_online", "consultations_phone"),
}


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    rights = [i for c in _SENTENCE_END if (i := text.find(c, end)) >= 0]
    right = min(rights) + 1 if rights else len(text)
    return text[left:right].strip()


def extract(prose: str) -> list[tuple[str, int, str, str]]:
    """Records (key, value, unit, sentence) for each figure found.

    >>> extract("全县主动公开政府信息13717条，其中政府网站公开政府信息8548条。")[0][:3]
    ('proactive_total', 13717, '条')
    """
    out = []
    for key, rx in _COMPILED.items():
        m = rx.search(prose)
        if m and len(m.group(1)) <= MAX_DIGITS:  # a longer run of digits is no figure
            out.append((key, int(m.group(1)), PATTERNS[key][1], _sentence(prose, m.start(), m.end())))
    return out
