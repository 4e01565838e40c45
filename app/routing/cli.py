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


def _check(args: argparse.Namespace) -> int:
    problems = validate_policy_file(args.file)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"{args.file}: ok")
    return 0
