"""The ticket workspace over HTTP: views and their counts, bulk changes (all or none), the page's forms
(htmx parts, 422 with the message and nothing written), macros, dispositions and the wrap-up."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.models import Call, Interaction, Ticket, TicketMessage
from tests.builders import bearer, make_user

NOW = dt.datetime.now(dt.UTC)
GOOD = "correct horse battery"


async def _page_session(client: AsyncTestClient[Any], username: str) -> dict[str, str]:
    """Signed in with a cookie like a browser; the headers a page's form post carries."""
    assert (await client.post("/api/auth/login", json={"username": username, "password": GOOD})).status_code == 201
    await client.get("/desk/tickets")
    return {"x-csrftoken": client.cookies["cc_csrf"], "origin": str(client.base_url), "hx-request": "true"}


async def _tickets(sessions: async_sessionmaker[AsyncSession], agent_id: int) -> dict[str, int]:
    rows = {
        "mine": Ticket(kind="repair", subject="我的", status="open", assignee_id=agent_id,
                       resolution_due=NOW + dt.timedelta(days=1)),
        "soon": Ticket(kind="repair", subject="快逾時", status="new", first_response_due=NOW + dt.timedelta(minutes=20),
                       resolution_due=NOW + dt.timedelta(hours=5)),
        "late": Ticket(kind="complaint", subject="已逾時", status="open", resolution_due=NOW - dt.timedelta(hours=2)),
        "closed": Ticket(kind="inquiry", subject="已結案", status="closed", closed_at=NOW, resolved_at=NOW),
    }  # fmt: skip
    async with sessions() as session, session.begin():
        for t in rows.values():
            t.extra, t.sla_pauses = {}, []
            session.add(t)
        await session.flush()
        return {k: t.id for k, t in rows.items()}


async def test_views_count_and_sort_by_time_left(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    alice, _ = await make_user(sessions, "agent", "alice", password=GOOD)
    ids = await _tickets(sessions, alice)
    await _page_session(client, "alice")
    page = await client.get("/desk/tickets", params={"view": "all"})
    assert page.status_code == 200
    html = page.text
    for view, count in (("mine", 1), ("unassigned", 2), ("due_soon", 1), ("breached", 1), ("all", 4)):
        assert f'data-testid="view-count-{view}">{count}<' in html, view
    order = [html.index(f'data-ticket="{ids[k]}"') for k in ("late", "soon", "mine", "closed")]
    assert order == sorted(order)  # breached first, then the soonest deadline, closed (no deadline) last
    bad = await client.get("/desk/tickets", params={"view": "all", "status": "lost"})
    assert bad.status_code == 422 and "status" in bad.text
    bad_date = await client.get("/desk/tickets", params={"created_from": "2026-13-01"})
    assert bad_date.status_code == 422 and "created_from" in bad_date.text


async def test_bulk_changes_are_all_or_none(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    alice, _ = await make_user(sessions, "agent", "alice", password=GOOD)
    ids = await _tickets(sessions, alice)
    headers = await _page_session(client, "alice")
    # A closed ticket cannot become pending: nothing changes, not even the ones that could.
    refused = await client.post("/desk/tickets/bulk", headers=headers,
                                data={"ticket_ids": [ids["soon"], ids["closed"]], "status": "pending"})  # fmt: skip
    assert refused.status_code == 422 and "bulk-error" in refused.text
    async with sessions() as session:
        assert (await session.get(Ticket, ids["soon"])).status == "new"  # type: ignore[union-attr]
    done = await client.post("/desk/tickets/bulk", headers=headers,
                             data={"ticket_ids": [ids["soon"], ids["late"]], "assignee_id": str(alice)})  # fmt: skip
    assert done.status_code == 200 and done.headers["hx-refresh"] == "true"
    async with sessions() as session:
        rows = (await session.execute(select(Ticket).where(Ticket.assignee_id == alice))).scalars().all()
    assert sorted(t.id for t in rows) == sorted([ids["mine"], ids["soon"], ids["late"]])
    nothing = await client.post("/desk/tickets/bulk", headers=headers, data={"ticket_ids": [ids["soon"]]})
    assert nothing.status_code == 422


async def test_the_ticket_page_forms(client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]) -> None:
    alice, _ = await make_user(sessions, "agent", "alice", password=GOOD)
    ids = await _tickets(sessions, alice)
    headers = await _page_session(client, "alice")
    ticket = ids["soon"]
    empty = await client.post(f"/desk/tickets/{ticket}/messages", headers=headers, data={"body": "  "})
    assert empty.status_code == 422 and 'data-testid="composer-error"' in empty.text
    sent = await client.post(f"/desk/tickets/{ticket}/messages", headers=headers, data={"body": "您好"})
    assert sent.status_code == 200 and 'hx-swap-oob="true"' in sent.text and "您好" in sent.text
    # The first public reply opened the ticket; the side panel now offers what may follow "open".
    wrong = await client.post(f"/desk/tickets/{ticket}/properties", headers=headers,
                              data={"status": "new", "priority": "normal", "assignee_id": "", "queue_id": ""})  # fmt: skip
    assert wrong.status_code == 422 and 'data-testid="side-error"' in wrong.text
    changed = await client.post(f"/desk/tickets/{ticket}/properties", headers=headers,
                                data={"status": "pending", "priority": "high", "assignee_id": str(alice),
                                      "queue_id": "", "note": "等客戶回電"})  # fmt: skip
    assert changed.status_code == 200
    async with sessions() as session:
        row = await session.get(Ticket, ticket)
        assert row is not None and (row.status, row.priority, row.assignee_id) == ("pending", "high", alice)
    follow = await client.post(f"/desk/tickets/{ticket}/follow-ups", headers=headers, data={"due_at": "soon"})
    assert follow.status_code == 422
    follow = await client.post(f"/desk/tickets/{ticket}/follow-ups", headers=headers,
                               data={"due_at": "2026-12-24T10:00", "note": "回電"})  # fmt: skip
    assert follow.status_code == 200 and "2026-12-24 10:00" in follow.text  # entered and shown in Taipei time
    page = await client.get(f"/desk/tickets/{ticket}")
    assert page.status_code == 200 and "等客戶回電" in page.text
    assert (await client.get("/desk/tickets/999999")).status_code == 404


async def test_macros_lead_only_checked_and_filled(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    _, lead = await make_user(sessions, "supervisor", "sophia")
    _, agent = await make_user(sessions, "agent", "alice", display_name="陳怡君")
    async with sessions() as session, session.begin():
        ticket = Ticket(kind="repair", subject="冷氣不冷", status="open", extra={}, sla_pauses=[])
        session.add(ticket)
        await session.flush()
        ticket_id = ticket.id
    body = {"title": "已安排技師", "body": "您好，案件 #{ticket_id}（{subject}）已由 {agent_name} 安排技師。{{ok}}"}
    assert (await client.post("/api/macros", json=body, headers=bearer(agent))).status_code == 403
    unknown = await client.post("/api/macros", json={**body, "body": "{who}"}, headers=bearer(lead))
    assert unknown.status_code == 422 and unknown.json()["field"] == "body" and "who" in unknown.json()["message"]
    untitled = await client.post("/api/macros", json={**body, "title": " "}, headers=bearer(lead))
    assert untitled.status_code == 422 and untitled.json()["field"] == "title"
    assert (await client.get("/api/macros", headers=bearer(agent))).json() == []  # nothing half-written
    made = (await client.post("/api/macros", json=body, headers=bearer(lead))).json()
    filled = await client.post(f"/api/macros/{made['id']}/render", json={"ticket_id": ticket_id}, headers=bearer(agent))
    assert filled.json()["text"] == f"您好，案件 #{ticket_id}（冷氣不冷）已由 陳怡君 安排技師。{{ok}}"
    assert (await client.delete("/api/macros/999", headers=bearer(lead))).status_code == 404


async def test_dispositions_and_the_wrap_up(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    alice, alice_token = await make_user(sessions, "agent", "alice", extension="1001")
    _, bob = await make_user(sessions, "agent", "bob")
    _, lead = await make_user(sessions, "supervisor", "sophia")
    listed = (await client.get("/api/dispositions", headers=bearer(alice_token))).json()
    assert [d["code"] for d in listed][:3] == ["resolved", "ticket_opened", "call_back"]
    assert (await client.post("/api/dispositions", json={"code": "x", "label_zh": "x", "label_en": "x"},
                              headers=bearer(alice_token))).status_code == 403  # fmt: skip
    dup = await client.post("/api/dispositions", json={"code": "resolved", "label_zh": "重複", "label_en": "Dup"},
                            headers=bearer(lead))  # fmt: skip
    assert dup.status_code == 409 and dup.json()["field"] == "code"
    bad = await client.post("/api/dispositions", json={"code": "Bad Code", "label_zh": "x", "label_en": "x"},
                            headers=bearer(lead))  # fmt: skip
    assert bad.status_code == 422 and bad.json()["field"] == "code"

    async with sessions() as session, session.begin():
        ticket = Ticket(kind="repair", subject="冷氣不冷", status="open", extra={}, sla_pauses=[])
        session.add(ticket)
        await session.flush()
        talked = Call(call_id="w.1", state="ended", agent_id=alice, ticket_id=ticket.id, answered_at=NOW,
                      ended_at=NOW, extra={})  # fmt: skip
        ringing = Call(call_id="w.2", state="ringing", agent_id=alice, extra={})
        session.add_all([talked, ringing, Interaction(channel="call", call_id="w.1", started_at=NOW, extra={},
                                                      summary="來電報修")])  # fmt: skip
        await session.flush()
        ids = {"ticket": ticket.id, "talked": talked.id, "ringing": ringing.id}
    wrap = {"disposition": "resolved", "note": "已安排技師"}
    assert (await client.post(f"/api/calls/{ids['talked']}/wrap-up", json=wrap, headers=bearer(bob))).status_code == 403
    unknown = await client.post(f"/api/calls/{ids['talked']}/wrap-up", json={"disposition": "nope"},
                                headers=bearer(alice_token))  # fmt: skip
    assert unknown.status_code == 422 and unknown.json()["field"] == "disposition"
    early = await client.post(f"/api/calls/{ids['ringing']}/wrap-up", json=wrap, headers=bearer(alice_token))
    assert early.status_code == 409
    done = await client.post(f"/api/calls/{ids['talked']}/wrap-up", json=wrap, headers=bearer(alice_token))
    assert done.status_code == 200 and done.json()["wrap_up"]["disposition"] == "resolved"
    again = await client.post(f"/api/calls/{ids['talked']}/wrap-up", json=wrap, headers=bearer(alice_token))
    assert again.status_code == 409
    async with sessions() as session:
        contact = (await session.execute(select(Interaction).where(Interaction.call_id == "w.1"))).scalar_one()
        notes = (await session.execute(select(TicketMessage).where(TicketMessage.ticket_id == ids["ticket"]))).scalars()
        assert contact.summary == "來電報修\n當場解決：已安排技師"
        assert [(m.visibility, m.body) for m in notes] == [("internal", "當場解決：已安排技師")]


async def test_saved_views_and_the_next_ticket(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    alice, _ = await make_user(sessions, "agent", "alice", password=GOOD)
    await make_user(sessions, "agent", "bob", password=GOOD)
    ids = await _tickets(sessions, alice)
    async with sessions() as session, session.begin():
        soon = await session.get(Ticket, ids["soon"])
        assert soon is not None
        soon.assignee_id = alice  # two of alice's: "soon" (20 minutes left) before "mine" (a day)
    headers = await _page_session(client, "alice")
    saved = await client.post("/desk/tickets/saved", headers={**headers, "hx-request": "false"},
                              data={"name": "急件", "query": "view=all&priority=urgent&evil=1"}, follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303 and saved.headers["location"] == "/desk/tickets?view=all&priority=urgent"
    page = await client.get("/desk/tickets")
    assert 'data-testid="saved-view"' in page.text and "急件" in page.text
    unnamed = await client.post("/desk/tickets/saved", headers=headers, data={"name": " ", "query": "view=all"})
    assert unnamed.status_code == 422
    nxt = await client.get(f"/desk/tickets/{ids['soon']}/next", follow_redirects=False)
    assert nxt.headers["location"] == f"/desk/tickets/{ids['mine']}"
    last = await client.get(f"/desk/tickets/{ids['mine']}/next", follow_redirects=False)
    assert last.headers["location"] == f"/desk/tickets/{ids['soon']}"
    # Bob cannot delete alice's view (it is as if it did not exist).
    client.cookies.clear()
    bob_headers = await _page_session(client, "bob")
    view_id = int(page.text.split('action="/desk/tickets/saved/')[1].split("/")[0])
    refused = await client.post(f"/desk/tickets/saved/{view_id}/delete", headers=bob_headers, follow_redirects=False)
    assert refused.status_code == 404


async def test_linking_and_merging_from_the_page(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    alice, _ = await make_user(sessions, "agent", "alice", password=GOOD)
    ids = await _tickets(sessions, alice)
    headers = await _page_session(client, "alice")
    bad = await client.post(f"/desk/tickets/{ids['soon']}/links", headers=headers, data={"other_id": "abc"})
    assert bad.status_code == 422 and 'data-testid="links-error"' in bad.text
    linked = await client.post(f"/desk/tickets/{ids['soon']}/links", headers=headers,
                               data={"other_id": f"#{ids['late']}", "kind": "related"})  # fmt: skip
    assert linked.status_code == 200 and f"/desk/tickets/{ids['late']}" in linked.text
    merged = await client.post(f"/desk/tickets/{ids['mine']}/links", headers=headers,
                               data={"other_id": str(ids["late"]), "kind": "merge"}, follow_redirects=False)  # fmt: skip
    assert merged.status_code == 200 and merged.headers["hx-redirect"] == f"/desk/tickets/{ids['late']}"
    async with sessions() as session:
        source = await session.get(Ticket, ids["mine"])
        assert source is not None and source.status == "closed"


async def test_tags_set_filtered_and_added_in_bulk(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    alice, token = await make_user(sessions, "agent", "alice", password=GOOD)
    ids = await _tickets(sessions, alice)
    tagged = await client.patch(f"/api/tickets/{ids['soon']}", json={"tags": [" 換貨 ", "換貨", "媒體"]},
                                headers=bearer(token))  # fmt: skip
    assert tagged.status_code == 200 and tagged.json()["tags"] == ["換貨", "媒體"]
    too_many = await client.patch(f"/api/tickets/{ids['soon']}", json={"tags": [str(i) for i in range(11)]},
                                  headers=bearer(token))  # fmt: skip
    assert too_many.status_code == 422 and too_many.json()["field"] == "tags"
    headers = await _page_session(client, "alice")
    page = await client.get("/desk/tickets", params={"view": "all", "tag": "換貨"})
    assert page.text.count('data-testid="ticket-row"') == 1 and f'data-ticket="{ids["soon"]}"' in page.text
    done = await client.post("/desk/tickets/bulk", headers=headers,
                             data={"ticket_ids": [ids["soon"], ids["late"]], "add_tag": "回電"})  # fmt: skip
    assert done.status_code == 200
    async with sessions() as session:
        soon, late = await session.get(Ticket, ids["soon"]), await session.get(Ticket, ids["late"])
        assert soon is not None and late is not None
        assert (soon.tags, late.tags) == (["換貨", "媒體", "回電"], ["回電"])
    side = await client.post(f"/desk/tickets/{ids['late']}/properties", headers=headers,
                             data={"status": "open", "priority": "normal", "assignee_id": "", "queue_id": "",
                                   "tags": "回電，急件、 媒體"})  # fmt: skip
    assert side.status_code == 200
    async with sessions() as session:
        late = await session.get(Ticket, ids["late"])
        assert late is not None and late.tags == ["回電", "急件", "媒體"]
