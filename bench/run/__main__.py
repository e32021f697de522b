"""``python -m bench.run``: the command of :mod:`bench.run.cli` (what ``make bench`` runs)."""

from bench.run.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
