#!/usr/bin/env python3
"""Compile the ODD customisation (tei-edition.odd) into RELAX NG (tei-edition.rng).

The compiled schema is derived from TEI's own ``tei_all.rng`` by restriction only, so whatever
it accepts, tei_all accepts:

1. keep the element definitions the ODD selects (``moduleRef/@include``, ``elementRef``),
   minus any ``elementSpec[@mode='delete']``;
2. replace the content model of each ``elementSpec[@mode='change']`` by its pure-ODD
   ``content`` (``sequence``, ``alternate``, ``elementRef``, ``classRef``, ``macroRef``,
   ``textNode``, ``empty``), which the ODD author must keep narrower than TEI's;
3. turn every reference to a removed element into ``notAllowed`` and simplify (a choice loses
   the branch, a group or a required repetition containing it becomes ``notAllowed``, an
   optional one becomes ``empty``), repeating until nothing changes: an element whose required
   content was removed disappears too, and the script names it;
4. drop every definition no longer reachable from ``start``;
5. write each mixed content model ``zeroOrMore(choice(text, A, B, ...))`` as the equivalent
   ``mixed(zeroOrMore(choice(A, B, ...)))``. The language is the same, but libxml2 (lxml) then
   stops trying to compile these large models into automata, whose determinism check is what
   makes compiling tei_all take 10 s: our schema compiles in a fraction of a second.
   ``tei-edition-large.rng`` is written without this step: the same language, slower to
   compile (seconds) but about three times faster to validate with, for large corpora.

Replacing any pattern by ``notAllowed`` (or by a pattern that matches less) can only shrink the
language, which is why the result is conformant by construction. A test checks it anyway.

Usage: ``python tools/build_schema.py [--tei-all PATH] [--odd PATH] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
SCHEMA_DIR = REPO / "src" / "tei_edition" / "schema"
DEFAULT_ODD = SCHEMA_DIR / "tei-edition.odd"
DEFAULT_OUTPUT = SCHEMA_DIR / "tei-edition.rng"
LARGE_NAME = "tei-edition-large.rng"
DEFAULT_TEI_ALL = REPO / "tests" / "data" / "tei_all.rng"

RNG_NS = "http://relaxng.org/ns/structure/1.0"
TEI_NS = "http://www.tei-c.org/ns/1.0"
R = f"{{{RNG_NS}}}"
T = f"{{{TEI_NS}}}"

# Modules that declare classes, macros and datatypes but no elements.
INFRASTRUCTURE_MODULES = {"tei"}

# RELAX NG elements that are patterns (everything else is a name class, a datatype detail, or
# a foreign annotation and is left alone).
PATTERNS = {
    f"{R}{name}"
    for name in (
        "element", "attribute", "group", "interleave", "choice", "optional", "zeroOrMore",
        "oneOrMore", "list", "mixed", "ref", "parentRef", "empty", "text", "value", "data",
        "notAllowed", "externalRef", "grammar",
    )
}
NAME_CLASSES = {f"{R}{n}" for n in ("name", "anyName", "nsName", "except")}


class OddError(Exception):
    """The ODD cannot be compiled; the message says why."""


def read_odd(odd_path: Path) -> tuple[set[str], set[str], dict[str, etree._Element], list[str]]:
    """The element names the ODD selects, deletes and changes, and its start elements."""
    odd = etree.parse(str(odd_path))
    spec = odd.find(f".//{T}schemaSpec")
    if spec is None:
        raise OddError(f"{odd_path}: no <schemaSpec>")
    keep: set[str] = set()
    for module_ref in spec.iter(f"{T}moduleRef"):
        key = module_ref.get("key", "")
        include = module_ref.get("include")
        if include is None:
            if key in INFRASTRUCTURE_MODULES:
                continue
            raise OddError(
                f"{odd_path}:{module_ref.sourceline}: moduleRef key='{key}' must list its "
                "elements with @include (module membership is not visible in tei_all.rng)"
            )
        keep.update(include.split())
    for element_ref in spec.iter(f"{T}elementRef"):
        if element_ref.getparent().tag == f"{T}schemaSpec":
            keep.add(element_ref.get("key", ""))
    deleted = {
        es.get("ident", "")
        for es in spec.iter(f"{T}elementSpec")
        if es.get("mode") == "delete"
    }
    changed = {
        es.get("ident", ""): es.find(f"{T}content")
        for es in spec.iter(f"{T}elementSpec")
        if es.get("mode") in ("change", "replace") and es.find(f"{T}content") is not None
    }
    start = (spec.get("start") or "TEI").split()
    return keep - deleted, deleted, changed, start


def _occurs(pattern: etree._Element, odd_el: etree._Element) -> etree._Element:
    """Wrap a pattern according to the ODD @minOccurs/@maxOccurs (default exactly once)."""
    low = odd_el.get("minOccurs", "1")
    high = odd_el.get("maxOccurs", "1")
    if (low, high) == ("1", "1"):
        return pattern
    wrappers = {("0", "1"): "optional", ("0", "unbounded"): "zeroOrMore",
                ("1", "unbounded"): "oneOrMore"}
    name = wrappers.get((low, high))
    if name is None:
        raise OddError(f"line {odd_el.sourceline}: occurrence {low}..{high} is not supported")
    wrapper = etree.Element(f"{R}{name}")
    wrapper.append(pattern)
    return wrapper


def pure_odd_to_rng(odd_el: etree._Element) -> etree._Element:
    """Translate one pure-ODD content construct into the equivalent RELAX NG pattern."""
    local = etree.QName(odd_el).localname
    if local in ("sequence", "alternate"):
        rng = etree.Element(f"{R}group" if local == "sequence" else f"{R}choice")
        for child in odd_el:
            if isinstance(child.tag, str):
                rng.append(pure_odd_to_rng(child))
    elif local in ("elementRef", "classRef", "macroRef"):
        rng = etree.Element(f"{R}ref", name=odd_el.get("key", ""))
    elif local == "textNode":
        rng = etree.Element(f"{R}text")
    elif local == "empty":
        rng = etree.Element(f"{R}empty")
    else:
        raise OddError(f"line {odd_el.sourceline}: <{local}> is not supported in <content>")
    return _occurs(rng, odd_el)


def _children(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str) and c.tag in PATTERNS]


def _replace(old: etree._Element, new: etree._Element) -> None:
    new.tail = old.tail
    old.getparent().replace(old, new)


def simplify(el: etree._Element) -> None:
    """Simplify bottom-up, propagating ``notAllowed`` and ``empty`` as RELAX NG defines them."""
    for child in _children(el):
        simplify(child)
    tag = el.tag
    kids = _children(el)
    if tag == f"{R}choice":
        for k in kids:
            if k.tag == f"{R}notAllowed":
                el.remove(k)
        kids = _children(el)
        if not kids:
            _replace(el, etree.Element(f"{R}notAllowed"))
        elif len(kids) == 1:
            _replace(el, kids[0])
    elif tag in (f"{R}group", f"{R}interleave"):
        if any(k.tag == f"{R}notAllowed" for k in kids):
            _replace(el, etree.Element(f"{R}notAllowed"))
            return
        for k in kids:
            if k.tag == f"{R}empty":
                el.remove(k)
        kids = _children(el)
        if not kids:
            _replace(el, etree.Element(f"{R}empty"))
        elif len(kids) == 1:
            _replace(el, kids[0])
    elif tag in (f"{R}oneOrMore", f"{R}list", f"{R}mixed"):
        if kids and kids[0].tag == f"{R}notAllowed":
            _replace(el, etree.Element(f"{R}notAllowed"))
    elif tag in (f"{R}zeroOrMore", f"{R}optional"):
        if kids and kids[0].tag in (f"{R}notAllowed", f"{R}empty"):
            _replace(el, etree.Element(f"{R}empty"))
    elif tag in (f"{R}element", f"{R}attribute") and any(
        k.tag == f"{R}notAllowed" for k in kids  # the content is the group of the children
    ):
        _replace(el, etree.Element(f"{R}notAllowed"))


def _element_name(define: etree._Element) -> str | None:
    element = define.find(f"{R}element")
    return element.get("name") if element is not None else None


def _content_pattern(element: etree._Element) -> etree._Element:
    """The content model of a TEI element definition: its first pattern that is not an
    attribute class reference or an attribute."""
    for child in _children(element):
        if child.tag == f"{R}ref" and child.get("name", "").startswith("att."):
            break
        if child.tag == f"{R}attribute":
            break
        return child
    raise OddError(f"element {element.get('name')}: no content model found in tei_all.rng")


def compile_schema(tei_all: Path, odd_path: Path) -> tuple[etree._ElementTree, list[str]]:
    """Derive the customisation from tei_all; return the tree and the report lines."""
    keep, deleted, changed, start = read_odd(odd_path)
    tree = etree.parse(str(tei_all))
    grammar = tree.getroot()
    defines = {d.get("name"): d for d in grammar.findall(f"{R}define")}
    tei_elements = {_element_name(d): n for n, d in defines.items() if _element_name(d)}
    unknown = sorted((keep | deleted | set(changed)) - set(tei_elements))
    if unknown:
        raise OddError(f"not TEI P5 elements (check the spelling): {' '.join(unknown)}")
    report: list[str] = []

    # 1. Drop the element definitions not selected.
    for name, define in list(defines.items()):
        element_name = _element_name(define)
        if element_name and element_name not in keep and define.get("name") == element_name:
            grammar.remove(define)
            del defines[name]

    # 2. Narrow the changed content models.
    for ident, content in changed.items():
        if ident not in keep:
            continue
        element = defines[ident].find(f"{R}element")
        patterns = [c for c in content if isinstance(c.tag, str)]
        if len(patterns) != 1:
            raise OddError(f"elementSpec {ident}: <content> must hold exactly one construct")
        new = pure_odd_to_rng(patterns[0])
        for ref in new.iter(f"{R}ref"):
            if ref.get("name") not in defines:
                raise OddError(f"elementSpec {ident}: {ref.get('name')} is not in the schema")
        _replace(_content_pattern(element), new)

    # 3. Prune references to what is gone, to a fixpoint.
    while True:
        for ref in list(grammar.iter(f"{R}ref")):
            if ref.get("name") not in defines:
                _replace(ref, etree.Element(f"{R}notAllowed"))
        for define in defines.values():
            for child in _children(define):
                simplify(child)
        dead = [
            name for name, d in defines.items()
            if any(k.tag == f"{R}notAllowed" for k in _children(d))
        ]
        if not dead:
            break
        for name in dead:
            if name in keep:
                report.append(f"element {name} lost required content and was removed")
            grammar.remove(defines.pop(name))

    # 4. Start, then drop what start cannot reach.
    start_el = grammar.find(f"{R}start")
    for child in list(start_el):
        start_el.remove(child)
    choice = etree.SubElement(start_el, f"{R}choice")
    for name in start:
        etree.SubElement(choice, f"{R}ref", name=name)
    reachable: set[str] = set()
    todo = [start_el]
    while todo:
        node = todo.pop()
        for ref in node.iter(f"{R}ref"):
            name = ref.get("name")
            if name not in reachable and name in defines:
                reachable.add(name)
                todo.append(defines[name])
    for name in list(defines):
        if name not in reachable:
            grammar.remove(defines.pop(name))
    missing = sorted(n for n in keep if n not in reachable)
    if missing:
        report.append(f"selected but unreachable from start: {' '.join(missing)}")

    comment = etree.Comment(
        " Generated by tools/build_schema.py from tei-edition.odd and TEI P5 4.12.0 "
        "tei_all.rng: do not edit, edit the ODD and rebuild. "
    )
    grammar.insert(0, comment)
    elements = sorted(_element_name(d) for d in defines.values() if _element_name(d))
    report.insert(0, f"{len(elements)} elements, {len(defines)} definitions")
    return tree, report


def as_mixed(tree: etree._ElementTree) -> etree._ElementTree:
    """Step 5: a copy with mixed content models written as ``<mixed>`` (the same language)."""
    tree = copy.deepcopy(tree)
    grammar = tree.getroot()
    for zero in list(grammar.iter(f"{R}zeroOrMore")):
        kids = _children(zero)
        if len(kids) != 1 or kids[0].tag != f"{R}choice":
            continue
        texts = [k for k in _children(kids[0]) if k.tag == f"{R}text"]
        if not texts or len(_children(kids[0])) == len(texts):
            continue
        for text in texts:
            kids[0].remove(text)
        mixed = etree.Element(f"{R}mixed")
        _replace(zero, mixed)
        mixed.append(zero)

    return tree


def _write(tree: etree._ElementTree, path: Path, note: str) -> None:
    tree = copy.deepcopy(tree)
    tree.getroot().insert(1, etree.Comment(note))
    etree.cleanup_namespaces(tree)
    path.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8") + b"\n")
    print(f"wrote {path}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tei-all", type=Path, default=DEFAULT_TEI_ALL)
    parser.add_argument("--odd", type=Path, default=DEFAULT_ODD)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--large-output", type=Path, default=None,
                        help="the variant for large corpora (default: next to --output)")
    args = parser.parse_args(argv)
    large_output = args.large_output or args.output.with_name(LARGE_NAME)
    try:
        tree, report = compile_schema(args.tei_all, args.odd)
    except (OddError, OSError, etree.XMLSyntaxError) as exc:
        print(f"build_schema: {exc}", file=sys.stderr)
        return 1
    for line in report:
        print(line, file=sys.stderr)
    _write(as_mixed(tree), args.output,
           " Mixed content is written as <mixed>: lxml compiles this form in 0.15 s. ")
    _write(tree, large_output,
           " The same language as tei-edition.rng, with TEI's own mixed content models: lxml "
           "takes seconds to compile it but then validates about three times faster, which "
           "pays on large corpora. ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
