"""The web edition: every page of the static site, from the model, through xslt/html.xsl.

``build_site(model, target, progress)`` writes the whole site into ``target`` (an empty
folder; render.py makes it temporary and swaps it in). The stylesheet is compiled once and
reused for every page; Python prepares what each page needs (an annotated copy of a TEI
document, or a ``<te:page>`` data document for the generated pages) and hands the shared data
(the site's navigation, the register entries for popovers) as parameters.

Pages: ``index.html`` (home), one page per text, ``persons.html``, ``places.html``,
``orgs.html``, ``works.html`` (the registers that have entries), ``chronology.html``,
``bibliography.html``, ``search.html``, ``about.html``; beside them ``assets/`` (CSS, JS),
``data/`` (CSV and JSON downloads), ``search-index.js`` and ``tei/`` (the TEI sources).
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from . import TEI_NS, parallel
from .annotate import TE, TE_NS, Linker, annotate, annotated_header, annotated_in_place
from .cache import BuildCache, digest
from .errors import BuildError
from .model import Document, EditionModel, format_citation, local, slugify, text_of, work_parts
from .resources import assets_dir, xslt_dir
from .sources import resolved_path

T = f"{{{TEI_NS}}}"
RESERVED = {"index", "persons", "places", "orgs", "works", "chronology", "bibliography",
            "search", "about", "search-index"}
REGISTER_PAGES = {"person": "persons.html", "place": "places.html", "org": "orgs.html",
                  "work": "works.html"}
REGISTER_TITLES = {"person": "Persons", "place": "Places", "org": "Organisations",
                   "work": "Works cited"}
MAX_TEXTS_IN_NAV = 6
BLOCK_LABELS = {"p": "¶", "head": "heading", "note": "note", "quote": "quotation",
                "item": "item", "l": "line", "ab": "block", "cit": "extract"}

Progress = Callable[[str], None]


@dataclass
class SiteResult:
    pages: int = 0
    files: int = 0
    rebuilt: int = 0  # text pages transformed in this build (with a cache)
    reused: int = 0  # text pages taken from the build cache
    unhandled: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)


def _e(tag: str, parent: etree._Element | None = None, **attrs: str | int | None):
    """A ``te:`` element with the given attributes (None values left out)."""
    clean = {k.replace("_", "-"): str(v) for k, v in attrs.items() if v is not None}
    if parent is None:
        return etree.Element(f"{TE}{tag}", clean, nsmap={"te": TE_NS, "tei": TEI_NS})
    return etree.SubElement(parent, f"{TE}{tag}", clean)


@dataclass
class _Done:
    """What one piece of the build wrote (it may have run in another process)."""

    pages: int = 0
    files: int = 0
    unhandled: Counter[str] = field(default_factory=Counter)
    media: set[str] = field(default_factory=set)
    text: bool = False
    cached: bool = False
    key: str | None = None


class Site:
    """One build of the web edition (see the module docstring).

    The build is a list of independent pieces (each text page, each generated page, the
    downloads, the search index) run in order here or shared out among ``jobs`` forked
    processes (see parallel.py); either way every file is the same. With a ``cache``
    (cache.BuildCache), a text page whose inputs are unchanged since the last build is taken
    from it instead of being transformed again.
    """

    def __init__(self, model: EditionModel, target: Path, progress: Progress | None = None,
                 jobs: int = 1, cache: BuildCache | None = None):
        self.model = model
        self.target = target
        self.progress = progress or (lambda _message: None)
        self.jobs = jobs
        self.cache = cache
        self.result = SiteResult()
        self.page_of = self._page_names()
        self.kinds = [k for k in REGISTER_PAGES if model.entries_of(k)]
        self.labels = {doc.id: _block_labels(doc, model) for doc in model.texts + model.front}
        self.linker = Linker(model, self.page_of, REGISTER_PAGES, self.labels)
        self.tei_href: dict[str, str] = {}
        self._annotated: dict[str, etree._Element] = {}
        self._transformer = None
        self._shared: dict[str, bytes] = {}
        self._salt = ""
        self._media_written: set[str] = set()
        self._digests: dict[str, str] = {}

    # -- names

    def _page_names(self) -> dict[str, str]:
        pages: dict[str, str] = {}
        used = set(RESERVED)
        for doc in self.model.texts:
            slug = doc.slug if doc.slug not in used else f"text-{doc.slug}"
            while slug in used:
                slug += "-x"
            used.add(slug)
            pages[doc.id] = f"{slug}.html"
        for doc in self.model.front:
            pages[doc.id] = "index.html"
        return pages

    # -- the build

    def build(self) -> SiteResult:
        self._copy_static()
        self._shared = {
            "site": etree.tostring(self._site_doc(), encoding="UTF-8"),
            "registers": etree.tostring(self._registers_doc(), encoding="UTF-8"),
        }
        if self.cache is not None:
            self._salt = self._cache_salt()
        # The longest generated pieces first, so that they overlap with the text pages.
        pieces: list[tuple[str, str]] = [("about", ""), ("exports", ""), ("search", "")]
        pieces += [("register", kind) for kind in self.kinds]
        pieces += [("chronology", ""), ("bibliography", ""), ("home", "")]
        pieces += [("text", doc.id) for doc in self.model.texts]
        texts = len(self.model.texts)
        step = max(1, texts // 20)
        done_texts = rebuilt = 0
        keys: set[str] = set()
        media: set[str] = set()
        self.progress(f"html: {texts} text page{'s' if texts != 1 else ''}, registers, "
                      "chronology, bibliography, search, about"
                      + (f" ({self.jobs} jobs)"
                         if parallel.shares_out(self.jobs, len(pieces), saxon=True) else ""))
        for done in parallel.imap(self._piece, pieces, self.jobs, setup=self._setup,
                                  saxon=True):
            self.result.pages += done.pages
            self.result.files += done.files
            self.result.unhandled.update(done.unhandled)
            media |= done.media
            if done.key:
                keys.add(done.key)
            if done.text:
                done_texts += 1
                rebuilt += not done.cached
                if done_texts % step == 0 or done_texts == texts:
                    doc = self.model.texts[done_texts - 1]
                    self.progress(f"html: text {done_texts}/{texts}: {doc.path}")
        self.result.files += len(media)
        if self.cache is not None:
            self.cache.prune(keys)
            self.result.rebuilt, self.result.reused = rebuilt, texts - rebuilt
        for name, count in sorted(self.result.unhandled.items()):
            self.result.warnings.append(
                f"unhandled TEI element <{name}> ({count}×): rendered with its text, "
                "flagged with class te-unhandled")
        return self.result

    def _setup(self) -> None:
        """Once per process: compile the stylesheet, hand it the edition-wide data."""
        from . import transform  # saxonche is imported only when rendering

        if parallel.in_worker():
            transform.processor.cache_clear()  # a forked process starts its own Saxon
        self._transformer = transform.Transformer(xslt_dir() / "html.xsl")
        for name, data in self._shared.items():
            self._transformer.set_document(name, etree.fromstring(data))

    def _piece(self, piece: tuple[str, str]) -> _Done:
        kind, arg = piece
        self._media_written = set()
        t = self._transformer
        assert t is not None
        if kind == "text":
            done = self._text_page(arg)
        elif kind == "home":
            done = self._write("index.html", t.transform(self._home_doc(), page="index.html"))
        elif kind == "register":
            page = REGISTER_PAGES[arg]
            done = self._write(page, t.transform(self._register_doc(arg), page=page))
        elif kind == "chronology":
            done = self._write("chronology.html", t.transform(
                self._chronology_doc(), page="chronology.html"))
        elif kind == "bibliography":
            done = self._write("bibliography.html", t.transform(
                self._bibliography_doc(), page="bibliography.html"))
        elif kind == "about":
            done = self._write("about.html", t.transform(self._about_doc(), page="about.html"))
            search = t.transform(_e("page", type="search", title="Search"), page="search.html")
            more = self._write("search.html", search)
            done.pages += more.pages
            done.files += more.files
        elif kind == "exports":
            from .exports import write_exports

            done = _Done(files=write_exports(self.model, self.target / "data", self.linker,
                                             self.labels))
        else:  # the search index
            from .search import write_search_index

            write_search_index(self.model, self.target / "search-index.js", self.linker)
            done = _Done(files=1)
        done.media |= self._media_written
        return done

    def _text_page(self, doc_id: str) -> _Done:
        doc = self.model.document(doc_id)
        assert doc is not None and self._transformer is not None
        page = self.page_of[doc.id]
        output = self.target / page
        source_href = self.tei_href.get(doc.id, "")
        key = self._page_key(doc, page, source_href)
        if key is not None and self.cache is not None:
            meta = self.cache.fetch_file(key, output)
            if meta is not None:
                return _Done(pages=1, files=1, unhandled=Counter(meta.get("unhandled", {})),
                             text=True, cached=True, key=key)
        # The text is annotated in place (no copy of a possibly large document) and
        # written by Saxon straight to its file.
        with annotated_in_place(self.model, doc, self.linker, self._media) as annotated:
            self._transformer.transform_to_file(annotated, output, page=page,
                                                source_href=source_href)
        done = self._count(output)
        done.text, done.key = True, key
        if key is not None and self.cache is not None:
            self.cache.store_file(key, output, {"unhandled": dict(done.unhandled)})
        return done

    def _cache_salt(self) -> str:
        """What every text page depends on beside its own document and those it links to:
        the stylesheets, the navigation and register data every page carries, and which
        page each document became."""
        import json

        from . import cache

        edition = json.dumps({"pages": self.page_of, "tei": self.tei_href}, sort_keys=True)
        return BuildCache.salt(cache.tree_digest(xslt_dir()), self._shared["site"],
                               self._shared["registers"], edition)

    def _page_key(self, doc: Document, page: str, source_href: str) -> str | None:
        """The cache key of a text page: the salt, the document, and every document it
        points into (a link names the other page's passages by their labels and title).
        None when the page must be built every time (a text naming images: they are copied
        into the site while it is annotated)."""
        if self.cache is None or not self._salt:
            return None
        if any(True for _ in doc.tei.iter(f"{T}graphic", f"{T}media")):
            return None
        linked = sorted({other.id for other in self.model.linked_documents(doc)} - {doc.id})
        return digest(self._salt, doc.id, page, source_href, self._digest_of(doc),
                      *(self._digest_of(self.model.document(i)) for i in linked))

    def _digest_of(self, doc: Document | None) -> str:
        """The hash of the file a document was parsed from (taken when it was read); a tree
        made some other way is hashed as it stands."""
        if doc is None:
            return ""
        found = doc.source.digest or self._digests.get(doc.id)
        if not found:
            found = self._digests[doc.id] = digest(etree.tostring(doc.tei, encoding="UTF-8"))
        return found

    def _count(self, path: Path) -> _Done:
        """Account for a page Saxon wrote, and note the TEI elements nobody handled."""
        done = _Done(pages=1, files=1)
        pattern = re.compile(rb'data-tei-element="([^"]{1,200})"')
        with open(path, "rb") as fh:
            tail = b""
            while True:
                chunk = fh.read(1 << 20)
                data = tail + chunk
                # Count matches starting before the last 256 bytes; those after are searched
                # again with the next chunk, so a match cut by the boundary is never lost.
                cut = max(0, len(data) - 256) if chunk else len(data)
                for found in pattern.finditer(data):
                    if found.start() < cut:
                        done.unhandled[found.group(1).decode("utf-8", "replace")] += 1
                tail = data[cut:]
                if not chunk:
                    break
        return done

    def _write(self, name: str, html: str) -> _Done:
        done = _Done(pages=1, files=1)
        for found in re.findall(r'data-tei-element="([^"]+)"', html):
            done.unhandled[found] += 1
        (self.target / name).write_text(html, encoding="utf-8")
        return done

    def _copy_static(self) -> None:
        assets = self.target / "assets"
        assets.mkdir(parents=True, exist_ok=True)
        for item in sorted(assets_dir().iterdir()):
            if item.is_file() and not item.name.startswith("print") and item.suffix in (
                    ".css", ".js", ".svg", ".woff2"):
                shutil.copyfile(item, assets / item.name)
                self.result.files += 1
        tei_dir = self.target / "tei"
        tei_dir.mkdir(exist_ok=True)
        copied: dict[Path, str] = {}
        used: set[str] = set()
        for doc in self.model.documents:
            src = doc.source.path
            if src not in copied:
                name = slugify(src.stem) + ".xml"
                while name in used:
                    name = "x-" + name
                used.add(name)
                # The tree as parsed (not the file again: it may have changed or gone since):
                # the site serves exactly the TEI its pages come from.
                doc.source.tree.write(str(tei_dir / name), encoding="UTF-8",
                                      xml_declaration=True)
                copied[src] = f"tei/{name}"
                self.result.files += 1
            self.tei_href[doc.id] = copied[src]

    def _media(self, url: str, doc: Document) -> str | None:
        """Copy an image the TEI names (inside the edition's folder) into the site."""
        path = resolved_path(doc.source.path.parent / url.split("#")[0])
        root = doc.source.path.parent.resolve()
        if not path.is_file() or root not in path.parents:
            return None
        if path.suffix.lower() not in (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"):
            return None
        media = self.target / "media"
        media.mkdir(exist_ok=True)
        name = slugify(path.stem) + path.suffix.lower()
        shutil.copyfile(path, media / name)
        self._media_written.add(name)
        return f"media/{name}"

    def _annotated_tei(self, doc: Document) -> etree._Element:
        if doc.id not in self._annotated:
            self._annotated[doc.id] = annotate(self.model, doc, self.linker, self._media)
        return self._annotated[doc.id]

    # -- shared data

    def _site_title(self) -> tuple[str, str, str]:
        front = self.model.front
        header_doc = front[0] if front else None
        corpus_title = next((
            text_of(src.root.find(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title"))
            for src in {d.source.path: d.source for d in self.model.documents}.values()
            if src.root.tag == f"{T}teiCorpus"), "")
        if header_doc is not None:
            title = header_doc.title
        elif corpus_title:
            title = corpus_title
        elif len(self.model.texts) == 1:
            title = self.model.texts[0].title
        else:
            title = "TEI edition"
        editors, publisher = "", ""
        if header_doc is not None:
            stmt = header_doc.tei.find(f"{T}teiHeader/{T}fileDesc/{T}titleStmt")
            if stmt is not None:
                names = [text_of(e) for e in stmt.findall(f"{T}editor")]
                editors = ", ".join(n for n in names if n)
            pub = header_doc.tei.find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}publisher")
            publisher = text_of(pub)
        return title, editors, publisher

    def _site_doc(self) -> etree._Element:
        title, editors, publisher = self._site_title()
        langs = [d.lang for d in self.model.documents if d.lang]
        site = _e("site", title=title, editors=editors, publisher=publisher,
                  lang=(langs[0] if langs else "en"))
        _e("nav", site, href="index.html", label="Home")
        if len(self.model.texts) <= MAX_TEXTS_IN_NAV:
            for doc in self.model.texts:
                _e("nav", site, href=self.page_of[doc.id], label=_short(doc.title), kind="text")
        else:
            # A corpus of letters: the home page lists them; every page must not.
            _e("nav", site, href="index.html#texts-title", kind="text",
               label=f"Texts ({len(self.model.texts)})")
        for kind in self.kinds:
            _e("nav", site, href=REGISTER_PAGES[kind], label=REGISTER_TITLES[kind],
               note=f"{len(self.model.entries_of(kind))} entries")
        _e("nav", site, href="chronology.html", label="Chronology",
           note="every dated expression in date order")
        _e("nav", site, href="bibliography.html", label="Bibliography",
           note="every work cited")
        _e("nav", site, href="search.html", label="Search", note="full text and registers")
        _e("nav", site, href="about.html", label="About", note="editorial principles")
        return site

    def _registers_doc(self) -> etree._Element:
        root = _e("registers")
        for entry in self.model.entries.values():
            _e("entry", root, key=entry.key, kind=entry.kind, name=entry.name,
               dates=entry.dates, description=entry.description,
               citation=entry.citation if entry.kind == "work" else None,
               href=self.linker.entry_href(entry.key))
        return root

    # -- generated pages

    def _home_doc(self) -> etree._Element:
        _title, editors, _pub = self._site_title()
        page = _e("page", type="home", title="Home", editors=editors)
        front = _e("front", page)
        for doc in self.model.front:
            text = self._annotated_tei(doc).find(f"{T}text")
            if text is not None:
                for part in text:
                    if isinstance(part.tag, str):
                        front.append(_copy(part))
                        if len(self.model.front) > 1:
                            _prefix_popovers(front[-1], doc.slug)
        for doc in self.model.texts:
            _e("text", page, title=doc.title, href=self.page_of[doc.id],
               authors=", ".join(doc.authors), source=_source_citation(doc))
        return page

    def occurrence_label(self, doc_id: str, anchor: str | None) -> str:
        return self.labels.get(doc_id, {}).get(anchor or "", anchor or "text")

    def _register_doc(self, kind: str) -> etree._Element:
        page = _e("page", type="register", kind=kind, title=REGISTER_TITLES[kind],
                  csv=f"data/{REGISTER_PAGES[kind][:-5]}.csv",
                  json=f"data/{REGISTER_PAGES[kind][:-5]}.json")
        order = {doc.id: i for i, doc in enumerate(self.model.texts + self.model.front)}
        for entry in self.model.entries_of(kind):
            el = _e("entry", page, key=entry.key, name=entry.name, sort=entry.sort_key,
                    dates=entry.dates if kind != "work" else None,
                    description=entry.description, citation=entry.citation or None)
            if kind == "work":
                _citation_parts(el, entry)
            for variant in entry.variants:
                _e("variant", el).text = variant
            for name, value in entry.fields.items():
                if kind != "work" and value:
                    _e("field", el, label=name.capitalize(), value=value)
            if entry.coordinates:
                _e("coords", el, lat=f"{entry.coordinates[0]:.4f}",
                   lon=f"{entry.coordinates[1]:.4f}")
            mentions = [m for m in self.model.mentions_of(entry.key) if m.doc_id in order]
            occ = _e("occurrences", el, total=len(mentions))
            by_doc: dict[str, Counter[str | None]] = {}
            for m in sorted(mentions, key=lambda m: order[m.doc_id]):
                by_doc.setdefault(m.doc_id, Counter())[m.anchor] += 1
            for doc_id, counts in by_doc.items():
                doc = self.model.document(doc_id)
                assert doc is not None
                d = _e("doc", occ, title=_short(doc.title), count=sum(counts.values()))
                for anchor, count in counts.items():
                    _e("occ", d, href=_with_highlight(self.linker.anchor_href(doc_id, anchor),
                                                      entry.key),
                       label=self.occurrence_label(doc_id, anchor), count=count)
        return page

    def _chronology_doc(self) -> etree._Element:
        page = _e("page", type="chronology", title="Chronology")
        for ref in self.model.dates:
            doc = self.model.document(ref.doc_id)
            if doc is None or ref.doc_id not in self.page_of:
                continue
            iso = ref.when if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", ref.when or "") else None
            _e("date", page, label=ref.label, iso=iso, snippet=ref.snippet,
               href=self.linker.anchor_href(ref.doc_id, ref.anchor), doc_title=_short(doc.title))
        return page

    def _bibliography_doc(self) -> etree._Element:
        page = _e("page", type="bibliography", title="Bibliography")
        works = self.model.entries_of("work")
        cited = [w for w in works
                 if self.model.citations_of(w.key) or self.model.mentions_of(w.key)]
        for work in cited or works:
            el = _e("work", page, key=work.key, citation=work.citation,
                    register=self.linker.entry_href(work.key))
            _citation_parts(el, work)
            # Every place that cites or names the work: its notes first, then the text.
            seen: set[tuple[str, str | None]] = set()
            places = [(c.doc_id, c.anchor) for c in self.model.citations_of(work.key)]
            places += [(m.doc_id, m.anchor) for m in self.model.mentions_of(work.key)]
            for doc_id, anchor in places:
                if (doc_id, anchor) in seen or doc_id not in self.page_of:
                    continue
                seen.add((doc_id, anchor))
                doc = self.model.document(doc_id)
                _e("cite", el, href=self.linker.anchor_href(doc_id, anchor),
                   label=self.occurrence_label(doc_id, anchor),
                   doc_title=_short(doc.title if doc else doc_id))
        return page

    def _about_doc(self) -> etree._Element:
        page = _e("page", type="about", title="About")
        seen: set[bytes] = set()
        for doc in self.model.front + self.model.texts:
            header = annotated_header(self.model, doc, self.linker)
            if header is None:
                continue
            _prefix_popovers(header, doc.slug)  # several headers share one page
            parts = []
            for path in ("encodingDesc/projectDesc", "encodingDesc/samplingDecl",
                         "encodingDesc/editorialDecl", "encodingDesc/calendarDesc"):
                found = header.find("/".join(f"{T}{p}" for p in path.split("/")))
                if found is not None and text_of(found):
                    parts.append(found)
            resp = header.findall(f"{T}fileDesc/{T}titleStmt/{T}respStmt")
            if not parts and not resp:
                continue
            # Letters of one corpus share their principles: say them once.
            signature = b"".join(etree.tostring(_copy(p), method="c14n") for p in parts + resp)
            if signature in seen:
                continue
            seen.add(signature)
            title = "The edition" if doc.kind == "front" else doc.title
            section = _e("section", page, title=title)
            for part in parts:
                section.append(_copy(part))
            if resp:
                prose = _e("prose", section, title="Responsibility")
                lst = etree.SubElement(prose, f"{T}list")
                for r in resp:
                    item = etree.SubElement(lst, f"{T}item")
                    what = "; ".join(text_of(x) for x in r.findall(f"{T}resp"))
                    who = ", ".join(text_of(x) for x in r if x.tag != f"{T}resp")
                    item.text = f"{what}: {who}" if what and who else text_of(r)
        return page


def _citation_parts(el: etree._Element, work) -> None:
    """The parts of a citation as attributes, so the stylesheet can set titles in italics."""
    parts = dict(work.fields, title=work.name)
    imprint = ": ".join(x for x in (parts.get("place"), parts.get("publisher")) if x)
    imprint = ", ".join(x for x in (imprint, parts.get("date")) if x)
    for name in ("author", "title", "level", "in", "editor", "pages"):
        if parts.get(name):
            el.set(name, parts[name])
    if imprint:
        el.set("imprint", imprint)


def _source_citation(doc: Document) -> str:
    """Where a text was first published: its source description as one citation."""
    source = doc.tei.find(f"{T}teiHeader/{T}fileDesc/{T}sourceDesc")
    if source is None:
        return ""
    for bibl in source:
        if bibl.tag in (f"{T}bibl", f"{T}biblStruct", f"{T}biblFull"):
            return format_citation(work_parts(bibl))
    text = text_of(source)
    return text if len(text) <= 300 else text[:299].rstrip() + "…"


def _prefix_popovers(el: etree._Element, prefix: str) -> None:
    """Make popover ids unique when parts of several documents share one page."""
    for node in el.iter():
        pop = node.get(f"{TE}pop") if isinstance(node.tag, str) else None
        if pop:
            node.set(f"{TE}pop", f"{pop}-{prefix}")


def _copy(el: etree._Element) -> etree._Element:
    import copy as _copy_module

    dup = _copy_module.deepcopy(el)
    dup.tail = None
    return dup


def _with_highlight(href: str | None, key: str) -> str | None:
    """An occurrence link that also asks the page to mark the mention (``?hl=key``)."""
    if href is None:
        return None
    page, _, fragment = href.partition("#")
    return f"{page}?hl={quote(key, safe='-._~')}" + (f"#{fragment}" if fragment else "")


def _short(title: str, limit: int = 60) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _block_labels(doc: Document, model: EditionModel) -> dict[str, str]:
    """Human labels of a document's anchors: "¶ 3", "note 12", "quotation 2"."""
    labels: dict[str, str] = {}
    counters: Counter[str] = Counter()
    notes = {n.anchor: n for n in doc.notes}
    for el in doc.blocks:
        anchor = model.anchor(el)
        if anchor is None:
            continue
        name = local(el)
        counters[name] += 1
        if anchor in notes:
            note = notes[anchor]
            labels[anchor] = ("editorial note" if note.editorial
                              else f"note {note.n}" if note.n else "note")
        elif re.fullmatch(r"div[1-7]?", name):
            # A division is named by its heading ("Lists"), else by its number.
            head = next((h for h in el if isinstance(h.tag, str) and local(h) == "head"), None)
            words = " ".join(text_of(head).split()) if head is not None else ""
            if words:
                labels[anchor] = f"“{words[:57] + '…' if len(words) > 60 else words}”"
            else:
                labels[anchor] = f"section {el.get('n') or counters[name]}"
        else:
            labels[anchor] = f"{BLOCK_LABELS.get(name, name)} {counters[name]}"
    return labels


def build_site(
    model: EditionModel,
    target: Path,
    progress: Progress | None = None,
    jobs: int = 1,
    cache: BuildCache | None = None,
) -> SiteResult:
    """Write the whole web edition into ``target`` (which must exist and be empty), in
    ``jobs`` processes, taking unchanged text pages from ``cache`` when one is given."""
    if not model.texts and not model.front and not model.entries:
        raise BuildError("nothing to render: no TEI document with a <text> was found")
    return Site(model, target, progress, jobs, cache).build()
