"""Domain synonyms for Taiwanese customer service, and mapping words to one canonical form per group.

A group is a list of terms that mean the same thing to a customer: `["冷氣", "空調", "air conditioner"]`.
The first term is the group's canonical form; articles and queries both have every member replaced by
it, so "空調" finds an article that only says "冷氣". Terms may be Traditional or Simplified, any width,
and several words long ("washing machine", "7-11"): they go through the same normalisation and
tokenisation as the text they are matched in, and the longest phrase wins.

Admins extend the list: the app stores their groups as plain lists of strings and builds
`Synonyms.from_groups([*DEFAULT_GROUPS, *extra_groups])`. Groups that share a term are merged into one
(canonical: the first term of the earliest group), so adding `["冷氣", "冷房"]` extends the 冷氣 group
rather than competing with it. Changing the list changes how articles are indexed: rebuild the index.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

from knowledge_base import pipelines
from knowledge_base.normalize import normalize, normalize_aligned

# One group a line, terms separated by "|", the canonical term first. Comment lines start with "#".
_DEFAULT_TABLE = """
# Appliances and their parts
冷氣|空調|冷氣機|冷暖氣|分離式冷氣|窗型冷氣|air conditioner|air conditioning|aircon|air con|ac
熱水器|電熱水器|瓦斯熱水器|燃氣熱水器|儲熱式熱水器|water heater|boiler
洗衣機|滾筒洗衣機|直立式洗衣機|洗脫烘|washing machine|washer
冰箱|電冰箱|雙門冰箱|refrigerator|fridge
遙控器|遙控|搖控器|remote|remote control
濾網|過濾網|濾芯|filter
室外機|外機|outdoor unit
室內機|內機|indoor unit
壓縮機|compressor
冷凍庫|冷凍室|冷凍櫃|freezer
冷媒|冷煤|補冷媒|灌冷媒|refrigerant|freon
製冰|製冰機|自動製冰|ice maker
門封條|門縫|門關不緊|door seal|gasket
插頭|插座|電源線|plug|outlet|socket|power cord
路由器|分享器|無線分享器|數據機|小烏龜|光貓|router|modem
# Symptoms
不冷|不涼|不夠冷|吹不冷|沒冷|冷度不夠|不冰|不製冷|不制冷|not cold|not cool|weak cooling
漏水|滴水|滲水|積水|漏水了|leak|drip
異音|怪聲|噪音|雜音|怪聲音|很吵|很大聲|聲音很大|大聲|noise|noisy|rattle|strange sound
跳電|跳脫|跳閘|總開關跳|斷路器|trip|breaker|tripped breaker
故障|壞掉|壞了|失靈|沒反應|壞|broken|fault|malfunction|not working
錯誤碼|故障碼|錯誤代碼|代碼|error code|error
閃爍|一直閃|閃燈|燈號閃|燈一直閃|blink|blinking|flash|flashing
開不了機|不能開機|無法開機|開不起來|不開機|沒電|won't turn on|no power
排水|不排水|排水管|排水孔|drain|drainage
脫水|甩乾|spin|spin cycle
沒熱水|不熱|水不熱|熱水不熱|溫溫的|no hot water|lukewarm|not hot
點火|點不著|打不著火|無法點火|ignition|ignite|pilot
結霜|結冰|冷凍庫結冰|frost|ice buildup|frosting
異味|臭味|霉味|怪味|發霉|臭臭|味道|smell|odor|odour|mold|mould|musty
斷線|斷網|斷掉|斷|連不上|沒網路|網路斷|掉線|disconnect|disconnected|offline|no internet
訊號|訊號弱|收訊|signal|weak signal|reception
慢|很慢|龜速|卡頓|lag|slow|sluggish
重開機|重新啟動|重啟|重新開機|重置|restart|reboot|reset|power cycle
除濕|除溼|dehumidify|dry mode
暖氣|暖房|製熱|制熱|heating|heat mode
溫度|設定溫度|temperature|temp
清潔|清洗|清理|clean|cleaning
保養|定期保養|維護|maintenance|servicing
電費|耗電|用電量|省電|electricity|power consumption|energy
# Service
網路|網速|上網|網際網路|寬頻|光纖|wifi|wi fi|無線網路|internet|broadband
維修|報修|修理|送修|叫修|repair|fix
師傅|技師|維修人員|工程師|technician|engineer|repairman
到府|到府服務|上門|府上|on site|onsite|home visit
預約|約時間|預約時間|安排時間|appointment|schedule|booking
安裝|裝機|施工|安裝費|install|installation|setup
保固|保修|保固期|保修期|保證書|warranty|guarantee
延長保固|延保|加購保固|extended warranty
配送|送貨|出貨|到貨|物流|宅配|快遞|送到|delivery|shipping|shipment
物流單號|貨運單號|追蹤碼|tracking number
退貨|退款|退費|退錢|退換貨|refund|return
鑑賞期|七天鑑賞期|猶豫期|cooling off period
訂單|訂購|下單|order
取消|取消訂單|退訂|cancel|cancellation
門市|專櫃|實體店|店面|store|shop|branch
客服|客服中心|客服專線|真人客服|customer service|hotline|support|call center
# Billing, invoices, membership
帳單|繳費|繳錢|交費|交錢|費用|月費|繳款|付款|bill|billing|payment|pay|fee
重複扣款|扣兩次|重複收費|多扣|double charge|charged twice|duplicate charge
停機|停話|暫停服務|停掉|suspend|suspended|suspension
入帳|到帳|進帳|credited|posted
逾期|遲繳|滯納金|過期未繳|late fee|overdue|late payment
發票|電子發票|統一發票|收據|invoice|e invoice|receipt
載具|手機條碼|手機載具|條碼載具|carrier|mobile barcode
統一編號|統編|稅號|三聯式|三聯|tax id|business number|vat number
中獎|對獎|兌獎|lottery|prize
信用卡|刷卡|credit card
轉帳|匯款|atm|bank transfer|transfer
超商|便利商店|便利店|7 11|7 eleven|711|小七|全家|convenience store
自動扣繳|代扣|自動轉帳|扣款|autopay|auto pay|direct debit
會員|會員卡|會員資格|member|membership
點數|紅利|紅利點數|積分|回饋點數|points|reward points|bonus points
密碼|忘記密碼|重設密碼|password|reset password|forgot password
登入|登錄|登不進去|login|log in|sign in
帳號|帳戶|account
"""
DEFAULT_GROUPS: tuple[tuple[str, ...], ...] = tuple(
    tuple(line.split("|")) for line in _DEFAULT_TABLE.splitlines() if line.strip() and not line.startswith("#")
)


class Synonyms:
    """Synonym groups, merged where they overlap, mapping tokens to each group's canonical term."""

    def __init__(self, groups: Sequence[Sequence[str]]) -> None:
        self.groups: tuple[tuple[str, ...], ...] = _merge(groups)
        self.canonical_terms = frozenset(group[0] for group in self.groups)
        self._phrases: dict[tuple[str, ...], str] | None = None
        self._longest = 1
        self._single: dict[str, str] = {}
        self._phrase_starts: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    @classmethod
    def from_groups(cls, groups: Iterable[Sequence[str]]) -> Synonyms:
        """Build from plain data, e.g. `[*DEFAULT_GROUPS, *groups_admins_added]`; empty terms are ignored."""
        return cls([list(group) for group in groups])

    @classmethod
    def default(cls) -> Synonyms:
        """The built-in groups only."""
        return cls(DEFAULT_GROUPS)

    def words(self) -> list[str]:
        """Every term, normalised: the Chinese ones are registered with jieba so it keeps them whole."""
        return [term for group in self.groups for term in group]

    def canonical(self, term: str) -> str:
        """The canonical form of one term (normalised and lemmatised); a term in no group is itself."""
        phrases = self._compiled()
        lemmas = tuple(t.lemma for t in pipelines.tokenize(normalize_aligned(term)))
        return phrases.get(lemmas, " ".join(lemmas))

    def tokenize(self, normalised: str) -> list[pipelines.Token]:
        """Tokenise normalised text with this list's words known to jieba, synonyms made canonical."""
        self._compiled()  # registers the words with jieba before the first cut, not after it
        return self.canonicalize(pipelines.tokenize(normalised))

    def canonicalize(self, tokens: Sequence[pipelines.Token]) -> list[pipelines.Token]:
        """Replace each synonym (a single token or the longest matching phrase) by its canonical term."""
        phrases = self._compiled()
        starts = self._phrase_starts
        out: list[pipelines.Token] = []
        i, n = 0, len(tokens)
        while i < n:
            token = tokens[i]
            # Most tokens start no phrase: one dict lookup, no tuple building.
            if token.lemma in starts:
                for size in range(min(self._longest, n - i), 1, -1):
                    canonical = phrases.get(tuple(t.lemma for t in tokens[i : i + size]))
                    if canonical is not None:
                        out.append(pipelines.Token("", canonical, token.start, tokens[i + size - 1].end))
                        i += size
                        break
                else:
                    canonical = None
                if canonical is not None:
                    continue
            canonical = self._single.get(token.lemma)
            out.append(token if canonical is None else pipelines.Token(token.text, canonical, token.start, token.end))
            i += 1
        return out

    def _compiled(self) -> dict[tuple[str, ...], str]:
        # Keys are lemma sequences produced by the same tokeniser as the text, so they can only be
        # computed once jieba knows the words: done on first use, not at construction.
        if self._phrases is None:
            with self._lock:
                if self._phrases is None:
                    pipelines.register_words(self.words())
                    phrases: dict[tuple[str, ...], str] = {}
                    for group in self.groups:
                        for term in group:
                            key = tuple(t.lemma for t in pipelines.tokenize(term))
                            if key:
                                phrases.setdefault(key, group[0])
                    self._longest = max((len(k) for k in phrases), default=1)
                    self._single = {k[0]: v for k, v in phrases.items() if len(k) == 1}
                    self._phrase_starts = frozenset(k[0] for k in phrases if len(k) > 1)
                    self._phrases = phrases
        return self._phrases


def _merge(groups: Sequence[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    """Union of groups sharing a normalised term; order of first appearance is kept."""
    merged: list[list[str]] = []
    home: dict[str, int] = {}
    for group in groups:
        terms = list(dict.fromkeys(t for t in (normalize(raw) for raw in group) if t))
        targets = sorted({home[t] for t in terms if t in home})
        if not targets:
            merged.append([])
            target = len(merged) - 1
        else:
            target = targets[0]
            for other in reversed(targets[1:]):
                for term in merged[other]:
                    home[term] = target
                merged[target].extend(merged[other])
                merged[other] = []
        for term in terms:
            if term not in home or home[term] != target:
                home[term] = target
                if term not in merged[target]:
                    merged[target].append(term)
    return tuple(tuple(group) for group in merged if group)
