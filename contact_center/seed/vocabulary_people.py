"""Word lists for the people in the demo data: names, places, phones, e-mail, remarks, technicians.

The lists are text blocks in the format of `vocabulary_format`.
"""

from __future__ import annotations

from typing import NamedTuple

from contact_center.seed import vocabulary_format as fmt


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


# Taiwan household registration figures (2020s), percent of population.
SURNAMES = tuple(
    Surname(text, roman, float(weight))
    for text, roman, weight in (
        item.split(":")
        for item in fmt.words("""
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
GIVEN_NAMES = fmt.groups("""
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
GIVEN_ROMAN = fmt.pairs("""
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

COMPANY_NAMES = fmt.pairs("""
    宏達:hongda 永盛:yungsheng 福興:fuhsing 金豐:chinfeng 鑫隆:hsinlung 建興:chienhsing 三和:sanho
    隆昌:lungchang 大成:tacheng 鼎新:tinghsin 安家:anchia 好時光:goodtime 合興:hohsing 祥和:hsiangho
    信義:hsinyi 萬福:wanfu 昇平:shengping 日新:jihhsin 德興:tehsing 錦春:chinchun 仁心:jenhsin
""")
COMPANY_KINDS = fmt.words("""
    餐飲有限公司 企業社 實業有限公司 物業管理有限公司 診所 民宿 商行 租賃有限公司 小吃店 旅店
    補習班 幼兒園 美髮工作室 牙醫診所 國際貿易股份有限公司 科技股份有限公司
""")

# City | population (ten thousands) | area code | subscriber number prefixes | subscriber digits | region.
# Landline ranges follow the NCC numbering plan and validate with phonenumbers.
_CITY_ROWS = fmt.rows("""
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
_DISTRICTS = fmt.groups("""
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
ADDRESS_PARTS = fmt.groups("""
    road: 中山路 中正路 民生路 民權路 民族路 復興路 建國路 光復路 和平路 信義路 忠孝路 仁愛路 自強路 成功路
    road: 中華路 文化路 三民路 公園路 大同路 中興路 博愛路 府前路 林森路 南京路 長春路 永和路 福德路 新生路
    road: 健康路 自由路 勝利路 青年路 金華街 永康街 育英街 光明街 幸福街 五福路 四維路 大順路
    section: 一段 二段 三段 四段 五段
""")

# Mobile prefixes in use; 099x is not allocated yet and would not validate.
MOBILE_PREFIXES = fmt.groups("""
    mobile: 0910 0912 0919 0920 0921 0928 0930 0932 0933 0935 0937 0938 0952 0953 0955 0958
    mobile: 0960 0963 0965 0968 0970 0972 0975 0978 0980 0982 0985 0988
""")["mobile"]
# How people write numbers, weighted by repetition: 0912-345-678, (02)2345-6789, +886 2 2345 6789 ...
PHONE_FORMATS = {
    key: tuple(f.replace("_", " ") for f in formats)  # "_" stands for a space inside one format
    for key, formats in fmt.groups("""
    mobile: {prefix}-{middle}-{last} {prefix}-{middle}-{last} {prefix}-{middle}-{last} {prefix}{middle}{last}
    mobile: {prefix}-{middle}-{last} {prefix}{middle}{last} {prefix}{middle}{last} {prefix}_{middle}_{last}
    mobile: +886_{national}_{middle}_{last} +886_{national}_{middle}_{last} +886{national}{middle}{last}
    landline: ({area}){grouped} ({area}){grouped} ({area}){grouped} {area}-{grouped} {area}-{grouped}
    landline: {area}-{grouped} ({area}){number} {area}{number} {area}-{number} +886_{national}_{spaced}
""").items()
}
# Reserved example domains only (RFC 2606 and its .tw counterpart), weighted by repetition.
EMAIL_DOMAINS = fmt.words("example.com.tw example.com.tw example.com example.com example.net example.org")

TECHNICIANS = fmt.groups("""
    north: 王志明 林建宏 陳俊傑 張家豪 李文雄 黃國榮 吳宗翰 劉俊宏
    north: 蔡明輝 楊志偉 許建志 鄭冠宏 謝耀文 郭信宏 洪志強 曾政宏
    central: 廖俊賢 賴國峰 周明德 徐宗憲 蘇志豪 葉建國 莊文傑 呂正雄 江冠廷 何承翰
    south: 蕭勝雄 羅永福 高金龍 潘德明 簡國華 朱茂雄 鍾彥廷 游柏翰 彭文華 詹俊宇 施哲維
    east: 胡進財 沈清山 余凱翔
""")
REMARKS = fmt.groups("""
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
