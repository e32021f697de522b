"""The article text of an HTML page: page furniture dropped, block elements as lines."""

from __future__ import annotations

import re
from typing import Any

_DROP_TAGS = [
    "script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "svg",
    "button", "select", "figure", "menu", "dialog",
]  # fmt: skip
_DROP_SELECTORS = (
    "[role=navigation], [role=banner], [role=contentinfo], [role=complementary], "
    "[aria-hidden=true], [hidden]"
)
#: Class or id words of page furniture (the readability heuristic): share bars, related-story
#: boxes, comment threads, adverts, cookie banners.
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:related|share|sharing|social|comments?|promo|adverts?|advertisement|ads?|"
    r"newsletter|subscribe|subscription|breadcrumbs?|cookies?|consent|sidebar|widget|popular|"
    r"trending|recommended|recommendations|banner|menu|navbar|navigation|tags|paywall|"
    r"most-read|read-more|also-read)(?:$|[\s_-])",
    re.I,
)
_BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, blockquote, pre, td, dd, dt"


def _inside(node: Any, tags: set[str]) -> bool:
    """Whether an ancestor of ``node`` has one of ``tags``."""
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def extract_html(html: str) -> tuple[str, dict[str, Any]]:
    """Article text of an HTML page (scripts, styles, navigation dropped) and its metadata.

    The article is the ``<article>`` or ``<main>`` element where there is one, else the body.
    Block elements become lines, so sentence offsets stay meaningful.
    """
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    meta = _page_meta(tree)
    _drop_furniture(tree)
    root = tree.css_first("article") or tree.css_first("main") or tree.body or tree.root
    if root is None:
        return "", meta
    lines: list[str] = []
    blocks = root.css(_BLOCKS)
    if blocks:
        for node in blocks:
            # Nested blocks (a <p> in an <li>) would be read twice; keep the innermost.
            if node.css_first(_BLOCKS) is not None and node.tag in {"li", "td", "dd", "blockquote"}:
                continue
            line = " ".join(node.text(separator="").split())
            if line:
                lines.append(line)
    else:
        lines = [" ".join(ln.split()) for ln in root.text(separator="\n").splitlines()]
        lines = [ln for ln in lines if ln]
    return "\n".join(lines), meta


def _page_meta(tree: Any) -> dict[str, Any]:
    """What a page says about itself: language, title, date, outlet, URL."""
    meta: dict[str, Any] = {}
    root_node = tree.css_first("html")
    if root_node is not None and root_node.attributes.get("lang"):
        meta["language"] = (root_node.attributes["lang"] or "").split("-")[0].lower()
    for sel, key in (
        ('meta[property="og:title"]', "title"),
        ('meta[property="article:published_time"]', "published"),
        ('meta[name="date"]', "published"),
        ('meta[property="og:site_name"]', "outlet"),
        ('meta[property="og:url"]', "url"),
        ('link[rel="canonical"]', "url"),
    ):
        node = tree.css_first(sel)
        if node is None or key in meta:
            continue
        value = node.attributes.get("content") or node.attributes.get("href")
        if value:
            meta[key] = value[:10] if key == "published" else value
    if "title" not in meta:
        t = tree.css_first("title")
        if t is not None and t.text(strip=True):
            meta["title"] = t.text(strip=True)
    return meta


def _drop_furniture(tree: Any) -> None:
    """Remove scripts, navigation, site headers and footers, and boxes named as furniture."""
    tree.strip_tags(_DROP_TAGS)
    for br in tree.css("br"):
        br.replace_with(" ")  # "Baku<br>Yerevan" is two words, not "BakuYerevan"
    for node in tree.css(_DROP_SELECTORS):
        node.decompose()
    for node in tree.css("header, footer"):
        # A page's header and footer are site furniture; an article's own header holds
        # its headline and dateline, which are text worth keeping. Without <article> to say
        # which is which, a header with a headline-sized <h1> is the article's.
        if _inside(node, {"article", "main"}):
            continue
        h1 = node.css_first("h1") if node.tag == "header" else None
        if h1 is not None and len(h1.text().split()) >= 3:
            continue
        node.decompose()
    body = tree.body
    total = len(body.text()) if body is not None else 0
    for node in tree.css("div, section, ul, ol, span, table"):
        names = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if not _FURNITURE.search(names) or node.css_first("article, main") is not None:
            continue
        # A wrapper named for its layout ("with-sidebar") may hold the story itself: never
        # drop half of the page's text on the strength of a class name.
        if len(node.text()) * 2 > total:
            continue
        node.decompose()
