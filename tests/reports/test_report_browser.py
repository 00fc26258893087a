"""The HTML report in a real browser: headless Chromium loads it from file:// and prints it to A4.

The browser tests skip when /usr/bin/chromium is missing, unless CCHC_REQUIRE_BROWSER=1 (CI), which
turns a missing browser into a failure. Every request the page makes is routed through the test:
anything but file: and data: is recorded and aborted, so nothing can reach the network.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PIL import Image
from pypdf import PageObject, PdfReader

from cchc.reports import html_report
from cchc.reports.html_report import ReportError, write_report
from cchc.scoring.run import YearRun, rank_units
from cchc.units.model import Unit
from tests.pair import pair_runs
from tests.reports.test_chart_data import HOSTILE

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL = ("file:", "data:")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """Headless Chromium with a fresh profile; skipped (or failed in CI) when it is missing."""
    required = os.environ.get("CCHC_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None  # type: ignore[assignment]
    if sync_playwright is None or not CHROMIUM.exists():
        message = "cần Chromium (/usr/bin/chromium) và gói playwright để thử báo cáo HTML"
        if required:
            pytest.fail(message + " (CCHC_REQUIRE_BROWSER=1)")
        pytest.skip(message)
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield context
        context.close()


@dataclass
class Loaded:
    """A page opened from a file, and everything that went wrong while loading it."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    remote: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return self.console_errors + self.failed + self.remote + self.broken_images


def open_page(context: BrowserContext, path: Path) -> Loaded:
    page = context.new_page()
    loaded = Loaded(page)

    def route(r: Route) -> None:
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            loaded.remote.append(f"yêu cầu ra ngoài: {r.request.url}")
            r.abort()

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            loaded.console_errors.append(message.text)

    page.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", lambda e: loaded.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: loaded.failed.append(f"không tải được: {r.url}"))
    page.goto(path.resolve().as_uri(), wait_until="load")
    widths = page.evaluate(
        "Array.from(document.images).map(i => [i.complete ? i.naturalWidth : 0, i.alt])"
    )
    loaded.broken_images = [f"hình hỏng: {alt}" for width, alt in widths if width == 0]
    return loaded


def report(
    tmp_path: Path, u2: Unit | None = None, template_dir: Path | None = None
) -> tuple[Path, int]:
    """The 2024 report of the pair runs against 2023; (file, charts drawn)."""
    before, now = pair_runs(u2) if u2 else pair_runs()
    target = tmp_path / "bao-cao-2024.html"
    summary = write_report(now, target, before, None, template_dir, "Tỉnh Thử")
    return target, summary.charts


def test_report_loads_cleanly(browser: BrowserContext, tmp_path: Path) -> None:
    path, charts = report(tmp_path, Unit(code="U2", name=HOSTILE, group="xa"))
    loaded = open_page(browser, path)
    page = loaded.page
    assert loaded.problems() == []
    # ranking, heatmap, Pareto, appraisal (U1 was appraised) + one domains chart per unit
    assert charts == 6
    assert page.evaluate("document.images.length") == charts
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert page.evaluate("document.characterSet") == "UTF-8"
    assert page.locator("script").count() == 0  # the unit's name stayed text
    body = page.inner_text("body")
    assert HOSTILE in body
    assert "Báo cáo Chỉ số cải cách hành chính năm 2024" in body
    assert "BỘ TIÊU CHÍ MẪU – KHÔNG PHẢI VĂN BẢN CHÍNH THỨC" in body  # the sets are samples
    assert "65,83" in body and "+7,13" in body  # U1's index and its change since 2023
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    colours = shot.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text and charts, not a blank page
    page.close()


def page_texts(page: Page) -> list[str]:
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return [p.extract_text() for p in reader.pages]


def test_prints_on_a4_with_sections_on_new_pages(browser: BrowserContext, tmp_path: Path) -> None:
    loaded = open_page(browser, report(tmp_path)[0])
    pages = page_texts(loaded.page)
    # 1 title and overview; 2–4 the group (ranking and heatmap, lost points, appraisal);
    # 5 U1; 6 U2; 7 the comparison; 8 the issues. Each major section opens a page.
    assert len(pages) == 8
    starts = {
        "Xếp hạng và xếp loại – nhóm Xã": 2,
        "Xã Tân Lập (U1)": 5,
        "Xã Đồng Tâm (U2)": 6,
        "So sánh năm 2024 với năm 2023": 7,
        "Vấn đề khi đọc và chấm sổ": 8,
    }
    for heading, number in starts.items():
        lines = [line for line in pages[number - 1].splitlines() if not line.startswith("Trang")]
        assert lines[0] == heading, (heading, pages[number - 1][:200])
    assert all(f"Trang {n}/8" in text for n, text in enumerate(pages, start=1))
    loaded.page.close()


def test_long_tables_repeat_their_header(browser: BrowserContext, tmp_path: Path) -> None:
    # 90 units in one group: the ranking table runs over several pages, each with its header.
    before, now = pair_runs()
    template = now.units[1]
    for n in range(3, 93):
        unit = Unit(code=f"U{n}", name=f"Xã số {n:03d}", group="xa")
        now.units.append(type(template)(unit, "cw", 2024, None, template.leaves, template.totals))
    target = tmp_path / "bao-cao-2024-U1.html"
    write_report(now, target, before, unit="U1")
    loaded = open_page(browser, target)
    pages = page_texts(loaded.page)
    ranking = [t for t in pages if re.search(r"^\d+ U\d+ Xã số \d{3} ", t, re.MULTILINE)]
    matrix = [t for t in pages if re.search(r"^Xã số \d{3} 0,00 0,00 0,00$", t, re.MULTILINE)]
    assert len(ranking) >= 2 and len(matrix) >= 2  # both tables run over pages
    assert all("Hạng Mã Đơn vị Chỉ số (%) Xếp loại" in t for t in ranking)
    assert all("Đơn vị 1 2 3" in t for t in matrix)
    loaded.page.close()


MM = 72 / 25.4
"""PDF points in a millimetre."""


@dataclass(frozen=True)
class Run:
    """A piece of text printed on a PDF page: where it starts, its size, and roughly its end."""

    text: str
    x: float
    y: float
    size: float

    @property
    def end(self) -> float:
        """Where a figure ends (Times: digits 0,5 em, signs ≤ 0,564 em); a word: where it starts."""
        if re.fullmatch(r"[−+\d,/]+", self.text):
            return self.x + 0.564 * self.size * len(self.text)
        return self.x


def page_runs(page: PageObject) -> list[Run]:
    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append(Run(text.strip(), x, y, size * tm[0] * cm[0]))

    page.extract_text(visitor_text=visit)
    return runs


def test_comparison_table_fits_a4_at_full_size(browser: BrowserContext, tmp_path: Path) -> None:
    """Eleven columns, a long unit name, codes and ranks of 139 units: the comparison table stays
    between the page margins with its last column, instead of Chromium shrinking every printed
    page to fit it (the whole report came out at 85 %)."""
    long = Unit(code="UBND-DTTL-0002", name="Ủy ban nhân dân xã Đồng Tâm Thượng Lưu", group="xa")
    before, now = pair_runs(long)
    for run in (before, now):
        template = run.units[1]
        for n in range(3, 140):
            unit = Unit(code=f"XA-{n:05d}", name=f"Xã Thượng Nguyên số {n:03d}", group="xa")
            totals = replace(template.totals, rank=None)
            kind = type(template)
            run.units.append(kind(unit, "cw", run.year, f"{n}.xlsx", template.leaves, totals))
        rank_units(run.units)
    target = tmp_path / "bao-cao-2024.html"
    write_report(now, target, before)
    loaded = open_page(browser, target)
    page = loaded.page
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    texts = [p.extract_text() for p in reader.pages]
    first = next(n for n, t in enumerate(texts) if "So sánh năm 2024 với năm 2023" in t)
    last = next(n for n, t in enumerate(texts) if "Vấn đề khi đọc và chấm sổ" in t)
    assert last - first >= 2  # the table runs over pages
    width = float(reader.pages[first].mediabox.width)
    assert width == pytest.approx(210 * MM, abs=1)
    right = width - 15 * MM  # the @page margin
    heading = next(r for r in page_runs(reader.pages[first]) if r.text.startswith("So sánh năm"))
    assert heading.size == pytest.approx(14, abs=0.05)  # printed at full size, not shrunk
    for number in range(first, last):
        runs = page_runs(reader.pages[number])
        body = [r for r in runs if r.y > 18 * MM]  # above the bottom margin's page number
        table = [r for r in body if not r.text.startswith("So sánh")]
        assert all(r.size == pytest.approx(9, abs=0.05) for r in table), number
        assert max(r.end for r in table) <= right, (number, max(table, key=lambda r: r.end))
        # the last column: its header repeated on every page, a figure on every unit's row
        assert "dưới tối" in texts[number]
        lines = [line for line in texts[number].splitlines() if re.match(r"^XA-\d{5} ", line)]
        assert lines and all(re.search(r"139 [+−]?\d+ \d+ \d+ \d+$", line) for line in lines)
    # laid out at the page's width (180 mm between the margins), the table is no wider
    page.emulate_media(media="print")
    page.set_viewport_size({"width": round(180 * 96 / 25.4), "height": 1000})
    overflow = page.evaluate(
        "Array.from(document.querySelectorAll('table')).map(t => t.getBoundingClientRect().right)"
        ".filter(r => r > document.documentElement.clientWidth + 0.5).length"
    )
    assert overflow == 0
    page.close()


def test_a_broken_image_is_caught(browser: BrowserContext, tmp_path: Path) -> None:
    path = report(tmp_path)[0]
    html = path.read_text(encoding="utf-8")
    corrupt = tmp_path / "hong.html"
    corrupt.write_text(
        html.replace("data:image/svg+xml;base64,", "data:image/svg+xml;base64,!!!", 1),
        encoding="utf-8",
    )
    assert open_page(browser, corrupt).broken_images == ["hình hỏng: Biểu đồ xếp hạng nhóm Xã"]
    missing = tmp_path / "thieu.html"
    missing.write_text(re.sub(r'src="data:[^"]*"', 'src="khong-co.png"', html, count=1), "utf-8")
    loaded = open_page(browser, missing)
    assert loaded.broken_images == ["hình hỏng: Biểu đồ xếp hạng nhóm Xã"]
    assert loaded.failed and "khong-co.png" in loaded.failed[0]
    remote = tmp_path / "mang.html"
    remote.write_text(
        html.replace("</body>", '<img src="https://example.com/a.png" alt="x">'), "utf-8"
    )
    loaded = open_page(browser, remote)
    assert loaded.remote == ["yêu cầu ra ngoài: https://example.com/a.png"]


def test_unit_text_is_escaped(tmp_path: Path) -> None:
    html = report(tmp_path, Unit(code="U2", name=HOSTILE, group="xa"))[0].read_text("utf-8")
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;x&#34;" in html
    assert "<script" not in html and "http://" not in html and "https://" not in html


def test_user_templates_win(tmp_path: Path) -> None:
    mine = tmp_path / "mau"
    mine.mkdir()
    (mine / "report.css").write_text("body { color: #123456; }", encoding="utf-8")
    html = report(tmp_path, template_dir=mine)[0].read_text("utf-8")
    assert "#123456" in html and "@page" not in html  # the user's CSS, the bundled page
    assert '<html lang="vi">' in html
    (mine / "report.html").write_text("{% for x in %}", encoding="utf-8")
    with pytest.raises(ReportError, match=r"report\.html:1"):
        report(tmp_path, template_dir=mine)


def test_runs_without_comparison(tmp_path: Path) -> None:
    now: YearRun = pair_runs()[1]
    target = write_report(now, tmp_path / "r.html").file
    html = target.read_text("utf-8")
    assert "So sánh năm" not in html and "Năm 2023" not in html


def test_a_provisional_result_is_said(tmp_path: Path) -> None:
    """U1 was appraised, U2 not (the pair has no survey items): one unit of two is provisional."""
    html = report(tmp_path)[0].read_text("utf-8")
    assert (
        '<p class="sample" role="note">Kết quả tạm tính: 1/2 đơn vị chưa thẩm định '
        "(điểm là điểm tự chấm)</p>"
    ) in html


def test_charts_drawn_by_workers_are_the_charts_drawn_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The charts are drawn together once the page is made, by worker processes from
    CHARTS_PARALLEL_FROM charts: the page is the same byte for byte, each mark replaced."""
    monkeypatch.setattr(html_report, "CHARTS_PARALLEL_FROM", 1000)  # here
    here, count = report(tmp_path / "here")
    monkeypatch.setattr(html_report, "CHARTS_PARALLEL_FROM", 1)  # in workers (where there is fork)
    workers, _ = report(tmp_path / "workers")
    html = workers.read_text("utf-8")
    assert count > 4 and html.count('src="data:image/svg+xml;base64,') == count
    assert "@@cchc-chart" not in html
    assert html == here.read_text("utf-8")
