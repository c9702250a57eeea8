"""The `contact-center` command: one entry point for running, operating and loading the system."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from contact_center.settings import get_settings

LATER: dict[str, str] = {}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="contact-center", description="Open-source contact centre")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run everything in one process on SQLite with demo data")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--customers", type=int, default=2000, help="demo customers to generate on first start")
    demo.add_argument("--calls-every", type=float, default=8.0, help="seconds between simulated calls (0: none)")
    serve = sub.add_parser("serve", help="run the web application")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers", type=int, default=1, help="processes (each a full app; needs REDIS_URL for more than 1)"
    )
    sub.add_parser("worker", help="run background jobs (arq)")
    sub.add_parser("bridge", help="run the Asterisk CTI bridge")
    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"])
    imp = sub.add_parser("import", help="import JSON Lines files from the old system")
    imp.add_argument("files", nargs="+", type=Path)
    imp.add_argument("--kind", choices=["customers", "assets", "purchases", "tickets", "interactions"])
    seed = sub.add_parser("seed", help="generate realistic demo data and import it")
    seed.add_argument("--customers", type=int, default=1000)
    seed.add_argument("--seed", type=int, default=1)
    seed.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help="last day of history (default today)")
    seed.add_argument("--out", type=Path, default=None, help="where to write the JSONL files")
    seed.add_argument("--no-import", action="store_true", help="only write the files")
    users = sub.add_parser("users", help="manage users")
    users_sub = users.add_subparsers(dest="action", required=True)
    add = users_sub.add_parser("add", help="add a user")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["admin", "supervisor", "agent", "qa", "customer", "pbx"])
    add.add_argument("--extension")
    add.add_argument("--password")
    add.add_argument("--display-name")
    totp = users_sub.add_parser(
        "totp", help="turn two-factor sign-in on for a user: prints the secret and recovery codes"
    )
    totp.add_argument("name")
    for action, words in (("deactivate", "its password, sessions and tokens open nothing"), ("activate", "again")):
        toggle = users_sub.add_parser(action, help=f"{action} a user: {words}")
        toggle.add_argument("name")
    token = sub.add_parser("token", help="bearer tokens for the REST API")
    token_sub = token.add_subparsers(dest="action", required=True)
    create = token_sub.add_parser("create", help="print a new bearer token for a user")
    create.add_argument("--user", required=True)
    create.add_argument("--label", default="")
    create.add_argument("--cti", action="store_true",
                        help="a token good only in a PBX's CTI URL (Zammad's generic CTI): prints the URL")  # fmt: skip
    token_sub.add_parser("list", help="every token issued: id, scope, user, created, revoked")
    revoke = token_sub.add_parser("revoke", help="revoke a token at once")
    revoke.add_argument("id", type=int)
    kb = sub.add_parser("kb", help="knowledge base")
    kb_sub = kb.add_subparsers(dest="action", required=True)
    kb_import = kb_sub.add_parser("import", help="upsert articles from JSON Lines (external_id, title, body, ...)")
    kb_import.add_argument("files", nargs="+", type=Path)
    kb_suggest = kb_sub.add_parser("suggest", help="print the articles suggested for a text")
    kb_suggest.add_argument("text")
    kb_suggest.add_argument("--limit", type=int, default=5)
    kb_suggest.add_argument("--product", help="a product model, e.g. RAC-22")
    kb_suggest.add_argument("--public", action="store_true", help="only what customers may see")
    mail = sub.add_parser("mail", help="e-mail in")
    mail_sub = mail.add_subparsers(dest="action", required=True)
    listen = mail_sub.add_parser("listen", help="receive mail over SMTP for the addresses in MAIL_ADDRESSES")
    listen.add_argument("--host", default="127.0.0.1")
    listen.add_argument("--port", type=int, default=2525)
    tickets = sub.add_parser("tickets", help="ticket maintenance")
    tickets_sub = tickets.add_subparsers(dest="action", required=True)
    tickets_sub.add_parser("reindex", help="index for search every ticket not indexed yet (after the upgrade)")
    nlp = sub.add_parser("nlp", help="the ticket classifier")
    nlp_sub = nlp.add_subparsers(dest="action", required=True)
    nlp_train = nlp_sub.add_parser("train", help="train on the tickets' categories, report, make it the active model")
    nlp_train.add_argument("--seed", type=int, default=0, help="same data and seed: the same model")
    nlp_train.add_argument("--holdout", type=float, default=0.2, help="share of each category kept for evaluation")
    nlp_train.add_argument("--limit", type=int, default=200_000, help="newest tickets to learn from")
    nlp_classify = nlp_sub.add_parser("classify", help="print the active model's proposal for a text")
    nlp_classify.add_argument("text")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in LATER:
        print(f"contact-center {args.command}: not yet available — {LATER[args.command]}", file=sys.stderr)
        return 2
    if args.command == "worker":
        from arq import run_worker

        from contact_center.worker import WorkerSettings

        if not get_settings().redis_url:
            print(
                "contact-center worker: set REDIS_URL (without it, `serve` runs the jobs in-process)", file=sys.stderr
            )
            return 2
        run_worker(WorkerSettings)  # type: ignore[arg-type]
        return 0
    if args.command == "bridge":
        from contact_center import logs
        from cti_bridge.service import run_main

        logs.configure(os.environ.get("LOG_LEVEL", "INFO").upper())  # the bridge's lines redacted like ours
        return run_main()
    # Imported here: the bridge and the worker start without loading the web application.
    from contact_center import commands

    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    try:
        return commands.run(args, get_settings())
    except commands.CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


__all__ = ["asyncio", "main"]
