"""Figures stated in the prose: each wording the pattern table reads, and the figures it must not take.

The sentences are written for these tests in the ways real reports state their figures (the seeds'
own figures are in tests/test_seeds.py against tests/expected/).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import gkdata
from gkdata import frames, labels, views
from gkdata.narrative import COUNTERPARTS, PARTS, PATTERNS, extract

from conftest import SEEDS

HUINING = SEEDS["003"].read_text(encoding="utf-8")
KAIYANG = SEEDS["001"].read_text(encoding="utf-8")


def said(text: str) -> list[tuple[str, int, str]]:
    return [(f.key, f.value, f.unit) for f in extract(text)]


@pytest.mark.parametrize("text, figures", [
    # proactive disclosure, its channels, and what the website published of every kind
    ("全年共主动公开政府信息4562条，其中通过政府网站公开政府信息3100条。",
     [("proactive_total", 4562, "条"), ("proactive_website", 3100, "条")]),
    ("本年度主动公开各类信息共计867件。", [("proactive_total", 867, "件")]),
    ("区政府门户网站依法主动公开政府信息66551条。", [("proactive_website", 66551, "条")]),
    ("政务新媒体公开政府信息2104条，公开查阅点公开政府信息35条，其他途径公开政府信息12条。",
     [("proactive_new_media", 2104, "条"), ("proactive_reading_points", 35, "条"), ("proactive_other", 12, "条")]),
    ("全年市人民政府网站共发布各类信息46106条。", [("website_posts", 46106, "条")]),
    # consultations
    ("全年解答群众咨询1200人次，其中当面咨询300人次、在线咨询500人次、电话咨询400人次。",
     [("consultations_total", 1200, "人次"), ("consultations_onsite", 300, "人次"),
      ("consultations_online", 500, "人次"), ("consultations_phone", 400, "人次")]),
    # messages on the website's interaction platform: both wordings of messages_handled
    ("共收到网民留言215条，办结留言209条。", [("messages_received", 215, "条"), ("messages_handled", 209, "条")]),
    ("接收群众留言52件，已全部答复52件。", [("messages_received", 52, "件"), ("messages_handled", 52, "件")]),
    # applications, as the table 三 counts them
    ("2021年共受理政府信息依申请公开1499件。", [("applications_received", 1499, "件")]),
    ("全年共收到依申请公开308件，上年结转1件，结转下年度3件。",
     [("applications_received", 308, "件"), ("applications_carried_over", 1, "件"),
      ("applications_carried_forward", 3, "件")]),
    ("共完成政府信息依申请公开答复1453件，其中予以公开答复966件。",
     [("applications_processed", 1453, "件"), ("applications_granted", 966, "件")]),
    ("按时办结政府信息公开申请52件，同意公开29件。",
     [("applications_processed", 52, "件"), ("applications_granted", 29, "件")]),
    ("本年收到申请5件。", [("applications_received", 5, "件")]),
    # reconsiderations and lawsuits about disclosure: each wording, 件 and 起
    ("因政府信息公开被申请行政复议2件，被提起行政诉讼1起。", [("reviews", 2, "件"), ("lawsuits", 1, "起")]),
    ("政府信息公开类行政复议案件3件。", [("reviews", 3, "件")]),
    ("涉及政府信息公开的行政诉讼案件共5起。", [("lawsuits", 5, "起")]),
    # the ways a figure is written: full-width digits, groups of three, Chinese numerals, spaces, 共计/累计/合计
    ("主动公开政府信息１２３４条。", [("proactive_total", 1234, "条")]),
    ("主动公开政府信息13,717条。", [("proactive_total", 13717, "条")]),
    ("主动公开政府信息 4562 条。", [("proactive_total", 4562, "条")]),
    ("累计主动公开政府信息合计90条。", [("proactive_total", 90, "条")]),
    ("全年收到政府信息公开申请两件，因政府信息公开申请行政复议一起。",
     [("applications_received", 2, "件"), ("reviews", 1, "起")]),
    ("共受理政府信息公开申请一百零三件。", [("applications_received", 103, "件")]),
    # a clause of another year before, this year's after: this year's is taken
    ("上年度收到政府信息公开申请20件，本年度收到政府信息公开申请25件。", [("applications_received", 25, "件")]),
    ("今年以来，主动公开政府信息2400条。", [("proactive_total", 2400, "条")]),
    # a whole before 其中, and the parts after it
    ("全县共收到政府信息公开申请120件，其中，县公安局收到政府信息公开申请30件，上年结转2件。",
     [("applications_received", 120, "件"), ("applications_carried_over", 2, "件")]),
    # a received count that includes last year's is not table 三's 本年新收; the carried-over figure in it is
    ("本年度收到政府信息公开申请12件（含上年结转2件）。", [("applications_carried_over", 2, "件")]),
])
def test_each_wording(text, figures):
    assert said(text) == figures


@pytest.mark.parametrize("text", [
    # rounded, approximate or left blank: no exact figure
    "全市主动公开政府信息26.8万条。",
    "主动公开政府信息3000余条，收到政府信息公开申请约50件。",
    "主动公开政府信息5000条以上，网站访问量突破842018次。",
    "全年主动公开政府信息超过600条，收到政府信息公开申请近百件。",
    "全乡累计主动公开政府信息  余条，收到和处理政府信息公开申请   件，办结率  %。",
    "主动公开政府信息千余条。",
    # another period: last year's, the same period's, a cumulative figure since some year
    "上年度收到政府信息公开申请20件。",
    "与去年同期相比，主动公开政府信息增加300条。",
    "自2008年以来累计主动公开政府信息50000条。",
    # a part read as a total, or a figure of another key
    "通过政府门户网站、微信公众号主动公开政府信息880条。",
    "共公开政府信息141条，其中主动公开政府信息17条。",
    "其中，县公安局收到政府信息公开申请30件，因政府信息公开被申请行政复议1件。",
    "依申请公开政府信息12条，已将3条转为主动公开，转主动公开信息3条。",
    "其中专员信箱16条，在线咨询17条。",  # messages by kind: 在线咨询 here is no consultation (人次)
    "政务服务大厅共受理申请5000件。",
    "本年度收到行政复议申请2件。",
    "全年共办理行政复议案件120件，行政诉讼案件36件。",  # a justice bureau deciding reconsiderations
    "因政府信息公开引起的行政复议、行政诉讼案件0件。",  # one figure for both
    "政府信息公开行政复议和行政诉讼各1件。",
    "未发生因政府信息公开引起的行政复议。",  # a statement, not a figure
    # numbers no figure: a year in Chinese numerals, a run of digits too long, a table's cells
    "收到政府信息公开申请二〇二〇件。",
    f"主动公开政府信息{'9' * 40}条。",
    "\t主动公开政府信息\t12\t条",
])
def test_not_taken(text):
    assert said(text) == []


def test_the_first_sentence_that_states_it_wins_whichever_wording():
    text = "本年度接收群众留言30条、已答复28条。全年办结留言29条。"
    (received, handled) = extract(text)
    assert (handled.value, handled.sentence) == (28, "本年度接收群众留言30条、已答复28条。")
    assert received.sentence == handled.sentence


def test_the_data_model_names_every_key():
    text = (Path(__file__).parents[1] / "docs" / "data-model.md").read_text(encoding="utf-8")
    section = text.split("**Narrative** keys", 1)[1].split("\n## ", 1)[0]
    assert [k for k in PATTERNS if f"`{k}`" not in section] == []


def test_every_key_has_a_label_and_a_category():
    assert [lab.key for lab in labels.NARRATIVE_LABELS] == list(PATTERNS)
    assert list(frames.NARRATIVE_KEY.categories) == list(PATTERNS)
    assert set(COUNTERPARTS) | set(PARTS) | {p for ps in PARTS.values() for p in ps} <= set(PATTERNS)
    assert views.label("lawsuits") == "行政诉讼数"


# A sentence that states every figure with a counterpart in 会宁县's tables, as they are there.
AGREES = ("本年度上年结转政府信息公开申请0件，办结政府信息公开申请10件，其中予以公开7件，结转下年度0件。"
          "因政府信息公开被申请行政复议12件，被提起行政诉讼4件。")


def _with(text: str, sentence: str) -> str:
    anchor = "均已按规定程序和格式要求按时答复申请人。"
    return text.replace(anchor, anchor + sentence, 1)


def test_prose_that_agrees_with_the_tables_has_no_finding():
    r = gkdata.read_report(_with(HUINING, AGREES).encode(), name="agrees.txt")
    assert {f.key for f in r.records["narrative"]} >= set(COUNTERPARTS)
    assert r.findings.empty


@pytest.mark.parametrize("old, new, key, table, prose", [
    ("上年结转政府信息公开申请0件", "上年结转政府信息公开申请2件", "applications_carried_over", 0, 2),
    ("办结政府信息公开申请10件", "办结政府信息公开申请9件", "applications_processed", 10, 9),
    ("予以公开7件", "予以公开8件", "applications_granted", 7, 8),
    ("结转下年度0件", "结转下年度1件", "applications_carried_forward", 0, 1),
    ("行政复议12件", "行政复议11件", "reviews", 12, 11),
    ("行政诉讼4件", "行政诉讼3件", "lawsuits", 4, 3),  # 未经复议直接起诉 4 + 复议后起诉 0
])
def test_a_prose_figure_that_contradicts_its_table(old, new, key, table, prose):
    r = gkdata.read_report(_with(HUINING, AGREES.replace(old, new)).encode(), name="contradicts.txt")
    f = r.findings
    assert f[["check", "table", "row", "column", "expected", "actual"]].values.tolist() == [
        ["narrative_mismatch", "narrative", key, "total", table, prose]]
    zh = views.message_zh(f)[0]
    assert zh.startswith(f"正文称{labels.narrative_zh(key)}为 {prose}，而表") and zh.endswith(f"总计为 {table}")


def test_a_blank_table_is_not_compared():
    """开阳县's table 四 is empty (NA): its prose's reconsiderations are read and compared with nothing."""
    text = KAIYANG.replace("同比下降33.33%;", "同比下降33.33%;因政府信息公开被申请行政复议1件;")
    r = gkdata.read_report(text.encode(), name="kaiyang.txt")
    assert ("reviews", 1, "件") in [(f.key, f.value, f.unit) for f in r.records["narrative"]]
    assert "narrative_mismatch" not in set(r.findings["check"])


def test_the_prose_is_compared_with_the_total_column():
    """阿里地区's table 三: 本年新收 17 in 总计 (1 of them from 自然人), 上年结转 1 (0 from 自然人)."""
    ali = SEEDS["004"].read_text(encoding="utf-8")
    anchor = "确保政务公开工作落到实处。"

    def mismatches(sentence: str) -> list:
        r = gkdata.read_report(ali.replace(anchor, anchor + sentence).encode(), name="ali.txt")
        f = r.findings[r.findings["check"] == "narrative_mismatch"]
        return f[["row", "expected", "actual"]].values.tolist()

    assert mismatches("全年共收到政府信息公开申请17件，上年结转1件。") == []
    assert mismatches("全年共收到政府信息公开申请1件，上年结转0件。") == [["applications_received", 17, 1],
                                                                          ["applications_carried_over", 1, 0]]


def _seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        extract(text)
        best = min(best, time.perf_counter() - start)
    return best


def test_time_grows_linearly_with_text_without_stops():
    """Every figure here is refused (its clause names a channel), and no stop ends a clause: each look
    back for the clause is bounded, so 4× the text takes about 4× the time, not 16×."""
    unit = "通过政府网站主动公开政府信息1条"
    small, large = _seconds(unit * 3000), _seconds(unit * 12000)
    assert said(unit * 10) == [("proactive_website", 1, "条")]
    assert large / small < 8
