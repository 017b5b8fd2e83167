"""Pictures drawn on the server as inline SVG (no JavaScript, no build step): events per month by
country pair, and the network of which states cooperate with which."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from markupsafe import Markup, escape

PALETTE = ("#1d4ed8", "#b91c1c", "#047857", "#a16207", "#7c3aed", "#0e7490", "#be185d", "#6b7280")


def pair_label(countries: list[str]) -> str:
    return "–".join(countries) if countries else "?"


def _months(events: list[dict[str, Any]]) -> list[str]:
    months = sorted({e["date"][:7] for e in events if e.get("date")})
    if not months:
        return []
    year, month = (int(x) for x in months[0].split("-"))
    end = months[-1]
    out = []
    while True:
        label = f"{year:04d}-{month:02d}"
        out.append(label)
        if label >= end or len(out) > 120:
            return out
        month += 1
        if month == 13:
            year, month = year + 1, 1


def timeline_svg(events: list[dict[str, Any]], top: int = 6) -> Markup:
    """Stacked bars: events per month, one colour per country pair (the `top` most frequent)."""
    months = _months(events)
    if not months:
        return Markup('<p class="muted">No dated events to chart.</p>')
    pairs = Counter(pair_label(e.get("countries") or []) for e in events if e.get("date"))
    shown = [p for p, _ in pairs.most_common(top)]
    counts: dict[str, Counter] = {m: Counter() for m in months}
    for event in events:
        if event.get("date"):
            pair = pair_label(event.get("countries") or [])
            counts[event["date"][:7]][pair if pair in shown else "other"] += 1
    series = shown + (["other"] if len(pairs) > len(shown) else [])
    peak = max(sum(c.values()) for c in counts.values()) or 1
    width, height, left, bottom, top_pad = 640, 220, 34, 36, 10
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    bar_w = plot_w / len(months)
    total_h = height + 20 * ((len(series) + 3) // 4)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total_h}"'
        ' role="img" aria-labelledby="timeline-title" class="chart" id="timeline-chart">',
        '<title id="timeline-title">Events per month by country pair</title>',
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - 10}" y2="{top_pad + plot_h}"'
        ' stroke="#9ca3af"/>',
        f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end" font-size="11">{peak}</text>',
        f'<text x="{left - 6}" y="{top_pad + plot_h}" text-anchor="end" font-size="11">0</text>',
    ]
    for i, month in enumerate(months):
        x = left + i * bar_w
        y = top_pad + plot_h
        for j, name in enumerate(series):
            n = counts[month][name]
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{max(bar_w - 2, 1):.1f}"'
                f' height="{h:.1f}"'
                f' fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(month)}: {escape(name)}'
                f" {n}</title></rect>"
            )
        if len(months) <= 12 or i % math.ceil(len(months) / 12) == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{top_pad + plot_h + 14}" font-size="10"'
                f' text-anchor="middle">{escape(month)}</text>'
            )
    for j, name in enumerate(series):
        lx = left + (j % 4) * 150
        ly = height + 6 + 20 * (j // 4)
        parts.append(
            f'<rect x="{lx}" y="{ly - 10}" width="12" height="12"'
            f' fill="{PALETTE[j % len(PALETTE)]}"/><text x="{lx + 16}" y="{ly}"'
            f' font-size="12">{escape(name)} ({sum(c[name] for c in counts.values())})</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def network_svg(events: list[dict[str, Any]], names: dict[str, str]) -> Markup:
    """States on a circle; a line for each pair that cooperated, thicker for more events."""
    edges: Counter = Counter()
    degree: Counter = Counter()
    for event in events:
        countries = sorted(set(event.get("countries") or []))
        for i, a in enumerate(countries):
            degree[a] += 1
            for b in countries[i + 1 :]:
                edges[(a, b)] += 1
    if not edges:
        return Markup('<p class="muted">No cooperating states to draw.</p>')
    nodes = sorted(degree, key=lambda c: (-degree[c], c))[:24]
    size, radius = 420, 150
    centre = size / 2
    pos = {}
    for i, code in enumerate(nodes):
        angle = 2 * math.pi * i / len(nodes) - math.pi / 2
        pos[code] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle))
    heaviest = max(edges.values())
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img"'
        ' aria-labelledby="network-title" class="chart" id="network-chart">',
        '<title id="network-title">Which states cooperate with which</title>',
    ]
    for (a, b), n in sorted(edges.items()):
        if a not in pos or b not in pos:
            continue
        (x1, y1), (x2, y2) = pos[a], pos[b]
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#1d4ed8"'
            f' stroke-opacity="0.55" stroke-width="{1.5 + 6 * n / heaviest:.1f}">'
            f"<title>{escape(names.get(a, a))} – {escape(names.get(b, b))}: {n} events</title>"
            "</line>"
        )
    for code in nodes:
        x, y = pos[code]
        r = 10 + 8 * math.sqrt(degree[code] / max(degree.values()))
        parts.append(
            f'<a href="/?country={escape(code)}"><circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"'
            f' fill="#1e3a5f"><title>{escape(names.get(code, code))}: {degree[code]} events'
            f'</title></circle><text x="{x:.1f}" y="{y + 4:.1f}" font-size="11" fill="#ffffff"'
            f' text-anchor="middle">{escape(code)}</text></a>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
