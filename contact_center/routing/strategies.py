"""Ticket assignment strategies as pure functions: no database, no I/O, no clock.

A queue routes each waiting ticket to one agent. Every strategy first narrows the agents to the
*eligible* ones (every required skill, an allowed presence, room under capacity) and then picks one
deterministically, so the same inputs always give the same answer. `assign_batch` assigns a whole
waiting queue at once against a working copy of the agents' loads, so one batch never over-fills anyone.

Datetimes are compared with each other, so callers must pass them uniformly timezone-aware (UTC is
recommended) or uniformly naive; mixing the two raises `TypeError`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import Any

__all__ = [
    "DEFAULT_PRESENCE",
    "PRIORITIES",
    "STRATEGIES",
    "TIERS",
    "AgentSnapshot",
    "Assignment",
    "Strategy",
    "TicketToRoute",
    "assign_batch",
    "effective_priority",
    "eligible",
    "holds_skills",
    "order_queue",
    "round_robin",
    "skills_least_loaded",
    "sticky",
]

PRIORITIES: tuple[str, ...] = ("low", "normal", "high", "urgent")
"""Ticket priorities, lowest first."""
TIERS: tuple[str, ...] = ("vip", "gold", "standard", "basic")
"""Customer value tiers, most valuable first."""
DEFAULT_PRESENCE: tuple[str, ...] = ("available", "wrap_up")
"""Presences that may receive a new ticket unless the caller says otherwise."""

NO_ELIGIBLE_AGENT = "no_eligible_agent"
STICKY_UNAVAILABLE = "sticky_unavailable:"
_BATCH_TICK = dt.timedelta(microseconds=1)


@dataclasses.dataclass(frozen=True, slots=True)
class AgentSnapshot:
    """An agent as the router sees them at one instant."""

    user_id: int
    skills: Mapping[str, int]  # skill -> level 1..5
    capacity: int  # max open tickets
    open_tickets: int
    presence: str  # available | away | wrap_up | offline | on_call
    last_assigned_at: dt.datetime | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class TicketToRoute:
    """A waiting ticket and what routing needs to know about it and its customer."""

    ticket_id: int
    required_skills: frozenset[str]
    customer_tier: str = "standard"
    usual_agent_id: int | None = None  # the agent who last served this customer
    priority: str = "normal"  # low | normal | high | urgent


@dataclasses.dataclass(frozen=True, slots=True)
class Assignment:
    """The router's decision: an agent, or None when nobody is eligible (the ticket stays queued)."""

    agent_id: int | None
    reason: str  # machine-readable: least_loaded, round_robin, sticky, sticky_unavailable:<reason>, no_eligible_agent


Strategy = Callable[[Sequence[AgentSnapshot], TicketToRoute], Assignment]


def holds_skills(skills: Mapping[str, Any], required: Iterable[str]) -> bool:
    """True when every required skill is held at level 1 or more (level 0 counts as absent)."""
    return all(skills.get(skill, 0) >= 1 for skill in required)


def _has_skills(agent: AgentSnapshot, required: Iterable[str]) -> bool:
    return holds_skills(agent.skills, required)


def eligible(
    agents: Iterable[AgentSnapshot],
    ticket: TicketToRoute,
    *,
    allow_presence: Iterable[str] = DEFAULT_PRESENCE,
) -> list[AgentSnapshot]:
    """The agents who may take `ticket` now, in their given order.

    Eligible means: every required skill, a presence in `allow_presence` and `open_tickets < capacity`
    (an agent with capacity 0, or already over capacity, is never eligible).
    """
    allowed = frozenset(allow_presence)
    return [
        agent
        for agent in agents
        if agent.presence in allowed
        and agent.open_tickets < agent.capacity
        and _has_skills(agent, ticket.required_skills)
    ]


def _recency_key(agent: AgentSnapshot) -> tuple[bool] | tuple[bool, dt.datetime]:
    """Sorts never-assigned agents first, then the one assigned longest ago."""
    if agent.last_assigned_at is None:
        return (False,)
    return (True, agent.last_assigned_at)


def _skill_total(agent: AgentSnapshot, required: Iterable[str]) -> int:
    return sum(agent.skills.get(skill, 0) for skill in required)


def skills_least_loaded(agents: Sequence[AgentSnapshot], ticket: TicketToRoute) -> Assignment:
    """The eligible agent with the lowest load ratio `open_tickets / capacity` (reason "least_loaded").

    Ties go to the higher total level on the required skills, then to the agent assigned longest ago
    (never assigned first), then to the lowest `user_id`. Ratios are exact fractions, so 1/3 and 2/6 tie.
    """
    candidates = eligible(agents, ticket)
    if not candidates:
        return Assignment(None, NO_ELIGIBLE_AGENT)
    best = min(
        candidates,
        key=lambda a: (
            Fraction(a.open_tickets, a.capacity),
            -_skill_total(a, ticket.required_skills),
            _recency_key(a),
            a.user_id,
        ),
    )
    return Assignment(best.user_id, "least_loaded")


def round_robin(agents: Sequence[AgentSnapshot], ticket: TicketToRoute) -> Assignment:
    """The eligible agent assigned longest ago, never-assigned first, ties by lowest `user_id`."""
    candidates = eligible(agents, ticket)
    if not candidates:
        return Assignment(None, NO_ELIGIBLE_AGENT)
    best = min(candidates, key=lambda a: (_recency_key(a), a.user_id))
    return Assignment(best.user_id, "round_robin")


def sticky(
    agents: Sequence[AgentSnapshot],
    ticket: TicketToRoute,
    fallback: Strategy = skills_least_loaded,
) -> Assignment:
    """The customer's usual agent when eligible (reason "sticky"); otherwise `fallback`.

    The fallback's reason is prefixed "sticky_unavailable:" — also when the ticket names no usual
    agent — e.g. "sticky_unavailable:least_loaded" or "sticky_unavailable:no_eligible_agent".
    """
    if ticket.usual_agent_id is not None:
        for agent in eligible(agents, ticket):
            if agent.user_id == ticket.usual_agent_id:
                return Assignment(agent.user_id, "sticky")
    chosen = fallback(agents, ticket)
    return Assignment(chosen.agent_id, STICKY_UNAVAILABLE + chosen.reason)


STRATEGIES: Mapping[str, Strategy] = MappingProxyType(
    {
        "skills_least_loaded": skills_least_loaded,
        "round_robin": round_robin,
        "sticky": sticky,
    }
)
"""Queue strategy name -> strategy; read-only."""


def _rank(value: str, order: Sequence[str], what: str) -> int:
    try:
        return order.index(value)
    except ValueError:
        raise ValueError(f"unknown {what} {value!r}; expected one of {', '.join(order)}") from None


def effective_priority(priority: str, tier: str) -> str:
    """The priority a ticket is queued at once its customer's tier is counted ("VIP first").

    vip raises by one level (low→normal→high→urgent, capped at urgent); gold raises low→normal only;
    standard and basic leave it unchanged. Raises ValueError for an unknown priority or tier.
    """
    level = _rank(priority, PRIORITIES, "priority")
    _rank(tier, TIERS, "customer tier")
    if tier == "vip":
        level = min(level + 1, len(PRIORITIES) - 1)
    elif tier == "gold" and priority == "low":
        level += 1
    return PRIORITIES[level]


def _queue_key(item: tuple[TicketToRoute, dt.datetime]) -> tuple[int, int, dt.datetime, int]:
    ticket, created = item
    urgency = _rank(effective_priority(ticket.priority, ticket.customer_tier), PRIORITIES, "priority")
    return (-urgency, _rank(ticket.customer_tier, TIERS, "customer tier"), created, ticket.ticket_id)


def order_queue(tickets: Sequence[tuple[TicketToRoute, dt.datetime]]) -> list[TicketToRoute]:
    """The order in which waiting `(ticket, created_at)` pairs are assigned.

    Effective priority (urgent first), then customer tier (vip, gold, standard, basic), then oldest
    created first, then lowest ticket_id. Raises ValueError for an unknown priority or tier.
    """
    return [ticket for ticket, _ in sorted(tickets, key=_queue_key)]


def assign_batch(
    agents: Sequence[AgentSnapshot],
    tickets_with_created: Sequence[tuple[TicketToRoute, dt.datetime]],
    strategy: str,
    *,
    now: dt.datetime,
) -> list[Assignment]:
    """Assigns every waiting ticket in `order_queue` order; returns one Assignment per input, in INPUT order.

    Works on a copy of the agents: each assignment adds one open ticket and stamps `last_assigned_at`,
    so no agent is ever filled past capacity within the batch. The k-th assignment (k = 0, 1, ...) is
    stamped `now + k microseconds`, so round robin keeps rotating inside one batch; `now` is the only clock.
    Raises ValueError for an unknown strategy, duplicate agent user_ids, or an unknown priority/tier.
    """
    try:
        choose = STRATEGIES[strategy]
    except KeyError:
        raise ValueError(f"unknown strategy {strategy!r}; expected one of {', '.join(STRATEGIES)}") from None
    working = {agent.user_id: agent for agent in agents}
    if len(working) != len(agents):
        raise ValueError("duplicate agent user_id in the batch")
    order = sorted(range(len(tickets_with_created)), key=lambda i: _queue_key(tickets_with_created[i]))
    results: list[Assignment | None] = [None] * len(tickets_with_created)
    stamped = 0
    for index in order:
        assignment = choose(list(working.values()), tickets_with_created[index][0])
        results[index] = assignment
        if assignment.agent_id is not None:
            agent = working[assignment.agent_id]
            working[agent.user_id] = dataclasses.replace(
                agent,
                open_tickets=agent.open_tickets + 1,
                last_assigned_at=now + stamped * _BATCH_TICK,
            )
            stamped += 1
    return [result for result in results if result is not None]
