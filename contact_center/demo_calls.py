"""The demo's telephone traffic: the AMI simulator, a CTI bridge talking real AMI to it over loopback
(the production code path), and a caller placing calls from demo customers every few seconds."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import socket

from sqlalchemy import func, select

from contact_center.auth import service as auth_service
from contact_center.db.session import create_engine, create_session_factory
from contact_center.models import CustomerPhone, User
from contact_center.settings import Settings
from cti_bridge.service import Bridge, BridgeConfig
from cti_bridge.simulator import AmiSimulator

log = logging.getLogger(__name__)
SCENARIOS = (("answered", 50), ("ring_no_answer_then_next", 20), ("abandoned", 15), ("blind_transfer", 15))
UNKNOWN_SHARE = 0.15
BRIDGE_USER = "demo-bridge"
FIRST_AGENT = "1001"  # alice


def _free_port(preferred: int) -> int:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            probe.bind(("127.0.0.1", 0))
            return int(probe.getsockname()[1])


async def _bridge_token(settings: Settings) -> tuple[str, list[str]]:
    """A token for the demo's bridge account, and the demo agents' extensions."""
    engine = create_engine(settings.database)
    async with create_session_factory(engine)() as session, session.begin():
        if await session.scalar(select(User.id).where(User.username == BRIDGE_USER)) is None:
            await auth_service.add_user(session, BRIDGE_USER, "pbx", display_name="Demo CTI bridge")
        token = await auth_service.create_token(session, BRIDGE_USER, label="demo")
        extensions = (await session.execute(select(User.extension).where(User.extension.is_not(None)))).scalars().all()
    await engine.dispose()
    return token, sorted(e for e in extensions if e)


async def _callers(settings: Settings, count: int = 200) -> list[str]:
    engine = create_engine(settings.database)
    async with create_session_factory(engine)() as session:
        numbers = (
            (await session.execute(select(CustomerPhone.e164).order_by(func.random()).limit(count))).scalars().all()
        )
    await engine.dispose()
    return ["0" + n[4:] if n.startswith("+886") else n for n in numbers]


class DemoTelephony:
    def __init__(self, settings: Settings, app_port: int, every: float) -> None:
        self.settings = settings
        self.app_port = app_port
        self.every = every
        self.simulator = AmiSimulator()
        self.ami_port = 0
        self._tasks: list[asyncio.Task[object]] = []
        self._bridge: Bridge | None = None

    async def start(self) -> None:
        self.ami_port = await self.simulator.start(port=_free_port(5038))
        token, extensions = await _bridge_token(self.settings)
        config = BridgeConfig(
            ami_port=self.ami_port,
            app_url=f"http://127.0.0.1:{self.app_port}",
            token=token,
            bridge_id="demo",
            spool_path=self.settings.var_dir / "demo-bridge.spool",
        )
        self._bridge = Bridge(config)
        self._tasks.append(asyncio.create_task(self._bridge.run()))
        await asyncio.wait_for(self._bridge.ami_ready.wait(), 10)
        await asyncio.wait_for(self._bridge.link.connected.wait(), 10)
        if self.every > 0 and extensions:
            self._tasks.append(asyncio.create_task(self._place_calls(extensions)))

    async def _place_calls(self, extensions: list[str]) -> None:
        rng = random.Random()
        callers = await _callers(self.settings)
        names = [name for name, _ in SCENARIOS]
        weights = [weight for _, weight in SCENARIOS]
        if callers:  # a known customer rings alice first: whoever opens her desk sees a pop straight away
            first = [FIRST_AGENT, *(e for e in extensions if e != FIRST_AGENT)][:2]
            with contextlib.suppress(Exception):
                await self.simulator.place_call("answered", callers[0], agents=first)
        while True:
            await asyncio.sleep(self.every)
            caller = (
                f"09{rng.randrange(10**8):08d}" if rng.random() < UNKNOWN_SHARE or not callers else rng.choice(callers)
            )
            agents = rng.sample(extensions, k=min(2, len(extensions)))
            scenario = rng.choices(names, weights)[0]
            with contextlib.suppress(Exception):  # a demo call that fails to start must not stop the next one
                await self.simulator.place_call(scenario, caller, agents=agents)

    async def stop(self) -> None:
        """Idempotent: the demo stops it before the server shuts down, and again on its way out."""
        if self._bridge is not None:
            self._bridge.stop()
        tasks, self._tasks, self._bridge = self._tasks, [], None
        for task in tasks[1:]:  # the caller; the bridge (first) hands over what is in flight and stops
            task.cancel()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 10)
        await self.simulator.stop()
