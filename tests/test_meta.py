"""A report's title, publisher, region and year from the head of its text (gkdata.meta).

The texts are written for these tests in the shapes real pages take; the names are
places and organs, the prose is made up.
"""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkdata.meta import Heading, describe, period_year, region_of

from conftest import SEEDS, expected

T = "政府信息公开工作年度报告"
PREAMBLE = "本报告依据《中华人民共和国政府信息公开条例》编写，说明本机关一年来的公开工作。"


@pytest.mark.parametrize("text, want", [
    # the title on one line
    (f"会宁县2020年{T}\n{PREAMBLE}", ("会宁县2020年" + T, "会宁县", "会宁县", 2020)),
    (f"2022年上海市{T}\n字号:\n{PREAMBLE}", ("2022年上海市" + T, "上海市", "上海市", 2022)),
    (f"2022年青石市人民{T}", ("2022年青石市人民" + T, "青石市人民政府", "青石市", 2022)),
    (f"青石县人民政府2021年度{T}", ("青石县人民政府2021年度" + T, "青石县人民政府", "青石县", 2021)),
    ("青石县财政局2023年政务公开工作年度报告", ("青石县财政局2023年政务公开工作年度报告", "青石县财政局", "青石县财政局", 2023)),
    ("云岭市交通运输局2021年信息公开工作年度报告", ("云岭市交通运输局2021年信息公开工作年度报告", "云岭市交通运输局",
                                      "云岭市交通运输局", 2021)),
    (f"开阳县人民政府2019年{T}简介", ("开阳县人民政府2019年" + T, "开阳县人民政府", "开阳县", 2019)),
    (f"阿里地区行政公署2020年{T}", ("阿里地区行政公署2020年" + T, "阿里地区行政公署", "阿里地区", 2020)),
    (f"白沙街道办事处2021年{T}", ("白沙街道办事处2021年" + T, "白沙街道办事处", "白沙街道", 2021)),
    ("青石县政府信息公开工作年度报告（2020年度）", (f"青石县{T}（2020年度）", "青石县", "青石县", 2020)),
    (f"二〇二一年度青石县{T}", (f"二〇二一年度青石县{T}", "青石县", "青石县", 2021)),
    (f"青石县 2020 年{T}", ("青石县2020年" + T, "青石县", "青石县", 2020)),
    (f"县委机构编制委员会办公室2020年{T}", (f"县委机构编制委员会办公室2020年{T}", "县委机构编制委员会办公室",
                                   "县委机构编制委员会办公室", 2020)),  # relative, but as the title prints it
    (f"关于印发青石县2020年{T}的通知", (f"青石县2020年{T}", "青石县", "青石县", 2020)),
    (f"《青石县2020年{T}》", (f"青石县2020年{T}", "青石县", "青石县", 2020)),
    ("2020年全县各部门认真落实政府信息公开工作报告制度", (None, None, None, None)),  # prose, not a year-first title
    # leading spaces and markdown marks
    (f"  会宁县2020年{T}\n\n{PREAMBLE}", ("会宁县2020年" + T, "会宁县", "会宁县", 2020)),
    (f"# 白沙镇2021年{T}", ("白沙镇2021年" + T, "白沙镇", "白沙镇", 2021)),
    (f"**白沙镇2021年{T}**", ("白沙镇2021年" + T, "白沙镇", "白沙镇", 2021)),
    (f"\u3000\u3000## **白沙镇2021年{T}**", ("白沙镇2021年" + T, "白沙镇", "白沙镇", 2021)),
    (f"<h1>白沙镇2021年{T}</h1>", ("白沙镇2021年" + T, "白沙镇", "白沙镇", 2021)),
    # split over two or three lines
    (f"巴青县2019年度\n{T}\n{PREAMBLE}", ("巴青县2019年度" + T, "巴青县", "巴青县", 2019)),
    (f"武汉市生态环境局硚口区分局2025年\n{T}\n", ("武汉市生态环境局硚口区分局2025年" + T, "武汉市生态环境局硚口区分局",
                                          "武汉市生态环境局硚口区分局", 2025)),
    (f"云岭市人民政府\n2021年度\n{T}\n{PREAMBLE}", ("云岭市人民政府2021年度" + T, "云岭市人民政府", "云岭市", 2021)),
    (f"云岭市人民政府办公室\n2022年{T}\n一、总体情况", ("云岭市人民政府办公室2022年" + T, "云岭市人民政府办公室", "云岭市", 2022)),
    ("青石县2020年政府信息公开\n工作年度报告", ("青石县2020年" + T, "青石县", "青石县", 2020)),
    # a line above that is no organ's name is not the publisher
    (f"站点_人民政府合作交流办公室\n2022年{T}", ("2022年" + T, None, None, 2022)),
    (f"年度报告\n2022年{T}", ("2022年" + T, None, None, 2022)),
    (f"某某县人民政府门户网站\n2022年{T}", ("2022年" + T, None, None, 2022)),
    # a byline below a title without a publisher
    (f"2020年{T}\n青石县人民政府办公室\n（2021年1月）\n{PREAMBLE}", ("2020年" + T, "青石县人民政府办公室", "青石县", 2020)),
    (f"2020年{T}\n一、总体情况\n", ("2020年" + T, None, None, 2020)),
])
def test_title_forms(text, want):
    assert describe(text) == Heading(*want)


@pytest.mark.parametrize("text, want", [
    # seed 004's metadata list
    ("- 索引号:dqxsb/2021-00011\n- 发文字号:\n- 发文机构:地区行署办公室\n"
     f"- 名 称:阿里地区2020年{T}\n- 公文种类 :其他\n- 发布日期:2021-03-10 20:32\n阿里地区2020年{T}\n",
     ("阿里地区2020年" + T, "阿里地区", "阿里地区", 2020)),
    # pipe rows, two keys a row; the title only in 标 题
    (f"索 引 号 | 014416330/2018-04736 | 分 类 | 年度报告 综合政务 |\n发布机构 | 市政府办 | 发文日期 | 2018-02-28 |\n"
     f"标 题 | 云岭市人民政府2017年{T} |\n{PREAMBLE}", ("云岭市人民政府2017年" + T, "云岭市人民政府", "云岭市", 2017)),
    (f"| 索引号 | 0001/2021-01 | 发布机构 | 青石县人民政府 |\n|---|---|---|---|\n| 名称 | 2020年{T} | 发布日期 | 2021-01-29 |",
     ("2020年" + T, "青石县人民政府", "青石县", 2020)),
    # TAB separated
    (f"索引号\t11520000/2021-001\t发布机构\t青石县人民政府\n名称\t2020年{T}\t发布日期\t2021-01-29\n{PREAMBLE}",
     ("2020年" + T, "青石县人民政府", "青石县", 2020)),
    # the publisher from 发布机构 / 发文机构 when the title has none ...
    (f"发布机构: 某某县人民政府\n2020年{T}\n{PREAMBLE}", ("2020年" + T, "某某县人民政府", "某某县", 2020)),
    (f"发文机构：白沙镇人民政府    发布日期：2021-01-20\n2020年{T}", ("2020年" + T, "白沙镇人民政府", "白沙镇", 2020)),
    (f"发布机构:云岭市人民政府\n2020年{T}", ("2020年" + T, "云岭市人民政府", "云岭市", 2020)),
    # ... but the title's own publisher wins over it
    (f"发布机构: 青石县人民政府办公室\n白沙镇2020年{T}", ("白沙镇2020年" + T, "白沙镇", "白沙镇", 2020)),
    # ... and a name relative to the site is not used
    (f"发布机构: 县政府办\n2020年{T}", ("2020年" + T, None, None, 2020)),
    (f"发文机构:地区行署办公室\n2020年{T}", ("2020年" + T, None, None, 2020)),
    (f"发布机构: 区统计局\n2020年{T}", ("2020年" + T, None, None, 2020)),
    (f"发布机构: 本机关\n2020年{T}", ("2020年" + T, None, None, 2020)),
    (f"发布机构: 市中区人民政府\n2020年{T}", ("2020年" + T, "市中区人民政府", "市中区", 2020)),  # a place named 市中区
    # a relative name in the title gives way to a full one from the index block; a relative one stays
    (f"发布机构: 云岭市青石区统计局\n区统计局2023年{T}", ("区统计局2023年" + T, "云岭市青石区统计局", "云岭市青石区统计局", 2023)),
    (f"发布机构: 县统计局\n区统计局2023年{T}", ("区统计局2023年" + T, "区统计局", "区统计局", 2023)),
    # a title followed on its line by index keys
    (f"青石县2020年{T} 发布时间:2021-01-29 来源:县政府办", ("青石县2020年" + T, "青石县", "青石县", 2020)),
])
def test_index_block(text, want):
    assert describe(text) == Heading(*want)


def test_site_navigation_before_the_title():
    text = "\n".join([
        "青石县人民政府门户网站", "首页 > 政务公开 > 年度报告", "当前位置：首页>政府信息公开>年度报告>正文",
        "字号: 大 中 小   打印   关闭", "2021-01-29 10:18", "来源：青石县人民政府办公室",
        f"青石县2020年{T}_青石县人民政府", "", f"青石县2020年{T}", PREAMBLE,
    ])
    assert describe(text) == Heading("青石县2020年" + T, "青石县", "青石县", 2020)
    assert describe(f"首页 > 年度报告 > 青石县2020年{T}").publisher == "青石县"
    assert describe(f"首页>年度报告>青石县2020年{T}").publisher == "青石县"


def test_other_reports_named_before_the_title_are_not_it():
    text = f"上一篇：青石县2019年{T}\n下一篇：青石县2021年{T}\n青石县2020年{T}\n"
    assert describe(text).year == 2020
    text = f"附件：青石县2019年{T}.pdf\n报告统计时限为2022年1月1日至12月31日。"
    assert describe(text) == Heading(None, None, None, 2022)


def test_traditional_characters_come_back_simplified():
    assert describe(f"會寧縣2020年政府信息公開工作年度報告\n{PREAMBLE}") == Heading(
        "会宁县2020年" + T, "会宁县", "会宁县", 2020)
    text = "首頁 > 政務公開 > 年度報告\n發布機構：會寧縣人民政府\n2020年政府信息公開工作年度報告\n"
    assert describe(text) == Heading("2020年" + T, "会宁县人民政府", "会宁县", 2020)
    # a traditional title in a simplified page; a simplified page keeps 乾县 (t2s would make it 干县)
    text = f"首页 > 政务公开 > 年度报告\n{PREAMBLE}\n{PREAMBLE}\n會寧縣2020年政府信息公開工作年度報告"
    assert describe(text).title == "会宁县2020年" + T
    assert describe(f"乾县2020年{T}\n{PREAMBLE}").publisher == "乾县"


@pytest.mark.parametrize("sentence, year", [
    ("统计期限自2023年1月1日起至2023年12月31日止", 2023),
    ("2023年1月1日至2023年12月31日", 2023),
    ("统计时限为2022年1月1日至12月31日", 2022),
    ("所列数据的统计期限为 2020 年1月1日至12月31日", 2020),
    ("数据统计期限从2022年1月1日起至2022年12月31日止", 2022),
    ("统计期限自2023年1月1日起到2023年12月31日止", 2023),
    ("统计期限为２０２１年１月１日至１２月３１日", 2021),
    ("统计期限为2021年01月01日—2021年12月31日", 2021),
    ("统计期限为2022年1月至12月", 2022),
    ("本报告统计2019年5月15日至2019年12月31日的情况", 2019),  # the 2019 regulation's first year
    ("自2019年1月1日至今，累计公开", None),
    ("2020年3月至5月，我县开展专项检查", None),
    ("统计期限为2019年1月1日至2020年12月31日", None),  # not one year
    ("2020年,我县持续推进政务公开工作", None),
])
def test_statistical_period(sentence, year):
    assert period_year(sentence) == year
    assert describe(f"{PREAMBLE}\n{sentence}。\n一、总体情况") == Heading(None, None, None, year)


def test_the_period_is_looked_for_near_the_start_only():
    assert period_year("情况。" * 20_000 + "统计期限为2022年1月1日至12月31日") is None


def test_the_title_year_wins_over_the_period():
    text = f"青石县2021年{T}\n本报告统计期限为2020年1月1日至2020年12月31日。"
    assert describe(text).year == 2021
    assert period_year(text) == 2020


def test_years_in_urls_file_names_dates_and_prose_are_never_used():
    text = ("http://www.example.gov.cn/xxgk/202101/t20210129_1620886.shtml\nart/2018/2/28/art_46355_1.html\n"
            "发布日期：2021-01-29 10:18\n2020年,我县持续推进政务公开工作。\n"
            "2019年，全县共主动公开政府信息1000条。\n青石县2020年工作总结.docx\n")
    assert describe(text) == Heading(None, None, None, None)
    # a citation of another year's report is not this report's name
    text = f"按照《关于做好2020年{T}编制工作的通知》要求，全县各部门认真开展工作，取得明显成效，现将有关情况报告如下。"
    assert describe(text) == Heading(None, None, None, None)


def test_the_report_naming_itself_in_prose():
    text = (f"根据《中华人民共和国政府信息公开条例》规定，现公布云岭市人民政府2017年{T}。"
            "报告所列数据的统计期限自2017年1月1日起至12月31日止。")
    assert describe(text) == Heading("云岭市人民政府2017年" + T, "云岭市人民政府", "云岭市", 2017)
    text = f"2020年{T}\n根据条例要求，现将青石县2020年{T}公布如下。"
    assert describe(text) == Heading("2020年" + T, "青石县", "青石县", 2020)
    # the prose's publisher only when it names the title's year
    text = f"2021年{T}\n根据条例要求，现将青石县2020年{T}公布如下。"
    assert describe(text) == Heading("2021年" + T, None, None, 2021)
    # a name relative to the site is not taken from prose
    text = f"根据条例规定，现公布区统计局2023年{T}。"
    assert describe(text) == Heading("区统计局2023年" + T, None, None, 2023)
    # it comes after a byline and before the index block
    text = f"发布机构: 白沙镇人民政府\n2020年{T}\n根据条例要求，特编制青石县2020年{T}。"
    assert describe(text).publisher == "青石县"


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seeds(seed):
    want = expected(seed)["meta"]
    h = describe(SEEDS[seed].read_text(encoding="utf-8"))
    assert (h.region, h.year) == (want["region"], want["year"])
    assert h.title is not None and h.title.startswith(want["region"]) and h.title.endswith("年度报告")


def test_region_of():
    assert [region_of(p) for p in ["开阳县人民政府", "巴青县", "阿里地区行政公署", "青石县人民政府办公室",
                                  "云岭省人民政府办公厅", "白沙街道办事处", "青石经济开发区管理委员会", "人民政府", None]] == [
        "开阳县", "巴青县", "阿里地区", "青石县", "云岭省", "白沙街道", "青石经济开发区", "人民政府", None]


def test_only_the_head_is_read_for_the_title():
    filler = "\n".join(f"第{i}行内容。" for i in range(100))
    assert describe(f"{filler}\n青石县2020年{T}").title is None


@pytest.mark.parametrize("make", [
    lambda n: "县" * n,
    lambda n: "2020年" * (n // 5),
    lambda n: ("2020年" + "县" * 59) * (n // 64),
    lambda n: (T + "县" * 59) * (n // 71),
    lambda n: "2020" + " " * n + "年",
    lambda n: "2020年1月1日至" * (n // 10),
    lambda n: "名 称:" * (n // 4),
    lambda n: "|" * n,
    lambda n: "县2020年度\n" * (n // 9),
    lambda n: "".join(random.Random(0).choices("年度报告政府信息公开工作县市人民2020月日至起| \t\n:名称发布机构《》.", k=n // 10)) * 10,
])
def test_ten_megabytes_of_garbage_in_bounded_time(make):
    text = make(10_000_000)
    start = time.perf_counter()
    describe(text)
    assert time.perf_counter() - start < 0.5


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("年度报告政府信息公开工作县市区人民政办公室2019０１月日至起止（）()|:：\n\t -名称发布机构")),
               max_size=300))
def test_any_text_gives_a_heading(text):
    h = describe(text)
    assert isinstance(h, Heading)
    assert h.year is None or 1900 <= h.year <= 2099
    assert h.region is None or h.publisher is not None


def test_chrome_lines_above_a_whole_title_are_not_its_publisher():
    text = "政务资讯网\n\n反馈\n\n取消\n\n热门搜词\n\n河石平区人民政府2020年度政府信息公开工作年度报告简介\n\n2021-03-11 作者:佚名\n"
    assert describe(text) == ("河石平区人民政府2020年度政府信息公开工作年度报告", "河石平区人民政府", "河石平区", 2020)
