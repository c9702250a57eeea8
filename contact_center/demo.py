"""`contact-center demo`: the embedded system on demo data, ready to click through in a minute."""

from __future__ import annotations

import asyncio
from pathlib import Path

import msgspec
from sqlalchemy import func, select

from contact_center import clock
from contact_center.auth import service as auth_service
from contact_center.commands import import_files
from contact_center.db.migrate import upgrade
from contact_center.db.session import create_engine, create_session_factory
from contact_center.demo_calls import DemoTelephony
from contact_center.models import AgentProfile, Customer, KbArticle, NlpModel, Offer, Queue, RepairFlag, User
from contact_center.settings import Settings

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


async def _prepare_assist(settings: Settings) -> None:
    """The knowledge base, the offer catalogue and a portal account, on first start."""
    from contact_center.analytics import flags
    from contact_center.analytics import service as analytics
    from contact_center.kb import articles
    from contact_center.offers import service as offer_service

    today = clock.today()
    engine = create_engine(settings.database)
    async with create_session_factory(engine)() as session, session.begin():
        if not (await session.execute(select(func.count()).select_from(KbArticle))).scalar_one():
            report = await articles.import_file(session, DEMO_DATA / "kb_articles.jsonl")
            print(f"knowledge base: {report.inserted} demo articles", flush=True)
        # Every demo offer missing by code: a demo database from before an offer was added gets it too.
        known = set((await session.execute(select(Offer.code))).scalars())
        for offer in DEMO_OFFERS:
            if offer["code"] not in known:
                await offer_service.create(session, msgspec.convert(offer, offer_service.OfferIn))
        if not (await session.execute(select(User.id).where(User.username == PORTAL_DEMO_USER))).first():
            tiers = await analytics.refresh_tiers(session, clock.today())  # the pyramid from purchases
            print(f"customer pyramid: {tiers}; co-ownership over {await offer_service.refresh_coownership(session)} "
                  "customers", flush=True)  # fmt: skip
            customer = (await session.execute(select(Customer).order_by(Customer.id).limit(1))).scalar()
            if customer is not None:
                await auth_service.add_user(session, PORTAL_DEMO_USER, "customer", display_name=customer.name,
                                            password=DEMO_PASSWORD, customer_id=customer.id)  # fmt: skip
        if not (await session.execute(select(func.count()).select_from(RepairFlag))).scalar_one():
            # The full scan runs every 6 h in the embedded mode, first after 6 h: flag the lemons now, so
            # their owners' screen-pops show the flag and the trade-in offer from the first call.
            flagged = await flags.record(session, flags.from_scan(await analytics.repair_anomalies(session, today)),
                                         today, full_scan=True)  # fmt: skip
            print(f"repair anomalies: {len(flagged)} flags for QA", flush=True)
        if not (await session.execute(select(func.count()).select_from(NlpModel))).scalar_one():
            from contact_center.nlp import service as nlp_service

            print("training the ticket classifier on the demo tickets ...", flush=True)
            result = await nlp_service.train_and_activate(session, settings.var_dir / "models" / "classifier")
            print("\n".join(nlp_service.report(result, worst=3)), flush=True)
    await engine.dispose()


async def _prepare(settings: Settings, customers: int) -> None:
    engine = create_engine(settings.database)
    sessions = create_session_factory(engine)
    async with sessions() as session, session.begin():
        if not (await session.execute(select(func.count()).select_from(User))).scalar_one():
            for username, role, name, extension in DEMO_USERS:
                await auth_service.add_user(
                    session, username, role, display_name=name, extension=extension, password=DEMO_PASSWORD
                )
            session.add(Queue(name="support", display_name="客服專線", description="Asterisk queue 'support'"))
            await session.flush()
            for username, skills in DEMO_SKILLS.items():
                user_id = (await session.execute(select(User.id).where(User.username == username))).scalar_one()
                session.add(AgentProfile(user_id=user_id, skills=skills, capacity=25, presence="available"))
        has_customers = (await session.execute(select(func.count()).select_from(Customer))).scalar_one() > 0
    await engine.dispose()
    if not has_customers:
        from contact_center.seed.generator import write_jsonl

        out = settings.var_dir / "demo-seed"
        print(f"generating {customers} demo customers with their history ...", flush=True)
        files = write_jsonl(out, customers, seed=1, as_of=clock.today())
        await import_files(settings, list(files.values()))
    await _prepare_assist(settings)


def _banner(settings: Settings, port: int, ami_port: int, calls_every: float) -> str:
    base = f"http://127.0.0.1:{port}"
    accounts = ", ".join(f"{u} ({r}{' ext ' + e if e else ''})" for u, r, _, e in DEMO_USERS)
    return "\n".join(
        [
            "",
            "Contact Center demo is running:",
            f"  agent desk     {base}/desk",
            f"  wallboard      {base}/wallboard   (sophia, admin, quinn)",
            f"  admin          {base}/admin/kb, {base}/admin/offers",
            f"  customer portal {base}/portal   account: {PORTAL_DEMO_USER} (a demo customer)",
            f"  sign in        {base}/login   accounts: {accounts}; password {DEMO_PASSWORD}",
            f"  health         {base}/health",
            f"  API schema     {base}/schema/openapi.json",
            f"  database       {settings.database.backend} ({settings.database.url.split('///')[-1]})",
            f"  channels/jobs  {settings.channels_backend} / {settings.jobs_backend}",
            f"  telephony      AMI simulator on 127.0.0.1:{ami_port}, CTI bridge connected; "
            + (f"a call every {calls_every:g} s to extensions 1001-1003" if calls_every > 0 else "no calls placed"),
            "Press Ctrl+C to stop.",
            "",
        ]
    )


def run(settings: Settings, *, port: int, customers: int, calls_every: float = 8.0) -> int:
    import uvicorn

    from contact_center.app import create_app

    settings.var_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.database.url)
    asyncio.run(_prepare(settings, customers))
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)

    async def serve() -> None:
        task = asyncio.create_task(server.serve())
        while not server.started and not task.done():  # noqa: ASYNC110  (uvicorn exposes a flag, not an event)
            await asyncio.sleep(0.05)
        if not server.started:
            await task
            return
        telephony = DemoTelephony(settings, port, calls_every)
        await telephony.start()
        print(_banner(settings, port, telephony.ami_port, calls_every), flush=True)
        try:
            await task
        finally:
            await telephony.stop()

    asyncio.run(serve())
    return 0
