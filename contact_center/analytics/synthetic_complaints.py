"""Seeded synthetic complaint texts (zh-Hant) over 2.5 years, with planted emerging and seasonal topics.

Every week each topic draws Poisson(expected) complaints, spread over the days of the week; texts come
from colloquial templates with slots, an optional opener and closer, and now and then a clause that
belongs to no topic ("家裡有老人小孩"), so that topics share words the way real complaints do.

- steady topics: 師傅遲到, 維修品質, 收費爭議, 客服等待, 服務態度, 安裝品質, 漏水, 異音, 遙控器 (low),
  APP 連線 (low), 冰箱不冷 (a mild summer bump), 洗衣機脫水, 送貨延遲; the company grows 8% a year;
- seasonal topics (the decoys): 冷氣不冷 every summer (up to ~25x its winter level), 熱水不熱 every
  winter, 除濕機 every spring, with a yearly intensity of +-20% and a start that moves by up to two weeks;
  one of the 冷氣不冷 templates mentions the remote control, as customers do;
- emerging topics (planted at known weeks within the last year): a new app version whose login
  fails, one air-conditioner model's remote control that stops working (during summer, on top of the
  steady remote-control topic), and a billing system that charges twice; each starts at about half
  its level in its first week and fades after ten weeks.
"""

from __future__ import annotations

import datetime as dt
import math
import random

import msgspec

from contact_center.analytics.trends import ComplaintRecord

__all__ = ["ComplaintData", "ComplaintTruth", "PlantedTopic", "complaint_tickets"]

WEEK = dt.timedelta(days=7)
HISTORY_WEEKS = 130
BASE_PER_WEEK = 140.0
EMERGING_LEVEL = (14.0, 22.0)  # complaints a week once an emerging topic is established

_SLOT_TEXT = """
when: 昨天 前天 這兩天 上禮拜 最近 從週末開始 這幾天
who: 我媽 我爸 家裡長輩 我太太 我先生 小孩
hour: 上午十點 下午兩點 下午三點半 早上九點 晚上七點
late: 兩個小時 一個多小時 快三個小時 四十分鐘 一個半小時
amount: 800元 1,200元 1,500元 2,400元 3,600元 600元
times: 第二次 第三次 好幾次
tech: 王師傅 林師傅 陳師傅 張師傅 李師傅 黃師傅 吳師傅 劉師傅
thing: 冷氣 洗衣機 冰箱 除濕機 淨水器 熱水器 清淨機
item: 除濕機 冷氣 洗衣機 冰箱 濾心
ac: 冷氣 客廳的冷氣 主臥的冷氣 房間冷氣 分離式冷氣
"""
_SLOTS = {key: values.split() for key, _, values in (line.partition(": ") for line in _SLOT_TEXT.strip().splitlines())}
_OPENERS = ("", "", "", "您好，", "不好意思，", "我想反映一下，", "請問一下，", "麻煩一下，")
_CLOSERS = ("", "", "。", "，麻煩盡快處理。", "，請回電給我，謝謝。", "，已經打了好幾次電話了。", "，請給我一個交代。")
_STRAYS = ("家裡有老人小孩，", "我平日白天不在家，", "已經是第二次反映了，", "這台才買沒多久，", "朋友推薦才買你們的，")

# "name | kind | category" headers, each followed by its templates, one an indented line.
_TOPICS = """
師傅遲到 | steady | 客訴
    師傅約好{hour}結果{late}後才到，也沒有先打電話
    請假在家等了一整個下午，{tech}最後說今天來不了
    約好的時間都過了{late}，打去問也說不知道師傅在哪裡
    維修師傅放我鴿子，約了兩次都沒出現
維修品質 | steady | 客訴
    {thing}上個月才修好，現在又壞了，這已經是{times}了
    {tech}修完沒多久又出現一樣的毛病，希望換一個師傅來看
    修了三次都修不好，考慮要求換新機
    維修完{thing}反而更糟，根本沒修好
收費爭議 | steady | 帳務
    師傅只看了五分鐘就收{amount}檢測費，太貴了吧
    保固內的{thing}為什麼還要收費
    零件費跟工資加起來{amount}，事前都沒有報價
    出車費收{amount}不合理
客服等待 | steady | 客訴
    打客服專線等了{late}都沒人接
    LINE留言兩天都沒有回，客服效率太差
    客服專線一直轉接，轉了三個人還是沒解決
    客服專線永遠忙線中
服務態度 | steady | 客訴
    {tech}態度很差，問他問題都不耐煩
    師傅在家裡抽菸，講也不聽
    客服人員講話很兇，完全不想幫忙
    師傅進門鞋子也不脫，弄得地板很髒
安裝品質 | steady | 客訴
    安裝完牆壁上都是鑽孔的灰，也沒清理
    管線拉得很醜，跟當初說的不一樣
    新裝的{thing}一直在滴水，應該是沒裝好
    安裝師傅把牆壁刮傷了
漏水 | steady | 報修
    {thing}底下一直漏水，地板都濕了
    淨水器接頭滲水，櫥櫃都泡爛了
    {thing}{when}開始漏水，已經先拿毛巾墊著
異音 | steady | 報修
    {thing}運轉的時候一直有喀喀喀的聲音，晚上很吵睡不著
    {thing}震動得很厲害，聲音大到鄰居來抗議
    {thing}啟動時會發出尖銳的聲音
遙控器 | steady | 報修
    遙控器有時候可以有時候不行，要站很近才有反應
    遙控器摔到地上之後就壞了，想問可以買新的嗎
    {thing}的遙控器按鍵失靈，換電池也一樣
APP連線 | steady | 詢問
    {thing}的APP連不上Wi-Fi，要怎麼重新配對
    智慧家電APP一直顯示離線，家裡網路是正常的
冰箱不冷 | steady | 報修
    冰箱冷藏室溫度一直很高，牛奶放一天就壞了
    冷凍庫正常但冷藏室不冷，東西都要壞了
    冰箱壓縮機一直在跑可是裡面都不冷
洗衣機脫水 | steady | 報修
    洗衣機脫水的時候一直跳停，顯示不平衡
    洗完衣服還是濕答答的，好像沒有脫水
    洗衣機脫水時整台在跳
送貨延遲 | steady | 客訴
    網路訂的{item}說好這週送，到現在都還沒到
    送貨時間一改再改，已經等了兩個禮拜
    說好的到貨日期又延後了
冷氣不冷 | seasonal | 報修
    {ac}開了一整晚還是不冷，吹出來的風都是溫的
    {ac}室外機好像沒在轉，只有送風不冷
    冷氣溫度一直降不下來，遙控器顯示正常，濾網也洗過了
    {ac}冷媒好像不足，設定二十四度還是很熱
    天氣這麼熱冷氣卻不冷，{who}熱到睡不著
熱水不熱 | seasonal | 報修
    洗澡洗到一半就沒熱水了，{who}很不高興
    熱水器水溫一直上不去，設定55度出來只有溫溫的
    寒流來熱泵熱水器就不熱，顯示錯誤代碼
    天氣一冷熱水器就供不了熱水
除濕機 | seasonal | 報修
    除濕機開了一整天水箱都沒什麼水，房間還是很潮濕
    除濕機只吹風不除濕，濕度一直在80%以上
    梅雨季除濕機一直顯示水箱滿，可是水箱是空的
APP登入 | emerging | 詢問
    更新APP之後一直登入失敗，帳號密碼都沒錯
    APP的驗證碼一直收不到，沒辦法登入
    新版APP一打開就閃退，登入畫面都進不去
    用APP遠端開冷氣要重新登入，驗證碼簡訊等很久都沒來
遙控器失靈 | emerging | 報修
    新買的{model}遙控器按了沒反應，換新電池也一樣
    {model}的遙控器顯示正常但冷氣完全沒反應，要走到室內機旁邊按才行
    {model}遙控器訊號很弱，朋友家同型號也是這樣
    遙控器對著{model}按都沒反應，接收燈也不會閃
重複扣款 | emerging | 帳務
    這個月信用卡被重複扣款，保養合約的費用扣了兩筆
    收到兩張一樣的電子發票，帳單也重複扣款
    自動扣款扣了兩次{amount}，請幫我退款
    帳單系統好像有問題，同一筆費用扣款兩次
"""
_STEADY_SHARE = {
    "師傅遲到": 0.11,
    "維修品質": 0.10,
    "收費爭議": 0.08,
    "客服等待": 0.08,
    "服務態度": 0.06,
    "安裝品質": 0.06,
    "漏水": 0.07,
    "異音": 0.06,
    "遙控器": 0.02,
    "APP連線": 0.02,
    "冰箱不冷": 0.05,
    "洗衣機脫水": 0.05,
    "送貨延遲": 0.05,
}
# name -> (off-season share of the base, peak share, peak ISO week, half-width in weeks)
_SEASONAL = {"冷氣不冷": (0.02, 0.5, 30, 7), "熱水不熱": (0.015, 0.2, 3, 6), "除濕機": (0.01, 0.12, 17, 5)}
_SIGNATURES = {
    "冷氣不冷": ("不冷", "冷媒", "室外機", "送風"),
    "熱水不熱": ("熱水", "熱水器", "水溫"),
    "除濕機": ("除濕機", "除濕", "水箱"),
    "APP登入": ("登入", "驗證碼", "閃退"),
    "遙控器失靈": ("遙控器",),
    "重複扣款": ("重複", "扣款", "電子發票", "退款"),
}
_AC_MODELS = ("RAC-28NK", "RAC-36NK", "RAC-50NK", "RAC-41NH")


class PlantedTopic(msgspec.Struct, frozen=True):
    """A topic the generator planted; `signature` words identify it among discovered keywords."""

    name: str
    kind: str  # emerging | seasonal
    signature: frozenset[str]
    start: dt.date | None = None  # Monday of the first week, for emerging topics


class ComplaintTruth(msgspec.Struct, frozen=True):
    emerging: list[PlantedTopic]
    seasonal: list[PlantedTopic]


class ComplaintData(msgspec.Struct, frozen=True):
    records: list[ComplaintRecord]
    start: dt.date  # a Monday
    end: dt.date  # a Sunday
    truth: ComplaintTruth


def _templates() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Topic name -> (ticket category, templates)."""
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    name = ""
    for line in _TOPICS.strip().splitlines():
        if "|" in line:
            name, _, category = (cell.strip() for cell in line.split("|"))
            out[name] = (category, ())
        else:
            category, texts = out[name]
            out[name] = (category, (*texts, line.strip()))
    return out


def _season(week: dt.date, name: str, intensity: float, shift: int) -> float:
    off, peak, centre, width = _SEASONAL[name]
    distance = abs(((week.isocalendar().week - centre - shift + 26) % 52) - 26)
    bump = math.exp(-0.5 * (distance / (width / 2)) ** 2)
    return off + (peak - off) * intensity * bump


def _starts(rng: random.Random, end: dt.date) -> dict[str, dt.date]:
    """Start weeks of the emerging topics: the remote control in summer, the others anywhere in the last year."""
    weeks = [end - dt.timedelta(days=6) - WEEK * k for k in range(3, 46)]
    summer = [w for w in weeks if 24 <= w.isocalendar().week <= 32]
    remote = rng.choice(summer or weeks)
    others = [w for w in weeks if abs((w - remote).days) >= 42]
    app = rng.choice(others)
    billing = rng.choice([w for w in others if abs((w - app).days) >= 42] or others)
    return {"遙控器失靈": remote, "APP登入": app, "重複扣款": billing}


def _emerging(week: dt.date, start: dt.date, level: float) -> float:
    age = (week - start).days // 7
    if age < 0:
        return 0.0
    if age == 0:
        return 0.5 * level
    return level * (0.85 ** max(0, age - 10))


def _text(rng: random.Random, template: str, model: str) -> str:
    slots = {key: rng.choice(values) for key, values in _SLOTS.items()}
    body = template.format(model=model, **slots)
    stray = rng.choice(_STRAYS) if rng.random() < 0.15 else ""
    return rng.choice(_OPENERS) + stray + body + rng.choice(_CLOSERS)


def complaint_tickets(seed: int, end: dt.date) -> ComplaintData:
    """130 weeks of complaints ending on the Sunday on or before `end`, with the ground truth."""
    rng = random.Random(seed)
    end = end - dt.timedelta(days=(end.weekday() + 1) % 7)
    start = end - WEEK * HISTORY_WEEKS + dt.timedelta(days=1)
    templates = _templates()
    starts = _starts(rng, end)
    levels = {name: rng.uniform(*EMERGING_LEVEL) for name in starts}
    remote_model = rng.choice(_AC_MODELS)
    yearly = {(name, y): (rng.uniform(0.8, 1.2), rng.randint(-2, 2)) for name in _SEASONAL for y in range(1990, 2100)}
    records: list[ComplaintRecord] = []
    week = start
    while week <= end:
        base = BASE_PER_WEEK * (1.08 ** ((week - start).days / 365.25))
        expected = {name: base * share for name, share in _STEADY_SHARE.items()}
        expected["冰箱不冷"] *= 1.0 + 0.4 * math.cos(2 * math.pi * (week.isocalendar().week - 30) / 52)
        for name in _SEASONAL:
            intensity, shift = yearly[(name, week.isocalendar().year)]
            expected[name] = base * _season(week, name, intensity, shift)
        for name, first in starts.items():
            expected[name] = _emerging(week, first, levels[name])
        for name, mean in expected.items():
            category, texts = templates[name]
            for _ in range(_poisson(rng, mean)):
                day = week + dt.timedelta(days=rng.randrange(7))
                model = remote_model if name == "遙控器失靈" else ""
                records.append(
                    ComplaintRecord(
                        ticket_id="",
                        created_at=day,
                        text=_text(rng, rng.choice(texts), model),
                        category=category,
                        product_model=model or None,
                        channel=rng.choice(("phone", "phone", "line", "web", "email")),
                    )
                )
        week += WEEK
    records.sort(key=lambda r: (r.created_at, r.text))
    numbered = [msgspec.structs.replace(r, ticket_id=f"C{n + 1:08d}") for n, r in enumerate(records)]
    return ComplaintData(
        records=numbered,
        start=start,
        end=end,
        truth=ComplaintTruth(
            emerging=[
                PlantedTopic(name, "emerging", _signature(name, remote_model), first) for name, first in starts.items()
            ],
            seasonal=[PlantedTopic(name, "seasonal", _signature(name, remote_model)) for name in _SEASONAL],
        ),
    )


def _signature(name: str, remote_model: str) -> frozenset[str]:
    words = set(_SIGNATURES[name])
    if name == "遙控器失靈":
        words.add(remote_model)
    return frozenset(words)


def _poisson(rng: random.Random, mean: float) -> int:
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    count, t = 0, rng.expovariate(1.0)
    while t < mean:
        count += 1
        t += rng.expovariate(1.0)
    return count
