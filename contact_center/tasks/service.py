"""Follow-ups (跟催) and proactive call-backs: created once, due at a time, notified to their owner.

The proactive ones (seed 003: 維修後續關心, 提醒維護合約簽定) are created by a job: a check-in call
three days after a repair ticket is closed, a renewal call when a warranty or maintenance contract
ends within 30 days, a birthday greeting for VIP customers. Each carries a dedupe key, so however
often the job runs, a task exists once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.errors import NotFound, PermissionDenied, ValidationFailed
from contact_center.models import Task, Ticket
from contact_center.pagination import Page, check_window
from contact_center.tasks import schemas as s

OUTCOMES = ("reached", "no_answer", "call_back", "not_interested", "sold", "cancelled")
CHECK_IN_AFTER = dt.timedelta(days=3)
RENEWAL_WITHIN = dt.timedelta(days=30)


def to_schema(t: Task) -> s.Task:
    return s.Task(**{f: getattr(t, f) for f in s.Task.__struct_fields__})


async def create_reminder(session: AsyncSession, ticket_id: int, data: s.ReminderCreate, actor_id: int | None) -> Task:
    """A follow-up on a ticket for its assignee (or whoever sets it), due at a time."""
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound("no ticket {ticket_id}", ticket_id=ticket_id)
    if data.due_at.tzinfo is None:
        raise ValidationFailed("due_at needs a time zone offset, e.g. 2026-12-01T10:00:00+08:00")
    task = Task(kind="follow_up", owner_id=ticket.assignee_id or actor_id, customer_id=ticket.customer_id,
                ticket_id=ticket.id, title=f"跟催：{ticket.subject}", note=data.note, due_at=data.due_at)  # fmt: skip
    session.add(task)
    await session.flush()
    return task


async def worklist(session: AsyncSession, owner_id: int | None, status: str, limit: int, offset: int) -> Page[s.Task]:
    """Tasks, soonest due first; one owner's or everyone's."""
    check_window(limit, offset)
    conditions: list[Any] = [Task.status == status]
    if owner_id is not None:
        conditions.append(Task.owner_id == owner_id)
    total = (await session.execute(select(func.count()).select_from(Task).where(*conditions))).scalar_one()
    query = select(Task).where(*conditions).order_by(Task.due_at, Task.id).limit(limit).offset(offset)
    items = (await session.execute(query)).scalars().all()
    return Page(items=[to_schema(t) for t in items], total=total, limit=limit, offset=offset)


async def complete(session: AsyncSession, task_id: int, data: s.TaskDone, user_id: int, lead: bool) -> Task:
    """Records the outcome of a task (a call made, a customer reached or not)."""
    if data.outcome not in OUTCOMES:
        raise ValidationFailed("outcome must be one of {choices}", choices=", ".join(OUTCOMES))
    task = await session.get(Task, task_id)
    if task is None:
        raise NotFound("no task {task_id}", task_id=task_id)
    if task.owner_id not in (None, user_id) and not lead:
        raise PermissionDenied("this task is someone else's")
    task.status = "cancelled" if data.outcome == "cancelled" else "done"
    task.outcome, task.note = data.outcome, data.note or task.note
    task.done_at = clock.now()
    await session.flush()
    return task


async def due_reminders(session: AsyncSession, now: dt.datetime) -> list[tuple[str, dict[str, object]]]:
    """Tasks that fell due and were not announced: one notice to the owner's desktop each."""
    query = (
        select(Task)
        .where(Task.status == "open", Task.notified_at.is_(None), Task.due_at <= now, Task.owner_id.is_not(None))
        .limit(500)
        .with_for_update(skip_locked=True)
    )
    notices: list[tuple[str, dict[str, object]]] = []
    for task in (await session.execute(query)).scalars().all():
        task.notified_at = now
        message: dict[str, object] = {"type": "reminder", "task_id": task.id, "title": task.title,
                                      "ticket_id": task.ticket_id, "customer_id": task.customer_id}  # fmt: skip
        notices.append((f"agent:{task.owner_id}", message))
    return notices
