"""WCAG 2.2 AA checks in a real browser: axe-core on every kind of public page and the admin
article editor, in English and in Welsh, in the light and the dark colour scheme, and at 320 px.

axe-core comes from the `axe-playwright-python` package (requirements-dev.txt), which ships
axe.min.js inside the wheel: nothing is fetched while the tests run.

    A11Y_REPORT=/tmp/a11y.json .venv/bin/python -m pytest tests/browser/test_accessibility.py

writes every violation (all impacts) per page and language to that file, for the table in the
README; the tests fail on serious and critical ones.
"""

import io
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.exceptions import SuspiciousOperation
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import translation

from blog.models import Article
from comments.models import Comment
from inspections.models import Inspection, Organisation
from subscriptions.models import Subscriber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
AXE_VERSION = re.search(r"axe v([\d.]+)", AXE.axe_script[:200]).group(1)
BLOCKING = {"serious", "critical"}
# Moderate in axe, but what the issue asks for by name: one main, landmarks with unique names,
# headings in order, all content inside a landmark.
STRUCTURE = {
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "heading-order",
    "page-has-heading-one",
    "region",
}
# WCAG 2.0, 2.1 and 2.2 A and AA, plus axe's best practices (landmarks, headings, regions).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
LANGUAGES = ["en-gb", "cy"]
EDITOR_PASSWORD = "oversight-demo"  # the demo editor's, printed by load_demo


@dataclass
class Site:
    article: Article
    inspection: Inspection
    organisation: Organisation
    organisations: list[Organisation]
    manage_url: str


@pytest.fixture
def site(settings):
    """The demo content: real articles, inspections with charts, comments and an editor."""
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    article = (
        Article.objects.published()
        .filter(pk__in=Comment.objects.filter(status="approved").values("object_id"))
        .first()
    )
    inspection = Inspection.objects.filter(scores__percentage__isnull=False).distinct().first()
    organisations = list(
        Organisation.objects.filter(inspected__inspection=inspection).distinct()[:3]
    )
    subscriber = Subscriber.objects.create(email="reader@example.net", status="active")
    return Site(
        article=article,
        inspection=inspection,
        organisation=organisations[0],
        organisations=organisations,
        manage_url=subscriber.get_manage_url(),
    )


def _error_page(view: Callable, language: str) -> str:
    request = RequestFactory().get("/")
    with translation.override(language):
        return view(request).content.decode()


def _bad_request(request):
    from django.views.defaults import bad_request

    return bad_request(request, SuspiciousOperation("test"))


def _server_error(request):
    from core.views import server_error

    return server_error(request)


def _submit_invalid(page, form_selector: str, fill: dict[str, str]):
    """Sends a form the server refuses: the browser's own checks are switched off first."""
    form = page.locator(form_selector).first
    form.evaluate("form => { form.noValidate = true; }")
    for selector, value in fill.items():
        form.locator(selector).fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def open_page(page, live_server, site: Site, name: str, language: str) -> None:
    """Brings `page` to the page called `name` (see PAGES), as a reader would reach it."""
    url = live_server.url
    if name == "home":
        page.goto(url + "/")
    elif name == "article":
        page.goto(url + site.article.get_absolute_url())
    elif name == "inspection":
        page.goto(url + site.inspection.get_absolute_url())
    elif name == "inspection list (filtered)":
        page.goto(f"{url}/inspections/?inspectorate={site.inspection.inspectorate.slug}")
    elif name == "inspection list (errors)":
        page.goto(f"{url}/inspections/?year=abc")
    elif name == "compare":
        query = "&".join(f"org={org.slug}" for org in site.organisations)
        page.goto(f"{url}/inspections/compare/?{query}")
    elif name == "organisation":
        page.goto(url + site.organisation.get_absolute_url())
    elif name == "search (facets)":
        page.goto(url + "/search/?q=probation")
    elif name == "subscribe":
        page.goto(url + "/subscribe/")
    elif name == "subscribe (errors)":
        page.goto(url + "/subscribe/")
        _submit_invalid(page, "form.subscribe-form", {"input[name=email]": "not an address"})
    elif name == "manage subscription":
        page.goto(url + site.manage_url)
    elif name == "comment (errors)":
        page.goto(url + site.article.get_absolute_url())
        _submit_invalid(page, "form.comment-form", {"input[name=email]": "not an address"})
    elif name == "404":
        page.goto(url + "/inspections/no-such-inspection/")
    elif name in ("400", "500"):
        view = _bad_request if name == "400" else _server_error
        body = _error_page(view, language)
        target = f"{url}/error-{name}/"
        page.route(
            target,
            lambda route: route.fulfill(status=int(name), body=body, content_type="text/html"),
        )
        page.goto(target)
    elif name == "admin article edit":
        page.goto(f"{url}/admin/login/?next=/admin/")
        page.locator("#id_username").fill("editor")
        page.locator("#id_password").fill(EDITOR_PASSWORD)
        with page.expect_navigation():
            page.locator("input[type=submit], button[type=submit]").first.click()
        page.goto(f"{url}/admin/blog/article/{site.article.pk}/change/")
        page.locator(".ProseMirror").first.wait_for(state="attached")
    else:  # pragma: no cover - a typo in PAGES
        raise ValueError(name)
    page.wait_for_load_state("load")


PAGES = [
    "home",
    "article",
    "inspection",
    "inspection list (filtered)",
    "inspection list (errors)",
    "compare",
    "organisation",
    "search (facets)",
    "subscribe",
    "subscribe (errors)",
    "manage subscription",
    "comment (errors)",
    "404",
    "400",
    "500",
    "admin article edit",
]


def new_page(browser, live_server, language: str, **options):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    return context, context.new_page()


def axe_violations(page, **options) -> list[dict]:
    results = AXE.run(page, options={**AXE_OPTIONS, **options})
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "nodes": [", ".join(map(str, node["target"])) for node in violation["nodes"]],
            "help": violation["help"],
        }
        for violation in results.response["violations"]
    ]


def _record(kind: str, language: str, found: dict[str, list[dict]]) -> None:
    path = os.environ.get("A11Y_REPORT")
    if not path:
        return
    report = json.loads(Path(path).read_text()) if os.path.exists(path) else {}
    report.setdefault("axe", AXE_VERSION)
    report.setdefault(kind, {})[language] = found
    Path(path).write_text(json.dumps(report, indent=1))


def _blocking(found: dict[str, list[dict]]) -> dict[str, list[str]]:
    """Serious and critical violations, and the structural ones, by page."""
    blocking = {}
    for name, violations in found.items():
        for v in violations:
            if v["impact"] in BLOCKING or v["id"] in STRUCTURE:
                blocking.setdefault(name, []).append(f"{v['id']} ({v['impact']}): {v['nodes']}")
    return blocking


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_serious_or_critical_axe_violation_on_any_page(live_server, browser, site, language):
    context, page = new_page(browser, live_server, language)
    found = {}
    for name in PAGES:
        open_page(page, live_server, site, name, language)
        if language == "cy" and name != "500":
            assert page.locator("html").get_attribute("lang") == "cy", name
        found[name] = axe_violations(page)
    context.close()
    _record("light", language, found)
    assert _blocking(found) == {}


BACKGROUND_LUMINANCE = """() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/[\\d.]+/g).map(Number);
  const linear = (c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}"""
CONTRAST_RULES = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_dark_colour_scheme_keeps_the_contrast(live_server, browser, site, language):
    context, page = new_page(browser, live_server, language)
    page.emulate_media(color_scheme="dark")
    found = {}
    for name in PAGES:
        open_page(page, live_server, site, name, language)
        # The page really is dark (light text on a dark ground), not the light page unchanged.
        assert page.evaluate(BACKGROUND_LUMINANCE) < 0.1, name
        found[name] = axe_violations(page, **CONTRAST_RULES)
    context.close()
    _record("dark", language, found)
    assert _blocking(found) == {}


OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !element.closest(".table-scroll, .chart-figure")) {
      wide.push(`${element.tagName.toLowerCase()}.${element.classList} ${Math.round(box.right)}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8)};
}"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_reads_at_320_px_and_200_percent_zoom_without_scrolling_sideways(
    live_server, browser, site, language
):
    """WCAG 1.4.10 Reflow: 320 CSS pixels wide is a 1280-pixel window at 400% zoom; 640 is
    the same window at 200%."""
    context, page = new_page(browser, live_server, language)
    found = {}
    for name in PAGES:
        page.set_viewport_size({"width": 640, "height": 800})
        open_page(page, live_server, site, name, language)
        found[f"{name} @640"] = page.evaluate(OVERFLOWING)
        page.set_viewport_size({"width": 320, "height": 800})
        found[name] = page.evaluate(OVERFLOWING)
    context.close()
    _record("narrow", language, found)
    assert {
        name: result for name, result in found.items() if result["scrollWidth"] > result["width"]
    } == {}


# Keyboard focus: visible, and in the order of the page.

FOCUS_STOP = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  const previous = window.__lastFocus;
  window.__lastFocus = element;
  return {
    name: `${element.tagName.toLowerCase()}.${element.classList} ${element.textContent.trim()}`,
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    visible: box.width > 0 && box.height > 0,
    inOrder:
      !previous || !!(previous.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING),
  };
}"""


def test_every_tab_stop_shows_its_focus_and_follows_the_page_order(live_server, browser, site):
    context, page = new_page(browser, live_server, "en-gb")
    problems = {}
    for name in ["home", "article", "inspection", "search (facets)", "subscribe"]:
        open_page(page, live_server, site, name, "en-gb")
        stops = []
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement === document.body"):
                break
            stops.append(page.evaluate(FOCUS_STOP))
        assert len(stops) > 5, name
        for check in ("outline", "visible", "inOrder"):
            if failing := [stop["name"] for stop in stops if not stop[check]]:
                problems[f"{name}: {check}"] = failing
    context.close()
    assert problems == {}


# A refused form: the error summary takes the focus, each field names its error.


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
@pytest.mark.parametrize(
    "name", ["comment (errors)", "subscribe (errors)", "inspection list (errors)"]
)
def test_a_refused_form_puts_the_focus_on_its_error_summary(
    live_server, browser, site, name, javascript
):
    context, page = new_page(browser, live_server, "en-gb", java_script_enabled=javascript)
    open_page(page, live_server, site, name, "en-gb")
    page.wait_for_function("document.activeElement !== document.body")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.title().startswith("Error:") or name != "comment (errors)"
    invalid = page.locator("[aria-invalid=true]")
    assert invalid.count() >= 1
    for index in range(invalid.count()):
        field = invalid.nth(index)
        described = field.get_attribute("aria-describedby") or ""
        texts = [page.locator(f"#{ident}").inner_text() for ident in described.split()]
        assert any(text.strip() for text in texts), field.get_attribute("name")
    if javascript:
        # The summary's first link puts the focus in its field.
        page.locator("[data-error-summary] a").first.click()
        assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"
    context.close()


# Motion, print and the chart's own colours.


def test_reduced_motion_turns_off_smooth_scrolling_and_transitions(live_server, browser, site):
    context, page = new_page(browser, live_server, "en-gb")
    open_page(page, live_server, site, "article", "en-gb")
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "smooth"
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    open_page(page, live_server, site, "admin article edit", "en-gb")
    durations = page.evaluate(
        "getComputedStyle(document.querySelector('.prose-menubar__button')).transitionDuration"
    )
    assert all(float(value.rstrip("s")) < 0.001 for value in durations.split(","))
    context.close()


TOOLBAR_COLOURS = """() => [...document.querySelectorAll(".prose-menubar__button")].map(b => {
  const style = getComputedStyle(b);
  return [b.getAttribute("aria-label"), style.color, style.backgroundColor, style.opacity];
})"""


def _over(colour: str, ground: tuple, opacity: float) -> str:
    """The hex colour of `colour` (rgb or rgba) painted at `opacity` over `ground`."""
    parts = [float(part) for part in re.findall(r"[\d.]+", colour)]
    alpha = (parts[3] if len(parts) == 4 else 1) * opacity
    return "#" + "".join(
        f"{round(alpha * c + (1 - alpha) * g):02x}" for c, g in zip(parts[:3], ground, strict=True)
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_editor_toolbar_buttons_are_readable_even_when_unavailable(
    live_server, browser, site, scheme
):
    """axe skips the toolbar's icon-font glyphs, so this measures them: 4.5:1 or more."""
    context, page = new_page(browser, live_server, "en-gb", color_scheme=scheme)
    open_page(page, live_server, site, "admin article edit", "en-gb")
    assert page.locator(".prose-menubar__button.disabled[aria-disabled=true]").count() >= 1
    page_ground = (255, 255, 255) if scheme == "light" else (18, 18, 18)  # admin's --body-bg
    low = {}
    for label, colour, background, opacity in page.evaluate(TOOLBAR_COLOURS):
        ground = _over(background, page_ground, float(opacity))
        ground_rgb = tuple(int(ground[i : i + 2], 16) for i in (1, 3, 5))
        text = _over(colour, ground_rgb, float(opacity))
        if _contrast(text, ground) < 4.5:
            low[label] = round(_contrast(text, ground), 2)
    context.close()
    assert low == {}


PRINTED_AWAY = [
    "nav",
    "form",
    ".comments",
    ".layout__aside",
    ".share",
    ".related",
    ".related__list",
    ".skip-link",
    ".pagination",
    ".search-facets",
]


def test_printing_any_page_gives_the_content_alone(live_server, browser, site):
    context, page = new_page(browser, live_server, "en-gb")
    shown = {}
    for name in ["home", "article", "inspection", "inspection list (filtered)", "search (facets)"]:
        open_page(page, live_server, site, name, "en-gb")
        page.emulate_media(media="print", color_scheme="dark")
        assert page.locator("main h1").first.is_visible(), name
        # Black on white on paper, whatever the screen's colour scheme.
        assert page.evaluate(BACKGROUND_LUMINANCE) > 0.9, name
        for selector in PRINTED_AWAY:
            if any(element.is_visible() for element in page.locator(selector).all()):
                shown.setdefault(name, []).append(selector)
        page.emulate_media(media="screen", color_scheme="light")
    context.close()
    assert shown == {}


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(first: str, second: str) -> float:
    light, dark = sorted([_luminance(first), _luminance(second)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_chart_colours_contrast_with_the_ground_they_are_drawn_on(
    live_server, browser, site, scheme
):
    """Text in the charts at least 4.5:1, bars and marks at least 3:1 (WCAG 1.4.11), against
    the white card each chart sits on in either colour scheme (axe cannot judge SVG text)."""
    context, page = new_page(browser, live_server, "en-gb", color_scheme=scheme)
    low = {}
    for name in ["inspection", "compare", "organisation"]:
        open_page(page, live_server, site, name, "en-gb")
        chart = page.locator("svg.chart")
        assert chart.count() == 1, name
        ground = page.evaluate(
            "() => getComputedStyle(document.querySelector('.chart-figure')).backgroundColor"
        )
        if ground != "rgb(255, 255, 255)":  # transparent, on a white page
            assert ground == "rgba(0, 0, 0, 0)" and page.evaluate(BACKGROUND_LUMINANCE) > 0.9
        colours = "(els, a) => els.map(e => e.getAttribute(a)).filter(c => c && c !== 'none')"
        texts = set(chart.locator("text").evaluate_all(colours, "fill"))
        shapes = set(chart.locator("rect, circle, path, polygon").evaluate_all(colours, "fill"))
        strokes = set(chart.locator("circle, path, polygon").evaluate_all(colours, "stroke"))
        # A white shape is ground (a hollow marker's middle): its stroke is the mark.
        for mark in (shapes | strokes) - {"#ffffff"}:
            if _contrast(mark, "#ffffff") < 3:
                low[f"{name}: mark {mark}"] = round(_contrast(mark, "#ffffff"), 2)
        for fill in texts:
            # White figures are written inside the bars; the rest on the white ground.
            grounds = shapes if fill.lower() == "#ffffff" else {"#ffffff"}
            for under in grounds:
                if _contrast(fill, under) < 4.5:
                    low[f"{name}: text {fill} on {under}"] = round(_contrast(fill, under), 2)
    context.close()
    assert low == {}
