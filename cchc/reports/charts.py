"""Charts as PNG or SVG: Vietnamese labels, decimal comma, legible when printed in black and white.

Figures are `matplotlib.figure.Figure`s drawn by the Agg canvas: pyplot's global state is never
touched, and style settings apply only inside `rc_context`. Decimals become floats here and
nowhere else. Every series differs by hatch, marker or lightness, not by hue alone. A chart draws
at most MAX_ROWS units (MAX_ITEMS items) and says so under its title; the full numbers are in the
chart data and in the report's tables.
"""

from __future__ import annotations

import io
import textwrap
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from cchc.core.fileio import atomic_path
from cchc.core.numbers import fmt, pct
from cchc.reports.chart_data import (
    AppraisalChart,
    Chart,
    DomainsChart,
    HeatmapChart,
    HistoryChart,
    ParetoChart,
    RankingChart,
)

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

Format = Literal["png", "svg"]
FORMATS: tuple[Format, ...] = ("png", "svg")
MAX_ROWS = 50
"""Units drawn on one chart (ranking, heatmap, appraisal); the first ones by rank."""
MAX_ITEMS = 25
"""Items drawn on a Pareto chart; the cumulative share still counts every item."""
DPI = 150
WIDTH = 7.0
"""Inches: the text width of a portrait A4 page."""
STYLE: dict[RcKeyType, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans"],  # both carry every Vietnamese glyph
    "font.size": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.linewidth": 0.6,
    "svg.fonttype": "none",  # real text in the SVG: searchable, selectable, small
    "svg.hashsalt": "cchc",  # stable element ids: the same chart gives the same file
}
INK = "#1a1a1a"
DARK = "#2f4f6f"
MID = "#8aa4bf"
LIGHT = "#e4ebf2"
BAND_STYLES = ((DARK, ""), (MID, "//"), (LIGHT, ".."), ("#ffffff", "xx"))
"""(fill, hatch) per band, best band first: lightness and hatch both tell them apart."""
UNBANDED = ("#ffffff", "")
LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 0.5}
"""Behind a value label, so a threshold line does not cross it."""


def _text(text: str) -> str:
    """NFC (matplotlib does not compose accents) with '$' kept literal (not mathtext)."""
    return unicodedata.normalize("NFC", text).replace("$", r"\$")


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(_text(text), width)) or " "


def _float(value: Decimal | None) -> float:
    return float(value) if value is not None else 0.0


def _comma(value: float, _position: object = None) -> str:
    """A tick label with a decimal comma (80 → '80', 72.5 → '72,5')."""
    return fmt(Decimal(f"{value:.6f}"))


COMMA = FuncFormatter(_comma)


def _figure(height: float) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(WIDTH, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _titles(figure: Figure, ax: Axes, title: str, subtitle: str, pad: float = 6) -> None:
    figure.suptitle(_text(title), x=0.01, ha="left", fontweight="bold", fontsize=10.5)
    ax.set_title(_wrap(subtitle, 88), loc="left", fontsize=8, color="#333333", pad=pad)


def _capped(shown: int, total: int, what: str) -> str:
    if shown >= total:
        return ""
    return f"; vẽ {shown}/{total} {what} đứng đầu"


def _empty(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, _text(message), ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _percent_axis(ax: Axes, label: str) -> None:
    ax.set_xlim(0, 112)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.xaxis.set_major_formatter(COMMA)
    ax.set_xlabel(_text(label))


def _domains(chart: DomainsChart) -> Figure:
    rows = chart.domains
    figure, ax = _figure(1.6 + 0.45 * max(len(rows), 1))
    compared = f" so với năm {chart.year_before}" if chart.year_before else ""
    _titles(
        figure, ax, "Chỉ số thành phần theo lĩnh vực", f"{chart.name} – năm {chart.year}{compared}"
    )
    if not rows:
        _empty(ax, "Không có lĩnh vực nào được chấm")
        return figure
    y = np.arange(len(rows), dtype=float)
    height = 0.4 if chart.year_before else 0.6
    now = ax.barh(
        y - (height / 2 if chart.year_before else 0),
        [_float(r.share) for r in rows],
        height,
        color=DARK,
        edgecolor=INK,
        linewidth=0.5,
        label=f"Năm {chart.year}",
    )
    ax.bar_label(now, [pct(r.share, places=chart.places) for r in rows], padding=2, fontsize=7)
    if chart.year_before:
        before = ax.barh(
            y + height / 2,
            [_float(r.share_before) for r in rows],
            height,
            color=LIGHT,
            edgecolor=INK,
            hatch="///",
            linewidth=0.5,
            label=f"Năm {chart.year_before}",
        )
        labels = [pct(r.share_before, places=chart.places) for r in rows]
        ax.bar_label(before, labels, padding=2, fontsize=7)
    ax.set_yticks(y, [_wrap(f"{r.code}. {r.title}", 42) for r in rows])
    ax.invert_yaxis()
    ax.set_ylabel("Lĩnh vực")
    _percent_axis(ax, "Chỉ số thành phần (% điểm tối đa)")
    figure.legend(loc="outside lower center", ncols=2, frameon=False)
    return figure


def _ranking(chart: RankingChart) -> Figure:
    units = chart.units[:MAX_ROWS]
    figure, ax = _figure(1.9 + 0.28 * len(units))
    counts = ", ".join(f"{label}: {n}" for label, n in chart.band_counts())
    note = _capped(len(units), len(chart.units), "đơn vị")
    subtitle = f"{chart.group.label} – năm {chart.year}; {counts}{note}"
    _titles(figure, ax, "Xếp hạng Chỉ số CCHC theo xếp loại", subtitle, pad=26)
    styles = {b.label: BAND_STYLES[n % len(BAND_STYLES)] for n, b in enumerate(chart.bands)}
    y = np.arange(len(units), dtype=float)
    for n, unit in enumerate(units):
        colour, hatch = styles.get(unit.band or "", UNBANDED)
        bar = ax.barh(
            y[n], _float(unit.index), 0.7, color=colour, hatch=hatch, edgecolor=INK, linewidth=0.5
        )
        label = pct(unit.index, places=chart.places)
        ax.bar_label(bar, [label], padding=2, fontsize=7, bbox=LABEL_BOX)
    labels = [_wrap(f"{u.rank or '–'}. {u.name}", 40) for u in units]
    ax.set_yticks(y, labels)
    ax.set_ylim(len(units) - 0.5, -0.5)
    for band in chart.bands:
        if band.min <= 0:
            continue
        x = float(band.min)
        ax.axvline(x, color=INK, linestyle="--", linewidth=0.9)
        ax.annotate(
            _text(f"{band.label}\n≥ {fmt(band.min)}"),
            (x, 1.0),
            xycoords=ax.get_xaxis_transform(),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=7,
            linespacing=1.1,
        )
    _percent_axis(ax, "Chỉ số CCHC (%)")
    handles = [
        Patch(facecolor=c, hatch=h, edgecolor=INK, linewidth=0.5, label=_text(label))
        for label, (c, h) in styles.items()
    ]
    figure.legend(handles=handles, loc="outside lower center", ncols=4, frameon=False)
    return figure


def _heatmap(chart: HeatmapChart) -> Figure:
    units = chart.units[:MAX_ROWS]
    heads = chart.domains
    figure, ax = _figure(2.4 + 0.3 * len(units))
    note = _capped(len(units), len(chart.units), "đơn vị")
    subtitle = f"{chart.group.label} – năm {chart.year}; ô trống: lĩnh vực không áp dụng{note}"
    _titles(figure, ax, "Chỉ số thành phần: đơn vị × lĩnh vực (% điểm tối đa)", subtitle)
    if not units or not heads:
        _empty(ax, "Không có dữ liệu")
        return figure
    values = np.array(
        [[np.nan if s is None else float(s) for s in row.shares] for row in units], dtype=float
    )
    image = ax.imshow(np.ma.masked_invalid(values), cmap="cividis", vmin=0, vmax=100, aspect="auto")
    for (row, column), value in np.ndenumerate(values):
        share = units[row].shares[column]
        text = fmt(share, 1) if share is not None else "—"
        red, green, blue, _ = image.cmap(value / 100)
        dark = share is not None and 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
        colour = "white" if dark else INK
        ax.text(column, row, text, ha="center", va="center", fontsize=6.5, color=colour)
    ax.set_xticks(range(len(heads)), [h.code for h in heads])
    ax.set_yticks(range(len(units)), [_wrap(u.name, 36) for u in units])
    ax.set_xlabel("Lĩnh vực (mã)")
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    bar = figure.colorbar(image, ax=ax, shrink=0.8, format=COMMA)
    bar.set_label("% điểm tối đa")
    key = "; ".join(f"{h.code}: {textwrap.shorten(h.title, 48, placeholder='…')}" for h in heads)
    figure.supxlabel(_wrap(key, 130), fontsize=6.5, x=0.01, ha="left")
    return figure


def _pareto(chart: ParetoChart) -> Figure:
    items = chart.items[:MAX_ITEMS]
    figure, ax = _figure(4.0)
    scope = chart.name or chart.group.label
    note = _capped(len(items), len(chart.items), "mục")
    subtitle = (
        f"{scope} – năm {chart.year}: {fmt(chart.total)} điểm bị mất ở {len(chart.items)} mục "
        f"(không tính điều tra xã hội học){note}"
    )
    _titles(figure, ax, "Điểm bị mất theo mục, nhiều nhất trước", subtitle)
    if not items:
        _empty(ax, "Không mục nào bị mất điểm")
        return figure
    x = np.arange(len(items), dtype=float)
    ax.bar(x, [float(i.lost) for i in items], 0.7, color=MID, edgecolor=INK, hatch="//", lw=0.5)
    ax.set_xticks(x, [_text(i.code) for i in items], rotation=90, fontsize=7)
    ax.set_xlabel("Mục (tiêu chí, tiêu chí thành phần)")
    ax.set_ylabel("Điểm bị mất")
    ax.yaxis.set_major_formatter(COMMA)
    share = ax.twinx()
    share.spines["right"].set_visible(True)
    share.plot(x, [float(i.cumulative) for i in items], color=INK, marker="o", markersize=3.5)
    share.axhline(80, color=INK, linestyle=":", linewidth=0.9)
    share.set_ylim(0, 105)
    share.yaxis.set_major_formatter(COMMA)
    share.set_ylabel("Tỷ lệ cộng dồn (%)")
    handles = [
        Patch(facecolor=MID, hatch="//", edgecolor=INK, label="Điểm bị mất"),
        share.lines[0],
    ]
    share.lines[0].set_label("Tỷ lệ cộng dồn")
    figure.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
    return figure


def _appraisal(chart: AppraisalChart) -> Figure:
    units = chart.units[:MAX_ROWS]
    figure, ax = _figure(1.9 + 0.42 * len(units))
    changed = sum(1 for u in chart.units if u.changed)
    note = _capped(len(units), len(chart.units), "đơn vị")
    subtitle = (
        f"{chart.group.label} – năm {chart.year}: các mục đơn vị tự chấm (không tính điều tra "
        f"xã hội học, điểm thưởng, điểm trừ); {changed} đơn vị có điểm thay đổi{note}"
    )
    _titles(figure, ax, "Điểm tự chấm và điểm cuối cùng (sau thẩm định)", subtitle)
    y = np.arange(len(units), dtype=float)
    own = ax.barh(
        y - 0.2,
        [float(u.self_points) for u in units],
        0.4,
        color=LIGHT,
        edgecolor=INK,
        hatch="..",
        linewidth=0.5,
        label="Tự chấm",
    )
    final = ax.barh(
        y + 0.2,
        [float(u.final_points) for u in units],
        0.4,
        color=DARK,
        edgecolor=INK,
        linewidth=0.5,
        label="Điểm cuối cùng",
    )
    ax.bar_label(own, [fmt(u.self_points) for u in units], padding=2, fontsize=7)
    ax.bar_label(final, [fmt(u.final_points) for u in units], padding=2, fontsize=7)
    (top_marks,) = ax.plot(
        [float(u.max) for u in units],
        y,
        linestyle="none",
        marker="|",
        markersize=14,
        color=INK,
        label="Điểm tối đa",
    )
    ax.set_yticks(y, [_wrap(u.name, 36) for u in units])
    ax.set_ylim(len(units) - 0.5, -0.5)
    top = max((float(u.max) for u in units), default=1.0)
    ax.set_xlim(0, top * 1.15)
    ax.xaxis.set_major_formatter(COMMA)
    ax.set_xlabel("Điểm")
    handles = [own, final, top_marks]
    figure.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
    return figure


def _history(chart: HistoryChart) -> Figure:
    figure, ax = _figure(3.2)
    points = [(p.year, float(p.index)) for p in chart.years if p.index is not None]
    span = f"{points[0][0]}–{points[-1][0]}" if points else "chưa có năm nào"
    _titles(figure, ax, "Chỉ số CCHC qua các năm", f"{chart.name} ({chart.unit}), {span}")
    if not points:
        _empty(ax, "Đơn vị chưa có chỉ số nào được lưu")
        return figure
    years = [year for year, _ in points]
    values = [value for _, value in points]
    ax.plot(years, values, color=INK, marker="o", markersize=5, linewidth=1.4)
    for p in chart.years:
        if p.index is not None:
            ax.annotate(
                fmt(p.index, chart.places),
                (p.year, float(p.index)),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=7.5,
            )
    ax.set_xticks(years, [str(year) for year in years])
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.set_ylim(0, 105)
    ax.yaxis.set_major_formatter(COMMA)
    ax.set_xlabel("Năm")
    ax.set_ylabel("Chỉ số CCHC (%)")
    ax.grid(axis="y", linestyle=":", linewidth=0.6)
    return figure


_DRAW: dict[str, Callable[[Any], Figure]] = {
    "domains": _domains,
    "ranking": _ranking,
    "heatmap": _heatmap,
    "pareto": _pareto,
    "appraisal": _appraisal,
    "history": _history,
}
_METADATA: dict[Format, dict[str, Any]] = {"png": {}, "svg": {"Date": None}}


def _source(figure: Figure, source: str) -> None:
    """Which result the chart shows, as a line under its subtitle (in the layout, so that it
    never runs into a legend or a key below the chart)."""
    subtitle = getattr(figure.axes[0], "_left_title", None) if figure.axes else None
    if subtitle is None:
        figure.text(0.01, 0.005, _text(source), fontsize=6.5, va="bottom")
        return
    shown = subtitle.get_text()
    line = _wrap(source, 88)
    subtitle.set_text(f"{shown}\n{line}" if shown else line)


def render(chart: Chart, format: Format, source: str = "") -> bytes:
    """The chart as PNG or SVG bytes; `source` (which result it shows) as a footnote."""
    buffer = io.BytesIO()
    with rc_context(STYLE):
        figure = _DRAW[chart.kind](chart)
        if source:
            _source(figure, source)
        figure.savefig(buffer, format=format, dpi=DPI, metadata=_METADATA[format])
    return buffer.getvalue()


def format_of(target: Path) -> Format | None:
    """The chart format a file name asks for (by its suffix), if it is one."""
    suffix = target.suffix.lower().lstrip(".")
    return next((f for f in FORMATS if f == suffix), None)


def write_chart(chart: Chart, target: Path, source: str = "") -> Path:
    """Write the chart whole or not at all; PNG or SVG from the suffix."""
    chosen = format_of(target)
    if chosen is None:
        raise ValueError(f"tệp biểu đồ phải có đuôi .png hoặc .svg: {target.name}")
    data = render(chart, chosen, source)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


def write_charts(chart: Chart, stem: Path, formats: Sequence[Format] = FORMATS) -> list[Path]:
    """Write the chart in each format beside `stem` ('<stem>.png', '<stem>.svg')."""
    return [write_chart(chart, stem.with_name(f"{stem.name}.{f}")) for f in formats]
