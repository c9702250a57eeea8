"""Call events in, call log and messages for the desktops out.

`ingest` applies one contract event: stores it in the call's timeline (a repeated event id is
recognised and changes nothing), moves the call's state, and returns what must be published once
the transaction commits: the screen-pop to the ringing agent, call updates, dial results.
Events may come out of order or for calls never offered (a PBX webhook sending only `answer`):
the call is then created from what the event carries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import phones
from contact_center.access import service as access_service
from contact_center.calls import repository
from contact_center.calls import schemas as s
from contact_center.calls.screen_pop import PopCache, caller_identity, to_schema
from contact_center.models import Call, Interaction
from cti_bridge import contract as c

VANISHED = "no longer at the PBX when the bridge reconnected"


@dataclass(frozen=True, slots=True)
class PopDue:
    """The complete screen-pop of this call is owed to the channel's agent. The writer only needs to know
    who is calling (one indexed lookup) to store the call; building the caller's history is the desk's
    job after the commit, so the events behind this one never wait for it."""

    agent_id: int
    call: s.Call


Message = s.ScreenPop | s.CallUpdate | s.DialResult | s.Display | PopDue


@dataclass
class Outcome:
    duplicate: bool = False
    messages: list[tuple[str, Message]] = field(default_factory=list)
    call: Call | None = None


def agent_channel(user_id: int) -> str:
    return f"agent:{user_id}"


def _when(event: c.CallEvent) -> dt.datetime:
    return dt.datetime.fromtimestamp(event.at, dt.UTC)


def _new_call(event: c.CallEvent) -> Call:
    caller = getattr(event, "caller", None)
    return Call(
        source=event.source, call_id=event.call_id, state="offered", offered_at=_when(event),
        direction=getattr(event, "direction", "in"), caller=caller, caller_e164=phones.to_e164(caller),
        caller_name=getattr(event, "caller_name", None), dialled=getattr(event, "dialled", None),
        queue=getattr(event, "queue", None), extra={},
    )  # fmt: skip


def _fill(call: Call, event: c.CallEvent) -> None:
    """Late or out-of-order events still complete what the call record lacks."""
    if getattr(event, "direction", "in") == "out":
        call.direction = "out"
    for name in ("caller", "caller_name", "dialled", "queue"):
        value = getattr(event, name, None)
        if value and not getattr(call, name):
            setattr(call, name, value)
    if call.caller and not call.caller_e164:
        call.caller_e164 = phones.to_e164(call.caller)


def _notify_agent(call: Call, change: str, agent_id: int | None = None) -> list[tuple[str, Message]]:
    """The call as it is after the change, to its agent (or to `agent_id`, who had it before)."""
    agent_id = agent_id if agent_id is not None else call.agent_id
    if agent_id is None:
        return []
    return [(agent_channel(agent_id), s.CallUpdate(call=to_schema(call), change=change))]


async def _ringing(
    session: AsyncSession, call: Call, event: c.CallRinging, cache: PopCache
) -> list[tuple[str, Message]]:
    agent_id = await cache.agents.user_id(session, event.extension)
    if call.state not in ("answered", "ended", "abandoned"):
        call.state = "ringing"
        call.extension = event.extension
        call.agent_id = agent_id
    identity = await caller_identity(session, call, cache)
    call.customer_id = call.customer_id or (identity.customers[0].id if identity.match == "single" else None)
    if agent_id is None:
        return []  # a phone no user of ours sits at: the call is logged, nobody to pop
    if call.customer_id is not None:  # the pop shows this customer's record to this agent
        access_service.record(session, agent_id, call.customer_id, "screen-pop", None)
    return [(agent_channel(agent_id), PopDue(agent_id, to_schema(call)))]


async def _answered(
    session: AsyncSession, call: Call, event: c.CallAnswered, cache: PopCache
) -> list[tuple[str, Message]]:
    agent_id = await cache.agents.user_id(session, event.extension)
    call.state = "answered" if call.state != "ended" else call.state
    call.extension = event.extension
    call.agent_id = agent_id if agent_id is not None else call.agent_id
    call.answered_at = call.answered_at or _when(event)
    call.wait_seconds = event.wait_seconds if event.wait_seconds is not None else call.wait_seconds
    if call.customer_id is None:  # an outbound call, or one the bridge saw first when it was answered
        identity = await caller_identity(session, call, cache)
        call.customer_id = identity.customers[0].id if identity.match == "single" else None
    return _notify_agent(call, "answered")


async def _ring_no_answer(
    session: AsyncSession, call: Call, event: c.CallRingNoAnswer, cache: PopCache
) -> list[tuple[str, Message]]:
    agent_id = await cache.agents.user_id(session, event.extension)
    cache.first_pops.discard((call.source, call.call_id, event.extension))  # the queue may ring this agent again
    if call.state == "ringing" and call.extension == event.extension:
        call.state, call.extension, call.agent_id = "offered", None, None
    if agent_id is None:
        return []
    return [(agent_channel(agent_id), s.CallUpdate(call=to_schema(call), change="missed"))]


async def _transferred(session: AsyncSession, call: Call, event: c.CallTransferred) -> list[tuple[str, Message]]:
    agent_id = call.agent_id  # the agent who passed it on hears of it, with the call as it is now
    call.state, call.extension, call.agent_id = "offered", None, None
    call.extra = {
        **call.extra,
        "transfers": [*call.extra.get("transfers", []), {"from": event.from_extension, "to": event.to}],
    }
    return _notify_agent(call, "transferred", agent_id)


async def _abandoned(session: AsyncSession, call: Call, event: c.CallAbandoned) -> list[tuple[str, Message]]:
    call.state = "abandoned"
    call.wait_seconds = event.wait_seconds
    call.hangup_by = "caller"
    return _notify_agent(call, "abandoned")  # the update says what the call is now


async def _ended(session: AsyncSession, call: Call, event: c.CallEnded, cache: PopCache) -> list[tuple[str, Message]]:
    if call.ended_at is not None:
        return []
    call.state = "abandoned" if call.state in ("abandoned", "offered", "ringing") and not call.answered_at else "ended"
    call.ended_at = _when(event)
    call.talk_seconds = event.talk_seconds
    call.wait_seconds = call.wait_seconds if call.wait_seconds is not None else event.wait_seconds
    call.hangup_by = call.hangup_by or event.hangup_by
    if event.extension and call.agent_id is None:
        call.agent_id = await cache.agents.user_id(session, event.extension)
    cache.forget((call.source, call.call_id))
    session.add(_interaction(call))
    return _notify_agent(call, "ended")


def _interaction(call: Call) -> Interaction:
    wait = f"，等候 {call.wait_seconds:.0f} 秒" if call.wait_seconds is not None else ""
    if call.answered_at:
        talk = f"，通話 {call.talk_seconds:.0f} 秒" if call.talk_seconds is not None else ""
        summary = (
            f"{'來電' if call.direction == 'in' else '去電'}{f'（{call.queue}）' if call.queue else ''}{wait}{talk}"
        )
    else:
        summary = f"未接來電{f'（{call.queue}）' if call.queue else ''}{wait}"
    return Interaction(
        customer_id=call.customer_id, ticket_id=call.ticket_id, channel="call", direction=call.direction,
        started_at=call.offered_at, duration_seconds=int(call.talk_seconds) if call.talk_seconds else None,
        agent_id=call.agent_id, phone=call.caller_e164, call_id=call.call_id, summary=summary, extra={},
    )  # fmt: skip


async def _apply(session: AsyncSession, call: Call, event: c.CallEvent, cache: PopCache) -> list[tuple[str, Message]]:
    if isinstance(event, c.CallRinging):
        return await _ringing(session, call, event, cache)
    if isinstance(event, c.CallAnswered):
        return await _answered(session, call, event, cache)
    if isinstance(event, c.CallRingNoAnswer):
        return await _ring_no_answer(session, call, event, cache)
    if isinstance(event, c.CallTransferred):
        return await _transferred(session, call, event)
    if isinstance(event, c.CallAbandoned):
        return await _abandoned(session, call, event)
    if isinstance(event, c.CallEnded):
        return await _ended(session, call, event, cache)
    return []


async def _dial_result(session: AsyncSession, event: c.OriginateResult) -> list[tuple[str, Message]]:
    agent = await repository.agent_for_extension(session, event.extension)
    if agent is None:
        return []
    code = "not_connected" if event.reason == c.DIAL_NOT_CONNECTED else None
    result = s.DialResult(command_id=event.command_id, ok=event.ok, number=event.number, reason=event.reason,
                          code=code)  # fmt: skip
    return [(agent_channel(agent.id), result)]


def _repeats_what_the_call_has(call: Call | None, event: c.CallEvent) -> bool:
    """A bridge that restarted announces the live calls again under new event ids (it cannot know what
    the app has): an offer of a call already offered to that queue, an answer by the agent already on
    it, are no news and stay out of the timeline."""
    if call is None or call.ended_at is not None:
        return False
    if isinstance(event, c.CallOffered):  # news only when it names another queue (a transfer to a queue)
        return event.queue is None or event.queue == call.queue
    if isinstance(event, c.CallAnswered):
        return call.state == "answered" and call.extension == event.extension
    return False


async def _close_vanished(session: AsyncSession, snapshot: c.CallsSnapshot, cache: PopCache) -> Outcome:
    """Calls of this source the app holds open and the PBX no longer has ended while the bridge was
    away: each is ended by the system, with an entry in its timeline and an update to its agent."""
    messages: list[tuple[str, Message]] = []
    for call in await repository.open_calls(session, snapshot.source, before=_when(snapshot)):
        if call.call_id in snapshot.live:
            continue
        ended = c.CallEnded(id=f"{snapshot.id}:{call.call_id}", call_id=call.call_id, at=snapshot.at,
                            source=snapshot.source, hangup_by="system", cause=VANISHED)  # fmt: skip
        await repository.record_event(session, ended.id, "call.ended", _when(ended), None,
                                      msgspec.to_builtins(ended), call_row_id=call.id)  # fmt: skip
        messages += await _ended(session, call, ended, cache)
    return Outcome(messages=messages)


async def ingest(session: AsyncSession, event: c.CallEvent, cache: PopCache) -> Outcome:
    """Applies one call event; a repeated event id is a no-op. The caller commits, then publishes."""
    bound_to_call = bool(event.call_id) and not isinstance(event, c.AgentState | c.OriginateResult | c.CallsSnapshot)
    # The call first (locked, read once): a repeat of what it already has stays out of the timeline.
    call = await repository.get_call(session, event.source, event.call_id, for_update=True) if bound_to_call else None
    if _repeats_what_the_call_has(call, event):
        return Outcome(duplicate=True)
    if call is None and isinstance(event, c.CallEnded) and event.if_known:
        return Outcome()  # the bridge could not tell whether we had this call: we did not
    tag = type(event).__struct_config__.tag
    data = msgspec.to_builtins(event)
    event_row = await repository.record_event(
        session, event.id, str(tag), _when(event), getattr(event, "extension", None), data,
        call_row_id=call.id if call is not None else None,
    )  # fmt: skip
    if event_row is None:
        return Outcome(duplicate=True)
    if isinstance(event, c.OriginateResult):
        return Outcome(messages=await _dial_result(session, event))
    if isinstance(event, c.CallsSnapshot):
        return await _close_vanished(session, event, cache)
    if not bound_to_call:
        return Outcome()  # agent phone states feed the wallboard (issue #4)
    new = call is None
    if call is None:
        call = _new_call(event)
        session.add(call)
        await session.flush()  # the messages carry the call's id
    _fill(call, event)
    messages = await _apply(session, call, event, cache)
    await session.flush()
    if new:  # the call's first event was stored before the call existed
        await repository.link_event(session, event_row, call.id)
    return Outcome(messages=messages, call=call)
