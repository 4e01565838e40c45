"""`python -m evals.generator --seed 20261122 --n 320 OUTDIR`."""

from __future__ import annotations

import argparse
from pathlib import Path

from evals.generator.catalog import DEFAULT_MASTERDATA
from evals.generator.writer import generate


def main(argv: list[str] | None = None) -> int:
    """Generate a dataset."""
    parser = argparse.ArgumentParser(prog="python -m evals.generator", description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--n", type=int, default=320)
    parser.add_argument("--masterdata", type=Path, default=DEFAULT_MASTERDATA)
    args = parser.parse_args(argv)
    count = generate(args.seed, args.n, args.out_dir, args.masterdata)
    print(f"wrote {count} cases to {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
