"""The AMI simulator, spoken to over a raw socket and compared with the real Asterisk 22 transcripts."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from cti_bridge.frames import Frame, FrameReader, encode, read_transcript
from cti_bridge.simulator import BANNER, AmiSimulator
from cti_bridge.simulator_scenarios import QUEUE_CALLS, SCENARIO_DIR, SCENARIO_FILES, SESSION_EVENTS

FIXTURES = Path(__file__).parents[2] / "fixtures" / "asterisk-ami"
LOGIN = {"Action": "Login", "Username": "cc", "Secret": "cc-secret", "Events": "on", "ActionID": "login-1"}


def recorded(name: str) -> list[Frame]:
    return read_transcript((FIXTURES / name).read_bytes())[1]


def recorded_call_events(file: str) -> list[str]:
    return [f["Event"] for f in recorded(file) if "Timestamp" in f and f.get("Event") not in SESSION_EVENTS]


def mentions(frames: list[Frame], *tokens: str) -> list[str]:
    """The recorded identities still present as whole words (timestamps and fresh random UUIDs aside)."""
    found = re.compile(r"(?<![0-9A-Za-z+])(" + "|".join(map(re.escape, tokens)) + r")(?![0-9A-Za-z])")
    uuid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    values = [uuid.sub("", v) for f in frames for k, v in f.items() if k != "Timestamp"]
    return [m for v in values for m in found.findall(v)]


def first(frames: list[Frame], event: str) -> Frame:
    return next(f for f in frames if f.get("Event") == event)


class Client:
    """A bare AMI client: bytes in, frames out."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.parser = FrameReader(expect_banner=False)
        self.pending: list[Frame] = []

    @classmethod
    async def open(cls, port: int, login: bool = True, **extra: str) -> Client:
        client = cls(*await asyncio.open_connection("127.0.0.1", port))
        assert await client.reader.readline() == BANNER
        if login:
            client.send({**LOGIN, **extra})
            assert (await client.next())["Response"] == "Success"
            if extra.get("Events", "on") == "on":  # then FullyBooted, and our own SuccessfulAuth
                await client.until(lambda f: f.get("Event") == "SuccessfulAuth")
        return client

    def send(self, frame: Frame) -> None:
        self.writer.write(encode(frame))

    async def next(self, within: float = 5) -> Frame:
        while not self.pending:
            data = await asyncio.wait_for(self.reader.read(65536), within)
            if not data:
                raise EOFError
            self.pending.extend(self.parser.feed(data))
        return self.pending.pop(0)

    async def until(self, done: Callable[[Frame], bool], within: float = 5) -> list[Frame]:
        frames = [await self.next(within)]
        while not done(frames[-1]):
            frames.append(await self.next(within))
        return frames

    async def ask(self, frame: Frame) -> list[Frame]:
        """Send an action; its response, and for a list action its items up to `…Complete`."""
        self.send(frame)
        out = await self.until(lambda f: f.get("ActionID") == frame["ActionID"] and "Response" in f)
        response = out[-1]
        if response.get("EventList") == "start":
            out += await self.until(lambda f: f.get("EventList") == "Complete")
            return [response, *[f for f in out[:-1] if f.get("ActionID") == frame["ActionID"]][1:], out[-1]]
        return [response]

    async def closed_by_peer(self, within: float = 5) -> bool:
        try:
            while await asyncio.wait_for(self.reader.read(65536), within):
                pass
        except ConnectionError:
            pass
        self.close()
        return True

    def close(self) -> None:
        self.writer.close()


@pytest.fixture
async def sim() -> AsyncIterator[AmiSimulator]:
    simulator = AmiSimulator(originate_speed=0)
    await simulator.start()
    yield simulator
    await simulator.stop()


def port(sim: AmiSimulator) -> int:
    return sim.port


async def call_events(client: Client, linkedid: str, hangups: int = 2) -> list[Frame]:
    """The call's events (those of its Linkedid and the queue/member events between) up to its last Hangup."""
    frames: list[Frame] = []
    while sum(1 for f in frames if f.get("Event") == "Hangup" and f.get("Linkedid") == linkedid) < hangups:
        frames.append(await client.next())
    return frames


# ---- session ---------------------------------------------------------------------------------------------
async def test_banner_is_the_asterisk_greeting(sim: AmiSimulator) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port(sim))
    assert await asyncio.wait_for(reader.readexactly(len(BANNER)), 5) == b"Asterisk Call Manager/11.0.0\r\n"
    writer.close()


async def test_login_accepted_then_fully_booted(sim: AmiSimulator) -> None:
    client = await Client.open(port(sim), login=False)
    client.send(LOGIN)
    assert await client.next() == {"Response": "Success", "ActionID": "login-1", "Message": "Authentication accepted"}
    booted = await client.next()
    assert booted["Event"] == "FullyBooted" and booted["Status"] == "Fully Booted" and "Timestamp" not in booted
    assert (await client.next())["Event"] == "SuccessfulAuth"
    client.close()


async def test_login_failure_is_byte_exact_and_closes_and_others_hear_of_it(sim: AmiSimulator) -> None:
    watcher = await Client.open(port(sim))
    reader, writer = await asyncio.open_connection("127.0.0.1", port(sim))
    writer.write(encode({**LOGIN, "Secret": "wrong-secret"}))
    received = await asyncio.wait_for(reader.read(), 5)  # read() returns at EOF: the server closed
    assert received == (FIXTURES / "06-login-failure.log").read_bytes()
    alert = await watcher.next()
    assert alert["Event"] == "InvalidPassword" and alert["AccountID"] == "cc" and alert["Service"] == "AMI"
    writer.close()
    watcher.close()


async def test_actions_before_login_are_denied(sim: AmiSimulator) -> None:
    client = await Client.open(port(sim), login=False)
    client.send({"Action": "Ping", "ActionID": "p"})
    assert await client.next() == {"Response": "Error", "ActionID": "p", "Message": "Permission denied"}
    client.close()


async def test_ping_answers_like_asterisk(sim: AmiSimulator) -> None:
    client = await Client.open(port(sim))
    [pong] = await client.ask({"Action": "Ping", "ActionID": "ping-1"})
    recorded_pong = next(f for f in recorded("07-resync-actions.log") if f.get("Ping"))
    assert list(pong) == list(recorded_pong) == ["Response", "ActionID", "Ping", "Timestamp"]
    assert pong["Ping"] == "Pong" and abs(float(pong["Timestamp"]) - time.time()) < 5
    client.close()


async def test_unknown_action_is_an_error(sim: AmiSimulator) -> None:
    client = await Client.open(port(sim))
    [error] = await client.ask({"Action": "FlyMeToTheMoon", "ActionID": "x-1"})
    assert error["Response"] == "Error" and error["ActionID"] == "x-1"
    assert error["Message"].startswith("Invalid/unknown command")
    client.close()


async def test_every_action_is_recorded_for_assertions(sim: AmiSimulator) -> None:
    client = await Client.open(port(sim))
    await client.ask({"Action": "Ping", "ActionID": "p-2"})
    assert [a["Action"] for a in sim.actions] == ["Login", "Ping"] and sim.actions[1]["ActionID"] == "p-2"
    client.close()


async def test_logoff_says_goodbye_and_closes(sim: AmiSimulator) -> None:
    client = await Client.open(port(sim))
    [bye] = await client.ask({"Action": "Logoff", "ActionID": "logoff-1"})
    assert bye == {"Response": "Goodbye", "ActionID": "logoff-1", "Message": "Thanks for all the fish."}
    assert await client.closed_by_peer()


async def test_events_off_and_untimestamped_events(sim: AmiSimulator) -> None:
    quiet = await Client.open(port(sim), Events="off")
    loud = await Client.open(port(sim))
    sim.timestamp_events = False
    linkedid = await sim.place_call("answered", "0911000222", speed=0)
    frames = await call_events(loud, linkedid)
    assert all("Timestamp" not in f for f in frames)
    quiet.send({"Action": "Ping", "ActionID": "q"})
    [pong] = await quiet.until(lambda f: f.get("ActionID") == "q")  # no event came before the answer
    assert pong["Ping"] == "Pong"
    quiet.close()
    loud.close()


# ---- lists ---------------------------------------------------------------------------------------------------
async def test_idle_lists_have_the_recorded_shape(sim: AmiSimulator) -> None:
    client = await Client.open(port(sim))
    status = await client.ask({"Action": "QueueStatus", "ActionID": "qs-idle", "Queue": "support"})
    rec = recorded("07-resync-actions.log")
    assert status[0] == {
        "Response": "Success", "ActionID": "qs-idle", "EventList": "start", "Message": "Queue status will follow",
    }  # fmt: skip
    assert [f["Event"] for f in status[1:]] == [
        "QueueParams",
        "QueueMember",
        "QueueMember",
        "QueueMember",
        "QueueStatusComplete",
    ]
    assert list(status[1]) == list(first(rec, "QueueParams"))
    assert list(status[2]) == list(first(rec, "QueueMember"))
    assert [m["Name"] for m in status[2:5]] == ["Agent Alice", "Agent Bob", "Agent Carol"]
    assert status[-1] == {
        "Event": "QueueStatusComplete",
        "ActionID": "qs-idle",
        "EventList": "Complete",
        "ListItems": "4",
    }
    channels = await client.ask({"Action": "CoreShowChannels", "ActionID": "csc-idle"})
    assert channels[0]["Message"] == "Channels will follow"
    assert channels[1] == {
        "Event": "CoreShowChannelsComplete", "ActionID": "csc-idle", "EventList": "Complete", "ListItems": "0",
    }  # fmt: skip
    client.close()


async def test_lists_tell_the_truth_mid_call(sim: AmiSimulator) -> None:
    client = await Client.open(port(sim))
    sim.hold_before("QueueCallerLeave")  # the caller waits in the queue, agent 2001 rings
    linkedid = await sim.place_call("answered", "0911333444", agents=("2001", "2002"), speed=0)
    await asyncio.wait_for(sim.wait_held(), 5)
    waiting = await client.ask({"Action": "QueueStatus", "ActionID": "qs-1"})
    entry = first(waiting, "QueueEntry")
    assert (entry["Position"], entry["CallerIDNum"], entry["Uniqueid"]) == ("1", "0911333444", linkedid)
    assert first(waiting, "QueueParams")["Calls"] == "1"
    sim.release()
    sim.hold_before("HangupRequest")  # now bridged: the recorded talk time
    await asyncio.wait_for(sim.wait_held(), 5)
    status = await client.ask({"Action": "QueueStatus", "ActionID": "qs-2"})
    agent = next(f for f in status if f.get("Location") == "PJSIP/2001")
    assert (
        agent["Status"] == "2"
        and agent["Name"] == "Agent 2001"
        and not any(f["Event"] == "QueueEntry" for f in status[1:])
    )
    channels = await client.ask({"Action": "CoreShowChannels", "ActionID": "csc-2"})
    items = [f for f in channels if f.get("Event") == "CoreShowChannel"]
    assert list(items[0]) == list(first(recorded("07-resync-actions.log"), "CoreShowChannel"))
    assert {i["Linkedid"] for i in items} == {linkedid} and len(items) == 2
    assert items[0]["BridgeId"] == items[1]["BridgeId"] != ""
    assert {i["Application"] for i in items} == {"Queue", "AppQueue"}
    assert channels[-1]["ListItems"] == "2"
    sim.release()
    await sim.wait_calls_done()
    after = await client.ask({"Action": "CoreShowChannels", "ActionID": "csc-3"})
    assert after[-1]["ListItems"] == "0"
    done = await client.ask({"Action": "QueueStatus", "ActionID": "qs-3"})
    agent = next(f for f in done if f.get("Location") == "PJSIP/2001")
    assert (agent["Status"], agent["CallsTaken"], first(done, "QueueParams")["Completed"]) == ("1", "1", "1")
    client.close()


async def test_queue_pause_answers_and_announces(sim: AmiSimulator) -> None:
    client = await Client.open(port(sim))
    pause = {"Action": "QueuePause", "ActionID": "pause-1001", "Interface": "PJSIP/1001", "Queue": "support"}
    client.send({**pause, "Paused": "true", "Reason": "lunch"})
    frames = await client.until(lambda f: f.get("Event") == "QueueMemberPause")
    assert frames[0] == {"Response": "Success", "ActionID": "pause-1001", "Message": "Interface paused successfully"}
    assert (frames[-1]["Paused"], frames[-1]["PausedReason"], frames[-1]["MemberName"]) == ("1", "lunch", "Agent Alice")
    assert list(frames[-1]) == list(first(recorded("02b-caller-abandon-all-agents-paused.log"), "QueueMemberPause"))
    status = await client.ask({"Action": "QueueStatus", "ActionID": "qs"})
    assert next(f for f in status if f.get("Location") == "PJSIP/1001")["Paused"] == "1"
    [missing] = await client.ask({**pause, "Interface": "PJSIP/9999", "Paused": "true", "ActionID": "p9"})
    assert missing["Response"] == "Error" and missing["Message"] == "Interface not found"
    client.close()


# ---- originate ---------------------------------------------------------------------------------------------------
ORIGINATE = {
    "Action": "Originate", "ActionID": "c2d-7", "Channel": "PJSIP/1002", "Context": "agents", "Exten": "0955111222",
    "Priority": "1", "CallerID": '"Agent Bob" <1002>', "Timeout": "30000", "Async": "true",
    "Variable": "CC_TICKET=T-0042,CC_CUSTOMER=42",
}  # fmt: skip


async def test_originate_answered_replays_04(sim: AmiSimulator) -> None:
    client = await Client.open(port(sim))
    client.send(ORIGINATE)
    queued = await client.next()
    assert queued == {"Response": "Success", "ActionID": "c2d-7", "Message": "Originate successfully queued"}
    frames = await client.until(lambda f: f.get("Event") == "BridgeDestroy")
    ours = [f for f in frames if not f.get("Variable", "").startswith("CC_")]  # one VarSet per Variable sent
    rec = [
        f for f in recorded("04-originate-click-to-dial.log") if "Timestamp" in f and f["Event"] not in SESSION_EVENTS
    ]
    assert [f["Event"] for f in ours] == [f["Event"] for f in rec if f.get("Variable") != "CC_TICKET"]
    result = first(frames, "OriginateResponse")
    assert (result["ActionID"], result["Response"], result["Reason"]) == ("c2d-7", "Success", "4")
    assert result["Channel"].startswith("PJSIP/1002-") and result["Exten"] == "0955111222"
    assert first(frames, "Newchannel")["CallerIDName"] == "Agent Bob"
    variables = {
        f["Variable"]: f["Value"] for f in frames if f["Event"] == "VarSet" and f["Variable"].startswith("CC_")
    }
    assert variables == {"CC_TICKET": "T-0042", "CC_CUSTOMER": "42"}
    assert not mentions(frames, "1001", "0912345678", "Agent Alice", "c2d-0001")
    assert sim.actions[-1]["Action"] == "Originate" and sim.actions[-1]["Exten"] == "0955111222"
    client.close()


async def test_originate_to_a_no_answer_agent_replays_04b(sim: AmiSimulator) -> None:
    sim.register_no_answer("1002")
    client = await Client.open(port(sim))
    client.send({**ORIGINATE, "ActionID": "c2d-8", "Timeout": "6000"})
    assert (await client.next())["Message"] == "Originate successfully queued"
    frames = await client.until(lambda f: f.get("Event") == "Hangup")
    assert [f["Event"] for f in frames] == recorded_call_events("04b-originate-agent-no-answer.log")[: len(frames)]
    result = first(frames, "OriginateResponse")
    assert (result["ActionID"], result["Response"], result["Reason"]) == ("c2d-8", "Failure", "3")
    assert (result["Channel"], result["Uniqueid"]) == ("PJSIP/1002", "<unknown>")  # the dial string
    assert frames[-1]["Cause"] == "19"
    client.close()


# ---- placed calls --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("scenario", QUEUE_CALLS)
async def test_place_call_replays_the_recording_relabelled(sim: AmiSimulator, scenario: str) -> None:
    client = await Client.open(port(sim))
    before = time.time()
    linkedid = await sim.place_call(scenario, "0966777888", agents=("2001", "2002"), did="0280001111", speed=0)
    names = recorded_call_events(SCENARIO_FILES[scenario])
    frames = [await client.next() for _ in names]
    assert [f["Event"] for f in frames] == names
    assert frames[0]["Event"] == "Newchannel" and frames[0]["Linkedid"] == linkedid
    assert (frames[0]["CallerIDNum"], frames[0]["Exten"]) == ("0966777888", "0280001111")
    join = first(frames, "QueueCallerJoin")
    assert join["CallerIDName"] == "Customer 0966777888" and join["Queue"] == "support"
    assert first(frames, "AgentCalled")["Interface"] == "PJSIP/2001"
    assert not mentions(
        frames, "0912345678", "0933123456", "+886912345678", "0227208888", "1001", "1002", "Agent Alice"
    )
    assert all(before - 1 < float(f["Timestamp"]) < time.time() + 1 for f in frames)
    client.close()


async def test_place_call_answered_in_01_order(sim: AmiSimulator) -> None:
    client = await Client.open(port(sim))
    linkedid = await sim.place_call("answered", "0912000333", agents=("1003",), speed=0)
    frames = [f for f in await call_events(client, linkedid) if f.get("Event") != "SuccessfulAuth"]
    key = [
        f["Event"] for f in frames
        if f["Event"] in ("Newchannel", "QueueCallerJoin", "AgentCalled", "DialBegin", "DialEnd", "QueueCallerLeave",
                          "AgentConnect", "BridgeEnter", "AgentComplete", "Hangup")
    ]  # fmt: skip
    assert key == [
        "Newchannel", "QueueCallerJoin", "Newchannel", "AgentCalled", "DialBegin", "DialEnd", "QueueCallerLeave",
        "AgentConnect", "BridgeEnter", "BridgeEnter", "AgentComplete", "Hangup", "Hangup",
    ]  # fmt: skip
    connect = first(frames, "AgentConnect")
    assert (connect["CallerIDNum"], connect["Interface"], connect["MemberName"]) == (
        "0912000333",
        "PJSIP/1003",
        "Agent Carol",
    )
    assert first(frames, "AgentComplete")["Reason"] == "caller"
    client.close()


async def test_concurrent_calls_never_share_ids(sim: AmiSimulator) -> None:
    client = await Client.open(port(sim))
    first_id, second_id = await asyncio.gather(
        sim.place_call("answered", "0911111111", speed=0), sim.place_call("blind_transfer", "0922222222", speed=0)
    )
    assert first_id != second_id
    await sim.wait_calls_done()
    client.send({"Action": "Ping", "ActionID": "after-the-calls"})
    frames = await client.until(lambda f: f.get("ActionID") == "after-the-calls")
    by_call: dict[str, set[str]] = {first_id: set(), second_id: set()}
    for f in frames:
        if f.get("Linkedid") in by_call:
            by_call[f["Linkedid"]] |= {f["Channel"], f["Uniqueid"]}
    assert by_call[first_id] and by_call[second_id] and not by_call[first_id] & by_call[second_id]
    client.close()


async def test_speed_scales_the_recorded_delays(sim: AmiSimulator) -> None:
    client = await Client.open(port(sim))
    started = time.monotonic()
    await sim.place_call("answered", "0911000999", speed=0.1)  # 01 lasts 4.5 s on the wire
    await sim.wait_calls_done()
    assert 0.35 < time.monotonic() - started < 2.0
    client.close()


async def test_place_call_rejects_an_unknown_scenario(sim: AmiSimulator) -> None:
    with pytest.raises(ValueError, match="unknown scenario"):
        await sim.place_call("karaoke", "0911000000")


# ---- hooks --------------------------------------------------------------------------------------------------------
async def test_drop_connections_cuts_every_socket(sim: AmiSimulator) -> None:
    clients = [await Client.open(port(sim)) for _ in range(2)]
    assert sim.connections == 2
    await sim.drop_connections()
    for client in clients:
        assert await client.closed_by_peer(within=2)
    assert sim.connections == 0 and sim.total_connections == 2
    again = await Client.open(port(sim))
    assert (await again.ask({"Action": "Ping", "ActionID": "p"}))[0]["Ping"] == "Pong"
    again.close()


async def test_mute_stops_answers(sim: AmiSimulator) -> None:
    client = await Client.open(port(sim))
    sim.mute()
    client.send({"Action": "Ping", "ActionID": "unanswered"})
    with pytest.raises(TimeoutError):
        await client.until(lambda f: f.get("ActionID") == "unanswered", within=0.2)
    sim.unmute()
    assert (await client.ask({"Action": "Ping", "ActionID": "answered"}))[0]["Ping"] == "Pong"
    client.close()


async def test_channel_variables_ride_on_channel_events(sim: AmiSimulator) -> None:
    sim.channel_variables = True
    client = await Client.open(port(sim))
    linkedid = await sim.place_call("answered", "0911000444", speed=0)
    frames = await call_events(client, linkedid)
    # Two `ChanVariable:` lines on the wire, which frames.py joins with a newline.
    assert first(frames, "QueueCallerJoin")["ChanVariable"] == "DID=0227208888\nCC_TICKET="
    assert first(frames, "Newchannel")["ChanVariable"] == "DID=\nCC_TICKET="
    client.close()


def test_shipped_scenarios_are_the_recorded_transcripts() -> None:
    for file in SCENARIO_FILES.values():
        assert (SCENARIO_DIR / file).read_bytes() == (FIXTURES / file).read_bytes(), file


async def test_loopback_only(sim: AmiSimulator) -> None:
    with pytest.raises(ValueError, match="loopback"):
        await AmiSimulator().start("0.0.0.0")


async def test_an_event_mask_keeps_only_the_classes_asked_for() -> None:
    """`Action: Events / EventMask: call,agent` silences dialplan noise (VarSet, Newexten), as Asterisk does."""
    simulator = AmiSimulator()
    port = await simulator.start()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    frames = FrameReader()
    writer.write(encode({"Action": "Login", "Username": "cc", "Secret": "cc-secret", "ActionID": "l"}))
    writer.write(encode({"Action": "Events", "EventMask": "call,agent", "ActionID": "e"}))
    await writer.drain()
    await simulator.place_call("answered", "0912345678", speed=0)
    await simulator.wait_calls_done()
    await asyncio.sleep(0.2)
    writer.write(encode({"Action": "Logoff", "ActionID": "x"}))
    await writer.drain()
    seen: list[dict[str, str]] = []
    while data := await reader.read(65536):
        seen.extend(frames.feed(data))
    writer.close()
    await simulator.stop()
    names = {f.get("Event") for f in seen if "Event" in f}
    assert {"QueueCallerJoin", "AgentCalled", "AgentConnect", "Hangup"} <= names
    assert not names & {"VarSet", "Newexten"}
