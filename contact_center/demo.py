"""`contact-center demo`: the embedded system on demo data, ready to click through in a minute."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import func, select

from contact_center.auth import service as auth_service
from contact_center.commands import import_files
from contact_center.db.migrate import upgrade
from contact_center.db.session import create_engine, create_session_factory
from contact_center.demo_calls import DemoTelephony
from contact_center.models import AgentProfile, Customer, Queue, User
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
        files = write_jsonl(out, customers, seed=1, as_of=dt.date.today())
        await import_files(settings, list(files.values()))


def _banner(settings: Settings, port: int, ami_port: int, calls_every: float) -> str:
    base = f"http://127.0.0.1:{port}"
    accounts = ", ".join(f"{u} ({r}{' ext ' + e if e else ''})" for u, r, _, e in DEMO_USERS)
    return "\n".join(
        [
            "",
            "Contact Center demo is running:",
            f"  agent desk     {base}/desk",
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
