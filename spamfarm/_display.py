"""The HTML card an :class:`~spamfarm.Explanation` shows in Jupyter (``_repr_html_``).

A page is hostile input: every string that comes from it (text, evidence, URL) goes through
:func:`html.escape` before it reaches the markup. Styles are inline so the card looks the same in
JupyterLab, classic notebooks, VS Code and static renderers that drop ``<style>`` elements.
"""

from __future__ import annotations

import html

from ._result import TEXT_CHARS, Evidence, Explanation, Signal
from .signals import DIRECTIONS, FEATURE_NAMES

#: Background colour of marked evidence, by signal family.
FAMILY_COLOURS = {
    "injected": "#ffd54f",
    "links": "#90caf9",
    "byline": "#f48fb1",
    "quality": "#d7ccc8",
}
FAMILY_LABELS = {
    "injected": "injected phrase",
    "links": "link list",
    "byline": "byline / source / date",
    "quality": "text quality",
}
#: Signals whose contribution to the log-odds is smaller than this are not listed in the table.
MIN_SHOWN_CONTRIBUTION = 0.01
#: What an evidence's ``score`` measures, by reason.
SCORE_LABELS = {
    "injected_glued_phrase": "phrase model",
    "injected_mid_sentence": "phrase model",
    "unrelated_link_list": "relatedness",
}
#: Signals that only ever count towards spam (farm techniques), as opposed to general page measures.
_FARM_SIGNAL = {name: d > 0 for name, d in zip(FEATURE_NAMES, DIRECTIONS, strict=True)}
_MAX_EVIDENCE_PER_REASON = 5
_MAX_EVIDENCE = 30
_CONTEXT_CHARS = 300

_BOX = (
    "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;line-height:1.4;"
    "border:1px solid #bbb;border-radius:6px;padding:8px 12px;max-width:900px;"
    "background:#fff;color:#222"
)
_MUTED = "color:#666"
_CELL = "padding:1px 8px 1px 0;text-align:left;vertical-align:top"
_NUM = "padding:1px 8px;text-align:right;vertical-align:top;font-variant-numeric:tabular-nums"


def esc(value: object) -> str:
    """Escape text for HTML content and attribute values (quotes included)."""
    return html.escape(str(value), quote=True)


def _mark(text: str, family: str, title: str) -> str:
    colour = FAMILY_COLOURS.get(family, "#e0e0e0")
    return (
        f'<mark style="background:{colour};color:#000;padding:0 1px;border-radius:2px" '
        f'title="{esc(title)}">{esc(text)}</mark>'
    )


def _in_context(e: Evidence, family: str) -> str:
    """An evidence's context with its text marked (when the span points at it), shortened."""
    ctx = e.context
    if e.span is not None and ctx and ctx[e.span[0] : e.span[1]] == e.text:
        a, b = e.span
        left = ctx[max(0, a - _CONTEXT_CHARS // 2) : a]
        right = ctx[b : b + _CONTEXT_CHARS // 2]
        lead = "…" if a - len(left) > 0 else ""
        tail = "…" if b + len(right) < len(ctx) else ""
        return f"{lead}{esc(left)}{_mark(e.text, family, e.reason)}{esc(right)}{tail}"
    body = f"<b>{esc(e.text[:_CONTEXT_CHARS])}</b>"
    if ctx and ctx != e.text:
        short = ctx[:_CONTEXT_CHARS] + ("…" if len(ctx) > _CONTEXT_CHARS else "")
        body += f' <span style="{_MUTED}">in “{esc(short)}”</span>'
    return body


def _signal_row(s: Signal, contribution: float | None, scale: float) -> str:
    if contribution is None:
        bar = ""
        num = ""
    else:
        width = 0 if scale <= 0 else round(60 * min(1.0, abs(contribution) / scale))
        colour = "#d32f2f" if contribution > 0 else "#388e3c"
        bar = f'<span style="display:inline-block;height:9px;width:{width}px;background:{colour}"></span>'
        num = f"{contribution:+.2f}"
    return (
        f'<tr><td style="{_CELL}"><code>{esc(s.name)}</code></td>'
        f'<td style="{_NUM}">{esc(f"{s.value:g}")}</td>'
        f'<td style="{_NUM}">{esc(num)}</td><td style="{_CELL}">{bar}</td></tr>'
    )


def _evidence_items(ex: Explanation) -> list[str]:
    """One line per distinct piece of evidence of a fired signal, strongest signals first."""
    items: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    per_reason: dict[str, int] = {}
    for s in ex.fired():
        for e in s.evidence:
            key = (e.reason, e.text, e.context)
            if key in seen:
                continue
            seen.add(key)
            per_reason[e.reason] = per_reason.get(e.reason, 0) + 1
            if per_reason[e.reason] > _MAX_EVIDENCE_PER_REASON or len(items) >= _MAX_EVIDENCE:
                continue
            extra = ""
            if e.score is not None:
                label = SCORE_LABELS.get(e.reason, "score")
                extra += f' <span style="{_MUTED}">{label} {esc(f"{e.score:g}")}</span>'
            if e.against:
                extra += f' <span style="{_MUTED}">vs {esc(e.against)}</span>'
            items.append(
                f'<li style="margin:2px 0"><code style="{_MUTED}">{esc(e.reason)}</code> '
                f"{_in_context(e, s.family)}{extra}</li>"
            )
    return items


def _main_text(ex: Explanation) -> str:
    """The main text with every evidence found in it marked."""
    family = {s.name: s.family for s in ex.signals}
    parts: list[str] = []
    pos = 0
    for m in ex.marks():
        parts.append(esc(ex.text[pos : m.start]))
        parts.append(_mark(ex.text[m.start : m.end], family.get(m.signal, ""), f"{m.evidence.reason} ({m.signal})"))
        pos = m.end
    parts.append(esc(ex.text[pos:]))
    return "".join(parts)


def card(ex: Explanation) -> str:
    """The explanation as one self-contained HTML fragment."""
    spam = ex.is_spam
    badge_colour = "#c62828" if spam else "#2e7d32"
    head = [
        f'<span style="background:{badge_colour};color:#fff;font-weight:bold;padding:2px 8px;'
        f'border-radius:4px">{esc(ex.verdict.upper())}</span>',
        f"<b>p = {ex.probability:.3f}</b>",
        f'<span style="{_MUTED}">threshold {ex.threshold:g} · language {esc(ex.lang)} · '
        f"model {esc(ex.model_version)}</span>",
    ]
    if ex.truncated:
        head.append('<span style="color:#c62828">page truncated</span>')
    out = [f'<div style="{_BOX}">', '<div style="margin-bottom:6px">' + " ".join(head) + "</div>"]
    if ex.url:
        out.append(f'<div style="{_MUTED};overflow-wrap:anywhere;margin-bottom:4px">{esc(ex.url)}</div>')

    contrib = dict(ex.contributions)
    scale = max((abs(c) for _, c in ex.contributions), default=0.0)
    # In the table: signals that moved this page's score, and farm signals that fired even when
    # they did not move it. The rest (at 0, or general page measures without effect on this
    # score) are listed with their values in a collapsed line.
    shown = [
        s
        for s in ex.fired()
        if abs(contrib.get(s.name, 0.0)) >= MIN_SHOWN_CONTRIBUTION or _FARM_SIGNAL.get(s.name, False)
    ]
    rows = [_signal_row(s, contrib.get(s.name), scale) for s in shown]
    if rows:
        out.append(
            '<table style="border-collapse:collapse;margin:4px 0">'
            f'<tr style="{_MUTED}"><th style="{_CELL}">signal</th><th style="{_NUM}">value</th>'
            f'<th style="{_NUM}" title="change in the model\'s log-odds when this signal alone is set back '
            f"to a typical honest page's value\">contribution</th><th></th></tr>" + "".join(rows) + "</table>"
        )
    shown_names = {s.name for s in shown}
    rest = [s for s in ex.signals if s.name not in shown_names]
    if rest:
        values = ", ".join(f"<code>{esc(s.name)}</code>&nbsp;=&nbsp;{esc(f'{s.value:g}')}" for s in rest)
        out.append(
            f'<details><summary style="{_MUTED};cursor:pointer">{len(rest)} more signals '
            "(at 0, or general measures with no effect on this score)</summary>"
            f'<div style="{_MUTED};font-size:12px">{values}</div></details>'
        )

    items = _evidence_items(ex)
    if items:
        out.append(
            '<details open><summary style="cursor:pointer"><b>Evidence</b></summary>'
            f'<ul style="margin:2px 0;padding-left:18px">{"".join(items)}</ul></details>'
        )

    if ex.text:
        legend = " ".join(_mark(label, fam, fam) for fam, label in FAMILY_LABELS.items())
        cut = f" (first {len(ex.text):,} characters)" if len(ex.text) >= TEXT_CHARS else ""
        out.append(
            f'<details open><summary style="cursor:pointer"><b>Main text</b>{esc(cut)} '
            f'<span style="font-size:12px">{legend}</span></summary>'
            '<div style="white-space:pre-wrap;max-height:18em;overflow-y:auto;border-top:1px solid #ddd;'
            f'padding-top:4px;margin-top:4px">{_main_text(ex)}</div></details>'
        )
    else:
        out.append(f'<div style="{_MUTED}">(no main text found)</div>')
    out.append("</div>")
    return "".join(out)
