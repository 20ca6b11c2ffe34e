"""The HTML page in a real browser: Debian's chromium driven by Playwright, offline."""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from geokg.exports.html import write_html

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO / "test-artifacts" / "graph.png"


def _load_sample() -> ModuleType:
    path = Path(__file__).with_name("_html_sample.py")
    spec = importlib.util.spec_from_file_location("geokg_tests_html_sample", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sample = _load_sample()


def _wait(page: Any, expression: str, arg: Any = None, timeout: float = 10.0) -> None:
    """Poll ``expression`` until truthy (``wait_for_function`` needs eval, which our CSP bans)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {expression}")
        page.wait_for_timeout(20)


class Opened:
    """A page opened from a file: URL, with what went wrong on it."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.blocked: list[str] = []


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing; install Debian's chromium (make browser)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def _open(path: Path) -> Opened:
        context = browser.new_context(viewport={"width": 1400, "height": 860})
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page)

        def route(r: Any) -> None:
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                opened.blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on(
            "console",
            lambda m: opened.errors.append(f"console: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: opened.errors.append(f"pageerror: {e}"))
        page.goto(path.as_uri())
        _wait(page, "() => window.geokg !== undefined && window.geokg.ready === true")
        return opened

    yield _open
    for context in contexts:
        context.close()


def _edge_with_sentence(page: Any, text: str) -> str:
    edge_id: str = page.evaluate(
        """text => geokg.edges.get().find(
               e => e.geokg.provenance.some(p => p.sentence.includes(text))).id""",
        text,
    )
    return edge_id


def _hover_edge(page: Any, edge_id: str) -> None:
    point = page.evaluate("id => geokg.edgeMidpoint(id)", edge_id)
    page.mouse.move(point["x"] - 30, point["y"] - 30)
    page.mouse.move(point["x"], point["y"], steps=4)
    _wait(page, "id => document.getElementById('details').dataset.id === id", edge_id)


def test_page_loads_offline_and_shows_sentence_on_hover(open_page: Any, tmp_path: Path) -> None:
    graph = sample.sample_graph()
    path = write_html(graph, tmp_path / "graph.html", title="geokg sample")
    opened = open_page(path)
    page = opened.page
    counts = page.evaluate("[geokg.nodes.length, geokg.edges.length]")
    assert counts == [graph.number_of_nodes(), graph.number_of_edges()]
    assert page.evaluate("[geokg.nodeView.length, geokg.edgeView.length]") == counts
    assert page.inner_text("#status") == f"{counts[0]} actors · {counts[1]} relations"

    _hover_edge(page, _edge_with_sentence(page, sample.HOVER_SENTENCE))
    details = page.inner_text("#details")
    assert sample.HOVER_SENTENCE in details
    assert "Warsaw closes consulate" in details  # the document title
    assert "Material conflict" in details
    assert "2025-05-20" in details
    link = page.get_attribute("#details .source a", "href")
    assert link == "https://news.example.org/b"

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    print(f"screenshot: {SCREENSHOT}")
    assert SCREENSHOT.stat().st_size > 10_000
    assert opened.errors == []
    assert opened.blocked == []


def test_reported_edge_shows_speaker(open_page: Any, tmp_path: Path) -> None:
    path = write_html(sample.sample_graph(), tmp_path / "graph.html")
    opened = open_page(path)
    page = opened.page
    _hover_edge(page, _edge_with_sentence(page, "Ukrainian forces had hit"))
    details = page.inner_text("#details")
    assert "Moscow said Ukrainian forces had hit a border town." in details
    assert "reported" in details
    assert "speaker: Vladimir Putin" in details
    assert opened.errors == []


def test_filters_and_search(open_page: Any, tmp_path: Path) -> None:
    graph = sample.sample_graph()
    path = write_html(graph, tmp_path / "graph.html")
    opened = open_page(path)
    page = opened.page
    countries = sum(1 for _, t in graph.nodes(data="type") if t == "country")
    page.uncheck("#type-filters input[data-type=country]")
    assert page.evaluate("geokg.nodeView.length") == graph.number_of_nodes() - countries
    visible = page.evaluate("geokg.edgeView.get().map(e => [e.from, e.to])")
    types = dict(graph.nodes(data="type"))
    assert visible
    assert all(types[u] != "country" and types[v] != "country" for u, v in visible)
    page.click("#reset")
    assert page.evaluate("geokg.nodeView.length") == graph.number_of_nodes()

    page.select_option("#plover", "ACCUSE")
    accuse = [k for _, _, k, p in graph.edges(keys=True, data="plover") if p == "ACCUSE"]
    assert page.evaluate("geokg.edgeView.getIds()") == sorted(accuse)
    assert page.evaluate("geokg.nodeView.getIds().sort()") == sorted(
        ["person:keir-starmer", "person:vladimir-putin"]
    )
    page.click("#reset")

    page.fill("#date-from", "2025-05-19")
    page.uncheck("#undated")
    late = [
        k
        for _, _, k, dates in graph.edges(keys=True, data="dates")
        if any(d >= "2025-05-19" for d in dates)
    ]
    assert sorted(page.evaluate("geokg.edgeView.getIds()")) == sorted(late)
    page.click("#reset")

    page.fill("#search", "putin")
    _wait(page, "() => document.getElementById('search-count').textContent === '1 match'")
    assert page.evaluate("geokg.network.getSelectedNodes()") == ["person:vladimir-putin"]
    assert page.inner_text("#details h3") == "Vladimir Putin"
    assert opened.errors == []


def test_hostile_text_stays_text(open_page: Any, tmp_path: Path) -> None:
    title = sample.HOSTILE[0] + sample.HOSTILE[1]
    path = write_html(sample.hostile_graph(), tmp_path / "graph.html", title=title)
    opened = open_page(path)
    page = opened.page
    assert page.title() == title
    assert page.inner_text("h1") == title
    edge_id = _edge_with_sentence(page, "plain tail")
    _hover_edge(page, edge_id)
    page.mouse.click(*page.evaluate("id => geokg.edgeMidpoint(id)", edge_id).values())
    text = page.evaluate("document.getElementById('details').textContent")
    assert sample.HOSTILE[0] in text
    assert sample.HOSTILE[1] in text
    assert page.evaluate("document.querySelectorAll('#details img, #details svg').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 3
    hrefs = page.evaluate("[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    assert all(h is None or h.startswith("https://") for h in hrefs)
    node_id = sample.HOSTILE[1]
    page.evaluate("id => geokg.showNode(id, true)", node_id)
    assert sample.HOSTILE[4] in page.evaluate("document.getElementById('details').textContent")
    page.fill("#search", "<")
    page.wait_for_timeout(100)
    assert page.evaluate("window.__pwned") is None
    assert opened.errors == []
    assert opened.blocked == []


def test_layout_is_the_same_on_every_load(open_page: Any, tmp_path: Path) -> None:
    path = write_html(sample.sample_graph(), tmp_path / "graph.html", seed=11)
    first = open_page(path).page.evaluate("geokg.network.getPositions()")
    second = open_page(path).page.evaluate("geokg.network.getPositions()")
    assert set(first) == set(sample.sample_graph().nodes)
    assert first == second
    spread = {round(p["x"]) for p in first.values()}
    assert len(spread) > 5  # laid out, not stacked


def test_capped_edge_names_the_sources_left_out(open_page: Any, tmp_path: Path) -> None:
    from geokg.exports.html import MAX_SOURCES

    graph = sample.sample_graph()
    u, v, key, attrs = next(iter(graph.edges(keys=True, data=True)))
    extra = [
        sample.provenance(f"extra-{i}", f"Extra source sentence {i}.", date=None, speaker=None)
        for i in range(40)
    ]
    graph.edges[u, v, key]["provenance"] = [*attrs["provenance"], *extra]
    total = len(graph.edges[u, v, key]["provenance"])
    opened = open_page(write_html(graph, tmp_path / "graph.html"))
    page = opened.page
    _hover_edge(page, key)
    details = page.inner_text("#details")
    assert f"sources ({total})" in details.lower()
    assert f"and {total - MAX_SOURCES} more sources in triples.jsonl" in details
    assert page.evaluate("document.querySelectorAll('#details .source').length") == MAX_SOURCES
    assert "Each relation shows its first" in page.inner_text("#notice")
    assert opened.errors == []
