"""Check every internal link of a built HTML site: the file must exist and, for ``#anchor``, the id too.

    python scripts/check_links.py docs/_build/html

External links (http:, https:, mailto:, …) are not fetched. Exit status 1 lists the broken links.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for key in ("href", "src"):
            if key in a and a[key] is not None and not (tag == "link" and key == "href" and a.get("rel") == "canonical"):
                self.links.append(a[key])


def parse(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8", errors="replace"))
    return p


def broken_links(site: Path) -> list[str]:
    # _static/ holds the theme's Jinja templates, not pages.
    pages = {p.resolve(): parse(p) for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts}
    bad = []
    for page, parsed in pages.items():
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("javascript:", "data:")):
                continue  # external: not checked (the build runs offline)
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                bad.append(f"{page.relative_to(site.resolve())}: {link} (no such file)")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    bad.append(f"{page.relative_to(site.resolve())}: {link} (no anchor)")
    return bad


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "docs/_build/html")
    if not (site / "index.html").exists():
        print(f"{site}: no index.html; build the site first (make docs)")
        return 2
    bad = broken_links(site)
    for line in bad:
        print(line)
    print(f"{len(bad)} broken internal link(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
