"""The one label table: every row, column and caption of tables 二, 三 and 四.

Parsing, display and Excel headers all read these tuples, so a label is
spelled once. Each :class:`Label` has a stable snake_case ``key``, the Chinese
label as the template prints it, an English label, the templates it belongs
to, and known variants (typos and alternative spellings seen in reports).

>>> from gkdata import labels
>>> labels.zh("granted")
'予以公开'
>>> labels.key("(一)予以公开")
'granted'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .cache import text_cache
from .hanzi import simplify, strip_pinyin

BOTH = ("2019", "2021")
TEMPLATES = BOTH
TABLES = ("disclosure", "applications", "appeals")  # the statistical tables 二, 三, 四, in printed order


@dataclass(frozen=True)
class Label:
    key: str
    zh: str
    en: str
    templates: tuple[str, ...] = BOTH
    variants: tuple[str, ...] = ()
    group: bool = False  # a merged label that spans data rows and holds no numbers
    unit: str | None = None
    kind: str = "count"  # how cells under this measure parse: count | change | money
    short: str = field(default="", compare=False)  # zh without its numbering, for display

    def display(self) -> str:
        return self.short or self.zh


# -- table 二: items (rows) and measures (columns) ---------------------------------

DISCLOSURE_ITEMS = (
    Label("regulations", "规章", "Regulations"),
    Label("normative_documents", "规范性文件", "Normative documents", ("2019",), variants=("行政规范性文件",)),
    Label("normative_documents", "行政规范性文件", "Normative documents", ("2021",), variants=("规范性文件",)),
    Label("administrative_licensing", "行政许可", "Administrative licensing"),
    Label("other_admin_services", "其他对外管理服务事项", "Other external management services", ("2019",)),
    Label("administrative_penalty", "行政处罚", "Administrative penalty"),
    Label("administrative_coercion", "行政强制", "Administrative coercion"),
    Label("administrative_fees", "行政事业性收费", "Administrative fees"),
    Label("centralized_procurement", "政府集中采购", "Centralized government procurement", ("2019",)),
)

DISCLOSURE_MEASURES = (
    Label("new_made", "本年新制作数量", "Made this year", ("2019",), unit="件"),
    Label("new_made", "本年制发件数", "Issued this year", ("2021",), unit="件"),
    Label("new_published", "本年新公开数量", "Published this year", ("2019",), unit="件"),
    Label("repealed", "本年废止件数", "Repealed this year", ("2021",), unit="件"),
    Label("total_published", "对外公开总数量", "Total published", ("2019",), unit="件"),
    Label("currently_valid", "现行有效件数", "Currently valid", ("2021",), unit="件"),
    Label("prev_year_items", "上一年项目数量", "Items last year", ("2019",), unit="项"),
    Label("change", "本年增/减", "Change this year", ("2019",), variants=("本年增减",), unit="项", kind="change"),
    Label("decisions", "处理决定数量", "Decisions", ("2019",), unit="件"),
    Label("decisions", "本年处理决定数量", "Decisions this year", ("2021",), unit="件"),
    Label("projects", "采购项目数量", "Procurement projects", ("2019",), unit="个"),
    Label("amount", "采购总金额", "Procurement amount", ("2019",), unit="万元", kind="money"),
    Label("amount", "本年收费金额", "Fees collected", ("2021",), unit="万元", kind="money"),
)

# Which measures each item has, in printed order, per template.
DISCLOSURE_LAYOUT: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "2019": (
        ("regulations", ("new_made", "new_published", "total_published")),
        ("normative_documents", ("new_made", "new_published", "total_published")),
        ("administrative_licensing", ("prev_year_items", "change", "decisions")),
        ("other_admin_services", ("prev_year_items", "change", "decisions")),
        ("administrative_penalty", ("prev_year_items", "change", "decisions")),
        ("administrative_coercion", ("prev_year_items", "change", "decisions")),
        ("administrative_fees", ("prev_year_items", "change")),
        ("centralized_procurement", ("projects", "amount")),
    ),
    "2021": (
        ("regulations", ("new_made", "repealed", "currently_valid")),
        ("normative_documents", ("new_made", "repealed", "currently_valid")),
        ("administrative_licensing", ("decisions",)),
        ("administrative_penalty", ("decisions",)),
        ("administrative_coercion", ("decisions",)),
        ("administrative_fees", ("amount",)),
    ),
}

# The item N of Article 20 of the 条例 whose caption 第二十条第(N)项 heads each item's block of table 二.
ARTICLE_20 = {
    "regulations": "一", "normative_documents": "一", "administrative_licensing": "五", "other_admin_services": "五",
    "administrative_penalty": "六", "administrative_coercion": "六", "administrative_fees": "八",
    "centralized_procurement": "九",
}
_CAPTION = "第二十条第({})项"
DISCLOSURE_HEADERS = (
    Label("caption", _CAPTION.format("一"), "Article 20"),  # every 第二十条第(N)项 caption, see CAPTION
    Label("content", "信息内容", "Content"),
)
CAPTION = re.compile(r"^第二十条第\(?[一二三四五六七八九十\d]+\)?项")

# -- table 三: rows and applicant columns ----------------------------------------

_ALL = BOTH
APPLICATION_ROWS = (
    Label("new_received", "一、本年新收政府信息公开申请数量", "New applications received", short="本年新收申请数量"),
    Label("carried_over", "二、上年结转政府信息公开申请数量", "Carried over from last year", short="上年结转申请数量"),
    Label("results", "三、本年度办理结果", "Results this year", group=True, short="本年度办理结果"),
    Label("granted", "(一)予以公开", "Granted", short="予以公开"),
    Label("partially_granted", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "Partially granted",
          variants=("(二)部分公开",), short="部分公开"),
    Label("denied", "(三)不予公开", "Denied", group=True, short="不予公开"),
    Label("denied_state_secret", "1.属于国家秘密", "Denied: state secret", short="属于国家秘密"),
    Label("denied_prohibited_by_law", "2.其他法律行政法规禁止公开", "Denied: prohibited by law", short="其他法律行政法规禁止公开"),
    Label("denied_three_safeties", "3.危及\"三安全一稳定\"", "Denied: endangers security or stability",
          variants=("3.危及三安全一稳定",), short="危及“三安全一稳定”"),
    Label("denied_third_party", "4.保护第三方合法权益", "Denied: third-party rights", short="保护第三方合法权益"),
    Label("denied_internal_affairs", "5.属于三类内部事务信息", "Denied: internal affairs", short="属于三类内部事务信息"),
    Label("denied_process_info", "6.属于四类过程性信息", "Denied: process information", short="属于四类过程性信息"),
    Label("denied_enforcement_case_file", "7.属于行政执法案卷", "Denied: enforcement case file", short="属于行政执法案卷"),
    Label("denied_administrative_query", "8.属于行政查询事项", "Denied: administrative query", short="属于行政查询事项"),
    Label("unable", "(四)无法提供", "Unable to provide", group=True, short="无法提供"),
    Label("unable_not_held", "1.本机关不掌握相关政府信息", "Unable: not held", short="本机关不掌握相关政府信息"),
    Label("unable_needs_creation", "2.没有现成信息需要另行制作", "Unable: needs creation", short="没有现成信息需要另行制作"),
    Label("unable_unclear_after_correction", "3.补正后申请内容仍不明确", "Unable: unclear after correction",
          variants=("3.补正后申请内容仍不正确",), short="补正后申请内容仍不明确"),
    Label("not_processed", "(五)不予处理", "Not processed", group=True, short="不予处理"),
    Label("not_processed_complaint", "1.信访举报投诉类申请", "Not processed: petitions and complaints", short="信访举报投诉类申请"),
    Label("not_processed_duplicate", "2.重复申请", "Not processed: duplicate", short="重复申请"),
    Label("not_processed_publication", "3.要求提供公开出版物", "Not processed: publications", short="要求提供公开出版物"),
    Label("not_processed_excessive", "4.无正当理由大量反复申请", "Not processed: excessive", short="无正当理由大量反复申请"),
    Label("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息", "Not processed: confirmation",
          short="要求行政机关确认或重新出具已获取信息"),
    Label("other_handling", "(六)其他处理", "Other handling", ("2019",), short="其他处理"),
    Label("other_handling_group", "(六)其他处理", "Other handling", ("2021",), group=True, short="其他处理"),
    Label("other_handling_overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
          "Other: overdue correction", ("2021",), variants=("1.申请人无正当理由逾期不补正",), short="逾期不补正"),
    Label("other_handling_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
          "Other: fee unpaid", ("2021",), variants=("2.申请人逾期未按收费通知要求缴纳费用",), short="逾期未缴纳费用"),
    Label("other_handling_other", "3.其他", "Other: other", ("2021",), short="其他"),
    Label("results_total", "(七)总计", "Results total", short="办理结果总计"),
    Label("carried_forward", "四、结转下年度继续办理", "Carried forward to next year", short="结转下年度继续办理"),
)

APPLICANTS = (
    Label("natural_person", "自然人", "Natural person"),
    Label("commercial_enterprise", "商业企业", "Commercial enterprise"),
    Label("research_institution", "科研机构", "Research institution"),
    Label("public_interest_org", "社会公益组织", "Public-interest organisation"),
    Label("legal_service_org", "法律服务机构", "Legal-service organisation"),
    Label("other_org", "其他", "Other organisation"),
    Label("total", "总计", "Total"),
)

APPLICATION_HEADERS = (
    Label("note", "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "Column note",
          variants=("(本列数据的勾稽关系为",)),
    Label("applicant_situation", "申请人情况", "Applicants"),
    Label("legal_person", "法人或其他组织", "Legal persons and other organisations"),
) + APPLICANTS

# -- table 四: proceedings and outcomes --------------------------------------------

PROCEEDINGS = (
    Label("review", "行政复议", "Administrative review"),
    Label("litigation_direct", "未经复议直接起诉", "Litigation without review"),
    Label("litigation_after_review", "复议后起诉", "Litigation after review"),
)
OUTCOMES = (
    Label("maintained", "结果维持", "Maintained"),
    Label("corrected", "结果纠正", "Corrected"),
    Label("other", "其他结果", "Other result"),
    Label("pending", "尚未审结", "Pending"),
    Label("total", "总计", "Total", variants=("总结",)),
)
APPEALS_HEADERS = (Label("litigation", "行政诉讼", "Administrative litigation"),) + PROCEEDINGS + OUTCOMES

# -- the six section headings (report-format.md §2); variants are typos seen in reports ---------

SECTIONS = (
    Label("overview", "一、总体情况", "Overview"),
    Label("disclosure", "二、主动公开政府信息情况", "Proactive disclosure"),
    Label("applications", "三、收到和处理政府信息公开申请情况", "Applications",
          variants=("三、收到的处理政府信息公开申请情况",)),
    Label("appeals", "四、政府信息公开行政复议、行政诉讼情况", "Administrative review and litigation",
          variants=("四、政府信息公开行政复议和行政诉讼情况",)),
    Label("problems", "五、存在的主要问题及改进情况", "Problems and improvements",
          variants=("五、存在的主要问题和改进情况", "五、存在问题及改进情况")),
    Label("other", "六、其他需要报告的事项", "Other matters"),
)


# -- lookups -------------------------------------------------------------------------

# Words a traditional-character mirror uses for the template's own (文件 is 檔案 on such pages);
# no label of either template holds them.
_MIRROR_WORDS = (("档案", "文件"),)
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "「": '"', "」": '"', "'": '"', "‘": '"', "’": '"'})
_SPACE = re.compile(r"\s+")
_NUMBERING = re.compile(r"^(?:\((\d+)\)|(\d+)[、.,])")


@text_cache()
def normalize(text: str) -> str:
    """Label text in the one form used for matching.

    Traditional characters become simplified (and pinyin glosses go), full-width
    punctuation becomes ASCII (NFKC), quotes unify, all whitespace goes, and
    sub-item numbering ``1、`` / ``1．`` / ``(1)`` becomes ``1.``.

    >>> normalize("（一）予以公开 ")
    '(一)予以公开'
    >>> normalize("1、属于国家秘密"), normalize("規範性檔案"), normalize("數(shù)量")
    ('1.属于国家秘密', '规范性文件', '数量')
    """
    t = unicodedata.normalize("NFKC", simplify(strip_pinyin(text)))
    for quote, plain in _QUOTES.items():  # one str.replace each: translate is ~50 ms a 200,000-ideograph line
        if chr(quote) in t:
            t = t.replace(chr(quote), plain)
    t = _SPACE.sub("", t)
    for word, template_word in _MIRROR_WORDS:
        if word in t:
            t = t.replace(word, template_word)
    return _NUMBERING.sub(lambda m: f"{m.group(1) or m.group(2)}.", t)


_NUMBERED = re.compile(r"^(?:\([一二三四五六七八九十]+\)[.、]?|[一二三四五六七八九十]+[、.]|\d+\.?(?=\D))")


def _unnumbered(norm: str) -> str:
    """A normalised label without its numbering, in any style a report uses.

    >>> [_unnumbered(normalize(t)) for t in ("（一）予以公开", "一、予以公开", "一.予以公开", "①予以公开")]
    ['予以公开', '予以公开', '予以公开', '予以公开']
    """
    return _NUMBERED.sub("", norm)


ALL_TABLES: dict[str, tuple[Label, ...]] = {
    "disclosure_item": DISCLOSURE_ITEMS,
    "disclosure_measure": DISCLOSURE_MEASURES,
    "application_row": APPLICATION_ROWS,
    "applicant": APPLICANTS,
    "proceeding": PROCEEDINGS,
    "outcome": OUTCOMES,
}


def _index() -> dict[str, Label]:
    out: dict[str, Label] = {}
    for table in ALL_TABLES.values():
        for lab in table:
            for text in (lab.zh, lab.short, *lab.variants):
                if text:
                    out.setdefault(normalize(text), lab)
    return out


_BY_TEXT = _index()


@lru_cache(maxsize=1024)
def zh(key: str, template: str | None = None, *, short: bool = True) -> str:
    """Chinese label of a key (the display form, without numbering, by default).

    >>> zh("results_total")
    '办理结果总计'
    >>> zh("new_made", template="2021")
    '本年制发件数'
    """
    for table in ALL_TABLES.values():
        for lab in table:
            if lab.key == key and (template is None or template in lab.templates):
                return lab.display() if short else lab.zh
    raise KeyError(f"unknown label key {key!r}")


def en(key: str) -> str:
    """English label of a key.

    >>> en("granted")
    'Granted'
    """
    for table in ALL_TABLES.values():
        for lab in table:
            if lab.key == key:
                return lab.en
    raise KeyError(f"unknown label key {key!r}")


def key(label: str) -> str:
    """Key of a Chinese label, whatever its punctuation, spacing or numbering style.

    >>> key("予以公开"), key("（七）总计"), key("本年增/减")
    ('granted', 'results_total', 'change')
    """
    norm = normalize(label)
    lab = _BY_TEXT.get(norm) or _BY_TEXT.get(_unnumbered(norm))
    if lab is None:
        raise KeyError(f"unknown label {label!r}")
    return lab.key


@lru_cache(maxsize=256)
def keys(table: str, template: str | None = None, *, data_only: bool = True) -> tuple[str, ...]:
    """Keys of one dimension in printed order (deduplicated across templates).

    >>> keys("applicant")[-1]
    'total'
    """
    seen: dict[str, None] = {}
    for lab in ALL_TABLES[table]:
        if (template is None or template in lab.templates) and not (data_only and lab.group):
            seen.setdefault(lab.key, None)
    return tuple(seen)


def application_rows(template: str) -> tuple[str, ...]:
    """Data rows of table 三 for one template, in printed order."""
    return keys("application_row", template)


APPLICATION_LABEL_COLUMNS = 3  # table 三's label columns: 三、本年度办理结果 | (三)不予公开 | 1.属于国家秘密


def depth(label: Label) -> int:
    """The grid column a table-三 row label starts in: 一、 0, (一) 1, 1. 2; it spans the label columns from there.

    >>> [depth(lab) for lab in APPLICATION_ROWS if lab.key in ("new_received", "granted", "denied_state_secret")]
    [0, 1, 2]
    """
    return 0 if "、" in label.zh[:3] else 1 if label.zh.startswith("(") else 2


@lru_cache(maxsize=None)
def label_colspan(table: str, row: str | None) -> int:
    """How many grid columns a data row's label spans in the template's table (table 四's row has no label: 0).

    >>> [label_colspan("applications", row) for row in ("new_received", "granted", "denied_state_secret")]
    [3, 2, 1]
    >>> label_colspan("disclosure", "regulations"), label_colspan("appeals", None)
    (1, 0)
    """
    if table == "applications":
        return APPLICATION_LABEL_COLUMNS - depth(next(lab for lab in APPLICATION_ROWS if lab.key == row))
    return 1 if table == "disclosure" else 0


@lru_cache(maxsize=8)
def disclosure_cells(template: str) -> tuple[tuple[str, str], ...]:
    """(item, measure) cells of table 二 for one template, in printed order."""
    return tuple((item, m) for item, measures in DISCLOSURE_LAYOUT[template] for m in measures)


def caption(item: str) -> str:
    """The caption of the block of table 二 that holds an item.

    >>> caption("administrative_fees")
    '第二十条第(八)项'
    """
    return _CAPTION.format(ARTICLE_20[item])


def measure(key_: str, template: str) -> Label:
    """The measure label of one template (unit and how its cells parse)."""
    for lab in DISCLOSURE_MEASURES:
        if lab.key == key_ and template in lab.templates:
            return lab
    raise KeyError(f"no measure {key_!r} in template {template}")


# -- levels: which cells are printed totals of others (the ``level`` and ``group`` columns) ------------

# Per dimension, the keys that are the printed total of the other keys of that dimension. A cell whose
# key is one of them in either dimension is a ``total``; every other cell is a ``part`` (table 二 has no totals).
TOTALS: dict[str, tuple[str, ...]] = {"application_row": ("results_total",), "applicant": ("total",),
                                      "outcome": ("total",)}
# 三、本年度办理结果 (一)…(六): the result groups whose rows 三(七) 办理结果总计 adds up.
RESULT_GROUPS = ("granted", "partially_granted", "denied", "unable", "not_processed", "other_handling")


def is_total(dimension: str, key_: str) -> bool:
    """Whether a key is the printed total of the other keys of its dimension.

    >>> is_total("applicant", "total"), is_total("application_row", "results_total"), is_total("outcome", "pending")
    (True, True, False)
    """
    return key_ in TOTALS.get(dimension, ())


def result_group(row: str) -> str | None:
    """The result group (三(一)…(六)) a row of table 三 belongs to: the group it is or whose key it extends;
    None outside the results (本年新收, 上年结转, 办理结果总计, 结转下年度).

    >>> result_group("denied_state_secret"), result_group("other_handling_fee_unpaid"), result_group("results_total")
    ('denied', 'other_handling', None)
    """
    for group in RESULT_GROUPS:
        if row == group or row.startswith(group + "_"):
            return group
    return None


# -- figures read from the prose (gkdata.narrative.PATTERNS keys), for display: never matched against text ----

NARRATIVE_LABELS = (
    Label("proactive_total", "主动公开信息总数", "Proactive disclosures, total"),
    Label("proactive_website", "政府网站公开信息数", "Disclosed on the government website"),
    Label("proactive_new_media", "政务新媒体公开信息数", "Disclosed on government new media"),
    Label("proactive_reading_points", "查阅点公开信息数", "Disclosed at reading points"),
    Label("proactive_other", "其他方式公开信息数", "Disclosed in other ways"),
    Label("website_posts", "网站发布信息数", "Items the website published"),
    Label("consultations_total", "咨询总人次", "Consultations, total"),
    Label("consultations_onsite", "现场咨询人次", "Consultations on site"),
    Label("consultations_online", "网上咨询人次", "Consultations online"),
    Label("consultations_phone", "电话咨询人次", "Consultations by phone"),
    Label("messages_received", "收到留言数", "Messages received"),
    Label("messages_handled", "办结留言数", "Messages answered"),
    Label("applications_received", "收到申请数", "Applications received"),
    Label("applications_carried_over", "上年结转申请数", "Applications carried over"),
    Label("applications_processed", "办结申请数", "Applications processed"),
    Label("applications_granted", "予以公开申请数", "Applications granted"),
    Label("applications_carried_forward", "结转下年度申请数", "Applications carried forward"),
    Label("reviews", "行政复议数", "Administrative reconsiderations"),
    Label("lawsuits", "行政诉讼数", "Administrative lawsuits"),
)
_NARRATIVE = {lab.key: lab for lab in NARRATIVE_LABELS}


def narrative_zh(key: str) -> str:
    """Chinese name of a prose figure's key; an unknown key as it is.

    >>> narrative_zh("applications_received"), narrative_zh("reviews")
    ('收到申请数', '行政复议数')
    """
    return _display(_NARRATIVE, key, "zh")


def _display(labels: dict[str, Label], key: str, lang: str) -> str:
    """A display label's Chinese (``zh``) or English (``en``) text; a key it does not hold as it is."""
    lab = labels.get(key)
    return key if lab is None else getattr(lab, lang)


# -- check names (the ``check`` column of findings), for display: never matched against report text ------

CHECK_LABELS = (
    Label("ambiguous_columns", "列位置不明", "Ambiguous columns"),
    Label("invalid_value", "数值无效", "Invalid value"),
    Label("wrong_unit", "单位不符", "Wrong unit"),
    Label("unplaced_value", "数字无对应单元格", "Unplaced value"),
    Label("unknown_label", "标签无法确定", "Unknown label"),
    Label("missing_row", "缺少行", "Missing row"),
    Label("missing_table", "缺少表格", "Missing table"),
    Label("truncated", "表格截断", "Truncated table"),
    Label("empty_table", "表格无数字", "Empty table"),
    Label("unfilled_template", "未填写的模板", "Unfilled template"),
    Label("assumed_unit", "推定单位", "Assumed unit"),
    Label("unread_unit", "单位无法读取", "Unreadable unit"),
    Label("template_conflict", "模板混用", "Template conflict"),
    Label("place_ambiguous", "地方不明确", "Ambiguous place"),
    Label("balance", "收到与办理不平衡", "Balance"),
    Label("row_sum", "行合计不符", "Row sum"),
    Label("column_sum", "列合计不符", "Column sum"),
    Label("appeals_sum", "复议诉讼合计不符", "Appeals sum"),
    Label("published_exceeds_total", "新公开超过总数", "Published exceeds total"),
    Label("narrative_mismatch", "正文与表格不符", "Narrative mismatch"),
    Label("carry_over_mismatch", "结转不衔接", "Carry-over mismatch"),
    Label("change_mismatch", "增减不衔接", "Change mismatch"),
    Label("year_over_year", "与往年相差悬殊", "Year over year"),
    Label("outlier", "异常值", "Outlier"),
)
_CHECKS = {lab.key: lab for lab in CHECK_LABELS}


def check_zh(check: str) -> str:
    """Chinese name of a check (a finding's ``check``); an unknown check as it is.

    >>> check_zh("balance"), check_zh("outlier")
    ('收到与办理不平衡', '异常值')
    """
    return _display(_CHECKS, check, "zh")


def check_en(check: str) -> str:
    """English name of a check; an unknown check as it is.

    >>> check_en("carry_over_mismatch")
    'Carry-over mismatch'
    """
    return _display(_CHECKS, check, "en")


# Chinese headers of the corpus columns of corpus tables, for display and Excel.
COLUMN_ZH = {
    "report_id": "报告编号", "path": "文件", "status": "状态", "error": "原因", "region": "地区", "year": "年度",
    "template": "模板", "layout": "版式", "title": "标题", "publisher": "发布机关", "encoding": "编码",
    "is_template": "空白模板", "errors": "错误", "warnings": "警告",
    "item": "项目", "measure": "指标", "row": "项目", "applicant": "申请人", "proceeding": "类别",
    "outcome": "结果", "value": "数值", "unit": "单位", "key": "数据", "sentence": "原文",
    "check": "检查", "severity": "严重程度", "table": "表", "column": "列", "expected": "期望值",
    "actual": "实际值", "message": "说明", "level": "层级", "group": "办理结果类别",
}
LEVEL_ZH = {"part": "分项", "total": "合计"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
TABLE_ZH = {"disclosure": "二、主动公开", "applications": "三、依申请公开", "appeals": "四、复议诉讼", "narrative": "正文"}

# Labels whose presence decides the template (report-format.md §1).
TEMPLATE_MARKERS: dict[str, tuple[str, ...]] = {
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
             "其他对外管理服务事项", "采购项目数量", "采购总金额"),
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额",
             "1.申请人无正当理由逾期不补正", "2.申请人逾期未按收费通知要求缴纳费用"),
}
