"""Command line: ``spamfarm score PATHS...`` (batch, JSON lines) and ``spamfarm explain FILE`` (a report)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from tqdm import tqdm

from . import __version__
from ._api import DEFAULT_THRESHOLD, explain
from ._errors import SpamfarmError
from ._model import Model, load_model
from ._result import Explanation
from .batch import score_many
from .sources import open_output, read_pages


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


EPILOG = """\
inputs (PATHS): HTML files, folders (walked for .html/.htm, .jsonl[.gz] and .warc[.gz] files),
  glob patterns ('crawl/*.warc.gz'), JSON lines with an "html" field (and optional "url", "id"),
  and WARC files (response records; the target URI is the URL, the HTTP charset is used to decode).
  '-' reads one HTML page from standard input.

output: one JSON line per page, in input order: id, url, probability, verdict, top_signals, error
  (and the full explanation with --explain). A page that cannot be read or scored still gets its
  line, with "error" saying why. With --corpus-signals each line also has page_probability (the
  page alone) and corpus (the batch-level signals with their evidence), and lines come at the end.

exit codes: 0 every page scored; 1 some pages have an error row; 2 bad usage, unreadable output
  or a model that cannot load; 130 interrupted.
"""


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="spamfarm",
        description="Score web pages for spam and content-farm signals.",
        epilog="run 'spamfarm score --help' or 'spamfarm explain --help' for each command",
    )
    ap.add_argument("--version", action="version", version=f"spamfarm {__version__}")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sc = sub.add_parser(
        "score",
        help="score pages from files, folders, JSON lines or WARC; one JSON line per page",
        description="Score pages in batch and write one JSON line per page.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sc.add_argument("paths", nargs="+", metavar="PATHS", help="files, folders, globs, or '-' for stdin")
    sc.add_argument("-o", "--output", metavar="OUT", help="write JSON lines here (.gz is gzipped); default stdout")
    sc.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (-1: one per CPU; default 1)")
    sc.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, help="spam verdict threshold (0.5)")
    sc.add_argument("--explain", action="store_true", help="add every signal with its evidence to each line")
    sc.add_argument(
        "--max-chars",
        type=int,
        default=None,
        metavar="N",
        help="analyse at most N characters of each page (default 3,000,000; longer pages are marked truncated)",
    )
    sc.add_argument("--url", help="the page's own URL, when scoring a single HTML file or stdin")
    bar = sc.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None, help="always show progress")
    bar.add_argument("--no-progress", dest="progress", action="store_false", help="never show progress")
    sc.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")
    sc.add_argument(
        "--model",
        metavar="FILE",
        help="score with this model bundle instead of the shipped one (a pickle: only files you made or trust)",
    )
    sc.add_argument(
        "--corpus-signals",
        action="store_true",
        help="score twice: the second pass adds what the whole batch shows (brands injected on many hosts, "
        "stories re-hosted, shared farm templates); rows are written at the end, with page_probability and "
        "corpus; a summary of the findings goes to stderr",
    )
    sc.add_argument(
        "--corpus-report",
        metavar="FILE",
        help="with --corpus-signals: also write the findings (brands, copy clusters, layouts) as JSON here",
    )
    sub.add_parser(
        "train",
        help="retrain the model, optionally on your own labelled pages (spamfarm train --help)",
        add_help=False,
    )
    ex = sub.add_parser(
        "explain",
        help="print a readable explanation for one HTML file",
        description="Print the verdict, then each signal that fired with its evidence.",
    )
    ex.add_argument("file", help="an HTML file, or '-' for stdin")
    ex.add_argument("--url", help="the page's own URL (for site-identity checks)")
    ex.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    ex.add_argument("--json", action="store_true", help="print the full explanation as JSON")
    ex.add_argument("--model", metavar="FILE", help="use this model bundle (a pickle: only files you made or trust)")
    return ap


def _model(path: str | None) -> Model | None:
    # Naming a file on the command line is the explicit trust that load_model asks for.
    return load_model(path, trust=True) if path else None


def _score(args: argparse.Namespace) -> int:
    if not 0.0 <= args.threshold <= 1.0:
        print("spamfarm: --threshold must be in [0, 1]", file=sys.stderr)
        return 2
    if args.jobs == 0 or args.jobs < -1:
        print("spamfarm: --jobs must be a positive number or -1", file=sys.stderr)
        return 2
    if args.url and (len(args.paths) != 1 or Path(args.paths[0]).is_dir()):
        print("spamfarm: --url applies to a single HTML file", file=sys.stderr)
        return 2
    pages = read_pages(args.paths)
    if args.url:
        pages = (replace(p, url=p.url or args.url) for p in pages)
    show = sys.stderr.isatty() if args.progress is None else args.progress
    show = show and not args.quiet
    try:
        out = open_output(args.output)
    except OSError as err:
        print(f"spamfarm: cannot write {args.output}: {err}", file=sys.stderr)
        return 2
    if args.corpus_report and not args.corpus_signals:
        print("spamfarm: --corpus-report needs --corpus-signals", file=sys.stderr)
        return 2
    n = spam = errors = 0
    start = time.perf_counter()
    if args.corpus_signals:
        return _score_corpus(args, pages, out, show, start)
    try:
        rows = score_many(pages, **_batch_options(args))
        with tqdm(rows, disable=not show, unit="page", file=sys.stderr, dynamic_ncols=True) as bar:
            for row in bar:
                n += 1
                spam += row.is_spam
                errors += not row.ok
                out.write(json.dumps(row.as_dict(), ensure_ascii=False) + "\n")
                if show and n % 50 == 0:
                    bar.set_postfix(spam=spam, errors=errors, refresh=False)
    finally:
        _release(out)
    _summary(args, n, spam, errors, start)
    return 1 if errors else 0


def _batch_options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "n_jobs": args.jobs,
        "threshold": args.threshold,
        "explain": args.explain,
        "model": _model(args.model),
        "max_chars": args.max_chars,
    }


def _release(out: Any) -> None:
    """Close an output file; flush standard output."""
    if out is not sys.stdout:
        out.close()
    else:
        out.flush()


def _summary(args: argparse.Namespace, n: int, spam: int, errors: int, start: float) -> None:
    secs = time.perf_counter() - start
    if not args.quiet:
        scored = n - errors
        print(
            f"spamfarm: {n} pages in {secs:.1f} s ({n / secs if secs else 0:.1f} pages/s): "
            f"{spam} spam ({100 * spam / scored if scored else 0:.1f}% of {scored} scored), {errors} errors",
            file=sys.stderr,
        )


def _score_corpus(args: argparse.Namespace, pages: Any, out: Any, show: bool, start: float) -> int:
    from .network import score_corpus

    try:
        with tqdm(disable=not show, unit="page", file=sys.stderr, dynamic_ncols=True, desc="pass 1") as bar:
            found = score_corpus(pages, **_batch_options(args), on_row=lambda _: bar.update())
        for row in found.results:
            out.write(json.dumps(row.as_dict(), ensure_ascii=False) + "\n")
    finally:
        _release(out)
    rows = found.results
    errors = sum(not r.ok for r in rows)
    _summary(args, len(rows), sum(r.is_spam for r in rows), errors, start)
    if not args.quiet:
        print(found.report.summary(), file=sys.stderr)
    if args.corpus_report:
        with open(args.corpus_report, "w", encoding="utf-8") as fh:
            fh.write(found.report.to_json() + "\n")
    return 1 if errors else 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["train"]:
        from . import train

        return train.main(argv[1:], prog="spamfarm train")
    args = _parser().parse_args(argv)
    try:
        if args.cmd == "explain":
            e = explain(_read(args.file), url=args.url, threshold=args.threshold, model=_model(args.model))
            print(json.dumps(e.as_dict(), ensure_ascii=False, indent=2) if args.json else report(e))
            return 0
        return _score(args)
    except SpamfarmError as err:
        print(f"spamfarm: {err}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as err:
        print(f"spamfarm: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("spamfarm: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
