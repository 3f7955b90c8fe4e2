"""Hostile and broken input: every case ends in findings or a one-line error with the
documented exit status, never a traceback, a network access, a leaked file or a changed
output folder.

Each fixture in ``tests/fixtures/hostile/`` is named for what it tries; the cases that need a
file system trick (a pipe, a symlink loop, a full disk) are made by the tests. Every case runs
``validate`` and ``render`` (with and without validation) through the CLI in-process; a few run
the installed ``tei-edition`` script. Sockets are blocked in-process (``no_network``); Saxon
is native code that Python cannot watch, so its reads are proved absent by a secret marker
that must not appear in any output file, and by its configuration refusing non-file URIs.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lhtml
from test_html_support import FIXTURE_EDITION, RENDER_FIXTURES, walk_links

from tei_edition.cli import main

HOSTILE = FIXTURES / "hostile"
MARKER = "LEAKED-SECRET-7f3a9c"  # the content of secret.txt, secret.dtd and evil.xsl
HEAD = ('<teiHeader><fileDesc><titleStmt><title>{title}</title><author>A. Author</author>'
        '</titleStmt><publicationStmt><p>Published for the tests.</p></publicationStmt>'
        '<sourceDesc><bibl>A source.</bibl></sourceDesc></fileDesc></teiHeader>')


def tei(body: str, title: str = "A letter") -> str:
    return (f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{HEAD.format(title=title)}'
            f"<text><body>{body}</body></text></TEI>\n")


# --- the guards every test runs under -----------------------------------------------------

@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Every socket connection or name lookup made in this process is refused and recorded;
    the test fails if there was one."""
    attempts: list[str] = []

    def refuse(name):
        def blocked(*args, **kwargs):
            attempts.append(f"{name}{args[1:] if name.startswith('socket.') else args}")
            raise OSError(errno.ENETUNREACH, f"network blocked in tests ({name})")
        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    yield attempts
    assert attempts == [], f"network access attempted: {attempts}"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.startswith("error: ")]


def cli(*args: str | Path) -> Run:
    """``tei-edition ARGS`` in this process; fails on any exception other than the exit."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"tei-edition {args} raised {result.exception!r}") \
            from result.exception
    run = Run(result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in run.out + run.err
    return run


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its hash (the lock file and temporary folders left
    out: they are not the published output; ``leftovers`` checks the temporary folders)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.relative_to(folder).parts[0].startswith(".tei-edition-")}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".tei-edition-tmp-*"))


@pytest.fixture(scope="module")
def previous_output(tmp_path_factory) -> Path:
    """A whole earlier render (the web edition of a small letter) to copy into ``--out``."""
    folder = tmp_path_factory.mktemp("previous") / "in"
    folder.mkdir()
    (folder / "earlier.xml").write_text(tei("<p>An earlier edition.</p>"), encoding="utf-8")
    out = folder.parent / "out"
    result = CliRunner().invoke(main, ["render", "--no-validate", "--quiet", "--format", "html",
                                       "--out", str(out), str(folder)])
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture
def out(tmp_path, previous_output) -> Path:
    """An output folder that already holds an earlier render."""
    target = tmp_path / "out"
    shutil.copytree(previous_output, target)
    return target


def assert_findings_name(run: Run, name: str, rules: tuple[str, ...]) -> None:
    """Validate's stdout: one finding a line, each naming the file and a line number."""
    lines = run.out.splitlines()
    assert lines, run.err
    found = set()
    for line in lines:
        match = re.match(rf"^(.*){re.escape(name)}:(\d+):(\d+): (error|warning): \[([a-z-]+)\] \S",
                         line)
        assert match, line
        found.add(match.group(5))
        if match.group(5) != "io-unreadable":
            assert int(match.group(2)) >= 1, line
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", line), repr(line)
    assert set(rules) <= found, (rules, lines)


def assert_failed_cleanly(run: Run, out: Path, before: dict[str, str]) -> None:
    """A render that failed: exit 1, one error line, the earlier output untouched."""
    assert run.code == 1, (run.out, run.err)
    assert len(run.error_lines) == 1, run.err
    assert run.out == ""
    assert snapshot(out) == before
    assert leftovers(out) == []


def output_text(folder: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace")
                     for p in folder.rglob("*") if p.is_file())


# --- what the pages of a successful render must show -------------------------------------

def pages(site: Path) -> list[lhtml.HtmlElement]:
    return [lhtml.fromstring(p.read_bytes()) for p in sorted(site.glob("*.html"))]


def no_live_markup(site: Path) -> None:
    """No script but the site's own, no event handler, no iframe/object/embed, no link or
    source with a script or data URL, and every link leaving the site has rel=noopener."""
    for doc in pages(site):
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            assert el.tag not in ("iframe", "object", "embed", "base"), el.tag
            if el.tag == "script":
                assert el.get("src") in ("assets/edition.js", "assets/search.js",
                                         "search-index.js") and not (el.text or "").strip()
            assert not [a for a in el.attrib if a.lower().startswith("on")], el.attrib
            for attr in ("href", "src", "action", "formaction", "xlink:href", "style"):
                value = re.sub(r"[\x00-\x20]", "", el.get(attr, "")).lower()
                assert not re.match(r"(javascript|vbscript|data):", value), (attr, value)
                assert "javascript:" not in value
            href = el.get("href", "") if el.tag == "a" else ""
            if re.match(r"(?i)(https?:)?//|mailto:", href):
                assert "noopener" in (el.get("rel") or "").split(), href


def no_secret(site: Path) -> None:
    text = output_text(site.parent)
    assert MARKER not in text
    assert "root:x:0:0" not in text  # nothing of /etc/passwd


def page_of(site: Path, name: str) -> lhtml.HtmlElement:
    return lhtml.fromstring((site / f"{name}.html").read_bytes())


def check_utf16(site: Path) -> None:
    assert "Лев Каменев" in page_of(site, "utf16-bom").text_content()


def check_script_text(site: Path) -> None:
    text = page_of(site, "script-in-text").text_content()
    assert "<script>alert('text')</script>" in text  # shown as text, not run
    assert "<img src=x onerror=alert('img')>" in text
    no_live_markup(site)


def check_search_index(site: Path) -> None:
    index = (site / "search-index.js").read_text(encoding="utf-8")
    assert "needle" in index
    assert "</script" not in index.lower() and "<!--" not in index
    assert "\u2028" not in index and "\u2029" not in index
    no_live_markup(site)


def check_outside_links(site: Path) -> None:
    doc = page_of(site, "outside-link-noopener")
    outside = [a for a in doc.iter("a") if re.match(r"(?i)https?:|mailto:", a.get("href", ""))]
    assert len(outside) == 4
    no_live_markup(site)


def check_quotes(site: Path) -> None:
    doc = page_of(site, "quotes-in-attributes")
    assert "Quotes in attributes" in doc.text_content()
    no_live_markup(site)


def check_safe(site: Path) -> None:
    no_live_markup(site)
    no_secret(site)


def check_text(words: str) -> Callable[[Path], None]:
    def check(site: Path) -> None:
        assert any(words in doc.text_content() for doc in pages(site))
        check_safe(site)
    return check


@dataclass(frozen=True)
class Case:
    """The documented outcome of one fixture: validate's exit status and the rules it must
    report; render --no-validate's exit status, and what its site must show when it works."""

    validate_exit: int
    rules: tuple[str, ...] = ()
    render_exit: int = 0
    check: Callable[[Path], None] = check_safe


WELL_FORMED = "xml-well-formed"
CASES: dict[str, Case] = {
    "empty-file": Case(1, (WELL_FORMED,), 1),
    "whitespace-only": Case(1, (WELL_FORMED,), 1),
    "binary-file": Case(1, (WELL_FORMED,), 1),
    "truncated-file": Case(1, (WELL_FORMED,), 1),
    "latin1-declared-utf8": Case(1, (WELL_FORMED,), 1),
    "utf16-bom": Case(0, (), 0, check_utf16),
    "non-tei-root": Case(1, ("not-tei",), 1),
    "tei-without-namespace": Case(1, ("not-tei",), 1),
    "tei-without-text": Case(1, ("tei-no-text",), 0, check_text("Header only")),
    "empty-tei-corpus": Case(1, ("tei-no-text",), 1),
    "undeclared-entity": Case(1, (WELL_FORMED,), 1),
    "control-character-reference": Case(1, (WELL_FORMED,), 1),
    "billion-laughs": Case(1, ("xml-entity",), 1),
    "quadratic-blowup": Case(1, ("xml-entity",), 1),
    "external-entity-file": Case(1, ("xml-entity",), 1),
    "external-entity-http": Case(1, ("xml-entity",), 1),
    "external-parameter-entity": Case(1, ("xml-entity",), 1),
    "external-dtd-http": Case(0, (), 0, check_text("a file with a remote DTD")),
    "external-dtd-local-secret": Case(0, (), 0, check_text("a file with a local DTD")),
    "xinclude-outside": Case(1, ("schema",), 0, check_text("After.")),
    "uris-in-data-for-saxon": Case(1, ("pointer-missing-file",), 0, check_text("a bibl")),
    "script-in-text": Case(1, ("schema",), 0, check_script_text),
    "javascript-target": Case(1, ("pointer-unsafe-uri",), 0, check_text("mixed case")),
    "data-uri-facs": Case(1, ("pointer-unsafe-uri",), 0, check_text("a data: link")),
    "quotes-in-attributes": Case(1, ("schema", "date-invalid"), 0, check_quotes),
    "script-close-in-search-data": Case(0, (), 0, check_search_index),
    "outside-link-noopener": Case(1, ("pointer-missing-file",), 0, check_outside_links),
    "pointer-with-terminal-escape": Case(1, ("pointer-missing-file",), 0,
                                         check_text("an ANSI escape")),
}


def test_every_fixture_has_a_case():
    names = {p.stem for p in HOSTILE.glob("*.xml")}
    assert names == set(CASES)


@pytest.mark.parametrize("name", list(CASES))
def test_validate(name):
    case = CASES[name]
    run = cli("validate", HOSTILE / f"{name}.xml")
    assert run.code == case.validate_exit, (run.out, run.err)
    assert re.fullmatch(r"1 file: \d+ errors?, \d+ warnings? \(\d+\.\d\d s\)\n", run.err), run.err
    if case.rules:
        assert_findings_name(run, f"{name}.xml", case.rules)
    elif run.out:
        assert ": error: " not in run.out


@pytest.mark.parametrize("name", list(CASES))
def test_render_with_validation(name, out):
    """The default render refuses an edition with errors (and leaves the output alone)."""
    case = CASES[name]
    before = snapshot(out)
    run = cli("render", "--format", "html", "--out", out, HOSTILE / f"{name}.xml")
    if case.validate_exit:
        assert_failed_cleanly(run, out, before)
        if case.rules:
            assert f"{name}.xml:" in run.err  # the findings, on stderr
    else:
        assert run.code == 0, run.err
        case.check(out / "html")


@pytest.mark.parametrize("name", list(CASES))
def test_render_without_validation(name, out):
    case = CASES[name]
    before = snapshot(out)
    run = cli("render", "--no-validate", "--format", "html", "--out", out,
              HOSTILE / f"{name}.xml")
    if case.render_exit:
        assert_failed_cleanly(run, out, before)
        assert "nothing to render" in run.error_lines[0]
        if case.rules[0] in (WELL_FORMED, "xml-entity"):  # the reason it was skipped
            assert re.search(rf"{name}\.xml:\d+:\d+: error: \[{case.rules[0]}\]", run.err)
    else:
        assert run.code == 0, run.err
        assert run.out.startswith("rendered 1 TEI document: ")
        assert leftovers(out) == []
        case.check(out / "html")


def test_entity_bombs_fail_fast_in_bounded_memory():
    """The bombs are refused at parse time: in a child process, so its peak memory is its own."""
    code = textwrap.dedent(f"""
        import resource, time
        from pathlib import Path
        from tei_edition.sources import parse_file
        started = time.perf_counter()
        for name in ("billion-laughs.xml", "quadratic-blowup.xml"):
            result = parse_file(Path({str(HOSTILE)!r}) / name)
            assert result.rule == "xml-entity", result
        # VmHWM is this process's own peak: ru_maxrss would carry the forking parent's over
        # the exec.
        status = Path("/proc/self/status")
        peak = (next((int(line.split()[1]) for line in status.read_text().splitlines()
                      if line.startswith("VmHWM:")), 0) if status.exists()
                else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        print(time.perf_counter() - started, peak)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    seconds, peak_kb = result.stdout.split()
    assert float(seconds) < 5 and int(peak_kb) < 200_000  # expanded, they would be 1 GB


# --- the installed script: no traceback on stderr -----------------------------------------

def _script() -> list[str]:
    exe = shutil.which("tei-edition")
    return [exe] if exe else [sys.executable, "-m", "tei_edition.cli"]


@pytest.mark.parametrize("name", ["binary-file", "billion-laughs", "external-entity-file",
                                  "non-tei-root"])
def test_script_in_a_subprocess(name, out):
    before = snapshot(out)
    for command, expected in ((["validate"], 1),
                              (["render", "--format", "html", "--out", str(out)], 1),
                              (["render", "--no-validate", "--format", "html",
                                "--out", str(out)], 1)):
        result = subprocess.run([*_script(), *command, str(HOSTILE / f"{name}.xml")],
                                capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == expected, result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        assert f"{name}.xml:" in result.stdout + result.stderr
    assert snapshot(out) == before


# --- Saxon: no URI but file: ---------------------------------------------------------------

def test_saxon_refuses_network_and_other_uris():
    """The processor the stylesheets run in may dereference file: URIs only, so even a
    stylesheet that called doc() on a value from the data could not fetch anything."""
    from saxonche import PySaxonApiError

    from tei_edition.transform import processor

    proc = processor()
    for uri in ("http://127.0.0.1:9/leak.xml", "https://example.org/x.xml",
                "jar:file:/x.jar!/y.xml", "ftp://127.0.0.1:9/x.xml"):
        executable = proc.new_xslt30_processor().compile_stylesheet(stylesheet_text=(
            '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
            f'<xsl:template match="/"><r><xsl:value-of select="doc(\'{uri}\')"/></r>'
            '</xsl:template></xsl:stylesheet>'))
        with pytest.raises(PySaxonApiError, match="prohibited"):
            executable.transform_to_string(xdm_node=proc.parse_xml(xml_text="<a/>"))


def test_the_stylesheets_read_no_uri_of_their_own(repo):
    """No doc(), document(), unparsed-text(), collection() or xsl:evaluate in xslt/: Python
    does the file I/O; xsl:include/xsl:import name only the stylesheets' own modules."""
    for path in (repo / "xslt").rglob("*.xsl"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\b(doc|document|unparsed-text[-a-z]*|collection|json-doc|"
                             r"doc-available|uri-collection|transform)\s*\(", text), path
        assert "xsl:evaluate" not in text, path
        for href in re.findall(r"<xsl:(?:include|import)\s+href=\"([^\"]+)\"", text):
            assert (path.parent / href).is_file() and ":" not in href, (path, href)


def test_pdf_of_hostile_links_fetches_nothing(tmp_path):
    """The print edition of the fixtures that name URIs: made, and nothing read."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("uris-in-data-for-saxon", "javascript-target", "data-uri-facs",
                 "external-dtd-local-secret"):
        shutil.copy(HOSTILE / f"{name}.xml", folder)
    for name in ("secret.txt", "secret.dtd", "evil.xsl"):
        shutil.copy(HOSTILE / name, folder)
    run = cli("render", "--no-validate", "--format", "pdf", "--out", tmp_path / "out", folder)
    assert run.code == 0, run.err
    pdfs = list((tmp_path / "out" / "pdf").glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert MARKER.encode() not in data and b"/JavaScript" not in data and b"/JS " not in data


# --- cases made on the file system ---------------------------------------------------------

def _write(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(tei(body), encoding="utf-8")
    return path


@pytest.mark.parametrize("levels", [100_000, 200], ids=["deep-nesting-100000-levels",
                                                        "deep-nesting-200-levels"])
def test_deep_nesting(tmp_path, out, levels):
    """Beyond libxml2's 256 levels: a finding with its line and column. Within them: the
    file validates and renders (Saxon's own parser once stopped at 100 levels)."""
    body = "<div>" * levels + "<p>deepest words</p>" + "</div>" * levels
    path = _write(tmp_path / "in", "deep.xml", body)
    run = cli("validate", path)
    if levels > 256:
        assert run.code == 1
        assert_findings_name(run, "deep.xml", (WELL_FORMED,))
        assert "depth" in run.out
        before = snapshot(out)
        assert_failed_cleanly(cli("render", "--no-validate", "--format", "html", "--out", out,
                                  path), out, before)
    else:
        assert run.code == 0, run.out
        run = cli("render", "--format", "html", "--out", out, path)
        assert run.code == 0, run.err
        assert "deepest words" in page_of(out / "html", "deep").text_content()


def _symlink_loop(folder: Path) -> None:
    (folder / "loop.xml").symlink_to("loop.xml")


def _named_pipe(folder: Path) -> None:
    os.mkfifo(folder / "pipe.xml")  # reading it would wait for a writer for ever


def _folder_named_xml(folder: Path) -> None:
    (folder / "folder.xml").mkdir()
    (folder / "folder.xml" / "inner.txt").write_text("not XML")


def _dangling_symlink(folder: Path) -> None:
    (folder / "dangling.xml").symlink_to(folder / "gone.xml")


def _pointer_into_a_loop(folder: Path) -> None:
    _symlink_loop(folder)
    _write(folder, "pointing.xml", '<p><ref target="loop.xml#x">into a loop</ref> '
           '<graphic url="loop.xml"/><persName ref="loop.xml#p">P</persName></p>')


ODD_ENTRIES = {"symlink-loop": _symlink_loop, "named-pipe": _named_pipe,
               "folder-named-xml": _folder_named_xml, "dangling-symlink": _dangling_symlink,
               "pointer-into-symlink-loop": _pointer_into_a_loop}


@pytest.mark.parametrize("case", list(ODD_ENTRIES))
def test_odd_entries_in_a_folder(tmp_path, out, case):
    """Things found under a folder that are not readable files: an io-unreadable finding
    each (render skips them with a warning), and the good file still renders."""
    folder = tmp_path / "in"
    _write(folder, "good.xml", "<p>The good letter.</p>")
    ODD_ENTRIES[case](folder)
    run = cli("validate", folder)
    assert run.code == 1, run.out
    rule = "pointer-missing-file" if case.startswith("pointer") else "io-unreadable"
    assert f"[{rule}]" in run.out
    assert all(re.match(r"^\S+\.xml:\d+:\d+: (error|warning): \[", line)
               for line in run.out.splitlines()), run.out
    run = cli("render", "--no-validate", "--format", "html", "--out", out, folder)
    assert run.code == 0, run.err
    assert (out / "html" / "good.html").is_file()
    check_safe(out / "html")


def test_hostile_file_name(tmp_path, out):
    """A file name with quotes, angle brackets, # ? and % becomes safe page names and links."""
    name = 'x"><img src=x onerror=alert(1)> #frag ?q %25.xml'
    path = _write(tmp_path / "in", name, "<p>A letter with a hostile name.</p>")
    assert cli("validate", path).code == 0
    run = cli("render", "--format", "html", "--out", out, path)
    assert run.code == 0, run.err
    check_safe(out / "html")
    assert walk_links(out / "html") == []
    assert any("hostile name" in doc.text_content() for doc in pages(out / "html"))


def test_graphic_symlink_leading_outside_is_not_copied(tmp_path, out):
    """An image inside the edition folder that is a link to a file outside it is not
    published (the site copies images of the edition only)."""
    secret = tmp_path / "outside" / "secret.png"
    secret.parent.mkdir()
    secret.write_text(MARKER)
    folder = tmp_path / "in"
    _write(folder, "letter.xml", '<p>A picture: <graphic url="inside.png"/> and '
           '<graphic url="../outside/secret.png"/>.</p>')
    (folder / "inside.png").symlink_to(secret)
    run = cli("render", "--no-validate", "--format", "html", "--out", out, folder)
    assert run.code == 0, run.err
    no_secret(out / "html")


def test_file_vanishes_during_the_run(tmp_path, out, monkeypatch):
    """A file listed but deleted before it is read: a finding, not a crash."""
    from tei_edition import sources

    folder = tmp_path / "in"
    _write(folder, "stays.xml", "<p>Still here.</p>")
    doomed = _write(folder, "vanishes.xml", "<p>Gone.</p>")
    listed = sources.find_xml_files

    def list_then_delete(paths):
        found = listed(paths)
        doomed.unlink(missing_ok=True)
        return found

    monkeypatch.setattr(sources, "find_xml_files", list_then_delete)
    run = cli("validate", folder)
    assert run.code == 1
    assert re.search(r"vanishes\.xml:0:0: error: \[io-unreadable\] cannot read the file: "
                     r"No such file", run.out), run.out
    _write(folder, "vanishes.xml", "<p>Back.</p>")
    before = snapshot(out)
    assert_failed_cleanly(cli("render", "--format", "html", "--out", out, folder), out, before)
    _write(folder, "vanishes.xml", "<p>Back.</p>")
    run = cli("render", "--no-validate", "--format", "html", "--out", out, folder)
    assert run.code == 0 and "skipped:" in run.err and "vanishes.xml" in run.err
    assert (out / "html" / "stays.html").is_file()


def test_unreadable_file(tmp_path, out, monkeypatch):
    """Permission denied (faked at os.open: the tests run as root, whom chmod 000 does not
    stop): a finding naming the file."""
    folder = tmp_path / "in"
    _write(folder, "readable.xml", "<p>Readable.</p>")
    locked = _write(folder, "locked.xml", "<p>Locked.</p>")
    real_open = os.open

    def guarded(path, flags, *args, **kwargs):
        if os.fspath(path) == os.fspath(locked):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)
    run = cli("validate", folder)
    assert run.code == 1
    assert "locked.xml:0:0: error: [io-unreadable] cannot read the file: Permission denied" \
        in run.out
    run = cli("render", "--no-validate", "--format", "html", "--out", out, folder)
    assert run.code == 0, run.err
    assert (out / "html" / "readable.html").is_file() and "locked.xml" in run.err


def test_missing_path_and_empty_folder(tmp_path, out):
    before = snapshot(out)
    for command in (["validate"], ["render", "--format", "html", "--out", str(out)]):
        run = cli(*command, tmp_path / "nowhere")
        assert run.code == 2 and run.error_lines == [
            f"error: {tmp_path / 'nowhere'}: no such file or folder"]
    (tmp_path / "empty").mkdir()
    run = cli("validate", tmp_path / "empty")
    assert run.code == 0 and run.err.startswith("0 files: 0 errors")
    assert_failed_cleanly(cli("render", "--format", "html", "--out", out, tmp_path / "empty"),
                          out, before)


def test_folder_of_thousands_of_files(tmp_path, out):
    """1,000 TEI letters among 2,000 other files: validated and rendered, with progress and a
    summary."""
    folder = tmp_path / "in"
    for i in range(1000):
        _write(folder / f"box-{i // 100}", f"letter-{i:04}.xml",
               f'<p>Letter number {i}, about <date when="1917-10-{1 + i % 28:02}">a day'
               "</date>.</p>")
        (folder / f"box-{i // 100}" / f"scan-{i:04}.txt").write_text("not XML")
        (folder / f"box-{i // 100}" / f"notes-{i:04}.md").write_text("# notes")
    run = cli("validate", folder)
    assert run.code == 0 and run.err.startswith("1000 files: 0 errors"), run.err[-300:]
    run = cli("render", "--format", "html", "--out", out, folder)
    assert run.code == 0, run.err[-500:]
    assert run.out.startswith("rendered 1000 TEI documents: ")
    assert "html: text 1000/1000" in run.err or "html: text" in run.err
    assert (out / "html" / "letter-0999.html").is_file()


# --- the output folder: not writable, full, a file; interrupted, killed, concurrent -------

def test_output_is_a_file(tmp_path):
    target = tmp_path / "output"
    target.write_text("not a folder")
    run = cli("render", "--no-validate", "--format", "html", "--out", target, FIXTURE_EDITION)
    assert run.code == 1 and "cannot create the output folder" in run.error_lines[0]
    assert target.read_text() == "not a folder"


@pytest.fixture
def tmpfs(tmp_path):
    """A tiny tmpfs (1 MB) to make a real full or read-only file system; skipped where this
    process may not mount."""
    mount_point = tmp_path / "tmpfs"
    mount_point.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
                          capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _render_previous(target: Path) -> None:
    run = cli("render", "--no-validate", "--quiet", "--format", "html", "--out", target,
              RENDER_FIXTURES / "no-registers.xml")
    assert run.code == 0, run.err


def test_read_only_output(tmpfs):
    out = tmpfs / "out"
    _render_previous(out)
    before = snapshot(out)
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    run = cli("render", "--no-validate", "--format", "html", "--out", out, FIXTURE_EDITION)
    assert run.code == 1 and "Read-only file system" in run.error_lines[0], run.err
    assert snapshot(out) == before


def test_full_disk(tmpfs):
    out = tmpfs / "out"
    _render_previous(out)
    before = snapshot(out)
    # Take every block that is left.
    with open(tmpfs / "filler", "wb", buffering=0) as filler, pytest.raises(OSError):
        while True:
            filler.write(b"\0" * 65536)
            filler.flush()
    run = cli("render", "--no-validate", "--format", "html", "--out", out, FIXTURE_EDITION)
    assert run.code == 1, run.err
    assert "No space left on device" in run.error_lines[0] or "space" in run.err
    assert snapshot(out) == before and leftovers(out) == []


def test_full_disk_simulated(out, monkeypatch):
    """ENOSPC raised by the writer half-way (where no tmpfs can be mounted)."""
    import pathlib

    written = {"n": 0}
    for method in ("write_text", "write_bytes"):
        original = getattr(pathlib.Path, method)

        def full(self, data, *args, _original=original, **kwargs):
            if str(out) in str(self):
                written["n"] += 1
                if written["n"] > 3:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
            return _original(self, data, *args, **kwargs)

        monkeypatch.setattr(pathlib.Path, method, full)
    before = snapshot(out)
    run = cli("render", "--no-validate", "--format", "html", "--out", out, FIXTURE_EDITION)
    monkeypatch.undo()
    assert_failed_cleanly(run, out, before)
    assert "No space left on device" in run.error_lines[0]


@pytest.mark.parametrize("where", ["after-the-pages", "before-the-swap"])
def test_interrupted_render(out, monkeypatch, where):
    """Ctrl-C while building (KeyboardInterrupt in this process): the earlier output stays."""
    from tei_edition import render, site

    if where == "after-the-pages":
        original = site.build_site

        def interrupted(*args, **kwargs):
            original(*args, **kwargs)
            raise KeyboardInterrupt

        monkeypatch.setattr(site, "build_site", interrupted)
    else:
        def interrupted_swap(new, final):
            raise KeyboardInterrupt

        monkeypatch.setattr(render, "_swap", interrupted_swap)
    before = snapshot(out)
    result = CliRunner().invoke(main, ["render", "--no-validate", "--format", "html", "--out",
                                       str(out), str(FIXTURE_EDITION)])
    assert result.exit_code == 1 and "Aborted" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before and leftovers(out) == []


def _run_and_then(action: str, out: Path, source: Path) -> subprocess.CompletedProcess:
    """The script in a subprocess, doing ``action`` once every page is written (a signal
    sent to itself, so the moment is certain)."""
    code = textwrap.dedent(f"""
        import os, signal, sys
        from tei_edition import cli, site
        original = site.build_site
        def then(*args, **kwargs):
            result = original(*args, **kwargs)
            {action}
            return result
        site.build_site = then
        sys.argv = ["tei-edition", "render", "--no-validate", "--format", "html", "--out",
                    {str(out)!r}, {str(source)!r}]
        cli.run()
    """)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)


def test_interrupt_signal_in_a_subprocess(out):
    before = snapshot(out)
    result = _run_and_then("os.kill(os.getpid(), signal.SIGINT)", out, FIXTURE_EDITION)
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "interrupted"
    assert snapshot(out) == before and leftovers(out) == []


def test_terminate_signal_cleans_up_as_an_interrupt_does(out):
    """SIGTERM (what timeout, kill and CI runners send) ends the render as Ctrl-C does: the
    previous output whole, no temporary folder left, "terminated" and no traceback."""
    before = snapshot(out)
    result = _run_and_then("os.kill(os.getpid(), signal.SIGTERM)", out, FIXTURE_EDITION)
    assert result.returncode == 143, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "terminated"
    assert snapshot(out) == before and leftovers(out) == []


def test_killed_render_leaves_the_output_and_is_cleaned_up(out):
    before = snapshot(out)
    result = _run_and_then("os.kill(os.getpid(), signal.SIGKILL)", out, FIXTURE_EDITION)
    assert result.returncode == -signal.SIGKILL
    assert snapshot(out) == before
    assert leftovers(out)  # a killed process cannot clean up after itself ...
    run = cli("render", "--no-validate", "--format", "html", "--out", out, FIXTURE_EDITION)
    assert run.code == 0 and leftovers(out) == []  # ... the next render does


def test_two_renders_at_once_one_failing(out):
    """A render that fails half-way while another succeeds: the site is the good one, whole."""
    failing = textwrap.dedent(f"""
        import sys
        from tei_edition import cli, site
        from tei_edition.errors import BuildError
        original = site.build_site
        def broken(*args, **kwargs):
            original(*args, **kwargs)
            raise BuildError("the disk went away")
        site.build_site = broken
        sys.argv = ["tei-edition", "render", "--no-validate", "--format", "html", "--out",
                    {str(out)!r}, {str(RENDER_FIXTURES / "letters")!r}]
        cli.run()
    """)
    good = [*_script(), "render", "--no-validate", "--format", "html", "--out", str(out),
            str(FIXTURE_EDITION)]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
             for command in (good, [sys.executable, "-c", failing], good)]
    results = [(p.wait(timeout=180), p.stderr.read()) for p in procs]
    for proc in procs:
        proc.stdout.close()
        proc.stderr.close()
    assert [code for code, _ in results] == [0, 1, 0], results
    assert "error: the disk went away" in results[1][1] and "Traceback" not in results[1][1]
    site = out / "html"
    assert walk_links(site) == []
    assert {"kamenev-text.html", "leblanc.html", "persons.html"} <= {
        p.name for p in site.glob("*.html")}
    assert not list(site.glob("letter-*.html")) and leftovers(out) == []


# --- property: random bytes never crash either command -------------------------------------

GOOD = tei("<p>Words that must survive.</p>").encode()
RANDOM_FILES = st.one_of(
    st.binary(max_size=300),
    st.binary(max_size=60).map(lambda b: GOOD[:120] + b + GOOD[120:]),
    st.tuples(st.integers(0, len(GOOD)), st.binary(max_size=8)).map(
        lambda t: GOOD[:t[0]] + t[1] + GOOD[t[0] + len(t[1]):]),
    st.sampled_from([b"\xef\xbb\xbf" + GOOD, b"\xff\xfe" + GOOD, GOOD.replace(b"UTF", b"X"),
                     b"<?xml version='1.0' encoding='EBCDIC-US'?>" + GOOD]),
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=RANDOM_FILES)
def test_random_bytes_never_crash(tmp_path, data):
    path = tmp_path / "random.xml"
    path.write_bytes(data)
    run = cli("validate", path)
    assert run.code in (0, 1)
    for line in run.out.splitlines():
        assert re.match(r"^\S*random\.xml:\d+:\d+: (error|warning): \[[a-z-]+\] \S", line), line
    rendered = cli("render", "--no-validate", "--quiet", "--format", "html", "--out",
                   tmp_path / "out", path)
    assert rendered.code in (0, 1)
    if rendered.code:
        assert len(rendered.error_lines) == 1
    elif data == GOOD:
        assert "Words that must survive." in page_of(tmp_path / "out" / "html",
                                                     "random").text_content()


# --- found by a tester: text that must survive odd TEI, in the web edition and in print -----


def _pdf_words(folder: Path) -> str:
    import pypdf

    pdfs = sorted((folder / "pdf").glob("*.pdf"))
    assert pdfs
    text = " ".join(p.extract_text() for pdf in pdfs for p in pypdf.PdfReader(pdf).pages)
    return re.sub(r"\u2010\s*", "", text)  # the typesetter's hyphens


def _render_one(tmp_path: Path, body: str, fmt: str = "all") -> tuple[Run, Path]:
    source = tmp_path / "case.xml"
    source.write_text(tei(body), encoding="utf-8")
    out = tmp_path / "out"
    return cli("render", "--no-validate", "--format", fmt, "--out", out, source), out


def test_a_choice_inside_a_choice_loses_no_reading(tmp_path):
    from test_html_site import assert_no_text_lost

    body = ('<p>The word <choice><choice><sic>Nestsic</sic><corr>Nestcorr</corr></choice>'
            '<corr>Outercorr</corr></choice> stands here.</p><p>And <choice><sic>Outersic</sic>'
            '<choice><orig>Innerorig</orig><reg>Innerreg</reg></choice></choice> too.</p>')
    run, out = _render_one(tmp_path, body)
    assert run.code == 0, run.err
    assert_no_text_lost([tmp_path / "case.xml"], out / "html")
    words = _pdf_words(out)
    for word in ("Nestsic", "Nestcorr", "Outercorr", "Outersic", "Innerorig", "Innerreg"):
        assert word in words


def test_long_words_wide_tables_and_long_notes_print_whole(tmp_path):
    """A word wider than the line, a table wider than the page and a note longer than half a
    page: every character in the PDF (they ran off the margin or the top of the page)."""
    digits = "".join(str(i % 10) for i in range(1200))
    cells = "".join(f"<cell>Column{i}</cell>" for i in range(30))
    note = " ".join(f"w{i:04d}" for i in range(900))
    body = (f"<p>A number {digits} ends here.</p><table><row>{cells}</row></table>"
            f'<p>Call here<note place="foot" n="1">{note}</note> and on.</p>')
    run, out = _render_one(tmp_path, body, "pdf")
    assert run.code == 0, run.err
    assert "printed on the next page" not in run.err
    squeezed = re.sub(r"\s", "", _pdf_words(out))
    assert digits in squeezed
    assert all(f"Column{i}" in squeezed for i in range(30))
    assert all(f"w{i:04d}" in squeezed for i in range(900))


def test_a_paragraph_separator_after_a_space_prints(tmp_path):
    run, out = _render_one(tmp_path, "<p>First half \u2029 second half.</p>", "pdf")
    assert run.code == 0, run.err
    assert "second half." in _pdf_words(out)


def test_an_id_the_page_uses_itself_is_not_repeated(tmp_path):
    body = ('<p xml:id="popover">Para with id popover <persName>X</persName>.</p>'
            '<p xml:id="main">Para with id main.</p>')
    run, out = _render_one(tmp_path, body, "html")
    assert run.code == 0, run.err
    page = lhtml.parse(str(out / "html" / "case.html")).getroot()
    ids = [el.get("id") for el in page.iter() if el.get("id")]
    assert sorted(set(ids)) == sorted(ids)
    assert page.get_element_by_id("popover").tag == "div"  # the page's own popover box


def test_an_output_folder_inside_the_edition_is_never_read_back(tmp_path):
    edition = tmp_path / "ed"
    shutil.copytree(RENDER_FIXTURES / "letters", edition)
    for _ in range(2):
        run = cli("render", "--no-validate", "--format", "html", "--out", edition, edition)
        assert run.code == 0, run.err
        assert "rendered 2 TEI documents" in run.out
    # validate finds the edition's two files, not the site's copies of them in ed/html/tei.
    checked = cli("validate", edition)
    assert "2 files:" in checked.out + checked.err and "id-duplicate" not in checked.out


def test_nothing_to_print_still_makes_the_web_edition(tmp_path):
    source = tmp_path / "standoff.xml"
    source.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>S</title>'
        '<author>A</author></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x'
        '</p></sourceDesc></fileDesc></teiHeader><standOff><listPerson><person xml:id="p1">'
        '<persName>Anna</persName></person></listPerson></standOff></TEI>', encoding="utf-8")
    out = tmp_path / "out"
    run = cli("render", "--no-validate", "--out", out, source)
    assert run.code == 0, run.err
    assert "nothing to print" in run.err and (out / "html" / "index.html").exists()
    assert cli("render", "--no-validate", "--format", "pdf", "--out", out, source).code != 0


def test_bidirectional_controls_in_a_finding_are_escaped():
    from tei_edition.findings import printable

    assert printable("#x\u202egpj.exe") == "#x\\u202egpj.exe"
    assert printable("a\u2066b\x1b[31m") == "a\\u2066b\\x1b[31m"


def test_a_source_doc_neither_edition_shows_is_named(tmp_path):
    source = tmp_path / "genetic.xml"
    source.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>G</title>'
        '<author>A</author></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x'
        '</p></sourceDesc></fileDesc></teiHeader><sourceDoc><surface><zone><line>Erste Zeile</line>'
        '<line>Zweite Zeile</line></zone></surface></sourceDoc></TEI>', encoding="utf-8")
    run = cli("render", "--no-validate", "--format", "html", "--out", tmp_path / "out", source)
    assert run.code == 0, run.err
    assert "its <sourceDoc> (2 lines) is in neither edition" in run.err
