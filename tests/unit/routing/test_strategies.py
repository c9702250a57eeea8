"""Ticket assignment strategies: eligibility, tie-breaking, stickiness, queue order and batches."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contact_center.routing.strategies import (
    STRATEGIES,
    AgentSnapshot,
    Assignment,
    TicketToRoute,
    assign_batch,
    effective_priority,
    eligible,
    order_queue,
    round_robin,
    skills_least_loaded,
    sticky,
)

T0 = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)


def agent(
    user_id: int,
    *,
    skills: dict[str, int] | None = None,
    capacity: int = 5,
    open_tickets: int = 0,
    presence: str = "available",
    last: dt.datetime | None = None,
) -> AgentSnapshot:
    return AgentSnapshot(
        user_id=user_id,
        skills={"billing": 3} if skills is None else skills,
        capacity=capacity,
        open_tickets=open_tickets,
        presence=presence,
        last_assigned_at=last,
    )


def ticket(
    ticket_id: int = 1,
    *,
    skills: tuple[str, ...] = ("billing",),
    customer_tier: str = "standard",
    usual_agent_id: int | None = None,
    priority: str = "normal",
) -> TicketToRoute:
    return TicketToRoute(ticket_id, frozenset(skills), customer_tier, usual_agent_id, priority)


def ids(agents: list[AgentSnapshot]) -> list[int]:
    return [a.user_id for a in agents]


# --- eligibility -------------------------------------------------------------------------------


def test_eligible_requires_every_required_skill() -> None:
    agents = [
        agent(1, skills={"billing": 2}),
        agent(2, skills={"billing": 1, "repairs": 4}),
        agent(3, skills={"repairs": 5}),
        agent(4, skills={"billing": 0, "repairs": 3}),  # level 0 counts as not having the skill
    ]
    assert ids(eligible(agents, ticket(skills=("billing", "repairs")))) == [2]
    assert ids(eligible(agents, ticket(skills=("billing",)))) == [1, 2]


def test_eligible_with_no_required_skills_accepts_any_skills() -> None:
    assert ids(eligible([agent(1, skills={}), agent(2)], ticket(skills=()))) == [1, 2]


def test_full_capacity_is_excluded() -> None:
    agents = [
        agent(1, capacity=3, open_tickets=3),
        agent(2, capacity=3, open_tickets=4),  # over-filled by a manual assignment
        agent(3, capacity=0),
        agent(4, capacity=3, open_tickets=2),
    ]
    assert ids(eligible(agents, ticket())) == [4]


def test_presence_away_offline_on_call_excluded_wrap_up_allowed_by_default() -> None:
    agents = [
        agent(1, presence="available"),
        agent(2, presence="away"),
        agent(3, presence="offline"),
        agent(4, presence="wrap_up"),
        agent(5, presence="on_call"),
    ]
    assert ids(eligible(agents, ticket())) == [1, 4]
    assert ids(eligible(agents, ticket(), allow_presence=("available",))) == [1]


# --- skills_least_loaded -----------------------------------------------------------------------


def test_least_loaded_by_ratio_not_count() -> None:
    agents = [agent(1, capacity=3, open_tickets=1), agent(2, capacity=10, open_tickets=2)]
    assert skills_least_loaded(agents, ticket()) == Assignment(2, "least_loaded")


def test_least_loaded_tie_goes_to_higher_skill_total_on_required_skills() -> None:
    agents = [
        agent(1, skills={"billing": 2, "repairs": 2, "sales": 5}, capacity=3, open_tickets=1),
        agent(2, skills={"billing": 3, "repairs": 3}, capacity=6, open_tickets=2),  # same ratio, exactly
    ]
    assert skills_least_loaded(agents, ticket(skills=("billing", "repairs"))).agent_id == 2


def test_least_loaded_then_longest_since_last_assigned_never_first() -> None:
    agents = [
        agent(1, last=T0 + dt.timedelta(minutes=5)),
        agent(2, last=T0),
        agent(3, last=None),
    ]
    assert skills_least_loaded(agents, ticket()).agent_id == 3
    assert skills_least_loaded(agents[:2], ticket()).agent_id == 2


def test_least_loaded_full_tie_goes_to_lowest_user_id_whatever_the_input_order() -> None:
    agents = [agent(7), agent(3), agent(5)]
    assert skills_least_loaded(agents, ticket()).agent_id == 3
    assert skills_least_loaded(list(reversed(agents)), ticket()).agent_id == 3


def test_no_eligible_agent_gives_none_with_reason() -> None:
    agents = [agent(1, presence="away"), agent(2, skills={"sales": 5}), agent(3, capacity=1, open_tickets=1)]
    for name, strategy in STRATEGIES.items():
        result = strategy(agents, ticket())
        assert result.agent_id is None, name
        assert result.reason.endswith("no_eligible_agent"), name
    assert skills_least_loaded([], ticket()) == Assignment(None, "no_eligible_agent")
    assert round_robin([], ticket()) == Assignment(None, "no_eligible_agent")


# --- round_robin -------------------------------------------------------------------------------


def test_round_robin_picks_longest_ago_never_first_ties_by_user_id() -> None:
    agents = [agent(1, last=T0), agent(2, last=T0 - dt.timedelta(hours=1)), agent(3, last=T0)]
    assert round_robin(agents, ticket()) == Assignment(2, "round_robin")
    assert round_robin([*agents, agent(9, last=None), agent(8, last=None)], ticket()).agent_id == 8
    assert round_robin([agent(3, last=T0), agent(1, last=T0)], ticket()).agent_id == 1


def test_round_robin_ignores_load() -> None:
    agents = [agent(1, capacity=10, open_tickets=9, last=T0), agent(2, open_tickets=0, last=NOW)]
    assert round_robin(agents, ticket()).agent_id == 1


def test_round_robin_rotates_across_a_batch() -> None:
    agents = [agent(1, capacity=10), agent(2, capacity=10), agent(3, capacity=10)]
    batch = [(ticket(i), T0 + dt.timedelta(minutes=i)) for i in range(7)]
    result = assign_batch(agents, batch, "round_robin", now=NOW)
    assert [a.agent_id for a in result] == [1, 2, 3, 1, 2, 3, 1]
    assert {a.reason for a in result} == {"round_robin"}


# --- sticky ------------------------------------------------------------------------------------


def test_sticky_picks_the_usual_agent_even_when_busier() -> None:
    agents = [agent(1, open_tickets=0), agent(2, open_tickets=4)]
    assert sticky(agents, ticket(usual_agent_id=2)) == Assignment(2, "sticky")


@pytest.mark.parametrize(
    "usual",
    [
        agent(2, presence="away"),
        agent(2, presence="offline"),
        agent(2, capacity=4, open_tickets=4),
        agent(2, skills={"sales": 5}),
    ],
    ids=["away", "offline", "full", "lacks_skill"],
)
def test_sticky_falls_back_when_usual_agent_not_eligible(usual: AgentSnapshot) -> None:
    agents = [agent(1, open_tickets=3), usual, agent(3, open_tickets=1)]
    assert sticky(agents, ticket(usual_agent_id=2)) == Assignment(3, "sticky_unavailable:least_loaded")


def test_sticky_without_usual_agent_or_usual_agent_absent_falls_back() -> None:
    agents = [agent(1, last=T0), agent(3, last=None)]
    assert sticky(agents, ticket()).reason == "sticky_unavailable:least_loaded"
    assert sticky(agents, ticket(usual_agent_id=99)).agent_id == 3
    assert sticky(agents, ticket(usual_agent_id=99), fallback=round_robin) == Assignment(
        3, "sticky_unavailable:round_robin"
    )
    assert sticky([], ticket(usual_agent_id=1)) == Assignment(None, "sticky_unavailable:no_eligible_agent")


def test_strategies_registry_names() -> None:
    assert set(STRATEGIES) == {"skills_least_loaded", "round_robin", "sticky"}
    assert STRATEGIES["sticky"]([agent(1), agent(2, open_tickets=3)], ticket(usual_agent_id=2)) == Assignment(
        2, "sticky"
    )


# --- priority and queue order ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("priority", "tier", "expected"),
    [
        ("low", "vip", "normal"),
        ("normal", "vip", "high"),
        ("high", "vip", "urgent"),
        ("urgent", "vip", "urgent"),
        ("low", "gold", "normal"),
        ("normal", "gold", "normal"),
        ("high", "gold", "high"),
        ("low", "standard", "low"),
        ("high", "standard", "high"),
        ("low", "basic", "low"),
        ("urgent", "basic", "urgent"),
    ],
)
def test_effective_priority(priority: str, tier: str, expected: str) -> None:
    assert effective_priority(priority, tier) == expected


def test_effective_priority_rejects_unknown_values() -> None:
    with pytest.raises(ValueError, match="priority"):
        effective_priority("critical", "vip")
    with pytest.raises(ValueError, match="tier"):
        effective_priority("normal", "platinum")


def test_order_queue_priority_then_tier_then_oldest() -> None:
    old, mid, new = T0, T0 + dt.timedelta(minutes=10), T0 + dt.timedelta(minutes=20)
    waiting = [
        (ticket(1, priority="normal", customer_tier="standard"), old),
        (ticket(2, priority="normal", customer_tier="vip"), new),  # effective high
        (ticket(3, priority="urgent", customer_tier="basic"), new),
        (ticket(4, priority="high", customer_tier="standard"), old),  # high, but a standard customer
        (ticket(5, priority="low", customer_tier="gold"), mid),  # effective normal, gold
        (ticket(6, priority="normal", customer_tier="standard"), new),
        (ticket(7, priority="low", customer_tier="basic"), old),
        (ticket(8, priority="normal", customer_tier="basic"), old),
        (ticket(9, priority="normal", customer_tier="standard"), mid),
    ]
    assert [t.ticket_id for t in order_queue(waiting)] == [3, 2, 4, 5, 1, 9, 6, 8, 7]
    assert order_queue([]) == []


def test_order_queue_same_everything_breaks_ties_by_ticket_id() -> None:
    assert [t.ticket_id for t in order_queue([(ticket(5), T0), (ticket(2), T0)])] == [2, 5]


# --- assign_batch ------------------------------------------------------------------------------


def test_batch_of_ten_over_three_agents_respects_capacity_and_spreads_load() -> None:
    agents = [
        agent(1, capacity=2),
        agent(2, capacity=4, open_tickets=1),
        agent(3, capacity=6),
        agent(4, capacity=9, presence="away"),
    ]
    batch = [(ticket(i), T0 + dt.timedelta(minutes=i)) for i in range(10)]
    result = assign_batch(agents, batch, "skills_least_loaded", now=NOW)
    loads = Counter(a.agent_id for a in result)
    # free room: 2 + 3 + 6 = 11 >= 10, so everyone is assigned, nobody past capacity, nothing to agent 4
    assert None not in loads
    assert loads[1] <= 2 and loads[2] <= 3 and loads[3] <= 6
    assert 4 not in loads
    assert sum(loads.values()) == 10
    assert min(loads[1], loads[2], loads[3]) >= 2  # spread: every agent gets work


def test_batch_leaves_the_rest_queued_once_everyone_is_full() -> None:
    agents = [agent(1, capacity=2), agent(2, capacity=1)]
    batch = [(ticket(i), T0 + dt.timedelta(minutes=i)) for i in range(5)]
    result = assign_batch(agents, batch, "round_robin", now=NOW)
    assert Counter(a.agent_id for a in result) == {1: 2, 2: 1, None: 2}
    # the two oldest tickets (0, 1) and ticket 2 are assigned; the newest two stay queued
    assert [a.agent_id is None for a in result] == [False, False, False, True, True]
    assert result[3] == Assignment(None, "no_eligible_agent")


def test_batch_results_are_in_input_order_but_assigned_in_queue_order() -> None:
    agents = [agent(1, capacity=1)]
    batch = [(ticket(1, priority="low"), T0), (ticket(2, priority="urgent"), NOW)]
    result = assign_batch(agents, batch, "skills_least_loaded", now=NOW)
    assert result == [Assignment(None, "no_eligible_agent"), Assignment(1, "least_loaded")]


def test_batch_sticky_fills_the_usual_agent_then_falls_back() -> None:
    agents = [agent(1, capacity=2), agent(2, capacity=5)]
    batch = [(ticket(i, usual_agent_id=1), T0 + dt.timedelta(minutes=i)) for i in range(3)]
    result = assign_batch(agents, batch, "sticky", now=NOW)
    assert result == [
        Assignment(1, "sticky"),
        Assignment(1, "sticky"),
        Assignment(2, "sticky_unavailable:least_loaded"),
    ]


def test_batch_does_not_mutate_the_callers_agents_and_is_deterministic() -> None:
    agents = [agent(1, capacity=3), agent(2, capacity=3)]
    before = list(agents)
    batch = [(ticket(i), T0) for i in range(4)]
    first = assign_batch(agents, batch, "skills_least_loaded", now=NOW)
    assert agents == before
    assert assign_batch(agents, batch, "skills_least_loaded", now=NOW) == first


def test_batch_rejects_unknown_strategy_and_duplicate_agents() -> None:
    with pytest.raises(ValueError, match="unknown strategy"):
        assign_batch([agent(1)], [(ticket(), T0)], "random", now=NOW)
    with pytest.raises(ValueError, match="duplicate"):
        assign_batch([agent(1), agent(1)], [(ticket(), T0)], "round_robin", now=NOW)


def test_batch_with_no_tickets_or_no_agents() -> None:
    assert assign_batch([agent(1)], [], "sticky", now=NOW) == []
    assert assign_batch([], [(ticket(), T0)], "sticky", now=NOW) == [
        Assignment(None, "sticky_unavailable:no_eligible_agent")
    ]


# --- property: a batch never breaks capacity, skills or presence -------------------------------

SKILLS = ("billing", "repairs", "sales")
PRESENCES = ("available", "away", "wrap_up", "offline", "on_call")
OPT_TIME = st.one_of(st.none(), st.integers(0, 600).map(lambda m: T0 + dt.timedelta(minutes=m)))


@st.composite
def agents_strategy(draw: st.DrawFn) -> list[AgentSnapshot]:
    user_ids = draw(st.lists(st.integers(1, 30), unique=True, max_size=6))
    result = []
    for user_id in user_ids:
        capacity = draw(st.integers(0, 5))
        result.append(
            AgentSnapshot(
                user_id=user_id,
                skills=draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(0, 5))),
                capacity=capacity,
                open_tickets=draw(st.integers(0, capacity + 1)),
                presence=draw(st.sampled_from(PRESENCES)),
                last_assigned_at=draw(OPT_TIME),
            )
        )
    return result


TICKETS = st.lists(
    st.tuples(
        st.builds(
            TicketToRoute,
            ticket_id=st.integers(1, 10_000),
            required_skills=st.frozensets(st.sampled_from(SKILLS), max_size=2),
            customer_tier=st.sampled_from(("vip", "gold", "standard", "basic")),
            usual_agent_id=st.one_of(st.none(), st.integers(1, 30)),
            priority=st.sampled_from(("low", "normal", "high", "urgent")),
        ),
        st.integers(0, 600).map(lambda m: T0 + dt.timedelta(minutes=m)),
    ),
    max_size=15,
)


@settings(max_examples=300, deadline=None)
@given(agents=agents_strategy(), tickets=TICKETS, strategy=st.sampled_from(sorted(STRATEGIES)))
def test_property_batch_never_exceeds_capacity_or_breaks_skills_or_presence(
    agents: list[AgentSnapshot],
    tickets: list[tuple[TicketToRoute, dt.datetime]],
    strategy: str,
) -> None:
    result = assign_batch(agents, tickets, strategy, now=NOW)
    assert len(result) == len(tickets)
    by_id = {a.user_id: a for a in agents}
    given_to = Counter(a.agent_id for a in result if a.agent_id is not None)
    for user_id, count in given_to.items():
        assert by_id[user_id].open_tickets + count <= by_id[user_id].capacity
    for (tkt, _), assignment in zip(tickets, result, strict=True):
        if assignment.agent_id is None:
            assert assignment.reason.endswith("no_eligible_agent")
            continue
        chosen = by_id[assignment.agent_id]
        assert chosen.presence in ("available", "wrap_up")
        assert all(chosen.skills.get(skill, 0) >= 1 for skill in tkt.required_skills)
    # nobody is left waiting while an eligible agent still has room
    if any(a.agent_id is None for a in result):
        room = {a.user_id: a.capacity - a.open_tickets - given_to[a.user_id] for a in agents}
        for (tkt, _), assignment in zip(tickets, result, strict=True):
            if assignment.agent_id is None:
                assert not [a for a in eligible(agents, tkt) if room[a.user_id] > 0]
