"""Word lists for the demo data: Taiwanese names, places, the product catalogue and ticket texts.

Everything is zh-Hant as written in Taiwan. The lists are text blocks — one entry or one group per
line — so that whoever reviews or translates them reads prose rather than Python, and so that code
formatters leave them alone. The small parsers below turn them into tuples once, at import.
Weights are relative, not percentages. In the groups, "-" stands for an empty string.
"""

from __future__ import annotations

from typing import NamedTuple


class Surname(NamedTuple):
    text: str
    roman: str
    weight: float


class City(NamedTuple):
    name: str
    weight: float
    area: str  # trunk prefix + area code, as dialled inside Taiwan
    leads: tuple[str, ...]  # prefixes that subscriber numbers of this city start with
    digits: int  # subscriber number length after the area code
    region: str  # technicians are dispatched per region
    districts: tuple[str, ...]


class Product(NamedTuple):
    model: str
    name: str
    line: str
    low: int
    high: int
    warranty_years: int
    weight: float


class Extra(NamedTuple):
    """An accessory, consumable or service plan: sold by SKU, never an asset of its own."""

    sku: str
    name: str
    line: str
    low: int
    high: int
    plan_years: int  # > 0 for maintenance contracts


class Category(NamedTuple):
    label: str
    kind: str
    lines: tuple[str, ...]  # product lines it applies to; empty when no unit is involved
    weight: float
    priority: str
    subjects: tuple[str, ...]
    texts: tuple[str, ...]


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _rows(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("|")] for line in _lines(text)]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _pairs(text: str) -> dict[str, str]:
    return dict(item.split(":") for item in text.split())


def _groups(text: str) -> dict[str, tuple[str, ...]]:
    """`key: word word ...` lines; a key may continue on further lines."""
    groups: dict[str, tuple[str, ...]] = {}
    for line in _lines(text):
        key, _, words = line.partition(":")
        groups[key] = groups.get(key, ()) + tuple("" if w == "-" else w for w in words.split())
    return groups


# Taiwan household registration figures (2020s), percent of population.
SURNAMES = tuple(
    Surname(text, roman, float(weight))
    for text, roman, weight in (
        item.split(":")
        for item in _words("""
    陳:chen:11.1 林:lin:8.3 黃:huang:6.0 張:chang:5.3 李:li:5.1 王:wang:4.1 吳:wu:4.0 劉:liu:3.2
    蔡:tsai:2.9 楊:yang:2.6 許:hsu:2.3 鄭:cheng:1.9 謝:hsieh:1.8 郭:kuo:1.7 洪:hung:1.6 曾:tseng:1.5
    邱:chiu:1.4 廖:liao:1.4 賴:lai:1.3 周:chou:1.2 徐:hsu:1.1 蘇:su:1.1 葉:yeh:1.1 莊:chuang:1.0
    呂:lu:0.99 江:chiang:0.94 何:ho:0.9 蕭:hsiao:0.85 羅:lo:0.84 高:kao:0.83 潘:pan:0.62 簡:chien:0.6
    朱:chu:0.6 鍾:chung:0.58 游:yu:0.52 彭:peng:0.52 詹:chan:0.5 施:shih:0.45 胡:hu:0.44 沈:shen:0.42
    余:yu:0.42 盧:lu:0.41 梁:liang:0.41 趙:chao:0.4 顏:yen:0.4 柯:ko:0.4 翁:weng:0.39 魏:wei:0.34
    孫:sun:0.33 戴:tai:0.33 范:fan:0.32 方:fang:0.3 宋:sung:0.3 鄧:teng:0.26 杜:tu:0.22 傅:fu:0.21
    侯:hou:0.21 曹:tsao:0.2 薛:hsueh:0.2 丁:ting:0.2 卓:cho:0.19 阮:juan:0.16 馬:ma:0.15 董:tung:0.15
    温:wen:0.15 唐:tang:0.15 藍:lan:0.15 石:shih:0.15 蔣:chiang:0.15 古:ku:0.14 紀:chi:0.13 姚:yao:0.13
    連:lien:0.13 馮:feng:0.12 歐:ou:0.12 程:cheng:0.12 湯:tang:0.11 黎:li:0.1 歐陽:ouyang:0.02
    張簡:changchien:0.01
    """)
    )
)

# Given names by sex and birth cohort (0: before 1965, 1: 1965-84, 2: since 1985), so that a
# 75-year-old is 秀英 and a 30-year-old is 雅婷; "m+"/"f+" are first and second characters that
# compose further names, which keeps 100,000 customers from sharing a few dozen names.
GIVEN_NAMES = _groups("""
    m0: 金龍 文雄 明德 正雄 國榮 永福 勝雄 忠信 榮輝 德明 金水 國華 建國 文華 茂雄 進財 清山 添丁
    f0: 秀英 玉蘭 麗華 月琴 秀珍 美鳳 春梅 秀蘭 玉英 金鳳 麗珠 秀琴 寶珠 素貞 碧霞 麗卿 玉珍 阿嬌
    m1: 志明 建宏 俊宏 志豪 志偉 家豪 俊傑 文傑 建志 明輝 政宏 俊賢 志強 冠宏 信宏 耀文 宗憲 國峰
    f1: 淑芬 淑惠 美玲 雅惠 淑娟 淑貞 美惠 惠雯 佩君 佳玲 雅玲 怡君 慧玲 麗娟 淑華 靜宜 雅芳 秀玲
    m2: 家豪 承翰 冠宇 宗翰 彥廷 柏翰 宇軒 冠廷 承恩 品睿 宥廷 柏宇 子軒 俊宇 哲維 凱翔 彥均 冠霖
    f2: 雅婷 怡婷 欣怡 詩涵 宜蓁 郁婷 雅雯 佩珊 佳穎 品妍 子涵 宜庭 筱涵 詩婷 思妤 家瑜 語彤 子晴
    m+first: 志 建 俊 家 冠 承 宗 彥 柏 宇 文 明 國 正 信 凱 哲 育
    m+second: 明 豪 傑 宏 偉 翰 宇 廷 軒 恩 睿 雄 德 榮 輝 誠 維 賢 強 翔 霖 均
    f+first: 淑 美 雅 怡 佳 欣 詩 宜 郁 佩 靜 麗 秀 玉 慧 思 家 子 品 心 語 筱
    f+second: 芬 惠 玲 婷 君 娟 穎 怡 涵 蓁 雯 珊 宜 華 英 蘭 琪 萱 妤 彤 妍 瑜 蓉 貞 晴
""")
# Passport-style (Wade-Giles) spelling, as Taiwanese write their names in e-mail addresses.
GIVEN_ROMAN = _pairs("""
    志:chih 明:ming 家:chia 豪:hao 俊:chun 傑:chieh 建:chien 宏:hung 偉:wei 承:cheng 翰:han 冠:kuan
    宇:yu 宗:tsung 彥:yen 廷:ting 柏:po 軒:hsuan 恩:en 品:pin 睿:jui 宥:yu 文:wen 雄:hsiung 金:chin
    龍:lung 德:te 正:cheng 國:kuo 榮:jung 永:yung 福:fu 勝:sheng 忠:chung 信:hsin 輝:hui 水:shui
    華:hua 茂:mao 進:chin 財:tsai 清:ching 山:shan 添:tien 丁:ting 政:cheng 賢:hsien 強:chiang 耀:yao
    憲:hsien 峰:feng 子:tzu 哲:che 維:wei 凱:kai 翔:hsiang 均:chun 霖:lin 誠:cheng 育:yu 秀:hsiu
    英:ying 玉:yu 蘭:lan 麗:li 月:yueh 琴:chin 珍:chen 美:mei 鳳:feng 春:chun 梅:mei 珠:chu 寶:pao
    素:su 貞:chen 碧:pi 霞:hsia 卿:ching 阿:a 嬌:chiao 淑:shu 芬:fen 惠:hui 玲:ling 雅:ya 娟:chuan
    雯:wen 佩:pei 君:chun 佳:chia 慧:hui 靜:ching 宜:yi 芳:fang 怡:yi 婷:ting 欣:hsin 詩:shih 涵:han
    蓁:chen 郁:yu 珊:shan 穎:ying 妍:yen 庭:ting 筱:hsiao 思:ssu 妤:yu 瑜:yu 語:yu 彤:tung 晴:ching
    琪:chi 萱:hsuan 蓉:jung 心:hsin
""")

COMPANY_NAMES = _pairs("""
    宏達:hongda 永盛:yungsheng 福興:fuhsing 金豐:chinfeng 鑫隆:hsinlung 建興:chienhsing 三和:sanho
    隆昌:lungchang 大成:tacheng 鼎新:tinghsin 安家:anchia 好時光:goodtime 合興:hohsing 祥和:hsiangho
    信義:hsinyi 萬福:wanfu 昇平:shengping 日新:jihhsin 德興:tehsing 錦春:chinchun 仁心:jenhsin
""")
COMPANY_KINDS = _words("""
    餐飲有限公司 企業社 實業有限公司 物業管理有限公司 診所 民宿 商行 租賃有限公司 小吃店 旅店
    補習班 幼兒園 美髮工作室 牙醫診所 國際貿易股份有限公司 科技股份有限公司
""")

# City | population (ten thousands) | area code | subscriber number prefixes | subscriber digits | region.
# Landline ranges follow the NCC numbering plan and validate with phonenumbers.
_CITY_ROWS = _rows("""
    新北市 | 405 | 02   | 2 2 2 8   | 8 | north
    台北市 | 249 | 02   | 2 2 2 7   | 8 | north
    桃園市 | 231 | 03   | 3 4       | 7 | north
    台中市 | 285 | 04   | 2         | 8 | central
    台南市 | 186 | 06   | 2 5 6 7   | 7 | south
    高雄市 | 272 | 07   | 3 5 6 7 8 | 7 | south
    新竹市 | 45  | 03   | 5         | 7 | north
    新竹縣 | 59  | 03   | 5 6       | 7 | north
    基隆市 | 36  | 02   | 24        | 8 | north
    宜蘭縣 | 45  | 03   | 9         | 7 | north
    苗栗縣 | 53  | 037  | 2 3 5     | 6 | central
    彰化縣 | 123 | 04   | 7 8       | 7 | central
    南投縣 | 48  | 049  | 2         | 7 | central
    雲林縣 | 66  | 05   | 5 6 7     | 7 | central
    嘉義市 | 26  | 05   | 2         | 7 | south
    嘉義縣 | 48  | 05   | 2 3       | 7 | south
    屏東縣 | 80  | 08   | 7 8       | 7 | south
    花蓮縣 | 32  | 03   | 8         | 7 | east
    台東縣 | 21  | 089  | 3         | 6 | east
    澎湖縣 | 11  | 06   | 9         | 7 | south
    金門縣 | 14  | 082  | 3         | 6 | north
    連江縣 | 1.4 | 0836 | 2         | 5 | north
""")
_DISTRICTS = _groups("""
    新北市: 板橋區 三重區 中和區 永和區 新莊區 新店區 土城區 蘆洲區
    新北市: 汐止區 樹林區 淡水區 三峽區 林口區 五股區
    台北市: 中正區 大同區 中山區 松山區 大安區 萬華區 信義區 士林區 北投區 內湖區 南港區 文山區
    桃園市: 桃園區 中壢區 平鎮區 八德區 楊梅區 蘆竹區 龜山區 龍潭區 大園區 大溪區
    台中市: 西屯區 北屯區 南屯區 北區 西區 南區 東區 太平區 大里區 豐原區 烏日區 沙鹿區 潭子區
    台南市: 東區 北區 中西區 南區 安平區 安南區 永康區 仁德區 歸仁區 新營區 善化區
    高雄市: 三民區 苓雅區 鳳山區 左營區 鼓山區 前鎮區 楠梓區 小港區 新興區 前金區 岡山區 仁武區
    新竹市: 東區 北區 香山區
    新竹縣: 竹北市 竹東鎮 湖口鄉 新豐鄉 新埔鎮 關西鎮
    基隆市: 仁愛區 信義區 中正區 安樂區 七堵區 暖暖區
    宜蘭縣: 宜蘭市 羅東鎮 礁溪鄉 蘇澳鎮 五結鄉 冬山鄉
    苗栗縣: 苗栗市 頭份市 竹南鎮 苑裡鎮 通霄鎮 後龍鎮
    彰化縣: 彰化市 員林市 和美鎮 鹿港鎮 溪湖鎮 北斗鎮 田中鎮
    南投縣: 南投市 草屯鎮 埔里鎮 竹山鎮 集集鎮
    雲林縣: 斗六市 虎尾鎮 斗南鎮 西螺鎮 北港鎮 麥寮鄉
    嘉義市: 東區 西區
    嘉義縣: 太保市 朴子市 民雄鄉 水上鄉 大林鎮 中埔鄉
    屏東縣: 屏東市 潮州鎮 東港鎮 恆春鎮 內埔鄉 萬丹鄉
    花蓮縣: 花蓮市 吉安鄉 新城鄉 壽豐鄉 玉里鎮
    台東縣: 台東市 成功鎮 關山鎮 池上鄉 卑南鄉
    澎湖縣: 馬公市 湖西鄉 西嶼鄉
    金門縣: 金城鎮 金湖鎮 金沙鎮 金寧鄉
    連江縣: 南竿鄉 北竿鄉
""")
CITIES = tuple(
    City(name, float(weight), area, tuple(leads.split()), int(digits), region, _DISTRICTS[name])
    for name, weight, area, leads, digits, region in _CITY_ROWS
)
ADDRESS_PARTS = _groups("""
    road: 中山路 中正路 民生路 民權路 民族路 復興路 建國路 光復路 和平路 信義路 忠孝路 仁愛路 自強路 成功路
    road: 中華路 文化路 三民路 公園路 大同路 中興路 博愛路 府前路 林森路 南京路 長春路 永和路 福德路 新生路
    road: 健康路 自由路 勝利路 青年路 金華街 永康街 育英街 光明街 幸福街 五福路 四維路 大順路
    section: 一段 二段 三段 四段 五段
""")

# Mobile prefixes in use; 099x is not allocated yet and would not validate.
MOBILE_PREFIXES = _groups("""
    mobile: 0910 0912 0919 0920 0921 0928 0930 0932 0933 0935 0937 0938 0952 0953 0955 0958
    mobile: 0960 0963 0965 0968 0970 0972 0975 0978 0980 0982 0985 0988
""")["mobile"]
# Reserved example domains only (RFC 2606 and its .tw counterpart), weighted by repetition.
# How people write numbers, weighted by repetition: 0912-345-678, (02)2345-6789, +886 2 2345 6789 ...
PHONE_FORMATS = {
    key: tuple(f.replace("_", " ") for f in formats)  # "_" stands for a space inside one format
    for key, formats in _groups("""
    mobile: {prefix}-{middle}-{last} {prefix}-{middle}-{last} {prefix}-{middle}-{last} {prefix}{middle}{last}
    mobile: {prefix}-{middle}-{last} {prefix}{middle}{last} {prefix}{middle}{last} {prefix}_{middle}_{last}
    mobile: +886_{national}_{middle}_{last} +886_{national}_{middle}_{last} +886{national}{middle}{last}
    landline: ({area}){grouped} ({area}){grouped} ({area}){grouped} {area}-{grouped} {area}-{grouped}
    landline: {area}-{grouped} ({area}){number} {area}{number} {area}-{number} +886_{national}_{spaced}
""").items()
}
EMAIL_DOMAINS = _words("example.com.tw example.com.tw example.com example.com example.net example.org")

LINE_NAMES = _pairs("""
    ac:冷氣 washer:洗衣機 fridge:冰箱 dehumidifier:除濕機 purifier:淨水器
    heatpump:熱泵熱水器 airpurifier:空氣清淨機
""")
# Model | name | line | price from | price to (TWD) | warranty years | sales weight
PRODUCTS = tuple(
    Product(model, name, line, int(low), int(high), int(years), float(weight))
    for model, name, line, low, high, years, weight in _rows("""
    RAC-22NK | 變頻分離式冷氣 2.2kW      | ac           | 22900 | 27900  | 3 | 5
    RAC-28NK | 變頻分離式冷氣 2.8kW      | ac           | 25900 | 31900  | 3 | 9
    RAC-36NK | 變頻分離式冷氣 3.6kW      | ac           | 29900 | 36900  | 3 | 10
    RAC-41NH | 變頻冷暖分離式冷氣 4.1kW  | ac           | 36900 | 44900  | 3 | 5
    RAC-50NK | 變頻分離式冷氣 5.0kW      | ac           | 38900 | 46900  | 3 | 7
    RAC-63NK | 變頻分離式冷氣 6.3kW      | ac           | 45900 | 55900  | 3 | 3
    RAC-71NK | 變頻分離式冷氣 7.1kW      | ac           | 52900 | 62900  | 3 | 2
    WAC-28C  | 定頻窗型冷氣 2.8kW        | ac           | 15900 | 19900  | 3 | 3
    WAC-36V  | 變頻窗型冷氣 3.6kW        | ac           | 22900 | 27900  | 3 | 2
    CAC-90D  | 吊隱式變頻冷氣 9.0kW      | ac           | 78000 | 98000  | 5 | 1
    WM-8P    | 小型直立式洗衣機 8kg      | washer       | 8990  | 10900  | 1 | 2
    WM-12V   | 直立式洗衣機 12kg         | washer       | 12900 | 15900  | 1 | 5
    WM-16V   | 變頻直立式洗衣機 16kg     | washer       | 18900 | 23900  | 2 | 5
    WM-19VD  | 變頻直立式洗衣機 19kg     | washer       | 24900 | 29900  | 2 | 2
    WD-13F   | 滾筒洗脫烘洗衣機 13kg     | washer       | 39900 | 52900  | 2 | 2
    NR-B139  | 單門小冰箱 139L           | fridge       | 7990  | 9990   | 1 | 2
    NR-B371  | 雙門變頻冰箱 371L         | fridge       | 19900 | 24900  | 1 | 5
    NR-C485  | 三門變頻冰箱 485L         | fridge       | 32900 | 39900  | 1 | 4
    NR-F507  | 六門變頻冰箱 500L         | fridge       | 52900 | 64900  | 2 | 3
    NR-W611  | 對開門變頻冰箱 611L       | fridge       | 59900 | 72900  | 2 | 1
    DH-12T   | 除濕機 12公升/日          | dehumidifier | 8990  | 10990  | 1 | 5
    DH-18T   | 除濕機 18公升/日          | dehumidifier | 12900 | 15900  | 1 | 5
    DH-22T   | 變頻除濕機 22公升/日      | dehumidifier | 16900 | 19900  | 2 | 2
    WP-UF3   | 三道式櫥下淨水器          | purifier     | 4500  | 6900   | 1 | 4
    WP-RO500 | RO逆滲透淨水器 500G       | purifier     | 16800 | 23800  | 1 | 4
    WP-HC90  | 冰溫熱飲水機              | purifier     | 28000 | 36000  | 2 | 2
    HP-200L  | 熱泵熱水器 200L           | heatpump     | 68000 | 82000  | 5 | 3
    HP-300L  | 熱泵熱水器 300L           | heatpump     | 86000 | 105000 | 5 | 1
    AP-30E   | 空氣清淨機 適用12坪       | airpurifier  | 9990  | 12900  | 2 | 4
    AP-50E   | 空氣清淨機 適用20坪       | airpurifier  | 15900 | 19900  | 2 | 3
""")
)
# SKU | name | line it serves | price from | price to | years of maintenance contract (0: none)
EXTRAS = tuple(
    Extra(sku, name, line, int(low), int(high), int(years))
    for sku, name, line, low, high, years in _rows("""
    SVC-AC-1Y    | 冷氣年度保養合約（1年）   | ac           | 2400 | 3600 | 1
    SVC-AC-3Y    | 冷氣保養合約（3年）       | ac           | 6600 | 9000 | 3
    SVC-WP-1Y    | 淨水器濾心保養合約（1年） | purifier     | 3600 | 4800 | 1
    SVC-HP-2Y    | 熱泵熱水器保養合約（2年） | heatpump     | 4800 | 6000 | 2
    FLT-RO-SET   | RO淨水器濾心組            | purifier     | 2400 | 3200 | 0
    FLT-UF-3     | 三道式濾心組              | purifier     | 990  | 1500 | 0
    FLT-DH-01    | 除濕機濾網                | dehumidifier | 390  | 590  | 0
    FLT-AP-HEPA  | 清淨機HEPA濾網            | airpurifier  | 1290 | 1890 | 0
    CLN-AC       | 冷氣清洗服務              | ac           | 1800 | 2800 | 0
    CLN-WM       | 洗衣槽清洗服務            | washer       | 1500 | 2200 | 0
    RMT-AC       | 冷氣原廠遙控器            | ac           | 650  | 890  | 0
    ACC-WM-BASE  | 洗衣機增高架              | washer       | 1200 | 1800 | 0
    ACC-FR-SEAL  | 冰箱門封條                | fridge       | 900  | 1500 | 0
    ACC-HP-ANODE | 熱水器鎂棒                | heatpump     | 800  | 1200 | 0
""")
)

TECHNICIANS = _groups("""
    north: 王志明 林建宏 陳俊傑 張家豪 李文雄 黃國榮 吳宗翰 劉俊宏
    north: 蔡明輝 楊志偉 許建志 鄭冠宏 謝耀文 郭信宏 洪志強 曾政宏
    central: 廖俊賢 賴國峰 周明德 徐宗憲 蘇志豪 葉建國 莊文傑 呂正雄 江冠廷 何承翰
    south: 蕭勝雄 羅永福 高金龍 潘德明 簡國華 朱茂雄 鍾彥廷 游柏翰 彭文華 詹俊宇 施哲維
    east: 胡進財 沈清山 余凱翔
""")
DEMO_AGENTS = ("alice", "bob", "carol")

REMARKS = _groups("""
    preference: 偏好LINE聯絡，平日晚上七點後方便 請先傳簡訊再來電 週末上午比較方便 偏好Email寄送帳單
    preference: 偏好電話聯絡，不太看LINE 需要開立統編發票 電子發票請存手機載具 聽力較不好，請說慢一點
    preference: 講台語比較習慣 到府前請先打電話，社區需登記 大樓有管理員，可代收包裹 維修盡量安排週六
    preference: 家中有養狗，師傅到府前請先告知 白天上班，請晚上聯絡 有事請找女兒（第二支手機）
    preference: 希望同一位師傅服務
    taboo: 勿於上班時間來電 晚上九點後請勿來電 不要推銷新產品 勿打市話，長輩在家休息 請勿按電鈴，請先來電
    taboo: 不接受電話行銷 農曆七月不要安排安裝 勿寄紙本廣告 中午十二點到兩點請勿打擾
    note: 曾反映師傅遲到，派工時請特別注意 老客戶，介紹多位親友購買 行動不便，到府時請多等一下
    note: 有兩處住址，報修時請確認地點 曾申請退款一次 長輩獨居，緊急時聯絡女兒 對價格敏感，報價請先說明清楚
    note: 家中有新生兒，安裝時請注意噪音 透天厝，室外機在頂樓
    company_note: 店面營業時間11:00-21:00，維修請避開用餐尖峰 請開立公司統編發票 窗口為總務林小姐
    company_note: 月結客戶，帳單寄公司 多處分店，報修請確認地址
    landlord_note: 房東，名下多間出租套房，報修多為房客反映
    person_date: 結婚紀念日 配偶生日 母親生日 父親生日 小孩生日 入厝紀念日
    company_date: 開幕紀念日 公司週年慶
""")

# Slot values for the ticket texts; a product line's own pool ("ac.part") wins over a shared one.
SLOTS = _groups("""
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
    for line in _lines(text):
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

CONTACT_WORDS = _groups("""
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
    for channel, direction, summary in _rows("""
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
