"""The access log seen from HTTP: who (the signed-in user), through what (page or API route), from where."""

from __future__ import annotations

from typing import Any

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.access import service as access_service
from contact_center.auth.controllers import caller_address
from contact_center.auth.guards import current_user


def log_access(request: Request[Any, Any, Any], db_session: AsyncSession, customer_id: int) -> None:
    user = current_user(request)
    template = str(request.scope.get("path_template") or request.url.path)
    via = f"{'api' if template.startswith('/api/') else 'page'} {request.method} {template}"
    access_service.record(db_session, user.id if user else None, customer_id, via, caller_address(request))
