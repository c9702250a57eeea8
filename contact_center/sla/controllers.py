"""REST endpoints for SLA policies and business calendars (read by staff, changed by leads)."""

from __future__ import annotations

from litestar import Controller, delete, get, post, put
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.auth.guards import STAFF, requires
from contact_center.models import Role
from contact_center.sla import calendars, policies

LEADS = (Role.ADMIN, Role.SUPERVISOR)


class SlaPolicyController(Controller):
    path = "/api/sla-policies"
    tags = ["service levels"]

    @get("/", guards=[requires(*STAFF)])
    async def list_policies(self, db_session: AsyncSession) -> list[policies.Policy]:
        """Every policy; for a ticket the most specific wins (priority and tier, priority, tier, default)."""
        return await policies.policies(db_session)

    @get("/{policy_id:int}", guards=[requires(*STAFF)])
    async def get_policy(self, db_session: AsyncSession, policy_id: int) -> policies.Policy:
        return await policies.policy(db_session, policy_id)

    @post("/", guards=[requires(*LEADS)])
    async def create_policy(self, db_session: AsyncSession, data: policies.PolicyWrite) -> policies.Policy:
        """Adds a policy for a priority and/or customer tier (409 when one already covers both)."""
        return await policies.create(db_session, data)

    @put("/{policy_id:int}", guards=[requires(*LEADS)])
    async def update_policy(
        self, db_session: AsyncSession, policy_id: int, data: policies.PolicyWrite
    ) -> policies.Policy:
        """Changes a policy; deadlines already set on tickets are kept."""
        return await policies.update(db_session, policy_id, data)

    @delete("/{policy_id:int}", guards=[requires(*LEADS)])
    async def delete_policy(self, db_session: AsyncSession, policy_id: int) -> None:
        """Removes a policy (not the default one)."""
        await policies.delete(db_session, policy_id)


class CalendarController(Controller):
    path = "/api/calendars"
    tags = ["service levels"]

    @get("/", guards=[requires(*STAFF)])
    async def list_calendars(self, db_session: AsyncSession) -> list[calendars.Calendar]:
        """Business calendars: weekly hours, holidays, make-up workdays (補班日)."""
        return await calendars.calendars(db_session)

    @get("/{name:str}", guards=[requires(*STAFF)])
    async def get_calendar(self, db_session: AsyncSession, name: str) -> calendars.Calendar:
        return await calendars.calendar(db_session, name)

    @put("/{name:str}", guards=[requires(*LEADS)])
    async def put_calendar(
        self, db_session: AsyncSession, name: str, data: calendars.CalendarWrite
    ) -> calendars.Calendar:
        """Creates or replaces a calendar (e.g. next year's holidays once the DGPA publishes them)."""
        return await calendars.put(db_session, name, data)

    @delete("/{name:str}", guards=[requires(*LEADS)])
    async def delete_calendar(self, db_session: AsyncSession, name: str) -> None:
        """Removes a calendar no policy uses (409 otherwise)."""
        await calendars.delete(db_session, name)
