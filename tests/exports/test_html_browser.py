"""The HTML page in a real browser: Debian's chromium driven by Playwright, offline."""

from __future__ import annotations

import importlib.util
import itertools
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


# --------------------------------------------------------------------------------------------
# The page at the size analysts use: 2,000 actors and 10,000 relations (bench/_pagegraph.py)

BIG_SHOT = REPO / "test-artifacts" / "page-2000.png"
HOOD_SHOT = REPO / "test-artifacts" / "page-2000-neighbourhood.png"
BRUSH_SHOT = REPO / "test-artifacts" / "page-2000-brushed.png"


def _load_pagegraph() -> ModuleType:
    path = REPO / "bench" / "_pagegraph.py"
    spec = importlib.util.spec_from_file_location("geokg_bench_pagegraph", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    graph = _load_pagegraph().page_graph(2000, 10_000, seed=7)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (2000, 10_000)
    path = write_html(graph, tmp_path_factory.mktemp("big") / "graph.html", max_nodes=2000)
    return graph, path


def _top_label_boxes(page: Any, count: int) -> list[dict[str, Any]]:
    """The drawn label boxes (on screen, px) of the ``count`` top actors by weighted degree."""
    boxes: list[dict[str, Any]] = page.evaluate(
        """count => {
            const net = geokg.network;
            const scale = net.getScale();
            return geokg.nodes.get()
              .sort((a, b) => a.geokg.rank - b.geokg.rank).slice(0, count)
              .map(n => {
                const label = net.body.nodes[n.id].labelModule;
                // the text is drawn vadjust below the measured box (a label lifted above)
                const corner = net.canvasToDOM(
                    {x: label.size.left, y: label.size.top + label.fontOptions.vadjust});
                return {id: n.id, text: n.label, visible: label.visible(),
                        font: label.fontOptions.size * scale,
                        x: corner.x, y: corner.y,
                        w: label.size.width * scale, h: label.size.height * scale};
              });
        }""",
        count,
    )
    return boxes


def _visible_box(page: Any) -> dict[str, float]:
    """The box (on screen, px) around the visible actors, and the graph's size."""
    box: dict[str, float] = page.evaluate(
        """() => {
            const net = geokg.network;
            const pos = Object.values(net.getPositions(geokg.nodeView.getIds()))
              .map(p => net.canvasToDOM(p));
            const xs = pos.map(p => p.x), ys = pos.map(p => p.y);
            const c = document.getElementById('graph');
            return {left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys),
                    bottom: Math.max(...ys), width: c.clientWidth, height: c.clientHeight};
        }"""
    )
    return box


def _filled(box: dict[str, float]) -> bool:
    inside = (
        box["left"] >= 0
        and box["top"] >= 0
        and box["right"] <= box["width"]
        and box["bottom"] <= box["height"]
    )
    wide = (box["right"] - box["left"]) >= 0.6 * box["width"]
    tall = (box["bottom"] - box["top"]) >= 0.6 * box["height"]
    return inside and (wide or tall)


def test_big_page_opens_on_a_readable_overview(open_page: Any, big: tuple[Any, Path]) -> None:
    graph, path = big
    opened = open_page(path)
    page = opened.page
    assert page.evaluate("[geokg.nodeView.length, geokg.edgeView.length]") == [2000, 10_000]
    boxes = _top_label_boxes(page, 20)
    ranked = sorted(
        graph.nodes,
        key=lambda n: (
            -sum(max(1, w) for *_, w in graph.edges(n, data="weight"))
            - sum(max(1, w) for *_, w in graph.in_edges(n, data="weight")),
            n,
        ),
    )
    assert [b["id"] for b in boxes] == ranked[:20]
    size = page.evaluate(
        "[document.getElementById('graph').clientWidth, "
        "document.getElementById('graph').clientHeight]"
    )
    for b in boxes:
        assert b["visible"], b
        assert b["h"] >= 10, b
        assert b["font"] >= 10, b
        assert b["x"] >= 0, b
        assert b["x"] + b["w"] <= size[0], b
        assert b["y"] >= 0, b
        assert b["y"] + b["h"] <= size[1], b
    for a, b in itertools.combinations(boxes, 2):
        apart = (
            a["x"] + a["w"] <= b["x"]
            or b["x"] + b["w"] <= a["x"]
            or a["y"] + a["h"] <= b["y"]
            or b["y"] + b["h"] <= a["y"]
        )
        assert apart, (a, b)
    # the rest are small and unlabelled until zoomed in; relation labels do not pile up
    labelled = page.evaluate("geokg.labelled.nodes.length")
    assert 20 <= labelled < 200
    drawn_edge_labels = page.evaluate(
        "Object.values(geokg.network.body.edges).filter(e => e.labelModule.visible()).length"
    )
    assert drawn_edge_labels == 0
    note = page.inner_text("#view-note")
    assert f"Labels on {labelled} of 2000 actors" in note
    assert "zoom in" in note
    assert "Relation labels are hidden with 10000 relations in view" in note
    BIG_SHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(BIG_SHOT))
    print(f"screenshot: {BIG_SHOT}")
    assert opened.errors == []
    assert opened.blocked == []


def test_big_page_zoom_labels_more_and_never_overlaps(
    open_page: Any, big: tuple[Any, Path]
) -> None:
    opened = open_page(big[1])
    page = opened.page
    before = page.evaluate("geokg.labelled.nodes.length")
    page.evaluate(
        """() => new Promise(done => {
            geokg.network.moveTo({scale: 1.4, animation: false});
            geokg.relabel();
            geokg.network.once('afterDrawing', done);
        })"""
    )
    ids = page.evaluate("geokg.labelled.nodes")
    assert len(ids) > before
    boxes = page.evaluate(
        """ids => {
            // only labels drawn in this frame: vis-network leaves off-screen ones unmeasured
            const net = geokg.network, c = document.getElementById('graph');
            return ids.filter(id => {
                const p = net.canvasToDOM(net.getPositions([id])[id]);
                return p.x >= 0 && p.y >= 0 && p.x <= c.clientWidth && p.y <= c.clientHeight;
            }).map(id => {
                const label = net.body.nodes[id].labelModule;
                const top = label.size.top + label.fontOptions.vadjust;
                return [label.visible(), label.size.left, top, label.size.width,
                        label.size.height];
            });
        }""",
        ids,
    )
    assert len(boxes) > before
    assert all(b[0] for b in boxes)
    for a, b in itertools.combinations([b[1:] for b in boxes], 2):
        assert (
            a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]
        ), (a, b)
    assert opened.errors == []


def test_big_page_filter_refits(open_page: Any, big: tuple[Any, Path]) -> None:
    graph, path = big
    opened = open_page(path)
    page = opened.page
    # zoom far into a corner first: without a re-fit, the filtered actors would be off screen
    page.evaluate("geokg.network.moveTo({position: {x: 900, y: 900}, scale: 3, animation: false})")
    assert not _filled(_visible_box(page))
    for kind in ("person", "country", "organisation", "group"):
        page.uncheck(f"#type-filters input[data-type={kind}]")
    locations = sum(1 for _, t in graph.nodes(data="type") if t == "location")
    assert page.evaluate("geokg.nodeView.length") == locations
    assert _filled(_visible_box(page))
    page.click("#reset")
    assert page.evaluate("geokg.nodeView.length") == 2000
    assert _filled(_visible_box(page))
    assert opened.errors == []


def _within(graph: Any, start: str, hops: int) -> set[str]:
    undirected = graph.to_undirected(as_view=True)
    found = {start}
    ring = {start}
    for _ in range(hops):
        ring = {m for n in ring for m in undirected.neighbors(n)} - found
        found |= ring
    return found


def test_big_page_neighbourhood_and_back(open_page: Any, big: tuple[Any, Path]) -> None:
    graph, path = big
    opened = open_page(path)
    page = opened.page
    target = page.evaluate("geokg.nodes.get().sort((a, b) => a.geokg.rank - b.geokg.rank)[12].id")
    page.evaluate("id => geokg.network.focus(id, {scale: 1.5, animation: false})", target)
    point = page.evaluate(
        """id => {
            const p = geokg.network.canvasToDOM(geokg.network.getPositions([id])[id]);
            const box = document.getElementById('graph').getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y, hit: geokg.network.getNodeAt(p)};
        }""",
        target,
    )
    assert point["hit"] == target
    page.mouse.click(point["x"], point["y"])
    _wait(page, "() => !document.getElementById('focus-bar').hidden")
    label = graph.nodes[target]["label"]
    assert page.inner_text("#focus-name") == label
    assert page.inner_text("#details h3") == label
    one = _within(graph, target, 1)
    assert set(page.evaluate("geokg.nodeView.getIds()")) == one
    assert _filled(_visible_box(page))
    assert page.evaluate(
        "ids => ids.every(id => geokg.network.body.nodes[id].labelModule.visible())",
        [target],
    )
    HOOD_SHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(HOOD_SHOT))
    print(f"screenshot: {HOOD_SHOT}")
    page.click("#focus-bar button[data-hops='2']")
    assert set(page.evaluate("geokg.nodeView.getIds()")) == _within(graph, target, 2)
    page.click("#focus-back")
    assert page.evaluate("geokg.nodeView.length") == 2000
    assert page.evaluate("geokg.network.getScale()") == pytest.approx(1.5)
    assert page.is_hidden("#focus-bar")
    assert opened.errors == []


def test_big_page_search_zooms_to_each_actor(open_page: Any, big: tuple[Any, Path]) -> None:
    graph, path = big
    opened = open_page(path)
    page = opened.page
    labels = [str(graph.nodes[n]["label"]).lower() for n in graph.nodes]
    names = [*labels, *(str(a).lower() for n in graph.nodes for a in graph.nodes[n]["aliases"])]

    def unique(nid: str) -> bool:
        label = str(graph.nodes[nid]["label"]).lower()
        return sum(label in other for other in names) == 1

    quiet = [n for n in sorted(graph.nodes) if graph.degree(n) == 1 and unique(n)][:2]
    assert len(quiet) == 2
    for nid in quiet:
        label = graph.nodes[nid]["label"]
        page.fill("#search", label)
        page.press("#search", "Enter")
        assert page.evaluate("geokg.network.getSelectedNodes()") == [nid]
        centre = page.evaluate(
            """id => {
                const p = geokg.network.canvasToDOM(geokg.network.getPositions([id])[id]);
                const c = document.getElementById('graph');
                return [p.x / c.clientWidth, p.y / c.clientHeight,
                        geokg.network.getScale(),
                        geokg.network.body.nodes[id].labelModule.visible()];
            }""",
            nid,
        )
        assert centre[0] == pytest.approx(0.5, abs=0.05)
        assert centre[1] == pytest.approx(0.5, abs=0.05)
        assert centre[2] >= 1.1
        assert centre[3] is True
        page.evaluate("geokg.network.fit({animation: false})")
    assert opened.errors == []


def test_big_page_histogram_brush_filters_dates(open_page: Any, big: tuple[Any, Path]) -> None:
    graph, path = big
    opened = open_page(path)
    page = opened.page
    bars = page.evaluate("document.querySelectorAll('#histogram .bar').length")
    days = sorted(d[:10] for *_, dates in graph.edges(data="dates") for d in dates)
    first, last = (int(days[0][:4]), int(days[0][5:7])), (int(days[-1][:4]), int(days[-1][5:7]))
    assert bars == (last[0] - first[0]) * 12 + last[1] - first[1] + 1  # one bar a month
    assert bars >= 24
    box = page.locator("#histogram svg").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.30, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.45, y, steps=5)
    page.mouse.up()
    start, end = page.input_value("#date-from"), page.input_value("#date-to")
    assert start.endswith("-01")
    assert start < end
    expected = {
        k
        for _, _, k, dates in graph.edges(keys=True, data="dates")
        if any(start <= d[:10] <= end for d in dates)
    }
    shown = set(page.evaluate("geokg.edgeView.getIds()"))
    assert shown == expected
    assert 0 < len(shown) < graph.number_of_edges()
    assert page.evaluate("document.querySelectorAll('#histogram .bar.out').length") > 0
    assert _filled(_visible_box(page))
    BRUSH_SHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(BRUSH_SHOT))
    page.click("#reset")
    assert page.evaluate("geokg.edgeView.length") == graph.number_of_edges()
    assert page.evaluate("document.querySelectorAll('#histogram .bar.out').length") == 0
    assert opened.errors == []


def _apart(a: list[float], b: list[float]) -> bool:
    return a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]


def test_relation_labels_do_not_pile(open_page: Any, tmp_path: Path) -> None:
    graph = sample.sample_graph()
    opened = open_page(write_html(graph, tmp_path / "graph.html"))
    page = opened.page
    boxes = page.evaluate(
        """() => ['nodes', 'edges'].flatMap(kind =>
            Object.values(geokg.network.body[kind])
              .filter(b => b.labelModule.visible())
              .map(b => [kind, b.labelModule.size.left,
                         b.labelModule.size.top + b.labelModule.fontOptions.vadjust,
                         b.labelModule.size.width, b.labelModule.size.height]))"""
    )
    edge_boxes = [b[1:] for b in boxes if b[0] == "edges"]
    assert len(edge_boxes) >= graph.number_of_edges() // 2  # a small page reads its relations
    assert sum(b[0] == "nodes" for b in boxes) == graph.number_of_nodes()
    for a, b in itertools.combinations([b[1:] for b in boxes], 2):
        assert _apart(a, b), (a, b)
    assert page.is_hidden("#view-note")  # nothing worth a word is hidden at this size
    assert opened.errors == []


def test_big_page_colours_by_community(open_page: Any, big: tuple[Any, Path]) -> None:
    from geokg.exports.html import COMMUNITY_COLOURS, NODE_STYLES

    opened = open_page(big[1])
    page = opened.page
    assert page.is_hidden("#community-legend")
    page.check("#colour-community")
    assert page.is_visible("#community-legend")
    rows = page.locator("#community-legend .row").count()
    found = len(set(page.evaluate("geokg.nodes.get().map(n => n.geokg.community)")))
    assert found > 1
    assert rows == min(found, len(COMMUNITY_COLOURS)) + (found > len(COMMUNITY_COLOURS))
    colours = page.evaluate(
        "geokg.nodes.get().map(n => [n.geokg.community, n.geokg.type, n.color.background])"
    )
    coloured = [(c, fill) for c, _, fill in colours if c is not None and c < len(COMMUNITY_COLOURS)]
    assert len(coloured) > 1000
    assert all(fill == COMMUNITY_COLOURS[c] for c, fill in coloured)
    page.check("input[name=colour][value=type]")
    assert page.is_hidden("#community-legend")
    colours = page.evaluate("geokg.nodes.get().map(n => [n.geokg.type, n.color.background])")
    assert all(fill == NODE_STYLES[t].colour for t, fill in colours)
    assert opened.errors == []
