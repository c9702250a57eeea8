"""The demo company's product catalogue: product lines, appliances, and extras sold by SKU.

The lists are text blocks in the format of `vocabulary_format`.
"""

from __future__ import annotations

from typing import NamedTuple

from contact_center.seed import vocabulary_format as fmt


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


LINE_NAMES = fmt.pairs("""
    ac:冷氣 washer:洗衣機 fridge:冰箱 dehumidifier:除濕機 purifier:淨水器
    heatpump:熱泵熱水器 airpurifier:空氣清淨機
""")
# Model | name | line | price from | price to (TWD) | warranty years | sales weight
PRODUCTS = tuple(
    Product(model, name, line, int(low), int(high), int(years), float(weight))
    for model, name, line, low, high, years, weight in fmt.rows("""
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
    for sku, name, line, low, high, years in fmt.rows("""
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
