"""The web edition in a real browser (headless Chromium driven by Playwright).

Skipped when Chromium or Playwright is missing, unless TEI_EDITION_REQUIRE_BROWSER=1 (CI),
in which case they fail. Every page is opened from file:// (as a reader who downloaded the
site would) and the search page also over http.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from test_html_support import FIXTURE_EDITION, REAL_EDITION, build, real_edition_ready

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("TEI_EDITION_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
REQUIRED = os.environ.get("TEI_EDITION_REQUIRE_BROWSER") == "1"
SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "img" / "html-popover.png"


def _unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM}"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _unavailable()
    if reason:
        if REQUIRED:
            pytest.fail(f"TEI_EDITION_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build([FIXTURE_EDITION], tmp_path_factory.mktemp("browser-site"))


class Watch:
    """Console errors, page errors, failed requests, requests leaving the site, dialogs."""

    def __init__(self, page, allowed_prefix: str):
        self.problems: list[str] = []
        self.allowed = allowed_prefix
        page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console error: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        # net::ERR_ABORTED is a load the test's own next navigation cancelled, not a missing
        # file (that is net::ERR_FILE_NOT_FOUND, and the link walk finds it too).
        page.on("requestfailed", lambda r: "ERR_ABORTED" in (r.failure or "")
                or self.problems.append(f"failed request: {r.url} {r.failure}"))
        page.on("request", lambda r: r.url.startswith(self.allowed) or self.problems.append(
            f"request outside the site: {r.url}"))
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.watch = Watch(pg, site.as_uri())
    yield pg
    context.close()
    assert pg.watch.problems == []


def url(site: Path, name: str) -> str:
    return site.as_uri() + "/" + name


def test_person_popover_on_hover(page, site):
    page.goto(url(site, "kamenev-text.html"))
    page.hover("a[data-key='kamenev']")
    box = page.locator("#popover")
    box.wait_for(state="visible")
    text = box.inner_text()
    assert "Lev Kamenev" in text and "1883–1936" in text and "Moscow Soviet" in text
    assert box.locator("a[href='persons.html#kamenev']").count() == 1
    page.mouse.move(5, 5)
    box.wait_for(state="hidden")


def test_person_popover_on_keyboard_focus(page, site):
    page.goto(url(site, "kamenev-text.html"))
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('data-key')") == "kamenev":
            break
    else:
        pytest.fail("the first mention of Kamenev cannot be reached with the Tab key")
    box = page.locator("#popover")
    box.wait_for(state="visible")
    assert "Bolshevik leader" in box.inner_text()
    page.keyboard.press("Escape")
    box.wait_for(state="hidden")


def test_popover_on_tap_then_link(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 800}, has_touch=True,
                                  is_mobile=True)
    pg = context.new_page()
    watch = Watch(pg, site.as_uri())
    pg.goto(url(site, "kamenev-text.html"))
    pg.tap("a[data-key='zinoviev']")
    pg.locator("#popover").wait_for(state="visible")
    assert "Comintern" in pg.locator("#popover").inner_text()
    assert pg.url.endswith("kamenev-text.html")
    # No sideways scrolling on a phone.
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()
    assert watch.problems == []


def test_date_popover_shows_both_styles(page, site):
    page.goto(url(site, "kamenev-text.html"))
    page.hover("time.old-style")
    assert "10 (23) October 1917" in page.locator("#popover").inner_text()


def test_footnote_call_jumps_to_note_and_back(page, site):
    page.goto(url(site, "leblanc.html"))
    page.hover("#leblanc-note-1-call")
    assert "Haymarket" in page.locator("#popover").inner_text()  # readable in place
    page.click("#leblanc-note-1-call")
    page.wait_for_function("location.hash === '#leblanc-note-1'")
    assert page.evaluate("document.querySelector(':target').id") == "leblanc-note-1"
    assert page.locator("#leblanc-note-1").is_visible()
    page.click("#leblanc-note-1 a[role='doc-backlink']")
    page.wait_for_function("location.hash === '#leblanc-note-1-call'")
    assert page.evaluate("document.querySelector(':target').id") == "leblanc-note-1-call"


def test_register_occurrence_lands_and_highlights(page, site):
    page.goto(url(site, "persons.html"))
    page.click("#kamenev a.occ[href*='leblanc-note-2']")
    page.wait_for_function("location.hash === '#leblanc-note-2'")
    target = page.locator(":target")
    assert target.get_attribute("id") == "leblanc-note-2"
    # The highlight fades in (a CSS transition): wait until it is there.
    page.wait_for_function(
        "getComputedStyle(document.querySelector(':target')).backgroundColor"
        " === 'rgb(255, 241, 168)'", timeout=3000)
    mark = page.locator(".occurrence-mark")
    assert mark.count() == 1 and mark.get_attribute("data-key") == "kamenev"


def test_highlight_and_source_switches(page, site):
    page.goto(url(site, "kamenev-text.html"))
    person = page.locator("a[data-key='kamenev']").first
    before = person.evaluate("el => getComputedStyle(el).backgroundColor")
    page.check("#hl-person")
    after = person.evaluate("el => getComputedStyle(el).backgroundColor")
    assert before != after
    place = page.locator("a[data-key='moscow']").first
    assert place.evaluate("el => getComputedStyle(el).backgroundColor") == "rgba(0, 0, 0, 0)"
    page.check("#hl-place")
    assert place.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    date = page.locator("time.old-style").first
    page.check("#hl-date")
    shown = date.evaluate("el => getComputedStyle(el, '::after').content")
    assert "10 (23) October 1917" in shown
    sic = page.locator(".reading-src").first
    corr = page.locator(".tei-choice .reading-ed").first
    assert not sic.is_visible() and corr.is_visible()
    page.check("#show-source")
    assert sic.is_visible() and not corr.is_visible()
    assert "mispelled" in page.locator("article").inner_text()


@pytest.mark.parametrize(("word", "page_name"), [("Zebracrossing", "kamenev-text.html"),
                                                 ("Quixotic", "leblanc.html")])
def test_search_from_file(page, site, word, page_name):
    page.goto(url(site, "search.html"))
    page.fill("#q", word)
    page.press("#q", "Enter")
    results = page.locator("#search-results li a")
    results.first.wait_for()
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(h.startswith(page_name) for h in hrefs), hrefs
    results.first.click()
    page.wait_for_load_state()
    assert word in page.locator(":target").inner_text()


def test_search_over_http(browser, site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        context = browser.new_context()
        pg = context.new_page()
        base = f"http://127.0.0.1:{server.server_port}/"
        watch = Watch(pg, base)
        pg.goto(base + "search.html?q=propagandist")
        pg.locator("#search-results li").first.wait_for()
        assert "kamenev-text.html" in pg.locator("#search-results li a").first.get_attribute("href")
        context.close()
        assert watch.problems == []
    finally:
        server.shutdown()


def test_hostile_values_do_not_run(page, site):
    page.goto(url(site, "persons.html"))
    assert "<script>alert(1)</script>" in page.locator("#evil h2").inner_text()
    page.goto(url(site, "leblanc.html"))
    page.hover("a[data-key='evil']")
    assert "onerror" in page.locator("#popover").inner_text()
    assert page.evaluate("document.querySelectorAll('#popover img, article script').length") == 0
    page.goto(url(site, "search.html?q=Mallory"))
    page.locator("#search-results li").first.wait_for()
    assert page.evaluate("document.querySelectorAll('#search-results script').length") == 0


def _all_pages(site: Path) -> list[str]:
    return sorted(p.name for p in site.glob("*.html"))


AXE_OPTIONS = {"resultTypes": ["violations"], "runOnly": {"type": "tag", "values": [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}


def check_every_page(context, site: Path) -> list[str]:
    """Open every page: console errors, failed or outside requests, and axe-core's serious
    or critical violations (WCAG 2.1 A/AA and best practice), as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    failures = []
    for name in _all_pages(site):
        pg = context.new_page()
        watch = Watch(pg, site.as_uri())
        pg.goto(url(site, name))
        pg.wait_for_load_state("load")
        # axe-core itself fetches stylesheets (refused from file://): judge the page first.
        failures.extend(f"{name}: {p}" for p in watch.problems)
        results = axe.run(pg, options=AXE_OPTIONS)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in violation["nodes"]][:3]
                failures.append(f"{name}: {violation['id']} ({violation['impact']}): {targets}")
        pg.close()
    return failures


def test_every_page_loads_without_errors_and_passes_axe(browser, site):
    context = browser.new_context()
    failures = check_every_page(context, site)
    context.close()
    assert failures == []


@pytest.mark.skipif(not real_edition_ready(), reason="tei/ has no encoded text yet")
def test_real_edition_in_the_browser(browser, tmp_path):
    site = build([REAL_EDITION], tmp_path)
    context = browser.new_context()
    failures = check_every_page(context, site)
    pg = context.new_page()
    watch = Watch(pg, site.as_uri())
    # A word from each text is found, and a person's popover shows the register data.
    for word, page_name in (("Tiflis", "simkin-kamenev.html"), ("Haymarket", "leblanc.html")):
        pg.goto(url(site, "search.html?q=" + word))
        pg.locator("#search-results li").first.wait_for()
        hrefs = pg.eval_on_selector_all("#search-results a", "els => els.map(a => a.href)")
        assert any(page_name in h for h in hrefs), (word, hrefs)
    for page_name in ("simkin-kamenev.html", "leblanc.html"):
        pg.goto(url(site, page_name))
        pg.locator("main a.ent-person").first.hover()
        pg.locator("#popover").wait_for(state="visible")
        assert "Register entry" in pg.locator("#popover").inner_text()
    failures.extend(watch.problems)
    context.close()
    assert failures == []


def test_screenshot_of_a_popover(browser, tmp_path):
    """The README's screenshot: a text page with a person's popover open.

    Written to docs/img/html-popover.png when TEI_EDITION_UPDATE_SCREENSHOTS=1 (from the real
    edition when it is encoded, else from the test fixture); otherwise into a temporary folder.
    """
    source = REAL_EDITION if real_edition_ready() else FIXTURE_EDITION
    site = build([source], tmp_path / "out")
    text_pages = [p for p in _all_pages(site) if re.search(r"kamenev", p)]
    name = text_pages[0] if text_pages else "index.html"
    context = browser.new_context(viewport={"width": 1200, "height": 760})
    pg = context.new_page()
    pg.goto(url(site, name))
    mention = pg.locator("main a.ent-person").nth(3)
    mention.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 260)")
    mention.hover()
    pg.locator("#popover").wait_for(state="visible")
    target = (SCREENSHOT if os.environ.get("TEI_EDITION_UPDATE_SCREENSHOTS") == "1"
              else tmp_path / "html-popover.png")
    target.parent.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(target))
    context.close()
    assert target.stat().st_size > 10_000


def _open_with_popovers_and_check_no_script(pg, site: Path, name: str) -> None:
    """Open a page and every popover (their content is copied into the page at run time);
    nothing in it may run: no event handler, no inline script, no embedded document."""
    pg.goto(url(site, name))
    for trigger in pg.locator("[data-pop]").all():
        trigger.hover()
    assert pg.evaluate("""() => [...document.querySelectorAll('*')].filter(
        el => [...el.attributes].some(a => a.name.startsWith('on'))).length""") == 0, name
    assert pg.evaluate("document.querySelectorAll('script:not([src]), iframe, object, "
                       "embed, svg script').length") == 0, name


def test_hostile_tei_runs_nothing_in_the_browser(browser, tmp_path):
    from test_html_support import RENDER_FIXTURES

    site = build([RENDER_FIXTURES / "hostile.xml"], tmp_path)
    context = browser.new_context()
    pg = context.new_page()
    watch = Watch(pg, site.as_uri())
    for name in _all_pages(site):
        _open_with_popovers_and_check_no_script(pg, site, name)
        links = pg.evaluate("[...document.links].map(a => a.protocol)")
        assert set(links) <= {"file:", "https:", "http:", "mailto:"}, name
    pg.goto(url(site, "search.html?q=alert"))
    pg.locator("#search-results li").first.wait_for()
    context.close()
    assert watch.problems == []


def test_hostile_fixtures_in_the_browser(browser, tmp_path):
    """The injection cases of tests/fixtures/hostile/ (markup in text, javascript: and data:
    URLs, quotes in attributes, </script> in the search data, outside links), in the DOM."""
    from test_html_support import HERE

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("script-in-text", "javascript-target", "data-uri-facs", "quotes-in-attributes",
                 "script-close-in-search-data", "outside-link-noopener"):
        shutil.copy(HERE / "fixtures" / "hostile" / f"{name}.xml", folder)
    site = build([folder], tmp_path / "out")
    context = browser.new_context()
    pg = context.new_page()
    watch = Watch(pg, site.as_uri())
    for name in _all_pages(site):
        _open_with_popovers_and_check_no_script(pg, site, name)
        hrefs = pg.evaluate("[...document.querySelectorAll('[href], [src]')].map("
                            "e => [e.protocol || new URL(e.src || e.href, location).protocol,"
                            " e.rel || '', e.host || ''])")
        for protocol, rel, host in hrefs:
            assert protocol in ("file:", "https:", "http:", "mailto:"), (name, protocol)
            if protocol != "file:":
                assert "noopener" in rel.split(), (name, protocol, host)
    pg.goto(url(site, "script-in-text.html"))
    assert "<script>alert('text')</script>" in pg.locator("article").inner_text()
    pg.goto(url(site, "search.html?q=needle"))
    pg.locator("#search-results li").first.wait_for()
    assert "</script>" in pg.locator("#search-results").inner_text()
    assert pg.evaluate("document.querySelectorAll('#search-results script').length") == 0
    context.close()
    assert watch.problems == []
