"""Command line: ``spamfarm score FILES...`` and ``spamfarm explain FILE``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from ._api import DEFAULT_THRESHOLD, explain
from ._errors import SpamfarmError
from ._result import Explanation


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    return Path(path).read_bytes()


def _top(ex: Explanation, n: int = 5) -> list[str]:
    return [name for name, c in ex.contributions[:n] if c > 0]


def report(ex: Explanation) -> str:
    """A readable report: the verdict, then every signal that fired with its evidence."""
    lines = [
        f"verdict: {ex.verdict.upper()}  (probability {ex.probability:.3f}, threshold {ex.threshold:g})",
        f"model: {ex.model_version}  language: {ex.lang}" + ("  [page truncated]" if ex.truncated else ""),
    ]
    contrib = dict(ex.contributions)
    for s in ex.fired():
        c = contrib.get(s.name)
        lines.append(f"  {s.name} = {s.value:g}" + (f"  (contribution {c:+.3f})" if c is not None else ""))
        for e in s.evidence[:4]:
            detail = f"  vs {e.against}" if e.against else ""
            ctx = f'  in "{e.context[:110]}"' if e.context and e.context != e.text else ""
            lines.append(f"      - [{e.reason}] {e.text[:100]!r}{detail}{ctx}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="spamfarm", description="Score web pages for spam and content-farm signals.")
    ap.add_argument("--version", action="version", version=f"spamfarm {__version__}")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sc = sub.add_parser("score", help="score HTML files; one JSON line per file")
    sc.add_argument("files", nargs="+", help="HTML files ('-' for standard input)")
    sc.add_argument("--url", help="the page's own URL (when scoring one file)")
    sc.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    ex = sub.add_parser("explain", help="print a readable explanation for one HTML file")
    ex.add_argument("file")
    ex.add_argument("--url")
    ex.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    ex.add_argument("--json", action="store_true", help="print the full explanation as JSON")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "explain":
            e = explain(_read(args.file), url=args.url, threshold=args.threshold)
            print(json.dumps(e.as_dict(), ensure_ascii=False, indent=2) if args.json else report(e))
            return 0
        errors = 0
        for f in args.files:
            try:
                e = explain(_read(f), url=args.url, threshold=args.threshold)
                row = {"file": f, "probability": round(e.probability, 4), "verdict": e.verdict, "top_signals": _top(e)}
            except OSError as err:
                errors += 1
                row = {"file": f, "error": f"{type(err).__name__}: {err}"}
            print(json.dumps(row, ensure_ascii=False))
        return 1 if errors else 0
    except SpamfarmError as err:
        print(f"spamfarm: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"spamfarm: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
