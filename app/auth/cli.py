"""`intake users create` and `intake tokens issue`: people and service credentials."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

ROLES = ("reviewer", "approver", "admin", "escalation")
TOKEN_ROLES = ("intake", "reviewer", "admin")


def register(sub: Any) -> None:
    users = sub.add_parser("users", help="people who review and approve")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    create = users_sub.add_parser("create", help="create a user (asks for the password)")
    create.add_argument("username")
    create.add_argument("--role", choices=ROLES, default="reviewer")
    create.add_argument("--limit", default="10000", help="approval limit (order total)")
    create.add_argument("--display-name", default="")
    create.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )
    create.add_argument("--database-url", default=None)
    create.set_defaults(func=_create_user)

    tokens = sub.add_parser("tokens", help="API tokens for services and scripts")
    tokens_sub = tokens.add_subparsers(dest="tokens_command", required=True)
    issue = tokens_sub.add_parser("issue", help="issue a token (printed once)")
    issue.add_argument("name")
    issue.add_argument("--role", choices=TOKEN_ROLES, required=True)
    issue.add_argument("--user", default=None, help="the token acts as this user")
    issue.add_argument("--database-url", default=None)
    issue.set_defaults(func=_issue_token)


def _create_user(args: argparse.Namespace) -> int:
    from app.auth.service import create_user
    from app.auth.tables import Role
    from app.cli import CliError

    try:
        limit = Decimal(args.limit)
    except InvalidOperation:
        raise CliError(f"--limit is not a number: {args.limit!r}") from None
    if not limit.is_finite() or limit < 0:
        raise CliError("--limit must be a number >= 0")
    password = _read_password(args.password_stdin)
    with _session(args) as session:
        create_user(
            session,
            username=args.username,
            password=password,
            role=Role(args.role),
            approval_limit=limit,
            display_name=args.display_name,
            actor="cli",
        )
    print(f"created user {args.username} ({args.role}, limit {limit})")
    return 0


def _issue_token(args: argparse.Namespace) -> int:
    from app.auth.service import issue_token
    from app.auth.tables import Role

    with _session(args) as session:
        token = issue_token(
            session, name=args.name, role=Role(args.role), username=args.user, actor="cli"
        )
    print(token)
    print("store it now: only its hash is kept", file=sys.stderr)
    return 0


def _read_password(from_stdin: bool) -> str:
    from app.cli import CliError

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise CliError("the passwords differ")
    if len(password) < 12:
        raise CliError("the password needs at least 12 characters")
    return password


@contextmanager
def _session(args: argparse.Namespace) -> Iterator[Session]:
    """A unit of work on the configured database; domain errors become CliErrors."""
    from app.cli import CliError, settings_from
    from app.core.db import make_engine, session_scope
    from app.core.errors import AppError

    engine = make_engine(settings_from(args).database_url)
    try:
        with session_scope(engine) as session:
            yield session
    except AppError as exc:
        raise CliError(exc.message) from None
    finally:
        engine.dispose()
