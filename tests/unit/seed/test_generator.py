"""The demo-data generator: reproducible, internally consistent, and shaped like a real customer base."""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys

import phonenumbers
import pytest

from contact_center.seed import vocabulary_catalogue, vocabulary_people, vocabulary_service
from contact_center.seed.generator import KINDS, CustomerBundle, iter_bundles, write_jsonl
from contact_center.seed.history import Slots, Unit

AS_OF = dt.date(2025, 6, 30)
SEED = 20240501
TAIPEI = dt.timedelta(hours=8)
DATE_FIELDS = {"customers": ("birthday", "customer_since"), "assets": ("installed_on",)}
DATETIME_FIELDS = {
    "purchases": ("purchased_at",),
    "tickets": ("created_at", "first_response_at", "resolved_at", "closed_at"),
    "interactions": ("started_at",),
}


@pytest.fixture(scope="module")
def bundles() -> list[CustomerBundle]:
    return list(iter_bundles(2000, SEED, AS_OF))


def records(bundles: list[CustomerBundle], kind: str) -> list[dict[str, object]]:
    if kind == "customers":
        return [b.customer for b in bundles]
    return [r for b in bundles for r in getattr(b, kind)]


def e164(raw: str) -> str:
    return phonenumbers.format_number(phonenumbers.parse(raw, "TW"), phonenumbers.PhoneNumberFormat.E164)


def test_the_same_inputs_give_byte_identical_files_and_another_seed_does_not(tmp_path: pathlib.Path) -> None:
    first = write_jsonl(tmp_path / "a", 300, SEED, AS_OF)
    again = write_jsonl(tmp_path / "b", 300, SEED, AS_OF)
    other = write_jsonl(tmp_path / "c", 300, SEED + 1, AS_OF)
    for kind in KINDS:
        assert first[kind].read_bytes() == again[kind].read_bytes(), kind
        assert first[kind].read_bytes() != other[kind].read_bytes(), kind


def test_output_does_not_depend_on_the_interpreter_hash_seed(tmp_path: pathlib.Path) -> None:
    # hash() and set order change with PYTHONHASHSEED; nothing the generator writes may depend on them.
    script = (
        "import datetime, pathlib, sys\n"
        "from contact_center.seed.generator import write_jsonl\n"
        "write_jsonl(pathlib.Path(sys.argv[1]), 150, 7, datetime.date(2025, 6, 30))\n"
    )
    repo = pathlib.Path(__file__).resolve().parents[3]
    for salt in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": salt}
        subprocess.run([sys.executable, "-c", script, str(tmp_path / salt)], check=True, cwd=repo, env=env)
    for kind in KINDS:
        assert (tmp_path / "1" / f"{kind}.jsonl").read_bytes() == (tmp_path / "2" / f"{kind}.jsonl").read_bytes()


def test_a_customer_does_not_depend_on_how_many_are_generated() -> None:
    # Streaming and sharding rely on it: customer 150 is the same in a run of 200 and of 1,000.
    assert list(iter_bundles(200, SEED, AS_OF))[150] == list(iter_bundles(1000, SEED, AS_OF))[150]


def test_write_jsonl_writes_five_parseable_files_and_reports_progress(tmp_path: pathlib.Path) -> None:
    calls: list[int] = []
    paths = write_jsonl(tmp_path / "out", 1200, SEED, AS_OF, progress=calls.append)
    assert calls == [1000, 1200]
    assert set(paths) == set(KINDS)
    for kind, path in paths.items():
        assert path == tmp_path / "out" / f"{kind}.jsonl"
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines, kind
        for line in lines:
            assert line == json.dumps(json.loads(line), ensure_ascii=False)
    assert len(paths["customers"].read_text(encoding="utf-8").splitlines()) == 1200


def test_negative_customer_count_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        iter_bundles(-1, SEED, AS_OF)


def test_ids_are_unique_and_every_reference_resolves(bundles: list[CustomerBundle]) -> None:
    for kind, pattern in zip(KINDS, (r"C\d{7}", r"A\d{8}", r"P\d+", r"T\d+", r"I\d+"), strict=True):
        ids = [r["external_id"] for r in records(bundles, kind)]
        assert len(ids) == len(set(ids)), kind
        assert all(re.fullmatch(pattern, str(i)) for i in ids), kind
    for bundle in bundles:
        owner = bundle.customer["external_id"]
        assets = {a["external_id"] for a in bundle.assets}
        tickets = {t["external_id"] for t in bundle.tickets}
        for record in bundle.assets + bundle.purchases + bundle.tickets + bundle.interactions:
            assert record["customer_external_id"] == owner
        assert all(t["asset_external_id"] in assets | {None} for t in bundle.tickets)
        assert all(i["ticket_external_id"] in tickets | {None} for i in bundle.interactions)
        assert 1 <= len(bundle.assets) <= 4 and 1 <= len(bundle.purchases) <= 6
        assert all((p["product_model"] is None) != (p["sku"] is None) for p in bundle.purchases)


def test_nothing_happens_after_as_of_and_datetimes_are_taiwan_time(bundles: list[CustomerBundle]) -> None:
    for kind, fields in DATETIME_FIELDS.items():
        for record in records(bundles, kind):
            for field in fields:
                value = record[field]
                if value is None:
                    continue
                assert isinstance(value, str) and value.endswith("+08:00"), (field, value)
                moment = dt.datetime.fromisoformat(value)
                assert moment.utcoffset() == TAIPEI and moment.microsecond == 0
                assert moment.date() <= AS_OF, (field, value)
    for kind, fields in DATE_FIELDS.items():
        for record in records(bundles, kind):
            assert all(record[f] is None or dt.date.fromisoformat(str(record[f])) <= AS_OF for f in fields)
    for customer in records(bundles, "customers"):
        dates = customer["important_dates"]
        assert isinstance(dates, list)
        assert all(dt.date.fromisoformat(d["date"]) <= AS_OF for d in dates)


def test_ticket_history_is_ordered_and_repairs_follow_installation(bundles: list[CustomerBundle]) -> None:
    history_start = AS_OF.replace(year=AS_OF.year - 6)
    for bundle in bundles:
        since = dt.date.fromisoformat(str(bundle.customer["customer_since"]))
        installed = {a["external_id"]: dt.date.fromisoformat(str(a["installed_on"])) for a in bundle.assets}
        for ticket in bundle.tickets:
            created = dt.datetime.fromisoformat(str(ticket["created_at"]))
            assert created.date() >= max(since, history_start)
            stamps = [ticket[f] for f in ("created_at", "first_response_at", "resolved_at", "closed_at")]
            present = [dt.datetime.fromisoformat(str(s)) for s in stamps if s is not None]
            assert present == sorted(present), ticket["external_id"]
            if ticket["kind"] in ("repair", "maintenance") and ticket["asset_external_id"]:
                assert created.date() > installed[str(ticket["asset_external_id"])]
            if ticket["kind"] == "repair":
                assert ticket["asset_external_id"] is not None


def test_ticket_lifecycle_fields_agree_with_status(bundles: list[CustomerBundle]) -> None:
    for ticket in records(bundles, "tickets"):
        status = ticket["status"]
        assert (ticket["closed_at"] is not None) == (status == "closed")
        assert (ticket["resolved_at"] is not None) == (status in ("resolved", "closed"))
        assert (ticket["first_response_at"] is None) == (status == "new")
        if ticket["technician"] is not None:
            assert ticket["kind"] in ("repair", "installation", "maintenance")
        assert ticket["satisfaction"] in (None, 1, 2, 3, 4, 5)
    statuses = collections.Counter(t["status"] for t in records(bundles, "tickets"))
    assert set(statuses) <= {"new", "open", "pending", "resolved", "closed"}
    assert statuses["closed"] > len(records(bundles, "tickets")) / 2 and statuses["open"] and statuses["resolved"]


def test_phones_are_valid_taiwanese_numbers_and_some_households_share_one(bundles: list[CustomerBundle]) -> None:
    holders: dict[str, set[object]] = collections.defaultdict(set)
    for customer in records(bundles, "customers"):
        phones = customer["phones"]
        assert isinstance(phones, list) and 1 <= len(phones) <= 3
        for raw in phones:
            assert phonenumbers.is_valid_number(phonenumbers.parse(raw, "TW")), raw
            holders[e164(raw)].add(customer["external_id"])
    shared = {number for number, owners in holders.items() if len(owners) >= 2}
    assert shared
    sharing = {owner for number in shared for owner in holders[number]}
    assert 0.01 <= len(sharing) / len(bundles) <= 0.08


def test_ticket_counts_have_a_realistic_mean_and_a_heavy_tail(bundles: list[CustomerBundle]) -> None:
    counts = [len(b.tickets) for b in bundles]
    assert 7 <= statistics.mean(counts) <= 13
    assert max(counts) >= 150
    assert 1 <= sum(c >= 150 for c in counts) <= 10
    assert len(records(bundles, "interactions")) >= len(records(bundles, "tickets"))


def test_tickets_are_varied(bundles: list[CustomerBundle]) -> None:
    tickets = records(bundles, "tickets")
    assert len({t["category"] for t in tickets}) >= 30
    assert {t["kind"] for t in tickets} == {
        "repair",
        "complaint",
        "inquiry",
        "billing",
        "installation",
        "cancellation",
        "maintenance",
    }
    descriptions = [str(t["description"]) for t in tickets]
    assert len(set(descriptions)) > len(descriptions) / 4
    assert not any("{" in text or "}" in text for text in descriptions + [str(t["subject"]) for t in tickets])


def test_every_ticket_template_renders_for_every_line_it_applies_to() -> None:
    import random

    for category in (*vocabulary_service.CATEGORIES, vocabulary_service.INSTALL_CATEGORY):
        products: list[vocabulary_catalogue.Product | None] = [
            p for p in vocabulary_catalogue.PRODUCTS if p.line in category.lines
        ]
        for product in products or [None]:
            unit = Unit("A00000001", product, AS_OF) if product else None
            for template in category.subjects + category.texts:
                text = template.format_map(Slots(random.Random(0), unit, "north"))
                assert "{" not in text and text.strip()


def test_customers_look_like_a_taiwanese_customer_base(bundles: list[CustomerBundle]) -> None:
    customers = records(bundles, "customers")
    cities = collections.Counter(c["city"] for c in customers)
    assert cities.most_common(1)[0][0] in ("新北市", "台中市", "高雄市")
    surnames = collections.Counter(str(c["name"])[0] for c in customers)
    assert surnames.most_common(1)[0][0] == "陳"
    companies = sum(str(c["name"]).endswith(vocabulary_people.COMPANY_KINDS) for c in customers)
    assert 0.02 <= companies / len(customers) <= 0.09
    emails = [str(c["email"]) for c in customers if c["email"] is not None]
    assert 0.5 <= len(emails) / len(customers) <= 0.7
    assert all(e.isascii() and re.fullmatch(r"[a-z0-9._]+@example\.(com|net|org)(\.tw)?", e) for e in emails)
    assert len(set(emails)) == len(emails)
    assert {c["value_tier"] for c in customers} == {"vip", "gold", "standard", "basic"}


def test_value_tier_follows_spending(bundles: list[CustomerBundle]) -> None:
    spend: dict[object, list[int]] = collections.defaultdict(list)
    for bundle in bundles:
        spend[bundle.customer["value_tier"]].append(sum(int(str(p["amount"])) for p in bundle.purchases))
    means = [statistics.mean(spend[tier]) for tier in ("vip", "gold", "standard", "basic")]
    assert means == sorted(means, reverse=True)
