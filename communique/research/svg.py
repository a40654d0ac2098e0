"""A timeline drawn as inline SVG: one axis from the first to the last year, a mark per dated fact
(a bar for ranges), the year labels under it. The list next to it carries the same facts for
screen readers; the SVG is aria-hidden."""
from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, PAD = 720, 90, 30


def _position(value: str) -> float:
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 7  # a year alone sits mid-year
    day = parts[2] if len(parts) > 2 else 15
    return year + (month - 1) / 12 + (day - 1) / 365


def timeline_svg(facts) -> str:
    facts = [f for f in facts if f.date]
    if not facts:
        return ""
    points = [(_position(f.date), _position(f.end_date) if f.end_date else None, f) for f in facts]
    lo = min(p for p, _, _ in points)
    hi = max(max(p, e or p) for p, e, _ in points)
    lo, hi = int(lo), int(hi) + 1
    span = max(1, hi - lo)

    def x(v):
        return PAD + (WIDTH - 2 * PAD) * (v - lo) / span

    out = [f'<svg class="research-timeline" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-hidden="true" '
           f'xmlns="http://www.w3.org/2000/svg">',
           f'<line x1="{PAD}" y1="40" x2="{WIDTH - PAD}" y2="40" stroke="currentColor" stroke-width="1.5"/>']
    step = 1 if span <= 12 else 5 if span <= 60 else 10
    for year in range(lo, hi + 1, step):
        out.append(f'<line x1="{x(year):.1f}" y1="35" x2="{x(year):.1f}" y2="45" stroke="currentColor"/>'
                   f'<text x="{x(year):.1f}" y="62" font-size="11" text-anchor="middle" fill="currentColor">{year}</text>')
    for i, (start, end, fact) in enumerate(points):
        label = escape(f"{fact.date}: {fact.text}")
        if end:
            out.append(f'<rect x="{x(start):.1f}" y="34" width="{max(2, x(end) - x(start)):.1f}" height="12" '
                       f'fill="#b4582a" opacity="0.6"><title>{label}</title></rect>')
        else:
            cy = 40 - 10 * (i % 3)  # close dates are staggered so they stay visible
            out.append(f'<circle cx="{x(start):.1f}" cy="{cy}" r="5" fill="{"#8a8a8a" if fact.relative else "#b4582a"}">'
                       f'<title>{label}</title></circle>')
    out.append("</svg>")
    return mark_safe("".join(out))
