"""The Litestar application: the composition root that wires domains, pages, auth and the database."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from advanced_alchemy.extensions.litestar import AsyncSessionConfig, SQLAlchemyAsyncConfig, SQLAlchemyPlugin
from litestar import Litestar, Router
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.logging.config import LoggingConfig
from litestar.middleware import DefineMiddleware
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.stores.base import Store
from litestar.stores.redis import RedisStore
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from agent_ui import pages
from agent_ui.admin_pages import ADMIN_ROUTES
from agent_ui.desk_lists_pages import DESK_LIST_ROUTES
from agent_ui.portal_pages import PORTAL_ROUTES
from agent_ui.qa_pages import QA_ROUTES
from agent_ui.ticket_pages import TICKET_ROUTES
from contact_center import jobs
from contact_center.access.controllers import access_log
from contact_center.analytics.controllers import AnalyticsController
from contact_center.analytics.watch import RepairWatch
from contact_center.auth.controllers import AccessController, AuthController
from contact_center.auth.guards import public
from contact_center.auth.middleware import AuthMiddleware, TokenCache, session_middleware
from contact_center.auth.origin import OriginCheck, trusted_origins
from contact_center.auth.throttle import LoginThrottle
from contact_center.calls.controllers import (
    AgentDisplayController,
    CallController,
    CtiController,
    DispositionController,
    zammad_cti,
)
from contact_center.calls.flows import CallDesk
from contact_center.calls.sockets import agent_socket, cti_socket
from contact_center.customers.controllers import CustomerController
from contact_center.db.session import create_engine, create_session_factory
from contact_center.health import health
from contact_center.input_limits import InputLimits
from contact_center.interactions.controllers import InteractionController
from contact_center.kb.controllers import KbController
from contact_center.kb.search import KbSearch
from contact_center.mail import outbound
from contact_center.metrics import RequestTiming, metrics
from contact_center.nlp.controllers import NlpController
from contact_center.nlp.service import ClassifierHolder
from contact_center.offers.controllers import OfferController
from contact_center.openapi_errors import ErrorDocumentingJson
from contact_center.portal.controllers import csat_link, portal_api
from contact_center.redis_channels import ResilientRedisBackend
from contact_center.routing.controllers import (
    AgentRoutingController,
    AssignController,
    QueueController,
    RoutingRuleController,
)
from contact_center.settings import Settings, get_settings
from contact_center.sla.controllers import CalendarController, SlaPolicyController
from contact_center.tasks.controllers import TaskController
from contact_center.tickets.controllers import MacroController, TicketController, attachment_file
from contact_center.tickets.writer import TicketWriter
from contact_center.wallboard.controllers import supervisor_socket, wallboard
from contact_center.wallboard.feed import WallboardFeed
from contact_center.web_errors import EXCEPTION_HANDLERS


def _channels(settings: Settings) -> tuple[ChannelsPlugin, ResilientRedisBackend | None]:
    """The channels plugin, and its Redis backend when there is one (for /health and the sockets)."""
    if settings.redis_url:
        # Timeouts: a Redis that stops answering (no FIN) must not hold a publish or /health for ever.
        redis = Redis.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=5)
        backend = ResilientRedisBackend(redis=redis, key_prefix=settings.channels_prefix)
        return ChannelsPlugin(backend=backend, arbitrary_channels_allowed=True), backend
    return ChannelsPlugin(backend=MemoryChannelsBackend(), arbitrary_channels_allowed=True), None


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    engine = create_engine(settings.database)
    session_factory = create_session_factory(engine)
    db_config = SQLAlchemyAsyncConfig(
        engine_instance=engine,
        session_config=AsyncSessionConfig(expire_on_commit=False),
        # Redirects too: a page that signs in (using up a recovery code, say) answers with one.
        before_send_handler="autocommit_include_redirects",
        set_default_exception_handler=False,
        # No file-object columns, and `updated_at` has its own onupdate: these flush hooks walk every
        # pending object for nothing (~0.25 ms a write request).
        enable_file_object_listener=False,
        enable_touch_updated_timestamp_listener=False,
    )
    channels, redis_backend = _channels(settings)
    reads = create_session_factory(engine.execution_options(isolation_level="AUTOCOMMIT"))
    cookie_secret = hashlib.sha256(settings.secret_key.encode()).digest()
    session_config = CookieBackendConfig(
        secret=cookie_secret, key="cc_session", samesite="lax", secure=settings.secure_cookies, httponly=True
    )

    feed = WallboardFeed(reads)

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        async with feed.running():
            if settings.redis_url:  # arq workers run the jobs
                yield
            else:  # embedded: the same jobs on an in-process scheduler

                async def publish(channel: str, data: bytes) -> None:
                    channels.publish(data, channel)
                    feed.changed()

                mail = outbound.configured(settings.smtp_url, settings.mail_from, settings.mail_addresses)
                async with jobs.in_process(
                    session_factory, publish, models_dir=settings.var_dir / "models" / "classifier", mail=mail
                ):
                    yield
        await engine.dispose()

    return Litestar(
        route_handlers=[
            health,
            metrics,
            attachment_file,
            AuthController,
            AccessController,
            access_log,
            CustomerController,
            InteractionController,
            TicketController,
            MacroController,
            DispositionController,
            CtiController,
            zammad_cti,
            CallController,
            AgentDisplayController,
            QueueController,
            AgentRoutingController,
            AssignController,
            RoutingRuleController,
            SlaPolicyController,
            CalendarController,
            portal_api,
            KbController,
            OfferController,
            NlpController,
            AnalyticsController,
            csat_link,
            TaskController,
            wallboard,
            supervisor_socket,
            cti_socket,
            agent_socket,
            *pages.ROUTES,
            *PORTAL_ROUTES,
            *ADMIN_ROUTES,
            *QA_ROUTES,
            *TICKET_ROUTES,
            *DESK_LIST_ROUTES,
        ],
        plugins=[SQLAlchemyPlugin(config=db_config), channels],
        middleware=[
            RequestTiming(),
            InputLimits(),
            session_middleware(session_config),
            DefineMiddleware(AuthMiddleware),
            OriginCheck(trusted_origins(settings.app_url, settings.trusted_origins)),
        ],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        template_config=pages.template_config(),
        csrf_config=CSRFConfig(secret=settings.secret_key, cookie_name="cc_csrf", exclude=["/api", "/ws"]),
        openapi_config=OpenAPIConfig(
            title="Contact Center API",
            version="0.1.0",
            path="/schema",
            render_plugins=[ErrorDocumentingJson()],
            components=Components(
                security_schemes={
                    "BearerToken": SecurityScheme(
                        type="http", scheme="bearer", description="contact-center token create"
                    ),
                    "SessionCookie": SecurityScheme(type="apiKey", name="cc_session", security_scheme_in="cookie"),
                }
            ),
            security=[{"BearerToken": []}, {"SessionCookie": []}],
            # The schema documents the API; it holds no data, so it is public, and declared so.
            openapi_router=Router(path="/schema", route_handlers=[], guards=[public]),
        ),
        lifespan=[lifespan],
        state=_state(settings, session_factory, channels, reads, feed, redis_backend),
        stores=_stores(settings),
        debug=os.environ.get("CC_DEBUG") == "1",
        # An unexpected error is logged with its traceback, not only in debug mode.
        logging_config=LoggingConfig(
            root={"handlers": ["queue_listener"], "level": settings.log_level},
            formatters={"standard": {"()": "contact_center.logs.redacting_formatter"}},
            log_exceptions="always",
            disable_stack_trace={404, NotAuthorizedException, PermissionDeniedException},
        ),
    )


def _stores(settings: Settings) -> dict[str, Store]:
    """The portal's rate limit counts in Redis when there is one, so it holds across app instances."""
    if not settings.redis_url:
        return {}
    return {"rate_limit": RedisStore.with_client(settings.redis_url, namespace=f"{settings.channels_prefix}-rate")}


def _state(
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    channels: ChannelsPlugin,
    reads: async_sessionmaker[AsyncSession],
    feed: WallboardFeed,
    redis_backend: ResilientRedisBackend | None,
) -> State:
    return State(
        {
            "settings": settings,
            "session_factory": session_factory,
            "token_cache": TokenCache(),
            "call_desk": CallDesk(session_factory, channels, reads=reads, on_change=feed.changed),
            "wallboard": feed,
            "kb_search": KbSearch(),
            "classifier": ClassifierHolder(),
            "repair_watch": RepairWatch(),
            "ticket_writer": TicketWriter(session_factory),
            "redis_channels": redis_backend,
            "login_throttle": LoginThrottle(
                Redis.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=2)
                if settings.redis_url
                else None,
                settings.channels_prefix,
            ),
        }
    )
