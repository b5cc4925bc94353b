from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = Path(__import__("os").environ.get("SPAMFARM_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "data" / "clean"


def load_benchmark(name: str) -> ModuleType:
    """A script of ``benchmarks/`` imported as a module (registered under its name: dataclasses
    look their module up in ``sys.modules``)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


needs_shared = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"needs the shared honest-page corpus at {CORPUS} (present in CI; absent in a user's clone)",
)


@pytest.fixture(scope="session")
def seed_farm_html() -> str:
    return (FIXTURES / "seed_001_farm.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_article_html() -> str:
    return (FIXTURES / "seed_000_article.html").read_text(encoding="utf-8")


def article(
    body: str, *, title: str = "Council approves new budget for city parks", head: str = "", h1: str | None = None
) -> str:
    """A small but realistic article page around the given body HTML."""
    h1_html = f"<h1>{h1 if h1 is not None else title}</h1>"
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
        f"<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>{h1_html}{body}</article>"
        "<footer><p>Contact us</p></footer></body></html>"
    )


PARKS = (
    "<p>The city council voted on Tuesday to approve a new budget for public parks, setting aside money "
    "for playgrounds, trees and new walking paths across the northern districts.</p>"
    "<p>Council members said the parks budget had been delayed for two years while the city negotiated "
    "with contractors over the cost of maintaining existing playgrounds and sports fields.</p>"
    "<p>Residents who spoke at the meeting welcomed the vote, although several asked the council to "
    "spend more of the parks budget on lighting and safety near the river paths.</p>"
    "<p>The budget will be reviewed again next spring, when the council expects new estimates for the "
    "cost of planting trees along the main avenues of the city.</p>"
)
