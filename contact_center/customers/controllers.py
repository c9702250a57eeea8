"""REST endpoints for customers."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.access.web import log_access
from contact_center.auth.guards import DESK, STAFF, requires
from contact_center.customers import history as customer_history
from contact_center.customers import schemas as s
from contact_center.customers import service as customer_service
from contact_center.models import Role
from contact_center.pagination import DEFAULT_LIMIT, Page


class CustomerController(Controller):
    path = "/api/customers"
    tags = ["customers"]

    @get("/", guards=[requires(*STAFF)])
    async def list_customers(
        self,
        db_session: AsyncSession,
        q: str | None = Parameter(default=None, description="name prefix, phone number or external id"),
        city: str | None = None,
        tier: str | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page[s.Customer]:
        """Searches customers."""
        return await customer_service.search(db_session, q=q, city=city, tier=tier, limit=limit, offset=offset)

    @post("/", guards=[requires(*DESK)])
    async def create_customer(self, db_session: AsyncSession, data: s.CustomerCreate) -> s.Customer:
        """Creates a customer."""
        customer = await customer_service.create(db_session, data)
        return customer_service.to_schema(customer)

    @get("/lookup", guards=[requires(*STAFF)])
    async def lookup(
        self, db_session: AsyncSession, phone: str = Parameter(min_length=1, max_length=64)
    ) -> s.LookupResult:
        """Every customer with this phone number, in any Taiwanese or international format."""
        return await customer_service.lookup_by_phone(db_session, phone)

    @get("/{customer_id:int}", guards=[requires(*STAFF)])
    async def get_customer(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, customer_id: int
    ) -> s.Customer:
        """One customer's profile (the look is written to the access log)."""
        customer = customer_service.to_schema(await customer_service.get(db_session, customer_id))
        log_access(request, db_session, customer_id)
        return customer

    @patch("/{customer_id:int}", guards=[requires(*DESK)])
    async def update_customer(self, db_session: AsyncSession, customer_id: int, data: s.CustomerUpdate) -> s.Customer:
        """Changes a customer's profile."""
        customer = await customer_service.update(db_session, customer_id, data)
        return customer_service.to_schema(customer)

    @post("/{customer_id:int}/phones", guards=[requires(*DESK)])
    async def add_phone(self, db_session: AsyncSession, customer_id: int, data: s.PhoneIn) -> s.Customer:
        """Adds a number to a customer (e.g. an unknown caller's number, from the screen-pop)."""
        customer = await customer_service.add_phone(db_session, customer_id, data)
        return customer_service.to_schema(customer)

    @delete("/{customer_id:int}", guards=[requires(Role.ADMIN)])
    async def delete_customer(self, db_session: AsyncSession, customer_id: int) -> None:
        """Deletes a customer (admins only)."""
        await customer_service.delete(db_session, customer_id)

    @get("/{customer_id:int}/history", guards=[requires(*STAFF)])
    async def history(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        customer_id: int,
        tickets_limit: int = 20,
        tickets_offset: int = 0,
    ) -> s.CustomerHistory:
        """The single customer view: profile, assets and warranty, tickets, contacts, value, satisfaction
        (the look is written to the access log)."""
        view = await customer_history.history(
            db_session, customer_id, tickets_limit=tickets_limit, tickets_offset=tickets_offset
        )
        log_access(request, db_session, customer_id)
        return view
