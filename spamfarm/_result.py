"""Result types: what :func:`spamfarm.explain` returns. Frozen, hashable-free of pages, JSON-ready."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: How much of the page's main text an :class:`Explanation` keeps (characters).
TEXT_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of evidence behind a signal.

    ``reason`` is a fixed string users can filter on (e.g. ``"injected_glued_phrase"``); ``text`` is
    the exact words, anchor or byline; ``context`` what it was found in or disagrees with (the
    sentence, the list heading, the page's own site); ``span`` the character offsets of ``text``
    inside ``context`` when it is a substring of it; ``score`` a strength where one exists;
    ``against`` what it disagrees with (the page's own site, the declared date...).
    """

    reason: str
    text: str
    context: str = ""
    span: tuple[int, int] | None = None
    score: float | None = None
    against: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "text": self.text,
            "context": self.context,
            "span": list(self.span) if self.span is not None else None,
            "score": self.score,
            "against": self.against,
        }


@dataclass(frozen=True, slots=True)
class Signal:
    """A named feature of the page, its value, and the evidence that produced it."""

    name: str
    value: float
    evidence: tuple[Evidence, ...] = ()

    @property
    def family(self) -> str:
        return self.name.split(".", 1)[0]

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "evidence": [e.as_dict() for e in self.evidence]}


@dataclass(frozen=True, slots=True)
class Mark:
    """Where a piece of evidence sits in :attr:`Explanation.text`: ``text[start:end] == evidence.text``.

    ``signal`` is the name of the (first) signal the evidence belongs to.
    """

    start: int
    end: int
    evidence: Evidence
    signal: str


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a page scored what it did.

    ``probability`` is the model's calibrated spam probability; ``is_spam`` compares it with
    ``threshold``; ``signals`` holds every signal in the model's feature order;
    ``contributions`` pairs each signal that differs from a typical honest page with its effect
    on the model's log-odds, largest first. ``text`` is the page's main text as the signals saw it
    (one block per line), cut at :data:`TEXT_CHARS` characters; :meth:`marks` locates evidence in it.
    In Jupyter an explanation displays as a card (see :mod:`spamfarm._display`).
    """

    probability: float
    threshold: float
    signals: tuple[Signal, ...]
    model_version: str
    url: str | None = None
    lang: str = "und"
    truncated: bool = False
    contributions: tuple[tuple[str, float], ...] = field(default=())
    text: str = ""

    @property
    def is_spam(self) -> bool:
        return self.probability >= self.threshold

    @property
    def verdict(self) -> str:
        return "spam" if self.is_spam else "ok"

    def signal(self, name: str) -> Signal:
        for s in self.signals:
            if s.name == name:
                return s
        raise KeyError(name)

    def evidence(self, reason: str | None = None) -> list[Evidence]:
        """All evidence, optionally only that with a given reason string."""
        return [e for s in self.signals for e in s.evidence if reason is None or e.reason == reason]

    def fired(self) -> tuple[Signal, ...]:
        """Signals with a non-zero value, strongest contribution first when known."""
        order = {name: i for i, (name, _) in enumerate(self.contributions)}
        active = [s for s in self.signals if s.value]
        return tuple(sorted(active, key=lambda s: order.get(s.name, len(order))))

    def marks(self) -> list[Mark]:
        """Evidence found in :attr:`text`, in reading order, without overlaps.

        An evidence's ``span`` indexes into its ``context`` (a sentence, a paragraph, a bio);
        this finds the context in the main text and shifts the span, keeping only places where
        the text there is exactly the evidence's text. Evidence from outside the main text (the
        title, link lists, a bio in a sidebar) or past the cut has no mark. When several pieces
        of evidence cover the same words, the first signal's wins.
        """
        found: list[Mark] = []
        seen: set[tuple[int, int]] = set()
        for s in self.signals:
            for e in s.evidence:
                if e.span is None or not e.context or not e.text:
                    continue
                a, b = e.span
                pos = self.text.find(e.context)
                while pos >= 0:
                    start, end = pos + a, pos + b
                    if self.text[start:end] == e.text:
                        if (start, end) not in seen:
                            seen.add((start, end))
                            found.append(Mark(start, end, e, s.name))
                        break
                    pos = self.text.find(e.context, pos + 1)
        found.sort(key=lambda m: (m.start, -m.end))
        out: list[Mark] = []
        for m in found:
            if not out or m.start >= out[-1].end:
                out.append(m)
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "probability": self.probability,
            "threshold": self.threshold,
            "verdict": self.verdict,
            "model_version": self.model_version,
            "url": self.url,
            "lang": self.lang,
            "truncated": self.truncated,
            "signals": [s.as_dict() for s in self.signals],
            "contributions": [[n, c] for n, c in self.contributions],
            "text": self.text,
        }

    def __repr__(self) -> str:
        top = ", ".join(f"{s.name}={s.value:g}" for s in self.fired()[:4])
        return f"<Explanation {self.verdict} p={self.probability:.3f} [{top}]>"

    def _repr_html_(self) -> str:
        from ._display import card

        return card(self)
