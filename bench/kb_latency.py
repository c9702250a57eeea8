"""Search latency of the knowledge-base index over 10,000 generated articles.

    .venv/bin/python bench/kb_latency.py [--articles 10000] [--queries 2000]

Articles are generated deterministically (seeded) from templates over products, brands, symptoms,
causes and actions, in zh-Hant (about 70 %) and English, so postings have realistic lengths: common
words such as 冷氣 or "router" sit in thousands of articles, model numbers and error codes in few.
Queries are the evaluation set's (bench/data/kb_eval) plus generated paraphrases, some with typos,
some Simplified, a few pasted e-mails of several kB; half are asked with a product filter.

Reports build time and memory (RSS growth over the loaded pipelines), p50/p95/p99 of `search` and
the cost of replacing one article. Target: search p95 ≤ 15 ms. Writes bench/results/kb_latency.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import msgspec

from bench._common import machine, percentiles, write_result
from knowledge_base.index import Article, ArticleIndex
from knowledge_base.normalize import to_traditional

# (product code, zh names, en names, symptoms zh, symptoms en)
_PRODUCTS: list[tuple[str, list[str], list[str], list[str], list[str]]] = [
    (
        "air-conditioner",
        ["冷氣", "分離式冷氣", "變頻冷氣", "窗型冷氣"],
        ["air conditioner", "inverter AC", "split AC"],
        ["不冷", "漏水", "有異音", "吹出霉味", "一開就跳電", "遙控器沒反應", "閃燈", "結霜", "室外機不轉", "開不了機"],
        [
            "not cooling",
            "leaking water",
            "making noise",
            "smells musty",
            "trips the breaker",
            "remote not working",
            "blinking light",
            "icing up",
            "outdoor unit not spinning",
            "will not turn on",
        ],
    ),
    (
        "water-heater",
        ["熱水器", "瓦斯熱水器", "電熱水器", "熱泵熱水器"],
        ["water heater", "gas water heater", "heat pump"],
        ["沒有熱水", "無法點火", "忽冷忽熱", "漏水", "有異味", "出現錯誤碼", "一直熄火", "水量變小"],
        [
            "no hot water",
            "will not ignite",
            "temperature keeps changing",
            "leaking",
            "smells of gas",
            "shows an error code",
            "keeps shutting off",
            "low water flow",
        ],
    ),
    (
        "washing-machine",
        ["洗衣機", "滾筒洗衣機", "直立式洗衣機", "洗脫烘"],
        ["washing machine", "front loader", "washer dryer"],
        ["不排水", "脫水晃動", "門打不開", "有臭味", "不進水", "洗不乾淨", "烘不乾", "顯示錯誤碼"],
        [
            "not draining",
            "shaking during spin",
            "door will not open",
            "smells bad",
            "not filling",
            "clothes still dirty",
            "not drying",
            "shows an error code",
        ],
    ),
    (
        "refrigerator",
        ["冰箱", "雙門冰箱", "變頻冰箱", "對開冰箱"],
        ["refrigerator", "fridge", "french door fridge"],
        ["不冷", "結霜", "很吵", "底部漏水", "製冰機不出冰", "門關不緊", "有異味", "溫度顯示異常"],
        [
            "not cold",
            "frosting up",
            "noisy",
            "leaking underneath",
            "ice maker not working",
            "door not sealing",
            "smells",
            "wrong temperature display",
        ],
    ),
    (
        "broadband",
        ["網路", "光纖網路", "無線網路", "分享器"],
        ["internet", "fibre broadband", "Wi-Fi", "router"],
        ["斷線", "網速很慢", "連不上", "燈號紅燈", "訊號很弱", "密碼忘記", "一直重開", "無法上網"],
        [
            "keeps dropping",
            "very slow",
            "cannot connect",
            "red light on",
            "weak signal",
            "forgot password",
            "keeps rebooting",
            "no internet",
        ],
    ),
    (
        "dehumidifier",
        ["除濕機", "清淨除濕機"],
        ["dehumidifier"],
        ["不除濕", "滿水燈一直亮", "有噪音", "吹熱風", "水箱漏水"],
        ["not removing moisture", "full tank light stays on", "noisy", "blowing hot air", "tank leaking"],
    ),
]
_SERVICE_ZH = [
    "帳單繳費",
    "電子發票",
    "會員點數",
    "訂單配送",
    "退貨退款",
    "延長保固",
    "安裝預約",
    "統一編號",
    "舊機回收",
    "分期付款",
]
_SERVICE_EN = [
    "bill payment",
    "e-invoice",
    "member points",
    "order delivery",
    "returns and refunds",
    "extended warranty",
    "installation booking",
    "company invoice",
    "old appliance recycling",
    "instalment plans",
]
_BRANDS = [
    "日立",
    "大金",
    "國際牌",
    "三菱",
    "東元",
    "聲寶",
    "禾聯",
    "LG",
    "三星",
    "櫻花",
    "林內",
    "莊頭北",
    "惠而浦",
    "夏普",
]
_CAUSES_ZH = [
    "濾網堵塞",
    "排水管彎折",
    "電壓不穩",
    "感溫器故障",
    "冷媒不足",
    "風扇卡到異物",
    "機身沒有放平",
    "電池沒電",
    "門封條老化",
    "線路鬆脫",
    "韌體版本過舊",
    "水壓不足",
    "主機板異常",
    "安裝位置通風不良",
]
_ACTIONS_ZH = [
    "請先關閉電源五分鐘後重新開機",
    "請清潔濾網並確認出風口沒有遮蔽",
    "請檢查排水管是否通暢",
    "請更換新的電池",
    "請確認插頭插緊且使用專用迴路",
    "請調整底腳讓機身保持水平",
    "請撥打客服專線預約技師到府檢測",
    "請記下機型與錯誤碼後線上報修",
    "請參考說明書重設原廠設定",
    "請確認瓦斯開關全開",
    "請將分享器移到開放的位置",
]
_CAUSES_EN = [
    "a clogged filter",
    "a kinked drain hose",
    "unstable voltage",
    "a faulty sensor",
    "low refrigerant",
    "debris in the fan",
    "the unit not being level",
    "flat batteries",
    "a worn door seal",
    "a loose cable",
    "outdated firmware",
    "low water pressure",
    "a control board fault",
    "poor ventilation",
]
_ACTIONS_EN = [
    "switch off the power for five minutes and restart",
    "clean the filter and clear the vents",
    "check that the drain hose is not blocked",
    "replace the batteries",
    "make sure the plug is firmly in",
    "adjust the feet so the unit is level",
    "call our hotline to book a technician",
    "note the model and error code and report it online",
    "reset to factory settings as the manual shows",
    "make sure the gas valve is fully open",
    "move the router to an open spot",
]
_CODES = ["E1", "E4", "E5", "E7", "F3", "H6", "P4", "U4", "E04", "C4", "EE", "H1", "LE", "OE", "dE"]
EVAL_QUERIES = Path(__file__).parent / "data" / "kb_eval" / "queries.jsonl"
_TYPOS = [
    ("氣", "器"),
    ("路", "陸"),
    ("票", "漂"),
    ("機", "基"),
    ("箱", "相"),
    ("修", "休"),
    ("水", "誰"),
    ("費", "廢"),
]


def _zh_article(rng: random.Random, n: int) -> Article:
    if rng.random() < 0.15:
        topic = rng.choice(_SERVICE_ZH)
        title = f"{topic}常見問題（{n}）"
        product = None
        symptom = topic
    else:
        code, names, _, symptoms, _ = rng.choice(_PRODUCTS)
        name, symptom = rng.choice(names), rng.choice(symptoms)
        brand, model = (
            rng.choice(_BRANDS),
            f"{rng.choice('ABCDEFGHKMRS')}{rng.choice('ABKRSX')}-{rng.randint(20, 90)}{rng.choice('YKNVH')}",
        )
        title = f"{brand}{name}{symptom}（{model}）"
        product = code if rng.random() < 0.8 else None
    sentences = [f"{symptom}的原因可能是{rng.choice(_CAUSES_ZH)}，也可能是{rng.choice(_CAUSES_ZH)}。"]
    sentences += [f"{rng.choice(_ACTIONS_ZH)}。" for _ in range(rng.randint(2, 5))]
    if rng.random() < 0.3:
        sentences.append(f"面板顯示 {rng.choice(_CODES)} 時，{rng.choice(_ACTIONS_ZH)}。")
    sentences.append(f"保固期內維修免費，保固外出車費 {rng.choice([500, 600, 800])} 元。")
    return Article(
        external_id=f"gen-{n:05d}",
        title=title,
        body="".join(sentences),
        lang="zh-Hant",
        tags=[symptom, *rng.sample(["維修", "保養", "故障排除", "常見問題", "安裝"], 2)],
        product=product,
        public=rng.random() < 0.85,
    )


def _en_article(rng: random.Random, n: int) -> Article:
    if rng.random() < 0.15:
        topic = rng.choice(_SERVICE_EN)
        title, product, symptom = f"{topic.capitalize()}: frequently asked questions ({n})", None, topic
    else:
        code, _, names, _, symptoms = rng.choice(_PRODUCTS)
        name, symptom = rng.choice(names), rng.choice(symptoms)
        title = f"{rng.choice(_BRANDS[5:9])} {name} {symptom}"
        product = code if rng.random() < 0.8 else None
    sentences = [
        f"When the unit is {symptom}, the cause is often {rng.choice(_CAUSES_EN)} or {rng.choice(_CAUSES_EN)}."
    ]
    sentences += [f"{rng.choice(_ACTIONS_EN).capitalize()}." for _ in range(rng.randint(2, 5))]
    if rng.random() < 0.3:
        sentences.append(f"If the display shows {rng.choice(_CODES)}, {rng.choice(_ACTIONS_EN)}.")
    sentences.append("Repairs are free during the warranty period.")
    return Article(
        external_id=f"gen-{n:05d}",
        title=title,
        body=" ".join(sentences),
        lang="en",
        tags=[symptom, rng.choice(["repair", "maintenance", "troubleshooting", "faq"])],
        product=product,
        public=rng.random() < 0.85,
    )


def generate_articles(n: int, seed: int = 5) -> list[Article]:
    rng = random.Random(seed)
    return [(_zh_article if rng.random() < 0.7 else _en_article)(rng, i) for i in range(n)]


def _typo(text: str, rng: random.Random) -> str:
    for right, wrong in rng.sample(_TYPOS, len(_TYPOS)):
        if right in text:
            return text.replace(right, wrong, 1)
    return text


def generate_queries(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    openers = ["", "請問", "你好，", "欸", "我家的", "我們公司的"]
    closers = ["", "怎麼辦", "是怎樣", "要怎麼處理", "可以派人來看嗎", "？"]
    queries = []
    for _ in range(n):
        _, names, names_en, symptoms, symptoms_en = rng.choice(_PRODUCTS)
        roll = rng.random()
        if roll < 0.55:
            q = f"{rng.choice(openers)}{rng.choice(names)}{rng.choice(symptoms)}{rng.choice(closers)}"
            q = _typo(q, rng) if rng.random() < 0.2 else q
        elif roll < 0.7:
            q = f"my {rng.choice(names_en)} is {rng.choice(symptoms_en)}, what should I do"
        elif roll < 0.8:
            q = f"{rng.choice(names)} {rng.choice(_CODES)} error 一直{rng.choice(['閃', '跳', '出現'])}"
        elif roll < 0.9:
            q = rng.choice(_SERVICE_ZH) + rng.choice(["要怎麼辦理", "在哪裡查", "有什麼規定"])
        elif roll < 0.995:
            q = to_traditional(rng.choice(names)) + rng.choice(["坏了", "没反应", "漏水了怎么办", "不制冷"])
        else:  # a pasted e-mail thread
            q = "".join(f"{rng.choice(names)}{rng.choice(symptoms)}，{rng.choice(_ACTIONS_ZH)}。" for _ in range(200))
        queries.append(q)
    return queries


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=2_000)
    args = parser.parse_args()
    articles = generate_articles(args.articles)
    ArticleIndex.build(articles[:1]).search("冷氣 warm-up")  # loads jieba and spaCy: not the index's cost
    rss_before = _rss_mb()
    started = time.perf_counter()
    index = ArticleIndex.build(articles)
    index.search("冷氣")  # merges the pending postings: part of building
    build_s = time.perf_counter() - started
    index_mb = _rss_mb() - rss_before

    rng = random.Random(3)
    eval_queries = [json.loads(line)["query"] for line in EVAL_QUERIES.read_text().splitlines() if line.strip()]
    queries = eval_queries + generate_queries(max(args.queries - len(eval_queries), 0))
    rng.shuffle(queries)
    products = [None, "air-conditioner", "water-heater", "washing-machine", "refrigerator", "broadband"]
    for query in queries[:100]:
        index.search(query)
    samples, empty = [], 0
    for query in queries:
        product = rng.choice(products) if rng.random() < 0.5 else None
        started = time.perf_counter()
        hits = index.search(query, limit=5, product=product, include_internal=rng.random() < 0.5)
        samples.append((time.perf_counter() - started) * 1000)
        empty += not hits
    search = percentiles(samples)

    updates = []
    for article in rng.sample(articles, 200):
        changed = msgspec.structs.replace(article, body=article.body + "（已更新）")
        started = time.perf_counter()
        index.add(changed)
        index.search("冷氣不冷")  # the next search pays for merging the new postings
        updates.append((time.perf_counter() - started) * 1000)
    update = percentiles(updates)

    print(
        f"{len(index)} articles indexed in {build_s:.2f} s, index memory ≈ {index_mb:.0f} MB RSS "
        f"(process {_rss_mb():.0f} MB with jieba and spaCy)"
    )
    print(
        f"search  n={search['n']:<5} p50 {search['p50_ms']:.2f} ms  p95 {search['p95_ms']:.2f} ms  "
        f"p99 {search['p99_ms']:.2f} ms  max {search['max_ms']:.2f} ms  ({empty} without hits)"
    )
    print(f"replace one article + next search: p50 {update['p50_ms']:.2f} ms  p95 {update['p95_ms']:.2f} ms")
    result: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "articles": len(index),
        "build_s": round(build_s, 2),
        "index_rss_mb": round(index_mb, 1),
        "process_rss_mb": round(_rss_mb(), 1),
        "search": search,
        "queries_without_hits": empty,
        "replace_then_search": update,
    }
    write_result("kb_latency", result)
    return 0 if search["p95_ms"] <= 15 else 1


if __name__ == "__main__":
    raise SystemExit(main())
