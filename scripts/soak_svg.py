"""Hand-written SVG plots of the serve soak (scripts/serve-soak.py): panels of series over
time, with commits as vertical lines and indexer runs shaded. Python 3 standard library only."""


def nice_step(span, ticks=5):
    if span <= 0:
        return 1.0
    raw = span / ticks
    mag = 10 ** int(f"{raw:e}".split("e")[1])
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def fmt_num(v):
    return f"{v:g}" if abs(v) >= 1 or v == 0 else f"{v:.2g}"


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg_plot(path, title, subtitle, x_max, panels, vlines=(), vlines2=(), spans=()):
    """panels: dicts with label, series [(name, colour, [(x, y)], dash[, step])] (with step
    true the points are (x0, x1, y), a level held from x0 to x1), optional hline
    (value, text). vlines: (x, text) drawn in every panel (commits); vlines2: lighter (merges);
    spans: (x0, x1, text) shaded in every panel (indexer running)."""
    W, left, right, top = 900, 70, 170, 60
    ph, gap = 220, 50
    H = top + len(panels) * (ph + gap) + 20
    pw = W - left - right
    x_step = nice_step(x_max, 8)
    x_top = max(x_step, x_step * -(-x_max // x_step))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W / 2}" y="22" text-anchor="middle" font-size="15" '
           f'font-weight="bold">{esc(title)}</text>',
           f'<text x="{W / 2}" y="40" text-anchor="middle" fill="#444">{esc(subtitle)}</text>']
    for i, p in enumerate(panels):
        y0 = top + i * (ph + gap)
        ys = [pt[-1] for ser in p["series"] for pt in ser[2] if pt[-1] == pt[-1]]
        if p.get("hline"):
            ys.append(p["hline"][0])
        y_hi = max(ys) if ys else 1.0
        y_step = nice_step(y_hi * 1.05, 5)
        y_top = max(y_step, y_step * -(-(y_hi * 1.05) // y_step))

        def X(x):
            return left + pw * x / x_top

        def Y(y):
            return y0 + ph - ph * y / y_top

        out.append(f'<rect x="{left}" y="{y0}" width="{pw}" height="{ph}" fill="none" '
                   f'stroke="#888"/>')
        for x0, x1, text in spans:
            out.append(f'<rect x="{X(x0):.1f}" y="{y0}" width="{max(0.5, X(x1) - X(x0)):.1f}" '
                       f'height="{ph}" fill="#fff3d6"/>')
            if i == 0:
                out.append(f'<text x="{X(x0) + 3:.1f}" y="{y0 + 12}" fill="#a07000" '
                           f'font-size="10">{esc(text)}</text>')
        t = 0.0
        while t <= y_top + 1e-9:
            out.append(f'<line x1="{left}" x2="{left + pw}" y1="{Y(t):.1f}" y2="{Y(t):.1f}" '
                       f'stroke="#eee"/>')
            out.append(f'<text x="{left - 6}" y="{Y(t) + 4:.1f}" text-anchor="end">'
                       f'{fmt_num(t)}</text>')
            t += y_step
        t = 0.0
        while t <= x_top + 1e-9:
            out.append(f'<line x1="{X(t):.1f}" x2="{X(t):.1f}" y1="{y0 + ph}" y2="{y0 + ph + 4}" '
                       f'stroke="#888"/>')
            out.append(f'<text x="{X(t):.1f}" y="{y0 + ph + 16}" text-anchor="middle">'
                       f'{fmt_num(t)}</text>')
            t += x_step
        out.append(f'<text x="{left + pw / 2}" y="{y0 + ph + 32}" text-anchor="middle">'
                   f'time since the start of the soak (s)</text>')
        out.append(f'<text transform="translate({left - 48},{y0 + ph / 2}) rotate(-90)" '
                   f'text-anchor="middle">{esc(p["label"])}</text>')
        for x, _ in vlines2:
            out.append(f'<line x1="{X(x):.1f}" x2="{X(x):.1f}" y1="{y0}" y2="{y0 + ph}" '
                       f'stroke="#bbb" stroke-dasharray="2,3"/>')
        for x, text in vlines:
            out.append(f'<line x1="{X(x):.1f}" x2="{X(x):.1f}" y1="{y0}" y2="{y0 + ph}" '
                       f'stroke="#d62728" stroke-opacity="0.6"/>')
        if p.get("hline"):
            v, text = p["hline"]
            out.append(f'<line x1="{left}" x2="{left + pw}" y1="{Y(v):.1f}" y2="{Y(v):.1f}" '
                       f'stroke="#999" stroke-dasharray="6,4"/>')
            out.append(f'<text x="{left + pw - 4}" y="{Y(v) - 4:.1f}" text-anchor="end" '
                       f'fill="#666">{esc(text)}</text>')
        for k, ser in enumerate(p["series"]):
            name, colour, pts, dash = ser[:4]
            step = len(ser) > 4 and ser[4]
            if step:  # (x0, x1, y): one level per chunk
                pts = [(x, y) for x0, x1, y in pts if y == y for x in (x0, x1)]
            pts = [(x, y) for x, y in pts if y == y]
            if pts:
                d = " ".join(f"{X(x):.1f},{Y(y):.1f}" for x, y in pts)
                extra = f' stroke-dasharray="{dash}"' if dash else ""
                out.append(f'<polyline points="{d}" fill="none" stroke="{colour}" '
                           f'stroke-width="1.6"{extra}/>')
                if len(pts) < 80 and not step:
                    for x, y in pts:
                        out.append(f'<circle cx="{X(x):.1f}" cy="{Y(y):.1f}" r="2" '
                                   f'fill="{colour}"/>')
            ly = y0 + 14 + 18 * k
            out.append(f'<line x1="{left + pw + 10}" x2="{left + pw + 30}" y1="{ly - 4}" '
                       f'y2="{ly - 4}" stroke="{colour}" stroke-width="2"'
                       f'{f" stroke-dasharray={chr(34)}{dash}{chr(34)}" if dash else ""}/>')
            out.append(f'<text x="{left + pw + 35}" y="{ly}">{esc(name)}</text>')
        k = len(p["series"])
        if vlines:
            ly = y0 + 14 + 18 * k
            out.append(f'<line x1="{left + pw + 20}" x2="{left + pw + 20}" y1="{ly - 10}" '
                       f'y2="{ly + 2}" stroke="#d62728"/>')
            out.append(f'<text x="{left + pw + 35}" y="{ly}">commit</text>')
            k += 1
        if vlines2:
            ly = y0 + 14 + 18 * k
            out.append(f'<line x1="{left + pw + 20}" x2="{left + pw + 20}" y1="{ly - 10}" '
                       f'y2="{ly + 2}" stroke="#bbb" stroke-dasharray="2,3"/>')
            out.append(f'<text x="{left + pw + 35}" y="{ly}">merge</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
