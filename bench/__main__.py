"""`python -m bench` (`make bench`): run every benchmark module and print its figures.

    python -m bench [NAME ...]      # e.g. python -m bench import_bench

Each module in BENCHES has `main(argv) -> int` and prints its figures as JSON; this runner
calls them in turn with their defaults and exits non-zero when any of them failed.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import time

# Module names under bench/, in the order they run. Add yours here.
BENCHES = [
    "import_bench",
    "nlp_bench",
    "crawl",
    "syndication",
    "events_bench",
    "api_bench",
    "index_bench",
]


def main(argv: list[str] | None = None) -> int:
    names = (sys.argv[1:] if argv is None else argv) or BENCHES
    unknown = [name for name in names if name not in BENCHES]
    if unknown:
        print(f"unknown bench {unknown}; choose from {BENCHES}", file=sys.stderr)
        return 2
    failed = []
    for name in names:
        if importlib.util.find_spec(f"bench.{name}") is None:
            print(f"== bench.{name}: not present, skipped", flush=True)
            continue
        print(f"== bench.{name}", flush=True)
        started = time.monotonic()
        status = importlib.import_module(f"bench.{name}").main([])
        print(f"== bench.{name}: exit {status} after {time.monotonic() - started:.0f}s", flush=True)
        if status:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
