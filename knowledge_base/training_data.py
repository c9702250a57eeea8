"""Synthetic tickets of a Taiwanese appliance and telecom contact centre, for the demo, the tests and the benchmark.

`generate(n, classes, seed)` returns labelled `Example`s the way agents file them: mostly colloquial zh-Hant,
some English, some zh-Hans, with typos, full-width characters and a little label noise. Categories are
product × symptom (冷氣不冷, 冷氣漏水, 冰箱不冷 …) plus service questions (帳單疑問, 電子發票 …), so siblings share
vocabulary and the task is not trivial. Class sizes follow Zipf's law (rank r gets ∝ 1/r): with 12,000 texts and
100 classes the head has ~2,300 texts and the tail ~23. Same arguments, same list, on any machine.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

import opencc

from knowledge_base.classifier import Example


def _split(phrases: str) -> tuple[str, ...]:
    return tuple(phrases.split("|"))


# Phrase tables are "|"-separated to keep them readable; {p} is a product word, {pe} its English name.
_SHARED: dict[str, tuple[str, str, str]] = {  # symptom: (zh-Hant templates, English templates, base urgency)
    "不冷": (
        "{p}不冷|{p}都不冷了|{p}冷度不夠|{p}開了很久還是不冷|{p}溫度一直降不下來|{p}好像冷媒不夠|不冷了啦|{p}越來越不冷",
        "{pe} not cooling|{pe} is not cold anymore|{pe} stopped cooling",
        "normal",
    ),
    "漏水": (
        "{p}漏水|{p}一直滴水|{p}下面都是水|{p}在滴水|{p}漏水漏到地板都濕了|地上一灘水是{p}漏的|{p}會流水出來",
        "{pe} leaking water|water leaking from the {pe}|{pe} is dripping",
        "high",
    ),
    "異音": (
        "{p}有異音|{p}很吵|{p}一直喀喀叫|{p}有怪聲音|{p}運轉聲音超大聲|{p}會嗡嗡響|{p}發出奇怪的聲音|{p}吵到睡不著",
        "{pe} making noise|{pe} very noisy|strange noise from the {pe}",
        "normal",
    ),
    "異味": (
        "{p}有異味|{p}有臭味|{p}有霉味|{p}聞起來怪怪的|{p}一股酸臭味|打開{p}就很臭",
        "{pe} smells bad|bad smell from the {pe}|{pe} musty smell",
        "normal",
    ),
    "無法開機": (
        "{p}打不開|{p}無法開機|{p}按了都沒反應|{p}開不了機|{p}完全沒電|{p}插電了也不會動|{p}燈都不亮|{p}壞掉不能用",
        "{pe} won't turn on|{pe} not powering on|{pe} is dead",
        "normal",
    ),
    "錯誤碼": (
        "{p}顯示錯誤碼|{p}一直閃{code}|{p}面板出現{code}|{p}跳{code}然後停掉|{p}螢幕顯示{code}|{code}是什麼意思",
        "{pe} shows error {code}|error code {code} on the {pe}",
        "normal",
    ),
    "遙控器故障": (
        "{p}遙控器壞了|{p}遙控器按了沒反應|遙控器不能控制{p}|{p}遙控器失靈|{p}的遙控器不見了要買新的|遙控器換電池還是不行",
        "{pe} remote not working|remote control of the {pe} is broken",
        "low",
    ),
    "安裝預約": (
        "想預約{p}安裝|新買的{p}什麼時候可以來裝|{p}要約安裝時間|{p}到貨了請安排師傅安裝|請問{p}安裝要等多久|{p}安裝可以約週末嗎",
        "book {pe} installation|when can you install my {pe}|schedule installation for the {pe}",
        "low",
    ),
    "保固查詢": (
        "{p}還在保固內嗎|想查{p}保固到什麼時候|{p}保固期是多久|{p}保固卡不見了還有保固嗎|{p}過保了維修怎麼算|請問{p}有幾年保固",
        "is my {pe} still under warranty|{pe} warranty period|check {pe} warranty",
        "low",
    ),
    "移機拆機": (
        "搬家要把{p}移過去|{p}要拆機|{p}可以幫忙移機嗎|{p}拆下來要多少錢|要換位置裝{p}|舊的{p}要拆掉回收",
        "move my {pe} to the new flat|uninstall the {pe}|relocate the {pe}",
        "low",
    ),
    "清洗保養": (
        "{p}要清洗|想約{p}保養|{p}多久要洗一次|{p}要深層清潔|預約{p}清潔保養|{p}裡面很髒想請人洗",
        "{pe} cleaning service|{pe} maintenance visit",
        "low",
    ),
    "不排水": (
        "{p}不排水|{p}水排不掉|{p}裡面積水|{p}底部都是水排不出去|{p}排水很慢",
        "{pe} not draining|water stays in the {pe}",
        "normal",
    ),
}

_P = tuple[str, str, tuple[str, ...], dict[str, tuple[str, str, str]]]
# product: (zh words, English words, shared symptoms, own symptoms {label suffix: (zh, en, urgency)})
_PRODUCTS: dict[str, _P] = {
    "冷氣": (
        "冷氣|冷氣機|空調|分離式冷氣|變頻冷氣|窗型冷氣|室內機",
        "air conditioner|ac|aircon",
        (
            "不冷",
            "漏水",
            "異音",
            "異味",
            "無法開機",
            "錯誤碼",
            "遙控器故障",
            "安裝預約",
            "保固查詢",
            "移機拆機",
            "清洗保養",
        ),
        {
            "不冷": (
                "{p}吹出來都是熱風|{p}設定20度還是很悶|{p}只有在送風|開{p}跟沒開一樣",
                "{pe} blowing warm air",
                "normal",
            ),
            "跳電": (
                "{p}一開就跳電|開{p}總開關就跳掉|{p}一開家裡就停電|{p}跟電燈一起開就跳電",
                "{pe} trips the breaker",
                "high",
            ),
            "室外機不轉": (
                "室外機不會轉|{p}的室外機沒動|室外機風扇不轉|室外機都沒聲音",
                "outdoor unit not spinning",
                "normal",
            ),
            "結冰": ("{p}結冰|{p}管子結霜|室內機結冰|{p}出風口結了一層霜", "{pe} icing up", "normal"),
        },
    ),
    "熱水器": (
        "熱水器|瓦斯熱水器|電熱水器|熱水爐",
        "water heater|boiler",
        ("漏水", "異音", "錯誤碼", "安裝預約", "保固查詢", "移機拆機", "無法開機"),
        {
            "點不著": (
                "{p}點不著|{p}打不著火|{p}一直點火點不起來|{p}沒有火|開熱水{p}不會點火|{p}喀喀喀點不起來",
                "{pe} won't ignite|{pe} pilot not lighting",
                "high",
            ),
            "水不熱": (
                "{p}水不熱|洗澡水不熱|熱水出不來|只有溫溫的水|{p}的水都是冷的",
                "no hot water from the {pe}",
                "high",
            ),
            "忽冷忽熱": (
                "洗澡水忽冷忽熱|{p}水溫不穩|{p}一下熱一下冷|{p}溫度一直跳",
                "{pe} temperature keeps changing",
                "normal",
            ),
            "瓦斯味": (
                "{p}有瓦斯味|{p}附近聞到瓦斯味|好像瓦斯外洩|{p}那邊有瓦斯臭味",
                "gas smell near the {pe}",
                "urgent",
            ),
        },
    ),
    "洗衣機": (
        "洗衣機|滾筒洗衣機|直立式洗衣機|洗脫烘",
        "washing machine|washer",
        ("漏水", "異音", "異味", "無法開機", "錯誤碼", "安裝預約", "保固查詢", "不排水", "清洗保養"),
        {
            "不脫水": ("{p}不脫水|{p}脫水脫不乾|衣服洗完還是濕答答|{p}脫水就停", "{pe} not spinning dry", "normal"),
            "門打不開": ("{p}門打不開|{p}門卡住|{p}鎖住衣服拿不出來", "{pe} door is stuck", "normal"),
            "震動": ("{p}脫水時一直跳|{p}震動很大會移位|{p}搖晃得很厲害", "{pe} shaking a lot", "normal"),
        },
    ),
    "冰箱": (
        "冰箱|雙門冰箱|變頻冰箱|冷凍櫃",
        "fridge|refrigerator",
        ("不冷", "漏水", "異音", "異味", "無法開機", "安裝預約", "保固查詢", "移機拆機"),
        {
            "不冷": ("{p}裡的東西都退冰了|冷凍庫的冰淇淋都融化了|{p}冷藏不冰", "food in the {pe} is warm", "high"),
            "結霜": ("{p}結霜很厚|冷凍庫一直結冰|{p}裡面都是冰", "{pe} frost build-up", "normal"),
            "門關不緊": ("{p}門關不緊|{p}門封條鬆了|{p}門一直自己打開", "{pe} door doesn't close", "normal"),
            "製冰故障": ("{p}製冰機不會製冰|自動製冰不出冰|{p}製冰盒卡住", "{pe} ice maker broken", "low"),
        },
    ),
    "電視": (
        "電視|液晶電視|智慧電視",
        "tv|television",
        ("無法開機", "遙控器故障", "安裝預約", "保固查詢", "異音"),
        {
            "沒畫面": ("{p}沒畫面|{p}有聲音沒影像|{p}黑屏|{p}螢幕一片黑", "{pe} no picture", "normal"),
            "沒聲音": ("{p}沒聲音|{p}有畫面但沒有聲音|{p}音量開了也沒聲音", "{pe} no sound", "normal"),
            "畫面閃爍": ("{p}畫面一直閃|{p}螢幕閃爍|{p}有條紋|{p}畫面有橫線", "{pe} screen flickering", "normal"),
            "連不上網路": (
                "{p}連不上wifi|{p}無法上網|{p}的app打不開|{p}看不了youtube",
                "{pe} can't connect to wifi",
                "low",
            ),
        },
    ),
    "除濕機": (
        "除濕機",
        "dehumidifier",
        ("異音", "無法開機", "漏水", "保固查詢", "異味", "錯誤碼"),
        {
            "不除濕": (
                "{p}不除濕|{p}都沒集到水|{p}開整天水箱還是空的|開了{p}房間還是很潮濕",
                "{pe} not collecting water",
                "normal",
            ),
            "滿水燈": (
                "{p}一直亮滿水燈|{p}水箱倒了還是顯示滿水|{p}滿水燈不會熄",
                "{pe} tank-full light stays on",
                "low",
            ),
        },
    ),
    "空氣清淨機": (
        "空氣清淨機|清淨機",
        "air purifier",
        ("異味", "異音", "無法開機", "保固查詢"),
        {
            "濾網更換": (
                "{p}濾網要換|{p}濾網哪裡買|{p}一直提醒換濾網|{p}的濾網多少錢",
                "{pe} filter replacement",
                "low",
            ),
            "感測器異常": ("{p}空氣品質燈一直紅|{p}感測器不準|{p}一直顯示空氣很差", "{pe} sensor always red", "low"),
        },
    ),
    "瓦斯爐": (
        "瓦斯爐|爐子|爐具",
        "gas stove|stove",
        ("安裝預約", "保固查詢"),
        {
            "點不著": ("{p}點不著|{p}打不起火|{p}一直喀喀點不著|{p}開關轉了沒火", "{pe} won't light", "normal"),
            "火太小": ("{p}火很小|{p}火力變弱|{p}火焰是紅色的|{p}爐火忽大忽小", "{pe} flame too weak", "normal"),
            "瓦斯味": ("{p}有瓦斯味|廚房聞到瓦斯味|{p}關了還有瓦斯臭味", "gas smell from the {pe}", "urgent"),
        },
    ),
    "微波爐": (
        "微波爐|微波烤箱",
        "microwave",
        ("無法開機", "保固查詢", "異味"),
        {
            "不會熱": ("{p}不會熱|{p}轉很久東西還是冰的|{p}加熱沒效果", "{pe} not heating", "normal"),
            "冒火花": ("{p}裡面冒火花|{p}有火花啪啪響|{p}加熱時閃光", "sparks inside the {pe}", "urgent"),
            "轉盤不轉": ("{p}轉盤不會轉|{p}盤子不轉|{p}玻璃盤卡住", "{pe} turntable stuck", "low"),
        },
    ),
    "掃地機器人": (
        "掃地機器人|掃地機|掃拖機",
        "robot vacuum",
        ("異音", "保固查詢", "無法開機"),
        {
            "不充電": ("{p}不會充電|{p}回不去充電座|{p}充不飽電|{p}電池很快沒電", "{pe} not charging", "normal"),
            "卡住": ("{p}一直卡住|{p}卡在沙發下|{p}刷子卡毛髮|{p}輪子不轉", "{pe} keeps getting stuck", "low"),
            "app連不上": ("{p}app連不上|{p}手機配對不了|{p}連不到wifi", "{pe} app won't pair", "low"),
        },
    ),
    "電風扇": (
        "電風扇|電扇|循環扇|立扇",
        "fan|electric fan",
        ("異音", "遙控器故障", "無法開機"),
        {"不會轉": ("{p}不會轉|{p}扇葉不動|{p}轉很慢|{p}插電了不轉", "{pe} not spinning", "normal")},
    ),
    "淨水器": (
        "淨水器|濾水器|ro機|飲水機",
        "water filter|water purifier",
        ("漏水", "安裝預約", "保固查詢"),
        {
            "濾心更換": (
                "{p}濾心要換|該換{p}濾心了|預約更換濾心|{p}濾心多久換一次",
                "{pe} cartridge replacement",
                "low",
            ),
            "出水變小": ("{p}出水很小|{p}水流變慢|{p}出水斷斷續續", "{pe} weak water flow", "normal"),
        },
    ),
    "洗碗機": (
        "洗碗機",
        "dishwasher",
        ("漏水", "不排水", "安裝預約", "保固查詢", "錯誤碼", "異味"),
        {"洗不乾淨": ("{p}洗不乾淨|碗洗完還是油油的|{p}洗完有殘渣", "{pe} dishes still dirty", "normal")},
    ),
    "烘衣機": (
        "烘衣機|乾衣機",
        "dryer|tumble dryer",
        ("異音", "安裝預約", "無法開機"),
        {"不熱": ("{p}不熱|{p}烘不乾|衣服烘完還是濕的|{p}吹冷風", "{pe} not heating", "normal")},
    ),
    "網路": (
        "網路|寬頻|光世代|家裡網路|光纖",
        "internet|broadband|fibre",
        ("安裝預約", "移機拆機"),
        {
            "斷線": (
                "{p}斷線|{p}一直斷|{p}三不五時斷掉|{p}連不上|{p}斷斷續續|上網一直斷線",
                "{pe} keeps dropping",
                "normal",
            ),
            "速度慢": (
                "{p}很慢|{p}速度很慢|{p}跟烏龜一樣|測速只有{num}m|{p}下載很慢|看影片一直卡",
                "{pe} very slow",
                "normal",
            ),
            "wifi訊號弱": ("wifi訊號很弱|房間收不到wifi|wifi只有一格|wifi範圍太小", "weak wifi signal", "low"),
            "數據機燈號異常": (
                "數據機紅燈|數據機燈一直閃|數據機los燈亮紅色|小烏龜燈號不對|光纖燈不亮",
                "modem red light",
                "normal",
            ),
        },
    ),
    "手機": (
        "手機|門號|行動電話",
        "mobile|phone",
        (),
        {
            "收不到簡訊": ("{p}收不到簡訊|驗證碼簡訊收不到|{p}簡訊都沒進來", "not receiving sms on my {pe}", "normal"),
            "通話中斷": (
                "講電話一直斷|{p}通話會斷掉|{p}電話打不出去|{p}收訊很差",
                "{pe} calls keep dropping",
                "normal",
            ),
            "停話": ("{p}被停話|{p}突然不能打|為什麼我的{p}被停用", "{pe} number suspended", "high"),
            "漫遊": ("出國漫遊怎麼開|漫遊費用太貴|國外{p}上網沒辦法用", "roaming on my {pe}", "low"),
            "攜碼": ("想攜碼過來|攜碼要多久|{p}攜碼要帶什麼", "port my {pe} number", "low"),
        },
    ),
    "第四台": (
        "第四台|有線電視|機上盒",
        "cable tv|set-top box",
        ("安裝預約", "移機拆機"),
        {
            "沒訊號": ("{p}沒訊號|機上盒顯示無訊號|{p}都沒有畫面|電視顯示訊號中斷", "{pe} no signal", "normal"),
            "頻道異常": ("少了幾個頻道|{p}頻道不見了|某些台看不到|{p}頻道有馬賽克", "{pe} channels missing", "low"),
        },
    ),
}

# Service questions; {p} here is a random product, which makes product words weak evidence on their own.
_SERVICES: dict[str, tuple[str, str, str]] = {
    "帳單疑問": (
        "帳單金額怎麼這麼高|這期帳單有問題|帳單上多收了一筆|看不懂帳單|帳單費用怎麼算|為什麼這個月多了{num}元",
        "question about my bill|bill is too high",
        "low",
    ),
    "電子發票": (
        "電子發票沒收到|發票要打統編|發票載具怎麼綁|想要紙本發票|發票開錯了要重開|發票抬頭要改",
        "e-invoice not received|invoice needs company id",
        "low",
    ),
    "退貨退款": (
        "我要退貨|{p}想退貨|可以退款嗎|七天鑑賞期內要退|退貨流程是什麼|買錯了可以退嗎|{p}不想要了要退",
        "i want to return the {pe}|refund please",
        "normal",
    ),
    "換貨": (
        "{p}想換貨|收到的顏色不對要換|要換成別的型號|可以換一台新的{p}嗎",
        "exchange the {pe}|wrong model delivered",
        "normal",
    ),
    "退款進度": (
        "退款還沒收到|已經退貨兩週了錢還沒退|退款進度查詢|退款什麼時候會退到卡裡",
        "refund not received yet|refund status",
        "normal",
    ),
    "維修進度查詢": (
        "上次報修的進度|師傅什麼時候會來|維修單{order}現在怎樣|送修的{p}修好了沒|報修之後都沒消息|修好了沒",
        "status of my repair|when is the technician coming",
        "normal",
    ),
    "改約時間": (
        "想改維修時間|明天的預約要改期|師傅來的時間可以改嗎|改到下午可以嗎|預約要延後",
        "reschedule my appointment|change the visit time",
        "low",
    ),
    "取消預約": (
        "取消預約|不用來了我要取消|明天的安裝取消|預約幫我取消|{p}不修了取消",
        "cancel my appointment|cancel the visit",
        "low",
    ),
    "技師遲到": (
        "師傅說好兩點到現在還沒來|技師遲到了|等了一整天都沒人來|約好的時間沒出現",
        "technician is late|nobody showed up",
        "high",
    ),
    "服務態度客訴": (
        "師傅態度很差|客服講話很兇|你們服務太爛了|技師很不專業還把地板弄髒|電話一直轉接沒人處理",
        "rude technician|terrible service",
        "high",
    ),
    "維修費用疑問": (
        "維修費用怎麼算|出車費要多少|換零件多少錢|修一次要{num}元太貴|報價太貴了",
        "how much does the repair cost|repair fee",
        "normal",
    ),
    "重複扣款": (
        "信用卡被扣兩次|重複扣款|刷了兩筆一樣的金額|被多扣錢了",
        "charged twice|double charge on my card",
        "high",
    ),
    "付款失敗": ("付款一直失敗|信用卡刷不過|線上付款出錯|atm轉帳沒入帳", "payment failed|card declined", "normal"),
    "分期付款": (
        "可以分期嗎|信用卡分期怎麼辦|零利率分期有哪些銀行|{p}可以分幾期",
        "installment plan|pay in instalments",
        "low",
    ),
    "延長保固": (
        "想加買延長保固|延長保固怎麼買|延保多少錢|{p}延長保固可以加幾年",
        "buy extended warranty|extended warranty price",
        "low",
    ),
    "零件購買": (
        "想買{p}零件|要買替換的零件|可以單買配件嗎|{p}的配件哪裡買",
        "buy spare parts for the {pe}|accessories",
        "low",
    ),
    "會員資料修改": (
        "要改會員資料|手機號碼換了要更新|會員email要改|會員生日填錯",
        "update my member profile|change my email",
        "low",
    ),
    "密碼重設": ("會員密碼忘了|登入不了帳號|收不到重設密碼信|app登不進去", "forgot password|can't log in", "normal"),
    "地址變更": (
        "要改收件地址|帳單地址變更|搬家了地址要改|寄送地址填錯",
        "change my address|wrong delivery address",
        "low",
    ),
    "配送延遲": (
        "訂的{p}還沒送到|出貨好久了|物流一直沒更新|說好今天送貨還沒來",
        "{pe} delivery is late|order not delivered",
        "normal",
    ),
    "商品瑕疵": (
        "收到的{p}有刮傷|外箱破損|新的{p}有凹痕|{p}拆開就是壞的",
        "{pe} arrived damaged|scratched on arrival",
        "normal",
    ),
    "缺件": ("配件少一個|說明書跟遙控器沒附|包裝裡少了螺絲|{p}少送了一個零件", "missing parts in the box", "normal"),
    "使用說明": (
        "{p}要怎麼設定|{p}操作說明在哪|說明書不見了|定時功能怎麼用|{p}怎麼切換模式",
        "how do i set up the {pe}|user manual",
        "low",
    ),
    "門市營業時間": (
        "門市幾點開|你們週末有營業嗎|最近的門市在哪|服務中心地址",
        "store opening hours|nearest service centre",
        "low",
    ),
    "點數兌換": ("會員點數怎麼用|點數要過期了|點數可以折抵嗎|紅利兌換", "redeem my points|points expiring", "low"),
    "優惠方案": ("有沒有優惠|現在有什麼促銷|舊換新補助|節能補助怎麼申請", "any promotions|trade-in offer", "low"),
    "合約終止": (
        "要解約|合約到期不續約|提前解約違約金多少|我要退租",
        "terminate my contract|early termination fee",
        "normal",
    ),
    "報價": (
        "想要報價|可以給我估價單嗎|公司要採購{num}台{p}|大量購買有折扣嗎",
        "quote for {num} units|bulk purchase",
        "low",
    ),
}

# Most frequent first, as in the tickets of real appliance brands; the rest follow in a seeded order.
_HEAD = (
    "冷氣不冷", "網路斷線", "帳單疑問", "維修進度查詢", "冷氣漏水", "熱水器點不著", "退貨退款", "洗衣機不脫水",
    "電子發票", "冷氣安裝預約", "網路速度慢", "改約時間", "冰箱不冷", "冷氣異音", "熱水器水不熱",
)  # fmt: skip

_OPENERS = _split("您好，|你好，|喂，|哈囉 |客服您好，|不好意思，|請問一下，|hi |hello，|麻煩一下，|我想問一下，")
_CONTEXTS = _split(
    "我家的|我們家|公司的|店裡的|上個月剛買的|去年買的|用了三年的|客廳那台|房間的|租屋處的|爸媽家的|新裝的"
)
_TIMES = _split("從昨天開始|這兩天|今天早上|最近|上禮拜開始|剛剛|前天起|這幾天晚上")
_DETAILS = _split(
    "型號是{model}|機器是{year}年買的|已經重開過了|有照說明書做還是一樣|之前修過一次|保固卡在我這|訂單編號{order}"
    "|地址在{city}|師傅上次來過|我電話是09{d8}|錯誤碼好像是{code}|已經打來第二次了|插頭拔掉再插也沒用"
)
_REQUESTS = _split(
    "可以派人來看嗎|請幫我安排維修|麻煩處理|什麼時候可以來|要怎麼處理|請回電|請師傅來看一下|謝謝|感恩|拜託了"
    "|請問要怎麼辦|需要收費嗎|麻煩了"
)
_EN_OPENERS = ("hi, ", "hello, ", "", "", "dear support, ")
_EN_REQUESTS = ("please help", "can someone come and check?", "thanks", "what should i do?", "please call me back")
_CITIES = _split("台北|新北|桃園|台中|台南|高雄|新竹|基隆|板橋|三重|中壢|竹北|彰化|嘉義")
_CODES = _split("E1|E4|E5|E7|F3|H6|P4|U4|E04|C4|EE|H1")
_TYPOS = (
    ("氣", "器"),
    ("在", "再"),
    ("的", "得"),
    ("已經", "以經"),
    ("壞", "懷"),
    ("修", "休"),
    ("嗎", "媽"),
    ("麼", "摸"),
)

# Urgency cues and the level each implies: (zh-Hant phrases, English phrases).
_CUES: dict[str, tuple[str, str]] = {
    "vulnerable": (
        "家裡有老人|家裡有小孩|阿嬤一個人在家|有小baby很怕熱|家裡有病人|太太懷孕在家",
        "elderly parents at home|baby at home",
    ),
    "deadline": (
        "今天一定要處理|很急|越快越好|請馬上派人|拜託盡快|明天要出國|急件",
        "urgent|asap please|need it fixed today",
    ),
    "complaint": (
        "再不處理我要客訴|我要找消保官|我會請律師處理|已經第三次了很火大|我要投訴",
        "i will file a complaint|my lawyer will contact you",
    ),
    "danger": (
        "還有冒煙|有燒焦味|插座有火花|剛剛有被電到|好像有漏電",
        "there is smoke|burning smell|sparks coming out",
    ),
    "relaxed": ("不急|有空再來就好|下週再處理也沒關係|只是想先問一下|不趕時間", "no rush|not urgent"),
}
_LEVELS = ("low", "normal", "high", "urgent")
_TELECOM = ("網路", "手機", "第四台")  # services, not appliances: no "客廳那台網路", no smoke


@dataclass(frozen=True)
class _Category:
    label: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    urgency: str
    products: tuple[str, ...]  # where {p} comes from
    sibling_of: str  # product the label belongs to, "" for service questions; label noise stays among siblings


def catalogue() -> list[str]:
    """Every category the generator knows, in its frequency order before seeding."""
    return [c.label for c in _categories()]


@functools.cache
def _categories() -> tuple[_Category, ...]:
    found: dict[str, _Category] = {}
    for product, (_zh_words, _en_words, shared, own) in _PRODUCTS.items():
        for symptom in shared:
            zh, en, urgency = _SHARED[symptom]
            extra = own.get(symptom)
            if extra:  # a product's own ways to say a shared symptom ("冰箱裡的東西都退冰了")
                zh, en, urgency = f"{zh}|{extra[0]}", f"{en}|{extra[1]}", extra[2]
            found[product + symptom] = _Category(
                product + symptom, _split(zh), _split(en), urgency, (product,), product
            )
        for symptom, (zh, en, urgency) in own.items():
            if symptom not in shared:
                found[product + symptom] = _Category(
                    product + symptom, _split(zh), _split(en), urgency, (product,), product
                )
    products = tuple(p for p in _PRODUCTS if p not in _TELECOM)
    for label, (zh, en, urgency) in _SERVICES.items():
        found[label] = _Category(label, _split(zh), _split(en), urgency, products, "")
    head = [found[label] for label in _HEAD]
    return (*head, *(c for label, c in found.items() if label not in _HEAD))


def class_sizes(n: int, classes: int) -> list[int]:
    """Zipf-like sizes (rank r ∝ 1/r) summing to n; the largest remainders take the rounding leftovers."""
    weights = [1.0 / rank for rank in range(1, classes + 1)]
    total = sum(weights)
    exact = [n * w / total for w in weights]
    sizes = [int(x) for x in exact]
    by_remainder = sorted(range(classes), key=lambda i: (sizes[i] - exact[i], i))
    for i in by_remainder[: n - sum(sizes)]:
        sizes[i] += 1
    return sizes


def generate(n: int = 12000, classes: int = 80, seed: int = 0, *, label_noise: float = 0.01) -> list[Example]:
    """`n` synthetic tickets over `classes` categories with Zipf-like imbalance; deterministic for a seed."""
    pool = _categories()
    if not 2 <= classes <= len(pool):
        raise ValueError(f"classes must be between 2 and {len(pool)}")
    rng = random.Random(seed)
    tail = list(pool[len(_HEAD) :])
    rng.shuffle(tail)
    chosen = [*pool[: len(_HEAD)], *tail][:classes]
    siblings: dict[str, list[str]] = {}
    for category in chosen:
        if category.sibling_of:
            siblings.setdefault(category.sibling_of, []).append(category.label)
    examples: list[Example] = []
    for category, size in zip(chosen, class_sizes(n, classes), strict=True):
        for _ in range(size):
            text, urgency = _ticket(category, rng)
            label = category.label
            near = siblings.get(category.sibling_of, [])
            if rng.random() < label_noise and len(near) > 1:  # agents sometimes file a sibling category
                label = rng.choice([s for s in near if s != label])
            examples.append(Example(text, label, urgency))
    rng.shuffle(examples)
    return examples


def _ticket(category: _Category, rng: random.Random) -> tuple[str, str]:
    product = rng.choice(category.products)
    zh_words, en_words = _PRODUCTS[product][0].split("|"), _PRODUCTS[product][1].split("|")
    cue = _cue(category, rng)
    urgency = _urgency(category.urgency, cue)
    fill = {
        "pe": rng.choice(en_words),
        "code": rng.choice(_CODES),
        "num": str(rng.choice((2, 3, 5, 10, 30, 200, 500, 1200, 3000))),
        "order": f"A{rng.randrange(10**7, 10**8)}",
        "model": f"{rng.choice(('RAS', 'CS', 'NA', 'KT', 'GR'))}-{rng.randrange(100, 9999)}",
        "year": str(rng.randrange(2015, 2025)),
        "city": rng.choice(_CITIES),
        "d8": f"{rng.randrange(10**7, 10**8)}",
    }
    roll = rng.random()
    if roll < 0.08:
        text = _english(category, cue, fill, rng)
    else:
        fill["p"] = rng.choice(zh_words)
        text = _chinese(category, cue, fill, rng, code_switch=roll < 0.14)
    return _noisy(text, rng), urgency


def _chinese(
    category: _Category, cue: str | None, fill: dict[str, str], rng: random.Random, *, code_switch: bool
) -> str:
    template = rng.choice(category.zh)
    core = template.format(**fill)
    if template.startswith("{p}") and category.sibling_of not in _TELECOM:  # 「用了三年的冷氣」, 「最近冷氣」 read well
        if rng.random() < 0.3:
            core = rng.choice(_CONTEXTS) + core
        if rng.random() < 0.25:
            core = rng.choice(_TIMES) + core
    if code_switch and category.en:
        core = f"{core} {rng.choice(category.en).format(**fill)}"  # "冷氣不冷 not cooling"
    parts = [core]
    if rng.random() < 0.3:
        parts.append(rng.choice(_DETAILS).format(**fill))
    if rng.random() < 0.15:  # a second way of saying it, as people repeat themselves
        parts.append(rng.choice(category.zh).format(**fill))
    if cue:
        parts.insert(rng.randrange(1, len(parts) + 1), rng.choice(_CUES[cue][0].split("|")))
    if rng.random() < 0.5:
        parts.append(rng.choice(_REQUESTS))
    sep = rng.choice(("，", "，", ",", " ", "。", ""))
    opener = rng.choice(_OPENERS) if rng.random() < 0.35 else ""
    return opener + sep.join(parts) + rng.choice(("", "", "!", "！！", "?", "～", "。"))


def _english(category: _Category, cue: str | None, fill: dict[str, str], rng: random.Random) -> str:
    parts = [rng.choice(category.en).format(**fill)]
    if cue:
        parts.append(rng.choice(_CUES[cue][1].split("|")))
    if rng.random() < 0.5:
        parts.append(rng.choice(_EN_REQUESTS))
    text = rng.choice(_EN_OPENERS) + ", ".join(parts)
    return text.capitalize() if rng.random() < 0.5 else text


def _cue(category: _Category, rng: random.Random) -> str | None:
    if rng.random() > 0.25:
        return None
    kinds = ["vulnerable", "deadline", "complaint", "danger", "relaxed"]
    # Smoke on a billing question would be nonsense; "no rush" on a gas smell too.
    danger = 1 if category.sibling_of not in ("", *_TELECOM) and category.urgency in ("normal", "high") else 0
    weights = [3, 4, 2, danger, 0 if category.urgency in ("high", "urgent") else 3]
    return rng.choices(kinds, weights)[0]


def _urgency(base: str, cue: str | None) -> str:
    level = _LEVELS.index(base)
    if cue == "relaxed":
        level = 0
    elif cue == "danger":
        level = 3
    elif cue is not None:
        level = max(level, 2)
    return _LEVELS[level]


def _noisy(text: str, rng: random.Random) -> str:
    if rng.random() < 0.08:
        right, wrong = rng.choice(_TYPOS)
        text = text.replace(right, wrong, 1)
    if rng.random() < 0.06:  # typed on a phone with a full-width keyboard
        text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    if rng.random() < 0.10:  # customers writing from the mainland or with a simplified input method
        text = _to_simplified(text)
    return text


@functools.cache
def _simplifier() -> opencc.OpenCC:
    return opencc.OpenCC("tw2sp")


def _to_simplified(text: str) -> str:
    return str(_simplifier().convert(text))
