"""Property: any well-formed TEI renders to a web page that keeps every character of its
original reading (hypothesis generates the documents), and the page stays free of script."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lhtml
from test_html_support import build, page_reading

from tei_edition.reading import first_difference, original_reading

TEI_NS = "http://www.tei-c.org/ns/1.0"
T = f"{{{TEI_NS}}}"

CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
TEXT = st.lists(
    st.text(CHARS, max_size=6)
    | st.sampled_from(["<", "&", '"', "]]>", "</script>", "\n", " ", "\u00a0", "word"]),
    max_size=4).map("".join)

INLINE = ["hi", "emph", "persName", "placeName", "orgName", "title", "q", "quote", "seg",
          "foreign", "date", "ref", "name", "rs", "term", "num", "unknownThing", "del", "add",
          "unclear", "sic", "abbr", "orig", "said", "soCalled", "label", "signed", "stage"]
BLOCK = ["p", "ab", "div", "quote", "lg", "list", "table", "cit", "floatingText", "sp",
         "opener", "closer", "head", "note", "figure", "postscript", "mysteryBlock"]
ATTRS = {
    "ref": {"target": st.sampled_from(["#x", "javascript:alert(1)", "https://example.org/",
                                       "data:text/html,<b>", "other.xml#y", ""])},
    "persName": {"ref": st.sampled_from(["#x", "javascript:x", "https://e.org/"])},
    "date": {"when": st.sampled_from(["1917-10-23", "1917", "bad", "1917-13-45"])},
    "note": {"place": st.sampled_from(["foot", "end", "margin", "inline"]),
             "n": st.sampled_from(["1", "2", "*", "<"])},
    "hi": {"rend": st.sampled_from(["italic", "bold", 'x" onclick="y', "sup"])},
}


@st.composite
def element(draw, depth: int = 0):
    pool = INLINE if depth > 2 or draw(st.booleans()) else BLOCK
    name = draw(st.sampled_from(pool))
    el = etree.Element(T + name)
    for attr, values in ATTRS.get(name, {}).items():
        if draw(st.booleans()):
            el.set(attr, draw(values))
    el.text = draw(TEXT)
    if name == "choice":
        return el
    if depth < 4:
        for _ in range(draw(st.integers(0, 3))):
            if draw(st.integers(0, 5)) == 0:
                choice = etree.SubElement(el, T + "choice")
                etree.SubElement(choice, T + "sic").text = draw(TEXT)
                etree.SubElement(choice, T + "corr").text = draw(TEXT)
                choice.tail = draw(TEXT)
            else:
                child = draw(element(depth + 1))
                child.tail = draw(TEXT)
                el.append(child)
    return el


def tei_document(body_children: list[etree._Element]) -> bytes:
    tei = etree.Element(T + "TEI", nsmap={None: TEI_NS})
    header = etree.SubElement(tei, T + "teiHeader")
    fd = etree.SubElement(header, T + "fileDesc")
    etree.SubElement(etree.SubElement(fd, T + "titleStmt"), T + "title").text = "Generated"
    etree.SubElement(etree.SubElement(fd, T + "publicationStmt"), T + "p").text = "x"
    etree.SubElement(etree.SubElement(fd, T + "sourceDesc"), T + "p").text = "x"
    body = etree.SubElement(etree.SubElement(tei, T + "text"), T + "body")
    for child in body_children:
        body.append(child)
    return etree.tostring(tei, xml_declaration=True, encoding="UTF-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.data_too_large])
@given(st.lists(element(), min_size=1, max_size=4))
def test_random_tei_renders_without_losing_text(children):
    data = tei_document(children)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "generated.xml"
        source.write_bytes(data)
        site = build([source], Path(tmp) / "out")
        page = site / "generated.html"
        text = etree.fromstring(data).find(T + "text")
        difference = first_difference(original_reading(text), page_reading(page))
        assert difference is None, difference
        doc = lhtml.fromstring(page.read_bytes())
        assert {s.get("src") for s in doc.iter("script")} == {"assets/edition.js"}
        for el in doc.iter():
            if isinstance(el.tag, str):
                assert not [a for a in el.attrib if a.lower().startswith("on")]
                assert not re.match(r"\s*(javascript|data):", el.get("href", ""), re.I)
