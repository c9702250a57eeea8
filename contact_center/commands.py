"""What each CLI command does; `cli.py` only parses arguments."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import html
import os
import re
import secrets
import signal
import sys
import time
from pathlib import Path

from contact_center import clock, logs
from contact_center.auth import service as auth_service
from contact_center.auth import two_factor
from contact_center.auth.passwords import check_policy
from contact_center.console import progress
from contact_center.db.migrate import upgrade
from contact_center.db.session import create_engine, create_session_factory
from contact_center.errors import DomainError
from contact_center.imports import kinds
from contact_center.imports.service import Importer, ImportReport
from contact_center.settings import Settings, served_at
from knowledge_base import pipelines

MAX_PRINTED_MESSAGES = 50


class CommandError(Exception):
    """A command could not do its job; the message tells the operator why."""


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "demo" and not os.environ.get("LOG_LEVEL"):
        # A newcomer reads the start-up steps; the running app's warnings still show.
        settings = dataclasses.replace(settings, log_level="WARNING")
    if args.command in ("serve", "demo"):
        settings = served_at(settings, getattr(args, "host", "127.0.0.1"), args.port)
    logs.configure(settings.log_level)
    if args.command == "db":
        upgrade(settings.database.url)
        print(f"database at head ({settings.database.backend})")
        return 0
    if args.command in ("import", "seed", "kb", "nlp", "tickets", "mail") and settings.database.backend == "sqlite":
        # The embedded database is ours to create; PostgreSQL is migrated by `db upgrade`.
        upgrade(settings.database.url)
    if args.command == "import":
        reports = asyncio.run(import_files(settings, args.files, args.kind))
        return 1 if any(r.skipped for r in reports) else 0
    if args.command == "seed":
        return seed(settings, args)
    if args.command == "tickets" and args.action == "reindex":
        return asyncio.run(tickets_reindex(settings))
    if args.command == "nlp" and args.action == "train":
        return asyncio.run(nlp_train(settings, args.seed, args.holdout, args.limit))
    if args.command == "nlp" and args.action == "classify":
        return asyncio.run(nlp_classify(settings, args.text))
    if args.command == "kb" and args.action == "import":
        return asyncio.run(kb_import(settings, args.files))
    if args.command == "kb" and args.action == "suggest":
        return asyncio.run(kb_suggest(settings, args.text, args.limit, args.product, args.public))
    if args.command == "mail" and args.action == "listen":
        return asyncio.run(mail_listen(settings, args.host, args.port))
    if args.command == "users":
        return asyncio.run(_add_user(settings, args))
    if args.command == "token":
        return asyncio.run(_tokens(settings, args))
    if args.command == "serve":
        return serve(settings, args.host, args.port, args.workers)
    if args.command == "demo":
        from contact_center import demo

        return demo.run(settings, port=args.port, customers=args.customers, calls_every=args.calls_every)
    raise CommandError(f"unknown command {args.command}")


async def mail_listen(settings: Settings, host: str, port: int) -> int:
    """Receives mail until stopped (Ctrl-C or SIGTERM)."""
    from contact_center.mail import smtp

    if not settings.mail_addresses:
        raise CommandError("set MAIL_ADDRESSES to the support addresses to accept mail for (comma-separated)")
    engine = create_engine(settings.database)
    try:
        server, inbox = await smtp.listen(create_session_factory(engine), settings.mail_addresses, host, port,
                                          settings.mail_max_bytes, settings.var_dir)  # fmt: skip
        print(f"receiving mail for {', '.join(sorted(settings.mail_addresses))} on {host}:{port}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signal_number, stop.set)
        await stop.wait()
        server.close()
        await server.wait_closed()
        await inbox.drain()
        return 0
    finally:
        await engine.dispose()


def serve(settings: Settings, host: str, port: int, workers: int = 1) -> int:
    import uvicorn

    from contact_center.app import create_app

    upgrade(settings.database.url)
    if workers > 1:
        if not settings.redis_url:
            raise CommandError("several workers share sockets and jobs through Redis: set REDIS_URL")
        uvicorn.run("contact_center.app:create_app", factory=True, host=host, port=port, workers=workers,
                    log_level="info", access_log=False)  # fmt: skip
        return 0
    app = create_app(settings)
    # Word segmentation loads jieba's and spaCy's tables (~3 s, millions of objects): before serving, so
    # that the first article suggestion does not stall the calls being popped meanwhile.
    pipelines.chinese()
    pipelines.english()
    # Everything loaded so far lives as long as the process: keep the collector from re-scanning it
    # (fewer, shorter pauses on the screen-pop path).
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
    return 0


async def import_files(
    settings: Settings, files: list[Path], kind: str | None = None, *, quiet: bool = False
) -> list[ImportReport]:
    """Imports files in dependency order (customers before the tickets that name them); `quiet` leaves
    the progress and the per-file summaries to the caller (problems are still printed)."""
    plan: list[tuple[Path, str]] = []
    for path in files:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        detected = kind or kinds.detect(path)
        if detected is None:
            raise CommandError(f"{path}: cannot tell what it holds; name it customers.jsonl, assets.jsonl, ...")
        plan.append((path, detected))
    engine = create_engine(settings.database)
    printed = 0

    def on_message(source: str, line: int, level: str, text: str) -> None:
        nonlocal printed
        printed += 1
        if printed <= MAX_PRINTED_MESSAGES:
            print(f"{source}:{line}: {level}: {text}", file=sys.stderr)

    importer = Importer(create_session_factory(engine), on_message=on_message)
    reports = []
    try:
        for path, what in kinds.in_dependency_order(plan):
            if quiet:
                report = await importer.import_file(path, what)
            else:
                with progress(f"{path.name}", path.stat().st_size) as advance:
                    report = await importer.import_file(path, what, progress=advance)
                print(report.summary())
            reports.append(report)
        await importer.analyze({r.kind for r in reports if r.inserted or r.updated})
    finally:
        await engine.dispose()
    if printed > MAX_PRINTED_MESSAGES:
        print(f"... and {printed - MAX_PRINTED_MESSAGES} more messages not shown", file=sys.stderr)
    return reports


async def nlp_train(settings: Settings, seed: int, holdout: float, limit: int) -> int:
    """Trains, prints the held-out figures, and makes the model the one every process uses."""
    from contact_center.nlp import service as nlp_service

    if not 0 <= holdout < 1:
        raise CommandError("--holdout must be at least 0 and below 1")
    engine = create_engine(settings.database)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            print("training on the tickets' categories (minutes for tens of thousands of tickets) ...", flush=True)
            result = await nlp_service.train_and_activate(session, settings.var_dir / "models" / "classifier",
                                                          seed=seed, holdout=holdout, limit=limit)  # fmt: skip
    except DomainError as error:
        raise CommandError(error.message) from error
    finally:
        await engine.dispose()
    print("\n".join(nlp_service.report(result)))
    print(f"active model: {result.classifier.version}")
    return 0


async def nlp_classify(settings: Settings, text: str) -> int:
    from contact_center.nlp import service as nlp_service

    engine = create_engine(settings.database)
    try:
        async with create_session_factory(engine)() as session:
            out = await nlp_service.classify(nlp_service.ClassifierHolder(), session, text)
    except DomainError as error:
        raise CommandError(error.message) from error
    finally:
        await engine.dispose()
    verdict = out.category or "unsure"
    alternatives = ", ".join(f"{a.category} {a.confidence:.2f}" for a in out.alternatives)
    print(f"{verdict} (confidence {out.confidence:.2f}; urgency {out.urgency}; model {out.model_version})")
    print(f"  alternatives: {alternatives}")
    return 0


async def tickets_reindex(settings: Settings, batch: int = 5_000) -> int:
    """Indexes the tickets search does not know yet, committing each batch (an interrupted run resumes)."""
    from contact_center.tickets import search_index

    engine = create_engine(settings.database)
    started = time.monotonic()
    try:
        async with create_session_factory(engine)() as session:

            async def commit_and_report(total: int) -> None:
                await session.commit()
                print(f"  indexed {total:,} tickets ({time.monotonic() - started:.1f} s)", flush=True)

            total = await search_index.index_missing(session, batch, commit_and_report)
            await session.commit()
    finally:
        await engine.dispose()
    print(f"tickets reindex: {total:,} tickets indexed in {time.monotonic() - started:.1f} s")
    return 0


async def kb_import(settings: Settings, files: list[Path]) -> int:
    """Imports article files; exit 1 when a line was skipped (each reported as file:line:)."""
    from contact_center.kb import articles

    for path in files:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
    engine = create_engine(settings.database)
    skipped = 0
    try:
        for path in files:

            def report_line(line: int, text: str, source: Path = path) -> None:
                print(f"{source}:{line}: error: {text}", file=sys.stderr)

            async with create_session_factory(engine)() as session, session.begin():
                report = await articles.import_file(session, path, report_line)
            print(report.summary())
            skipped += report.skipped
    finally:
        await engine.dispose()
    return 1 if skipped else 0


async def kb_suggest(settings: Settings, text: str, limit: int, product: str | None, public_only: bool) -> int:
    """Prints the ranking the agents' screen (or, with --public, the portal) would show."""
    from contact_center.kb import search as kb_search

    engine = create_engine(settings.database)
    try:
        async with create_session_factory(engine)() as session:
            request = kb_search.SuggestRequest(text=text, limit=limit, product=product)
            result = await kb_search.suggest(kb_search.KbSearch(), session, request, include_internal=not public_only)
    except DomainError as error:
        raise CommandError(error.message) from error
    finally:
        await engine.dispose()
    if not result.suggestions:
        print("no article matches")
        return 0
    for rank, hit in enumerate(result.suggestions, start=1):
        flags = "" if hit.public else "  [internal]"
        snippet = re.sub(r"</?mark>", "*", html.unescape(hit.snippet))
        print(f"{rank}. {hit.score:6.3f}  {hit.external_id}  {hit.title}{flags}\n      {snippet}")
    return 0


def seed(settings: Settings, args: argparse.Namespace) -> int:
    from contact_center.seed.generator import write_jsonl

    if args.customers < 1:
        raise CommandError("--customers must be at least 1")
    as_of = args.as_of or clock.today()
    out = args.out or settings.var_dir / f"seed-{args.customers}-{args.seed}-{as_of.isoformat()}"
    out.mkdir(parents=True, exist_ok=True)
    with progress("generating", args.customers, unit="customers") as advance:
        done = 0

        def step(n: int) -> None:
            nonlocal done
            advance(n - done)
            done = n

        files = write_jsonl(out, args.customers, args.seed, as_of, progress=step)
    print(f"wrote {', '.join(str(p) for p in files.values())}")
    if args.no_import:
        return 0
    reports = asyncio.run(import_files(settings, list(files.values())))
    return 1 if any(r.skipped for r in reports) else 0


async def _add_user(settings: Settings, args: argparse.Namespace) -> int:
    engine = create_engine(settings.database)
    if args.action == "totp":
        try:
            async with create_session_factory(engine)() as session, session.begin():
                setup, codes = await two_factor.enrol_now(
                    session, await auth_service.user_id_of(session, args.name), settings.secret_key
                )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            await engine.dispose()
        print(f"two-factor sign-in is on for {args.name}. Give them, in person:")
        print(f"  secret      {setup.secret}")
        print(f"  app link    {setup.uri}")
        print("  recovery codes (each works once): " + "  ".join(codes))
        return 0
    if args.action in ("deactivate", "activate"):
        try:
            async with create_session_factory(engine)() as session, session.begin():
                user_id = await auth_service.user_id_of(session, args.name)
                changed = await auth_service.set_active(session, user_id, args.action == "activate")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            await engine.dispose()
        print(f"{changed.username} {args.action}d")
        return 0
    password = args.password or (None if args.role == "customer" else secrets.token_urlsafe(12))
    try:
        if args.password:
            check_policy(args.password, args.name)
        async with create_session_factory(engine)() as session, session.begin():
            user = await auth_service.add_user(
                session,
                args.name,
                args.role,
                display_name=args.display_name,
                extension=args.extension,
                password=password,
            )
    except DomainError as exc:
        raise CommandError(exc.message) from exc
    finally:
        await engine.dispose()
    print(f"added {user.username} ({user.role}{', extension ' + user.extension if user.extension else ''})")
    if password and not args.password:
        print(f"generated password: {password}")
    return 0


async def _tokens(settings: Settings, args: argparse.Namespace) -> int:
    """token create (an API token, or with --cti a PBX's CTI URL), token list, token revoke ID."""
    engine = create_engine(settings.database)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            if args.action == "create":
                scope = "cti" if args.cti else "api"
                token = await auth_service.create_token(session, args.user, args.label, scope)
                print(f"{settings.app_url.rstrip('/')}/api/v1/cti/{token}" if args.cti else token)
            elif args.action == "list":
                for t in await auth_service.list_tokens(session):
                    state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "active"
                    print(f"{t.id:>5}  {t.scope:<4} {t.username:<20} {t.created_at:%Y-%m-%d %H:%M}  {state}  {t.label}")
            else:
                revoked = await auth_service.revoke_token(session, args.id)
                print(f"token {revoked.id} of {revoked.username} revoked")
    except DomainError as exc:
        raise CommandError(exc.message) from exc
    finally:
        await engine.dispose()
    return 0


__all__ = ["CommandError", "Path", "import_files", "run"]
