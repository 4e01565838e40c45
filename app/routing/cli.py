"""`intake policy check FILE`: validate a routing policy file."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.routing.policy import validate_policy_file


def register(sub: Any) -> None:
    """Add the `policy` command and its sub-commands."""
    policy = sub.add_parser("policy", help="routing policy files")
    policy_sub = policy.add_subparsers(dest="policy_command", required=True)
    check = policy_sub.add_parser("check", help="validate a policy file (exit 1 when invalid)")
    check.add_argument("file", help="the policy YAML file")
    check.set_defaults(func=_check)
    replay = policy_sub.add_parser(
        "replay", help="re-route stored drafts under a candidate policy and show what changes"
    )
    replay.add_argument("file", help="the candidate policy YAML file")
    replay.add_argument(
        "--since",
        required=True,
        help="replay drafts created since this date or time (ISO 8601, UTC)",
    )
    replay.add_argument("--json", action="store_true", help="print the report as JSON")
    replay.add_argument("--database-url", default=None)
    replay.set_defaults(func=_replay)


def _check(args: argparse.Namespace) -> int:
    problems = validate_policy_file(args.file)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"{args.file}: ok")
    return 0


def _replay(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from app.cli import CliError, settings_from
    from app.core.db import make_engine, session_scope
    from app.routing.policy import PolicyError, load_policy
    from app.routing.replay import render, replay

    try:
        policy = load_policy(args.file)
    except PolicyError as exc:
        raise CliError("\n".join(exc.problems), exit_code=1) from None
    try:
        since = datetime.fromisoformat(args.since)
    except ValueError:
        raise CliError(f"--since is not an ISO 8601 date: {args.since!r}") from None
    since = since.replace(tzinfo=UTC) if since.tzinfo is None else since
    engine = make_engine(settings_from(args).database_url)
    try:
        with session_scope(engine) as session:
            report = replay(session, policy, since=since)
    finally:
        engine.dispose()
    print(report.model_dump_json(indent=2) if args.json else render(report))
    return 0
