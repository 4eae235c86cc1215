"""The HTML roster report in a real browser: headless Chromium (Debian's package), driven by Playwright.

Screenshots are kept in test-artifacts/ (gitignored). Skipped, with the reason, only where no Chromium
or no Playwright is installed (.ci/run installs both when it can).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from villagepolicy.cli import main

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("VILLAGEPOLICY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# The machine's network is closed, and a test must not reach it: no background services, no updates.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _skip_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install '.[test]')"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    return None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=str(_skip_reason()))


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="vp-chromium-")
    with sync_playwright() as p:
        # A fresh profile each run (a persistent context is how Playwright takes --user-data-dir).
        ctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield ctx
        finally:
            ctx.close()
            shutil.rmtree(profile, ignore_errors=True)


def _open(browser, url: str, width: int, height: int):
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": height})
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(url)
    return page, problems


@pytest.fixture(scope="module")
def guizhou_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "guizhou.html"
    roster = ROOT / "examples" / "rosters" / "guizhou.xlsx"
    assert main(["check", str(roster), "--as-of", "2019-01-01", "--format", "html", "-o", str(out)]) == 1
    return out


def test_report_shows_totals_a_violation_with_its_clause_and_the_month_chart(browser, guizhou_report: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page, problems = _open(browser, guizhou_report.as_uri(), 1280, 900)
    import datetime as dt

    import villagepolicy as vp
    from villagepolicy.roster import check, read_roster

    counts = check(read_roster(ROOT / "examples/rosters/guizhou.xlsx"), vp.load(), dt.date(2019, 1, 1)).counts()
    assert counts["violation"] > 0
    for severity in ("violation", "warning", "manual_check"):
        assert page.locator(f"[data-count={severity}] b").inner_text() == str(counts[severity])
    violation = page.locator(".finding.violation").first
    assert violation.is_visible()
    link = violation.locator(".cites a").first
    target = link.get_attribute("href")
    assert target and target.startswith("#")
    link.click()
    clause = page.locator(f"{target}:target")
    assert clause.is_visible() and len(clause.inner_text()) > 10  # the clause text, one click away
    chart = page.locator("figure.chart.flagged").first
    assert chart.locator(".mo").count() == 12 and chart.locator(".req").count() == 12
    page.screenshot(path=str(ARTIFACTS / "report-desktop.png"))
    page.locator("#stay").screenshot(path=str(ARTIFACTS / "report-stay.png"))
    assert problems == []
    page.close()


def test_report_is_readable_on_a_phone(browser, guizhou_report: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page, problems = _open(browser, guizhou_report.as_uri(), 390, 844)
    # Nothing wider than the screen: no sideways scrolling of the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "report-phone.png"))
    assert problems == []
    page.close()


def test_english_report_says_so(browser, tmp_path: Path) -> None:
    out = tmp_path / "en.html"
    roster = ROOT / "examples" / "rosters" / "tongwei.xlsx"
    main(["check", str(roster), "--as-of", "2020-01-01", "--format", "html", "--lang", "en", "-o", str(out)])
    page, problems = _open(browser, out.as_uri(), 1280, 900)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Roster check report"
    assert page.locator(".year").count() > 0  # Tongwei judges the year: its bars are under the months
    assert problems == []
    page.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    assert main(["site", "-o", str(out)]) == 0
    return out


def test_site_search_finds_a_clause_and_shows_it_beside_its_rules(browser, site: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page, problems = _open(browser, (site / "index.html").as_uri(), 1280, 900)
    assert page.locator("a[href='pack-shiquan-2021.html']").count() >= 1  # documents list and coverage table
    page.fill("#q", "连续请假超过30天")
    hit = page.locator("#hits a").first
    assert "shiquan-2021" in (hit.get_attribute("href") or "")
    hit.click()
    page.wait_for_load_state()
    target = page.url.split("#", 1)[1]
    block = page.locator(f"#{target}")
    assert "连续请假超过30天" in block.locator(".law").inner_text()
    assert block.locator(".rule").count() >= 1  # the rules that encode it, beside it
    page.screenshot(path=str(ARTIFACTS / "site-pack.png"))
    assert problems == []
    page.close()


def test_site_marks_not_encodable_clauses_with_their_reason(browser, site: Path) -> None:
    page, problems = _open(browser, (site / "pack-central-2017.html").as_uri(), 390, 844)
    assert page.locator(".tag.ne").count() >= 1
    assert page.locator("table").count() >= 1  # each question's rules as a table
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "site-phone.png"))
    assert problems == []
    page.close()
