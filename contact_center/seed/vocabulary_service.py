"""Word lists for after-sales service: ticket categories and texts, contact summaries, agents.

The lists are text blocks in the format of `vocabulary_format`.
"""

from __future__ import annotations

from typing import NamedTuple

from contact_center.seed import vocabulary_format as fmt
from contact_center.seed.vocabulary_catalogue import LINE_NAMES


class Category(NamedTuple):
    label: str
    kind: str
    lines: tuple[str, ...]  # product lines it applies to; empty when no unit is involved
    weight: float
    priority: str
    subjects: tuple[str, ...]
    texts: tuple[str, ...]


# Slot values for the ticket texts; a product line's own pool ("ac.part") wins over a shared one.
SLOTS = fmt.groups("""
    when: 昨天 前天 這兩天 今天早上 上禮拜 最近 從週末開始 這幾天 昨天晚上
    who: 我媽 我爸 家裡長輩 我太太 我先生 房客 小孩 員工
    hour: 上午十點 下午兩點 下午三點半 早上九點 晚上七點 中午十二點
    late: 兩個小時 一個多小時 快三個小時 四十分鐘 一個半小時
    amount: 800元 1,200元 1,500元 2,400元 3,600元 4,980元 600元
    month: 這個月 上個月 這一期 上一期
    duration: 開了一小時 開了快兩個小時 開了一整晚 開了半天 開了三十分鐘
    temp: 設定二十四度 設定二十六度 開到最低十六度 設定二十五度
    times: 第二次 第三次 好幾次
    floor: 三樓 五樓 頂樓 十二樓 透天的二樓 七樓
    pings: 四坪 六坪 八坪 十坪 十二坪
    item: 濾心 除濕機 遙控器 冷氣 濾網
    ac.thing: 冷氣 客廳的冷氣 主臥的冷氣 房間冷氣 小孩房的冷氣 分離式冷氣
    ac.code: E1 E5 H6 F3 P4 U4
    ac.part: 壓縮機 排水管 風扇馬達 電路板 冷媒管
    washer.thing: 洗衣機 家裡的洗衣機 陽台那台洗衣機
    washer.code: E21 C4 U11 H27
    washer.part: 排水馬達 皮帶 門鎖 電路板
    fridge.thing: 冰箱 廚房的冰箱 店裡的冰箱
    fridge.code: E2 F1
    fridge.part: 壓縮機 溫控器 門封條 除霜加熱器
    dehumidifier.thing: 除濕機 房間的除濕機
    dehumidifier.code: E1 P2 EC
    dehumidifier.part: 風扇 水箱浮球 電路板
    purifier.thing: 淨水器 廚下的淨水器 RO淨水器 飲水機
    purifier.code: E4
    purifier.part: RO膜 增壓馬達 進水電磁閥
    heatpump.thing: 熱泵熱水器 熱水器 頂樓的熱泵
    heatpump.code: E03 P1 E8
    heatpump.part: 水泵 膨脹閥 溫度感測器
    airpurifier.thing: 空氣清淨機 清淨機
    airpurifier.code: E1
    airpurifier.part: 風扇馬達 感測器
    opener: - - - 你好， 您好， 不好意思， 麻煩一下， 請問一下， 我想反映一下，
    repair_closer: - 請盡快派人來處理，謝謝。 什麼時候可以來看？ 我平日白天不在家，週末比較方便。
    repair_closer: 家裡有老人小孩，拜託快一點。 麻煩回電給我。 保固應該還在吧？
    closer: - - 麻煩回電給我，謝謝。 請盡快回覆。 謝謝。 等你們消息。
    repair_extra: - - - - 型號是{model}。 去年才買的。 之前也壞過一次。 {who}說前幾天就怪怪的了。
    repair_extra: 我有拍照片，可以用LINE傳給你們。 {tech}之前來修過同樣的問題。 室外機在陽台，師傅好上去。
""")


def _categories(text: str) -> tuple[Category, ...]:
    """`label | kind | lines | weight | priority` headers, each followed by an `S` line of subjects
    (separated by " / ") and by `T` lines, one description each."""
    wet = ("ac", "washer", "dehumidifier", "purifier", "heatpump")
    named = {"all": tuple(LINE_NAMES), "wet": wet, "-": ()}
    found: list[Category] = []
    for line in fmt.lines(text):
        entry = line[2:].strip()
        if line.startswith("S "):
            found[-1] = found[-1]._replace(subjects=tuple(s.strip() for s in entry.split(" / ")))
        elif line.startswith("T "):
            found[-1] = found[-1]._replace(texts=(*found[-1].texts, entry))
        else:
            label, kind, lines, weight, priority = (cell.strip() for cell in line.split("|"))
            applies = named[lines] if lines in named else tuple(lines.split())
            found.append(Category(label, kind, applies, float(weight), priority, (), ()))
    return tuple(found)


# The ticket categories customers report, each with subjects and colloquial descriptions.
CATEGORIES = _categories("""
    冷氣不冷 | repair | ac | 30 | normal
    S {thing}不冷 / 冷氣吹不冷 / {model} 冷氣不冷
    T {thing}{duration}還是不冷，出風口有水滴下來，上次{tech}來看過說是冷媒不足
    T {thing}{temp}，吹出來的風都是溫的，室外機好像沒在轉
    T {when}開始{thing}只有送風不冷，{who}說房間熱到睡不著
    T {thing}溫度一直降不下來，遙控器顯示正常，濾網{when}才洗過
    漏水 | repair | wet | 14 | normal
    S {thing}漏水 / {thing}底下有積水
    T {thing}{when}開始漏水，地板都濕了，已經先拿毛巾墊著
    T {thing}滴水滴很嚴重，牆壁都有水痕了，是不是排水管塞住？
    T {when}發現{thing}下面一灘水，不知道是哪裡漏的，先關掉了不敢用
    T {thing}接頭那邊一直滲水，{tech}上次換過{part}，現在又漏
    異音 | repair | all | 10 | normal
    S {thing}有異音 / {thing}運轉聲音很大
    T {thing}運轉的時候一直有喀喀喀的聲音，晚上很吵睡不著
    T {thing}{when}開始有很大的嗡嗡聲，{who}說好像有東西卡住
    T {thing}啟動時會發出尖銳的聲音，過幾分鐘才停
    T {thing}震動得很厲害，聲音大到鄰居來反映
    無法開機 | repair | all | 9 | high
    S {thing}無法開機 / {thing}完全沒反應
    T {thing}按電源都沒反應，插頭插了燈也不會亮
    T {when}停電之後{thing}就開不了機，斷路器檢查過是正常的
    T {thing}開機幾秒就自己關掉，試了好幾次都一樣
    錯誤代碼 | repair | ac washer heatpump dehumidifier | 8 | normal
    S {thing}顯示{code} / {thing}出現錯誤代碼{code}
    T {thing}面板一直閃{code}，重開機也沒用，說明書上寫要聯絡維修
    T {when}{thing}跳{code}，然後就停下來不動了
    T {thing}顯示{code}，網路上查說是感測器問題，麻煩派師傅來看
    異味 | repair | ac fridge washer | 5 | normal
    S {thing}有異味 / {thing}有怪味
    T {thing}一開就有一股霉味，濾網洗過還是一樣
    T {thing}有燒焦味，不敢再開了，請盡快派人
    T {thing}裡面有很臭的味道，清過也沒改善
    遙控器失靈 | repair | ac dehumidifier airpurifier | 3 | low
    S 遙控器失靈 / {thing}遙控器沒反應
    T 換了新電池遙控器還是沒反應，面板按鍵可以用
    T 遙控器有時候可以有時候不行，要站很近才有反應
    T 遙控器摔到地上之後就壞了，想問可以買新的還是要送修
    冷藏不冷 | repair | fridge | 10 | high
    S 冰箱不冷 / 冷藏室不冷
    T 冰箱冷藏室溫度一直很高，牛奶放一天就壞了
    T 冷凍庫正常但冷藏不冷，{when}開始的
    T {thing}壓縮機一直在跑但是裡面都不冷，東西都要壞了，很急
    結冰結霜 | repair | fridge ac | 3 | normal
    S {thing}結冰 / {thing}結霜
    T 冷凍庫後面結了很厚一層霜，抽屜都拉不出來
    T {thing}出風口結冰，然後開始滴水
    T {thing}裡面一直結霜，除霜完沒幾天又結
    脫水異常 | repair | washer | 8 | normal
    S 洗衣機脫水異常 / 洗衣機脫水跳停
    T 洗衣機脫水的時候一直跳停，顯示不平衡，衣服沒放很多
    T 洗完衣服還是濕答答的，好像沒有脫水
    T 脫水的時候整台在跳，聲音很大
    排水異常 | repair | washer | 5 | normal
    S 洗衣機排水很慢 / 洗衣機不排水
    T 洗衣機水排不掉，洗完槽裡還有一堆水
    T 排水很慢，洗一次要兩個多小時
    T {thing}{when}開始排水排到一半就停了
    除濕效果差 | repair | dehumidifier | 9 | normal
    S 除濕機不除濕 / {thing}除濕效果差
    T 除濕機開了一整天水箱都沒什麼水，房間還是很潮濕
    T {when}開始除濕機只吹風不除濕，濕度一直在80%以上
    T {thing}一直顯示水箱滿，可是水箱是空的
    出水量變小 | repair | purifier | 8 | normal
    S 淨水器出水變小 / {thing}出水很慢
    T 淨水器出水變得很小，裝一杯水要等很久
    T RO淨水器出水越來越慢，濾心{when}才換過
    水質異常 | repair | purifier | 4 | high
    S {thing}的水有怪味 / {thing}水質混濁
    T 淨水器的水喝起來有怪味，家裡有小孩不敢喝
    T 出來的水有點混濁，是不是濾心有問題？
    熱水不熱 | repair | heatpump | 12 | high
    S 熱水不熱 / {thing}沒有熱水
    T 洗澡洗到一半就沒熱水了，{who}很不高興
    T {thing}水溫一直上不去，設定55度出來只有溫溫的
    T 寒流來{thing}就不熱，顯示{code}
    跳電 | repair | ac washer heatpump dehumidifier | 4 | urgent
    S {thing}跳電 / {thing}一開就跳電
    T {thing}一開家裡就跳電，已經好幾次了
    T {thing}開一下子總開關就跳掉，是不是漏電？
    門封條破損 | repair | fridge | 2 | low
    S 冰箱門封條破損
    T 冰箱門封條破掉了，關不太緊，想換新的
    T {thing}門關不緊，封條有一段裂開
    定期保養 | maintenance | ac heatpump purifier | 14 | low
    S 預約{thing}保養 / {thing}年度保養
    T 想預約{thing}的年度保養，平日下午都可以
    T 保養合約說一年兩次，這次想約{month}底
    T 夏天快到了，想先把{thing}保養一下
    冷氣清洗 | maintenance | ac | 10 | low
    S 冷氣清洗 / 預約冷氣清洗
    T 冷氣很久沒洗了，想預約室內機清洗，可以約週末嗎
    T {thing}吹出來有霉味，想約清洗
    T 家裡冷氣想全部清洗，大概要多少錢？
    濾網更換 | maintenance | dehumidifier airpurifier ac | 5 | low
    S {thing}濾網更換 / 換濾網
    T {thing}濾網燈亮了，想買濾網順便請師傅來換
    T {thing}提醒要換濾網，型號{model}要用哪一款？
    濾心更換 | maintenance | purifier | 12 | low
    S 淨水器濾心更換 / 預約換濾心
    T 淨水器濾心到期了，麻煩安排師傅來換
    T 收到簡訊說濾心該換了，可以約{hour}嗎
    T {thing}濾心用一年了，想約時間更換
    洗衣槽清洗 | maintenance | washer | 5 | low
    S 洗衣槽清洗
    T 洗衣機洗出來衣服有黑黑的髒東西，想約洗衣槽清洗
    T {thing}有霉味，想請師傅來拆洗
    移機 | installation | ac | 3 | normal
    S 冷氣移機 / {thing}移機
    T 搬家要把冷氣移到新家，大概要多少錢？
    T 想把{thing}從客廳移到主臥，需要加管線嗎
    舊機回收 | installation | ac fridge washer | 2 | low
    S 舊機回收
    T 換新機想請你們順便回收舊的{thing}，要另外收費嗎
    T 家裡舊{thing}不用了，可以來載走嗎
    操作問題 | inquiry | all | 7 | low
    S {thing}操作問題 / {thing}怎麼設定
    T {thing}的定時功能要怎麼設定？說明書看不懂
    T {who}不會用新的{thing}，可以教一下怎麼切換模式嗎
    T {thing}的APP連不上Wi-Fi，要怎麼重新配對？
    保固查詢 | inquiry | all | 6 | low
    S 保固查詢 / {model} 保固到什麼時候
    T 想確認{thing}（{model}）還在保固內嗎？
    T 保固卡不見了，可以用電話查保固嗎
    T {thing}{when}怪怪的，想先問還有沒有保固
    維修進度查詢 | inquiry | all | 5 | normal
    S 維修進度查詢 / 請問維修進度
    T {when}報修的{thing}，到現在還沒人聯絡我，想問進度
    T {tech}說要叫料，想問零件到了沒？
    零件詢價 | inquiry | all | 3 | low
    S 零件詢價 / {thing}零件價格
    T 想問{thing}的{part}換一個大概多少錢？
    T {model}的零件還有在賣嗎
    師傅遲到 | complaint | all | 3 | high
    S 師傅遲到 / 師傅沒有準時到
    T 師傅約好{hour}結果{late}後才到，也沒有先打電話
    T 請假在家等了一整個下午，{tech}最後說今天來不了
    T 約好的時間都過了{late}，打去問也說不知道師傅在哪裡
    維修品質 | complaint | all | 3 | high
    S 修了又壞 / 維修品質不佳
    T {thing}上個月才修好，現在又壞了，這已經是{times}了
    T {tech}修完沒多久又出現一樣的問題，希望換一個師傅來看
    安裝品質 | complaint | ac heatpump purifier | 2 | normal
    S 安裝品質不佳
    T 安裝完牆壁上都是鑽孔的灰，也沒清理
    T 管線拉得很醜，跟當初說的不一樣
    T {thing}裝好後一直在滴水，應該是沒裝好
    服務態度 | complaint | all | 2 | normal
    S 服務態度不佳 / 對師傅態度不滿
    T {tech}態度很差，問他問題都不耐煩
    T 師傅在家裡抽菸，講也不聽
    退訂保養合約 | cancellation | ac heatpump purifier | 3 | low
    S 退訂保養合約 / 保養合約不續約
    T 保養合約到期不想續約了
    T 要搬家了，{thing}的保養合約想取消，剩下的費用可以退嗎
    取消維修預約 | cancellation | all | 2 | low
    S 取消維修預約
    T {thing}自己好了，{when}約的維修先取消
    T 那天臨時有事，維修預約先取消，之後再約
    產品諮詢 | inquiry | - | 12 | low
    S 產品諮詢 / 想買{item}
    T 想問{pings}的房間要買幾kW的冷氣？
    T 除濕機跟空氣清淨機哪個比較適合有過敏的小孩？
    T 想換洗脫烘滾筒洗衣機，門市有現貨嗎
    T 熱泵熱水器跟電熱水器比起來一個月電費差多少？
    節能補助 | inquiry | - | 3 | low
    S 節能補助申請 / 貨物稅減免
    T 買節能家電的貨物稅減免要怎麼申請？
    T 汰舊換新補助要準備哪些文件？
    帳單疑問 | billing | - | 8 | normal
    S 帳單疑問 / {month}帳單有問題
    T 這個月帳單多扣了一筆維修費，請幫我查一下
    T {month}的帳單金額跟師傅現場說的不一樣，多了{amount}
    T 帳單上有一筆保養費，可是我沒有約保養
    重複扣款 | billing | - | 3 | high
    S 重複扣款
    T 信用卡被扣了兩次款，同一筆{amount}
    T {month}刷卡買{item}被重複扣款，請盡快退款
    發票問題 | billing | - | 5 | normal
    S 發票問題 / 發票開錯
    T 發票統編打錯了，要重開
    T 電子發票沒有存到手機載具，可以補嗎
    T 買東西沒有收到發票，請補寄
    退款申請 | billing | - | 3 | normal
    S 退款進度 / 申請退款
    T 取消的訂單說會退款，已經兩個禮拜了還沒收到
    T 退貨的{amount}什麼時候會退到帳戶？
    分期付款 | billing | - | 2 | low
    S 分期付款問題
    T 想問信用卡分期零利率有哪幾家銀行？
    T 分期的金額跟當初講的不一樣
    付款方式變更 | billing | - | 2 | low
    S 變更付款方式
    T 保養合約想改成信用卡自動扣款
    T 之後帳單想改用轉帳付款
    收費爭議 | complaint | - | 2 | normal
    S 收費爭議
    T 師傅只看了五分鐘就收{amount}檢測費，太貴了吧！
    T 保固內的東西為什麼還要收費？
    客服等待過久 | complaint | - | 2 | normal
    S 客服電話打不進來 / 客服回覆太慢
    T 打客服電話等了{late}都沒人接
    T LINE留言兩天都沒有回
    取消訂單 | cancellation | - | 2 | normal
    S 取消訂單
    T 網路上訂的{item}想取消，還沒出貨
    T 訂單下錯型號，想取消重下
    取消安裝 | cancellation | - | 1 | low
    S 取消安裝
    T 安裝先取消，房子裝潢還沒好
    T 房東不同意打洞，安裝要先取消
""")
# Weight 0: never drawn at random; every newly installed unit gets one of these.
INSTALL_CATEGORY = _categories("""
    安裝預約 | installation | all | 0 | normal
    S {model} 安裝預約 / 新機安裝
    T 新買的{thing}想約安裝時間，{floor}，有電梯
    T {model}已經下訂了，想確認什麼時候可以來裝
    T 搬新家要裝{thing}，需要另外拉管線嗎
    T {thing}送到了，想約{hour}安裝
""")[0]

CONTACT_WORDS = fmt.groups("""
    call: 來電
    email: 來信
    web: 網站表單
    line: LINE
    visit: 門市
    repair: 報修
    complaint: 客訴
    inquiry: 詢問
    billing: 帳務
    installation: 預約安裝
    cancellation: 申請取消
    maintenance: 預約保養
    visit_repair: 檢修後更換{part}，已恢復正常 清潔排水管，已不再漏水 檢測後需叫料，另約時間更換{part}
    visit_repair: 調整設定後運轉正常
    visit_installation: 安裝完成，試機正常 安裝完成，已說明使用方式 舊機已回收，新機試機正常
    visit_maintenance: 保養完成，濾網與內機已清洗 保養完成，已更換耗材 保養完成，建議明年更換{part}
    follow_up: 維修後續關心，客戶表示使用正常 後續關心，客戶表示滿意
    follow_up: 後續關心，未接聽，已留言 滿意度回訪，客戶給予肯定
    chaser: 客戶來電詢問處理進度 客戶詢問師傅到府時間 客戶催促進度，已回覆預計處理時間
""")
# Contacts not tied to a ticket: channel | direction | summary
STANDALONE = tuple(
    (channel, direction, summary)
    for channel, direction, summary in fmt.rows("""
    call  | out | 保養到期提醒
    call  | out | 濾心更換提醒
    call  | out | 新品促銷通知，客戶暫無需求
    call  | in  | 詢問門市營業時間
    call  | in  | 更新聯絡電話
    email | out | 電子報：夏季冷氣保養優惠
    line  | in  | 詢問發票寄送地址
    line  | out | 滿意度問卷邀請
    call  | in  | 詢問冷氣清洗價格
""")
)

DEMO_AGENTS = ("alice", "bob", "carol")
