"""`contact-center demo`: the embedded system on demo data, ready to click through in a minute.

The server answers first (migrations and the staff accounts take a second or two); the demo data, the
knowledge base and offers, the simulated telephony and then the classifier follow while it serves.
Training the classifier is minutes of CPU: it runs in a process of its own, and until it is done the
desk simply proposes no category."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
from sqlalchemy import func, select

from contact_center import clock
from contact_center.auth import service as auth_service
from contact_center.commands import import_files
from contact_center.db.migrate import upgrade_async
from contact_center.db.session import create_engine, create_session_factory
from contact_center.demo_calls import DemoTelephony
from contact_center.models import AgentProfile, Customer, KbArticle, Macro, NlpModel, Offer, Queue, RepairFlag, User
from contact_center.settings import Settings

if TYPE_CHECKING:
    from litestar import Litestar

DEMO_SKILLS = {
    "alice": {"aircon": 4, "billing": 2},
    "bob": {"aircon": 2, "washer": 3, "billing": 3},
    "carol": {"fridge": 3, "installation": 4},
}
DEMO_PASSWORD = "demo1234"  # noqa: S105  (the demo's published password, printed at start)
DEMO_USERS = (
    ("admin", "admin", "系統管理員", None),
    ("sophia", "supervisor", "王淑芬 主管", None),
    ("alice", "agent", "陳怡君 Alice", "1001"),
    ("bob", "agent", "林志豪 Bob", "1002"),
    ("carol", "agent", "黃美玲 Carol", "1003"),
    ("quinn", "qa", "張家瑋 品管", None),
)


DEMO_DATA = Path(__file__).parent / "demo_data"
DEMO_OFFERS = [
    {"code": "AC-RENEW", "title": "冷氣以舊換新 舊機回收折 3,000", "product_model": "RAC-36NK",
     "rules": {"owns": ["RAC", "WAC"], "min_repairs": 2, "repairs_within_months": 6},
     "description": "同一台冷氣半年內報修兩次以上：建議換新機，舊機回收折抵。"},
    {"code": "EXT-WARRANTY", "title": "延長保固 2 年", "product_model": "EXT-2Y",
     "rules": {"warranty_ends_within_days": 30}, "description": "保固 30 天內到期的產品可加購延長保固。"},
    {"code": "AC-OLD", "title": "老冷氣節能換機", "product_model": "RAC-28NK",
     "rules": {"owns": ["RAC", "WAC"], "min_asset_age_years": 8, "cue_words": ["電費", "耗電", "很吵", "不冷"]},
     "description": "機齡 8 年以上的冷氣：新一級能效機種每年可省電費。"},
    {"code": "DH-ADD", "title": "除濕機 梅雨季優惠", "product_model": "DH-18T",
     "rules": {"not_owns": ["DH"], "cue_words": ["潮濕", "發霉", "除濕", "濕氣"], "required_cue": True},
     "description": "提到家裡潮濕、發霉時推薦；已有除濕機者不推薦。"},
    {"code": "VIP-CLEAN", "title": "VIP 免費冷氣清洗一次", "product_model": "SVC-CLEAN",
     "rules": {"tiers": ["vip"], "owns": ["RAC", "WAC", "CAC"]}, "description": "VIP 客戶專屬。"},
    {"code": "TRADE-IN", "title": "報修異常機台 以舊換新 舊機回收折 5,000", "product_model": "SVC-TRADEIN",
     "rules": {"abnormal_repairs": True},
     "description": "品管標記為報修頻率異常的機台（同型號同機齡的數倍）：建議以舊換新，舊機回收折抵。"},
]  # fmt: skip
PORTAL_DEMO_USER = "mei"
DEMO_MACROS = [
    {"title": "已安排技師到府", "lang": "zh-Hant",
     "body": "{customer_name} 您好，關於案件 #{ticket_id}（{subject}），我們已安排技師到府檢修，"
             "出發前會先以電話與您確認時間。客服 {agent_name} 敬上"},
    {"title": "請提供機身序號", "lang": "zh-Hant",
     "body": "{customer_name} 您好，為了確認保固與機型，麻煩您提供機身側面貼紙上的序號（可拍照回覆）。謝謝！"},
    {"title": "Technician booked", "lang": "en",
     "body": "Dear {customer_name}, about ticket #{ticket_id} ({subject}): a technician will visit; "
             "we will call to confirm the time first. {agent_name}"},
]  # fmt: skip


async def _prepare_assist(settings: Settings) -> str:
    """The knowledge base, the offer catalogue, customer tiers, repair flags and the portal account."""
    from contact_center.analytics import flags
    from contact_center.analytics import service as analytics
    from contact_center.kb import articles
    from contact_center.offers import service as offer_service
    from contact_center.tickets import macros

    today = clock.today()
    done: list[str] = []
    engine = create_engine(settings.database)
    async with create_session_factory(engine)() as session, session.begin():
        if not (await session.execute(select(func.count()).select_from(KbArticle))).scalar_one():
            report = await articles.import_file(session, DEMO_DATA / "kb_articles.jsonl")
            done.append(f"{report.inserted} articles")
        # Every demo offer missing by code: a demo database from before an offer was added gets it too.
        known = set((await session.execute(select(Offer.code))).scalars())
        missing = [offer for offer in DEMO_OFFERS if offer["code"] not in known]
        for offer in missing:
            await offer_service.create(session, msgspec.convert(offer, offer_service.OfferIn))
        if missing:
            done.append(f"{len(missing)} offers")
        if not (await session.execute(select(func.count()).select_from(Macro))).scalar_one():
            for macro in DEMO_MACROS:
                await macros.create(session, msgspec.convert(macro, macros.MacroIn), None)
            done.append(f"{len(DEMO_MACROS)} canned replies")
        if not (await session.execute(select(User.id).where(User.username == PORTAL_DEMO_USER))).first():
            tiers = await analytics.refresh_tiers(session, today)  # the pyramid from purchases
            await offer_service.refresh_coownership(session)
            done.append("tiers " + ", ".join(f"{tier} {n:,}" for tier, n in tiers.items()))
            customer = (await session.execute(select(Customer).order_by(Customer.id).limit(1))).scalar()
            if customer is not None:
                await auth_service.add_user(session, PORTAL_DEMO_USER, "customer", display_name=customer.name,
                                            password=DEMO_PASSWORD, customer_id=customer.id)  # fmt: skip
                done.append(f"portal account {PORTAL_DEMO_USER} ({customer.name})")
        if not (await session.execute(select(func.count()).select_from(RepairFlag))).scalar_one():
            # The full scan runs every 6 h in the embedded mode, first after 6 h: flag the lemons now, so
            # their owners' screen-pops show the flag and the trade-in offer from the first call.
            flagged = await flags.record(session, flags.from_scan(await analytics.repair_anomalies(session, today)),
                                         today, full_scan=True)  # fmt: skip
            done.append(f"{len(flagged)} repair flags")
    await engine.dispose()
    return "; ".join(done) or "already prepared"


async def _prepare_accounts(settings: Settings) -> str:
    """The demo's staff, its queue and the agents' skills: enough to sign in while the data loads."""
    engine = create_engine(settings.database)
    async with create_session_factory(engine)() as session, session.begin():
        if (await session.execute(select(func.count()).select_from(User))).scalar_one():
            await engine.dispose()
            return "already there"
        for username, role, name, extension in DEMO_USERS:
            await auth_service.add_user(
                session, username, role, display_name=name, extension=extension, password=DEMO_PASSWORD
            )
        session.add(Queue(name="support", display_name="客服專線", description="Asterisk queue 'support'"))
        await session.flush()
        for username, skills in DEMO_SKILLS.items():
            user_id = (await session.execute(select(User.id).where(User.username == username))).scalar_one()
            session.add(AgentProfile(user_id=user_id, skills=skills, capacity=25, presence="available"))
    await engine.dispose()
    return ", ".join(u for u, *_ in DEMO_USERS) + f"; password {DEMO_PASSWORD}"


async def _prepare_data(settings: Settings, customers: int) -> str:
    engine = create_engine(settings.database)
    async with create_session_factory(engine)() as session:
        existing = (await session.execute(select(func.count()).select_from(Customer))).scalar_one()
    await engine.dispose()
    if existing:
        return f"already loaded: {existing:,} customers"
    from contact_center.seed.generator import write_jsonl

    files = write_jsonl(settings.var_dir / "demo-seed", customers, seed=1, as_of=clock.today())
    reports = await import_files(settings, list(files.values()), quiet=True)
    return ", ".join(f"{r.inserted:,} {NOUNS.get(r.kind, r.kind)}" for r in reports)


NOUNS = {"assets": "products owned", "interactions": "contacts"}


async def _needs_classifier(settings: Settings) -> bool:
    engine = create_engine(settings.database)
    async with create_session_factory(engine)() as session:
        count = (await session.execute(select(func.count()).select_from(NlpModel))).scalar_one()
    await engine.dispose()
    return count == 0


async def _train_classifier(settings: Settings, app: Litestar) -> None:
    """`contact-center nlp train` in a process of its own: minutes of CPU that must not slow the calls.
    The desk works meanwhile; category proposals start when the model is active."""
    env = {**os.environ, "CC_VAR_DIR": str(settings.var_dir), "DATABASE_URL": settings.database.url,
           "LOG_LEVEL": "WARNING"}  # fmt: skip
    started = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "contact_center", "nlp", "train",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        output, _ = await process.communicate()
    except asyncio.CancelledError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
        raise
    lines = output.decode(errors="replace").splitlines()
    if process.returncode != 0:
        _step("classifier", "failed: " + (lines[-1] if lines else f"exit {process.returncode}"), started)
        return
    app.state.classifier.changed()  # load it on the next proposal, not at the next periodic check
    summary = next((line for line in lines if line.startswith("held-out")), "trained")
    _step("classifier", f"ready; {summary}", started)


def _step(name: str, detail: str, started: float | None = None) -> None:
    """One line per start-up step: what it did and how long it took."""
    took = f" ({time.monotonic() - started:.1f} s)" if started is not None else ""
    print(f"  {name:<12} {detail}{took}", flush=True)


def _banner(settings: Settings, port: int) -> str:
    base = f"http://127.0.0.1:{port}"
    accounts = ", ".join(f"{u} ({r}{' ext ' + e if e else ''})" for u, r, _, e in DEMO_USERS)
    return "\n".join(
        [
            "",
            "Contact Center demo is running:",
            f"  agent desk      {base}/desk   (sign in as alice: the first demo call rings her)",
            f"  wallboard       {base}/wallboard   (sophia, admin, quinn)",
            f"  QA dashboard    {base}/qa   (quinn)",
            f"  admin           {base}/admin/kb, {base}/admin/offers",
            f"  customer portal {base}/portal   account: {PORTAL_DEMO_USER} (a demo customer)",
            f"  sign in         {base}/login   accounts: {accounts}; password {DEMO_PASSWORD}",
            f"  health          {base}/health",
            f"  API schema      {base}/schema/openapi.json",
            f"  database        {settings.database.backend} ({settings.database.url.split('///')[-1]})",
            f"  channels/jobs   {settings.channels_backend} / {settings.jobs_backend}",
            "Press Ctrl+C to stop.",
            "",
        ]
    )


async def _serve(settings: Settings, port: int, customers: int, calls_every: float) -> None:
    import uvicorn

    from contact_center.app import create_app

    started = time.monotonic()
    await upgrade_async(settings.database.url)
    _step("database", f"{settings.database.backend} at {settings.database.url.split('///')[-1]}, migrated", started)
    started = time.monotonic()
    _step("accounts", await _prepare_accounts(settings), started)
    started = time.monotonic()
    app = create_app(settings)
    telephony = DemoTelephony(settings, port, calls_every)

    class Server(uvicorn.Server):
        async def shutdown(self, sockets: Any = None) -> None:
            await telephony.stop()  # the bridge first: it would otherwise warn that the app went away
            await super().shutdown(sockets)

    server = Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started and not task.done():  # noqa: ASYNC110  (uvicorn exposes a flag, not an event)
        await asyncio.sleep(0.02)
    if not server.started:
        await task  # uvicorn said why (the port is taken, say)
        return
    _step("server", f"answering on http://127.0.0.1:{port}", started)
    print(_banner(settings, port), flush=True)
    background: list[asyncio.Task[None]] = []
    try:
        started = time.monotonic()
        _step("demo data", await _prepare_data(settings, customers), started)
        started = time.monotonic()
        _step("assist", await _prepare_assist(settings), started)
        started = time.monotonic()
        await telephony.start()
        every = f"then one every {calls_every:g} s to 1001-1003" if calls_every > 0 else "no calls placed"
        _step("telephony", f"AMI simulator on 127.0.0.1:{telephony.ami_port}, bridge logged in; "
                           f"first call rings alice (1001) now, {every}", started)  # fmt: skip
        if await _needs_classifier(settings):
            _step("classifier", "training in the background; the desk proposes categories once it is ready")
            background.append(asyncio.create_task(_train_classifier(settings, app)))
        await task
    finally:
        for job in background:
            job.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        await telephony.stop()
        if not task.done():
            server.should_exit = True
            await task


def run(settings: Settings, *, port: int, customers: int, calls_every: float = 8.0) -> int:
    """Serves within seconds; the demo data, the telephony and the classifier follow in the background."""
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    print(f"Contact Center demo: {settings.var_dir}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(settings, port, customers, calls_every))
    return 0
