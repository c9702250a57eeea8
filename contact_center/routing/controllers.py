"""REST endpoints for queues, agents' routing profiles and presence, and (re-)assigning tickets."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.exceptions import PermissionDeniedException
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.auth.guards import DESK, STAFF, current_user, requires
from contact_center.models import Role
from contact_center.routing import rules as routing_rules
from contact_center.routing import schemas as s
from contact_center.routing import service as routing_service

LEADS = (Role.ADMIN, Role.SUPERVISOR)


class QueueController(Controller):
    path = "/api/queues"
    tags = ["queues"]

    @get("/", guards=[requires(*STAFF)])
    async def list_queues(self, db_session: AsyncSession) -> list[s.Queue]:
        """Queues with their required skills and assignment strategy."""
        return await routing_service.queues(db_session)

    @post("/", guards=[requires(*LEADS)])
    async def create_queue(self, db_session: AsyncSession, data: s.QueueCreate) -> s.Queue:
        """Creates a queue (its name is the Asterisk queue's)."""
        return await routing_service.create_queue(db_session, data)

    @patch("/{queue_id:int}", guards=[requires(*LEADS)])
    async def update_queue(self, db_session: AsyncSession, queue_id: int, data: s.QueueUpdate) -> s.Queue:
        """Changes a queue's skills, strategy or description."""
        return await routing_service.update_queue(db_session, queue_id, data)


class AgentRoutingController(Controller):
    path = "/api/agents"
    tags = ["agents"]

    @get("/", guards=[requires(*STAFF)])
    async def list_agents(self, db_session: AsyncSession) -> list[s.Agent]:
        """Agents with skills, capacity, presence and open tickets."""
        return await routing_service.agents(db_session)

    @put("/{user_id:int}/profile", guards=[requires(*LEADS)], status_code=204)
    async def update_profile(self, db_session: AsyncSession, user_id: int, data: s.AgentProfileUpdate) -> None:
        """Sets an agent's skills (levels 1–5) and capacity."""
        await routing_service.update_profile(db_session, user_id, data)

    @put("/{user_id:int}/presence", guards=[requires(*DESK)], status_code=204)
    async def set_presence(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, user_id: int, data: s.Presence
    ) -> None:
        """An agent sets their own presence; supervisors and admins may set anyone's."""
        user = current_user(request)
        if user is None or (user.id != user_id and user.role not in LEADS):
            raise PermissionDeniedException("only supervisors change another agent's presence")
        await routing_service.set_presence(db_session, user_id, data.presence)


class AssignController(Controller):
    path = "/api/tickets"
    tags = ["tickets"]

    @post("/{ticket_id:int}/assign", guards=[requires(*DESK)], status_code=200)
    async def assign(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, ticket_id: int, data: s.AssignRequest
    ) -> s.AssignResult:
        """Assigns a ticket to a named agent, or lets its queue's strategy choose."""
        user = current_user(request)
        return await routing_service.assign(db_session, ticket_id, data, user.id if user else None)


class RoutingRuleController(Controller):
    path = "/api/routing-rules"
    tags = ["queues"]

    @get("/", guards=[requires(*STAFF)])
    async def list_rules(self, db_session: AsyncSession) -> list[routing_rules.Rule]:
        """The rule table, in the order rules are tried."""
        return await routing_rules.rules(db_session)

    @post("/", guards=[requires(*LEADS)])
    async def create_rule(self, db_session: AsyncSession, data: routing_rules.RuleCreate) -> routing_rules.Rule:
        """Adds a rule: kind, product prefix, category and/or keywords → queue."""
        return await routing_rules.create(db_session, data)

    @delete("/{rule_id:int}", guards=[requires(*LEADS)])
    async def delete_rule(self, db_session: AsyncSession, rule_id: int) -> None:
        """Removes a rule."""
        await routing_rules.delete(db_session, rule_id)
