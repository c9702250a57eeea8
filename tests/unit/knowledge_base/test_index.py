"""The article index as an agent sees it: the right article first, filters, snippets, feedback, updates."""

from __future__ import annotations

import time
from typing import Any

import pytest

from knowledge_base.index import Article, ArticleIndex, feedback_factor


def article(external_id: str, title: str, body: str, **fields: Any) -> Article:
    return Article(external_id=external_id, title=title, body=body, **fields)


ARTICLES = [
    article(
        "ac-cooling",
        "冷氣不冷的排除步驟",
        "冷氣開很久還是不涼時，請確認遙控器設定在冷氣模式，並清潔濾網。室外機周圍不要堆放雜物。",
        tags=["冷氣"],
        product="air-conditioner",
    ),
    article(
        "ac-leak",
        "冷氣室內機滴水",
        "室內機滴水多半是排水管堵塞或機身沒有水平。請關機並預約技師清理排水管。",
        product="air-conditioner",
    ),
    article(
        "wh-leak",
        "電熱水器洩壓閥漏水",
        "加熱時洩壓閥少量滴水是正常的；機身底部持續漏水請關閉電源與進水閥，並聯絡師傅。",
        product="water-heater",
    ),
    article(
        "leak-general",
        "家中漏水怎麼處理",
        "不論是哪一種家電漏水，請先關閉電源，擦乾水漬，再依產品說明書檢查排水。",
    ),
    article(
        "net-down",
        "網路斷線、無法上網",
        "請將數據機與分享器關機三十秒後重新開機，並確認網路線插緊。",
        product="broadband",
    ),
    article(
        "invoice",
        "如何查詢電子發票",
        "電子發票會寄到您的電子信箱，也可以在會員中心的「我的發票」查詢，或存入手機條碼載具。",
    ),
    article(
        "en-router",
        "Internet keeps disconnecting",
        "If your connection drops repeatedly, power off the modem and the router, wait 30 seconds and turn "
        "them on again. Check that the cables are firmly plugged in.",
        lang="en",
        product="broadband",
    ),
    article(
        "hans-fridge",
        "冰箱冷冻室结霜",
        "冷冻室结了一层厚霜，通常是门没关好。请检查门封条，必要时拔掉插头退冰。",
        lang="zh-Hans",
        product="refrigerator",
    ),
    article(
        "internal-fees",
        "到府維修收費標準（內部）",
        "保固外到府維修出車檢測費 600 元，工資依項目 800 至 2,500 元。",
        public=False,
    ),
    article(
        "draft-ac",
        "冷氣壓縮機更換公告（草稿）",
        "壓縮機更換的新流程尚未定案。",
        status="draft",
        product="air-conditioner",
    ),
    article(
        "html-body",
        "遙控器沒有反應",
        "請更換遙控器電池。<script>alert(1)</script> 注意 A & B 型號的遙控器不能互換。",
        product="air-conditioner",
    ),
]


@pytest.fixture(scope="module")
def index() -> ArticleIndex:
    return ArticleIndex.build(ARTICLES)


def ids(hits: list[Any]) -> list[str]:
    return [hit.external_id for hit in hits]


def test_simplified_query_finds_the_traditional_article(index: ArticleIndex) -> None:
    assert ids(index.search("空调不制冷怎么办"))[0] == "ac-cooling"


def test_traditional_query_finds_a_simplified_article(index: ArticleIndex) -> None:
    assert ids(index.search("冷凍庫一直結霜"))[0] == "hans-fridge"


def test_a_typo_still_finds_the_article(index: ArticleIndex) -> None:
    assert ids(index.search("冷器都不冷"))[0] == "ac-cooling"
    assert ids(index.search("internt keeps disconecting"))[0] == "en-router"


def test_english_query_finds_the_english_article(index: ArticleIndex) -> None:
    assert ids(index.search("my router keeps dropping the connection"))[0] == "en-router"


def test_chinese_query_prefers_the_chinese_article_on_the_same_topic(index: ArticleIndex) -> None:
    assert ids(index.search("wifi 一直斷線"))[0] == "net-down"


def test_synonym_finds_an_article_that_never_uses_the_word(index: ArticleIndex) -> None:
    assert "空調" not in ARTICLES[0].title + ARTICLES[0].body
    assert ids(index.search("空調吹起來不涼"))[0] == "ac-cooling"
    assert ids(index.search("收據在哪裡查"))[0] == "invoice"


def test_product_filter_keeps_that_product_and_articles_without_one(index: ArticleIndex) -> None:
    found = ids(index.search("漏水", limit=10, product="water-heater"))
    assert "wh-leak" in found
    assert "leak-general" in found
    assert "ac-leak" not in found
    assert "ac-leak" in ids(index.search("漏水", limit=10))
    assert "wh-leak" not in ids(index.search("漏水", limit=10, product="unknown-product"))


def test_drafts_are_never_returned(index: ArticleIndex) -> None:
    assert "draft-ac" not in ids(index.search("壓縮機更換流程", limit=10))
    assert "draft-ac" not in index


def test_publishing_a_draft_version_withdraws_the_article() -> None:
    index = ArticleIndex.build(ARTICLES[:2])
    index.add(article("ac-leak", "冷氣室內機滴水", "改寫中", status="draft"))
    assert "ac-leak" not in ids(index.search("冷氣滴水", limit=10))
    assert len(index) == 1


def test_internal_articles_only_for_agents(index: ArticleIndex) -> None:
    assert "internal-fees" in ids(index.search("到府維修要收多少錢", include_internal=True))
    assert "internal-fees" not in ids(index.search("到府維修要收多少錢", include_internal=False))


@pytest.mark.parametrize("query", ["", "   ", "\n\t", "，。！", "的了嗎"])
def test_empty_or_meaningless_query_gives_no_hits(index: ArticleIndex, query: str) -> None:
    assert index.search(query) == []


def test_a_ten_kilobyte_query_is_handled_quickly(index: ArticleIndex) -> None:
    query = "我家的冷氣一直滴水，" * 1000 + "x" * 1000
    assert len(query.encode()) > 10_000
    started = time.perf_counter()
    hits = index.search(query)
    assert time.perf_counter() - started < 0.5
    assert ids(hits)[0] == "ac-leak"


def test_limit_is_respected(index: ArticleIndex) -> None:
    assert len(index.search("漏水", limit=2)) == 2
    assert index.search("漏水", limit=0) == []


def test_snippet_marks_matched_words_and_escapes_html(index: ArticleIndex) -> None:
    hit = index.search("遙控器 電池")[0]
    assert hit.external_id == "html-body"
    assert "<mark>遙控器</mark>" in hit.snippet
    assert "<mark>電池</mark>" in hit.snippet
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "A &amp; B" in hit.snippet


def test_snippet_highlights_a_synonym_in_the_article_words(index: ArticleIndex) -> None:
    hit = index.search("空調滴水")[0]
    assert hit.external_id == "ac-leak"
    assert "<mark>滴水</mark>" in hit.snippet


def test_snippet_of_a_long_body_is_short_and_around_the_match() -> None:
    body = "這是一段不相關的說明。" * 30 + "如果熱水器無法點火，請先更換電池。" + "其他注意事項。" * 30
    index = ArticleIndex.build([article("long", "熱水器常見問題", body)])
    snippet = index.search("熱水器點不著火")[0].snippet
    assert "<mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= 160


def test_helpful_votes_lift_an_article_within_bounds() -> None:
    index = ArticleIndex.build(ARTICLES)
    before = ids(index.search("冷氣滴水", limit=3))
    assert before[0] == "ac-leak"
    lifted = before[1]
    for _ in range(200):
        index.record_feedback(lifted, "冷氣滴水", helpful=True)
        index.record_feedback("ac-leak", "冷氣滴水", helpful=False)
    assert ids(index.search("冷氣滴水", limit=3))[0] == lifted
    # Bounded: votes cannot raise an article that does not match at all.
    index.set_feedback("invoice", helpful=10_000, not_helpful=0)
    assert "invoice" not in ids(index.search("冷氣滴水", limit=10))


def test_feedback_factor_is_neutral_without_votes_and_bounded() -> None:
    assert feedback_factor(0, 0) == 1.0
    assert 1.0 < feedback_factor(3, 0) < feedback_factor(30, 0) < 1.25
    assert 0.75 < feedback_factor(0, 30) < 1.0
    assert feedback_factor(10**9, 0) == pytest.approx(1.25, abs=1e-6)


def test_update_replaces_the_article_without_rebuilding() -> None:
    index = ArticleIndex.build(ARTICLES)
    assert ids(index.search("冷氣不冷"))[0] == "ac-cooling"
    index.add(
        article("ac-cooling", "冷氣除濕模式說明", "除濕模式會降低濕度，不適合用來降溫。", product="air-conditioner")
    )
    assert len(index) == len([a for a in ARTICLES if a.status == "published"])
    assert ids(index.search("除濕模式"))[0] == "ac-cooling"
    assert index.search("除濕模式")[0].title == "冷氣除濕模式說明"
    assert "ac-cooling" not in ids(index.search("室外機雜物", limit=10))


def test_remove_takes_the_article_out() -> None:
    index = ArticleIndex.build(ARTICLES)
    assert index.remove("invoice")
    assert not index.remove("invoice")
    assert "invoice" not in ids(index.search("電子發票", limit=10))
    index.add(ARTICLES[5])
    assert ids(index.search("電子發票"))[0] == "invoice"


def test_an_empty_index_answers_nothing() -> None:
    assert ArticleIndex().search("冷氣不冷") == []
