"""REST endpoints: reminders on tickets, the worklist, recording a task's outcome."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.auth.guards import DESK, current_user, requires
from contact_center.models import Role
from contact_center.pagination import DEFAULT_LIMIT, Page
from contact_center.tasks import schemas as s
from contact_center.tasks import service as task_service


def _user(request: Request[Any, Any, Any]) -> tuple[int, bool]:
    user = current_user(request)
    assert user is not None
    return user.id, user.role in (Role.ADMIN, Role.SUPERVISOR)


class TaskController(Controller):
    path = "/api"
    tags = ["tasks"]

    @post("/tickets/{ticket_id:int}/reminders", guards=[requires(*DESK)])
    async def add_reminder(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, ticket_id: int, data: s.ReminderCreate
    ) -> s.Task:
        """A follow-up (跟催) on a ticket, due at a time; it reaches the owner's desktop when due."""
        user_id, _ = _user(request)
        return task_service.to_schema(await task_service.create_reminder(db_session, ticket_id, data, user_id))

    @get("/tasks", guards=[requires(*DESK)])
    async def worklist(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, mine: bool = True, status: str = "open",
        limit: int = DEFAULT_LIMIT, offset: int = 0,
    ) -> Page[s.Task]:  # fmt: skip
        """The worklist: follow-ups and call-backs, soonest due first (yours, or everyone's with mine=false)."""
        user_id, _ = _user(request)
        return await task_service.worklist(db_session, user_id if mine else None, status, limit, offset)

    @post("/tasks/{task_id:int}/done", guards=[requires(*DESK)], status_code=200)
    async def done(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, task_id: int, data: s.TaskDone
    ) -> s.Task:
        """Records the outcome: reached, no answer, call back, not interested, sold, or cancelled."""
        user_id, lead = _user(request)
        return task_service.to_schema(await task_service.complete(db_session, task_id, data, user_id, lead))
