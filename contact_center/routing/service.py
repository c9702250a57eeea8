"""Routing: which agent gets a ticket, by the queue's strategy, skills, load, presence and customer value."""

from __future__ import annotations

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.errors import NotFound, ValidationFailed
from contact_center.models import AgentProfile, Customer, Queue, Ticket, TicketEvent, User
from contact_center.routing import repository
from contact_center.routing import schemas as s
from contact_center.routing.strategies import STRATEGIES, AgentSnapshot, Assignment, TicketToRoute, effective_priority
from contact_center.tickets.workflow import OPEN_STATUSES

PRESENCES = ("available", "away", "wrap_up", "offline")
MAX_LEVEL = 5


async def _snapshots(session: AsyncSession) -> list[AgentSnapshot]:
    return [
        AgentSnapshot(user_id=row.id, skills={k: int(v) for k, v in (row.skills or {}).items()}, capacity=row.capacity,
                      open_tickets=int(row.open_tickets), presence=row.presence, last_assigned_at=row.last_assigned_at)
        for row in await repository.agents(session)
    ]  # fmt: skip


def _event(session: AsyncSession, ticket: Ticket, kind: str, actor_id: int | None, **data: object) -> None:
    session.add(TicketEvent(ticket_id=ticket.id, kind=kind, actor_id=actor_id, data=data))


async def route(session: AsyncSession, ticket: Ticket, *, actor_id: int | None = None) -> Assignment | None:
    """Raises a VIP's priority and assigns a queued, unassigned, open ticket; None when there is nothing to do.
    (A new ticket without a queue got one from the rule table when it was created.)"""
    if ticket.queue_id is None or ticket.assignee_id is not None or ticket.status not in OPEN_STATUSES:
        return None
    queue = await repository.queue(session, ticket.queue_id)
    if queue is None:
        return None
    customer = await session.get(Customer, ticket.customer_id) if ticket.customer_id else None
    tier = customer.value_tier if customer else "standard"
    raised = effective_priority(ticket.priority, tier)
    if raised != ticket.priority:
        _event(
            session,
            ticket,
            "changed",
            actor_id,
            field="priority",
            before=ticket.priority,
            after=raised,
            note=f"{tier} customer",
        )
        ticket.priority = raised
    wanted = TicketToRoute(
        ticket_id=ticket.id, required_skills=frozenset(queue.required_skills), customer_tier=tier,
        usual_agent_id=await repository.usual_agent(session, ticket.customer_id, ticket.id), priority=ticket.priority,
    )  # fmt: skip
    result = STRATEGIES.get(queue.strategy, STRATEGIES["skills_least_loaded"])(await _snapshots(session), wanted)
    if result.agent_id is not None:
        await _assign(session, ticket, result.agent_id, result.reason, actor_id)
    return result


async def _assign(session: AsyncSession, ticket: Ticket, user_id: int, reason: str, actor_id: int | None) -> None:
    before = ticket.assignee_id
    ticket.assignee_id = user_id
    profile = await repository.profile(session, user_id)
    if profile is not None:
        repository.touch(profile, clock.now())
    _event(session, ticket, "assigned", actor_id, field="assignee_id", before=before, after=user_id, reason=reason)
    await session.flush()


async def assign(session: AsyncSession, ticket_id: int, data: s.AssignRequest, actor_id: int | None) -> s.AssignResult:
    """Assigns a ticket to someone named, or re-routes it by its queue when nobody is named."""
    ticket = await session.get(Ticket, ticket_id, with_for_update=True)
    if ticket is None:
        raise NotFound("no ticket {ticket_id}", ticket_id=ticket_id)
    if data.user_id is not None:
        user = await session.get(User, data.user_id)
        if user is None or not user.is_active or user.role not in repository.ROUTABLE_ROLES:
            raise ValidationFailed("user {user_id} is not an active agent", user_id=data.user_id)
        await _assign(session, ticket, user.id, "manual", actor_id)
        return s.AssignResult(ticket_id=ticket.id, assignee_id=user.id, reason="manual")
    if ticket.queue_id is None:
        raise ValidationFailed("the ticket is in no queue: name the agent")
    ticket.assignee_id = None
    result = await route(session, ticket, actor_id=actor_id)
    reason = result.reason if result else "not_routable"
    return s.AssignResult(ticket_id=ticket.id, assignee_id=ticket.assignee_id, reason=reason)


def _queue_schema(q: Queue) -> s.Queue:
    return s.Queue(id=q.id, name=q.name, display_name=q.display_name, required_skills=list(q.required_skills),
                   strategy=q.strategy, description=q.description, leads=list(q.leads or []))  # fmt: skip


def _check_queue(strategy: str | None, skills: list[str] | None) -> None:
    if strategy is not None and strategy not in STRATEGIES:
        raise ValidationFailed("strategy must be one of {choices}", choices=", ".join(STRATEGIES))
    if skills is not None and any(not k.strip() for k in skills):
        raise ValidationFailed("skill names must not be empty")


async def queues(session: AsyncSession) -> list[s.Queue]:
    return [_queue_schema(q) for q in await repository.queues(session)]


async def create_queue(session: AsyncSession, data: s.QueueCreate) -> s.Queue:
    """Creates a queue; its name is the Asterisk queue's name."""
    _check_queue(data.strategy, data.required_skills)
    if not data.name.strip():
        raise ValidationFailed("name must not be empty")
    queue = Queue(name=data.name.strip(), display_name=data.display_name, required_skills=data.required_skills,
                  strategy=data.strategy, description=data.description, leads=sorted(set(data.leads)))  # fmt: skip
    session.add(queue)
    await session.flush()
    return _queue_schema(queue)


async def update_queue(session: AsyncSession, queue_id: int, data: s.QueueUpdate) -> s.Queue:
    queue = await repository.queue(session, queue_id)
    if queue is None:
        raise NotFound("no queue {queue_id}", queue_id=queue_id)
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    _check_queue(changes.get("strategy"), changes.get("required_skills"))
    for key, value in changes.items():
        setattr(queue, key, value)
    await session.flush()
    return _queue_schema(queue)


async def leads_agent(session: AsyncSession, lead_id: int, agent_id: int) -> bool:
    """Whether `lead_id` leads a queue `agent_id` works: one whose required skills the agent has all of."""
    profile = await repository.profile(session, agent_id)
    skills = set((profile.skills or {}) if profile else {})
    return any(lead_id in (q.leads or []) and set(q.required_skills or []) <= skills
               for q in await repository.queues(session))  # fmt: skip


async def agents(session: AsyncSession) -> list[s.Agent]:
    """Routable agents with skills, capacity, presence and load."""
    return [
        s.Agent(id=r.id, username=r.username, display_name=r.display_name, extension=r.extension,
                skills=dict(r.skills or {}), capacity=r.capacity, presence=r.presence, open_tickets=int(r.open_tickets),
                presence_since=r.presence_since, last_assigned_at=r.last_assigned_at)
        for r in await repository.agents(session)
    ]  # fmt: skip


async def _profile(session: AsyncSession, user_id: int) -> AgentProfile:
    user = await session.get(User, user_id)
    if user is None or user.role not in repository.ROUTABLE_ROLES:
        raise NotFound("no agent {user_id}", user_id=user_id)
    profile = await repository.profile(session, user_id)
    if profile is None:
        profile = AgentProfile(user_id=user_id, skills={}, capacity=20, presence="offline")
        session.add(profile)
    return profile


async def update_profile(session: AsyncSession, user_id: int, data: s.AgentProfileUpdate) -> None:
    """Sets an agent's skills (level 1–5) and capacity (open tickets they can hold)."""
    profile = await _profile(session, user_id)
    if data.skills is not msgspec.UNSET:
        if any(not 1 <= level <= MAX_LEVEL or not skill.strip() for skill, level in data.skills.items()):
            raise ValidationFailed("skills: a name and a level from 1 to {max_level}", max_level=MAX_LEVEL)
        profile.skills = dict(data.skills)
    if data.capacity is not msgspec.UNSET:
        if not 0 <= data.capacity <= 500:
            raise ValidationFailed("capacity must be between 0 and 500")
        profile.capacity = data.capacity
    await session.flush()


async def set_presence(session: AsyncSession, user_id: int, presence: str) -> None:
    """available / away / wrap_up / offline; routing only gives tickets to available and wrap-up agents."""
    if presence not in PRESENCES:
        raise ValidationFailed("presence must be one of {choices}", choices=", ".join(PRESENCES))
    profile = await _profile(session, user_id)
    if profile.presence != presence:
        profile.presence = presence
        profile.presence_since = clock.now()
    await session.flush()
