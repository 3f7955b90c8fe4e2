"""Transform: one saxonche processor, each stylesheet compiled once per run, reused per page.

Documents are handed from lxml to Saxon as serialised XML (no DTD, no entities: the trees
come from the safe parser or are built here). The stylesheets read no file of their own;
``doc()`` and ``unparsed-text()`` on data are never called.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

from .errors import BuildError


@lru_cache(maxsize=1)
def processor():
    """The process-wide Saxon processor (SaxonC wants one per process)."""
    from saxonche import PySaxonProcessor

    from . import parallel

    parallel.note_saxon_started()
    return harden(PySaxonProcessor(license=False))


# Saxon may dereference file: URIs only (the stylesheets and the pages' sources): no http(s),
# ftp or jar, whatever a document names. lxml already limits nesting to 256 levels; Java's
# default of 100 (jdk.xml.maxElementDepth) would refuse TEI that validated.
SAXON_SETTINGS = {
    "http://saxon.sf.net/feature/allowedProtocols": "file",
    "http://saxon.sf.net/feature/parserProperty?uri="
    "http%3A//www.oracle.com/xml/jaxp/properties/maxElementDepth": "1000",
}


def harden(proc):
    """Apply ``SAXON_SETTINGS`` to a Saxon processor; return it."""
    for name, value in SAXON_SETTINGS.items():
        proc.set_configuration_property(name, value)
    return proc


class Transformer:
    """A compiled stylesheet with its shared parameters, applied page after page."""

    def __init__(self, stylesheet: Path):
        from saxonche import PySaxonApiError

        self._error = PySaxonApiError
        self.proc = processor()
        xslt = self.proc.new_xslt30_processor()
        try:
            self.executable = xslt.compile_stylesheet(stylesheet_file=str(stylesheet))
        except PySaxonApiError as exc:
            raise BuildError(f"{stylesheet}: the stylesheet does not compile: {exc}") from exc
        if self.executable is None:
            raise BuildError(f"{stylesheet}: the stylesheet does not compile")
        self.stylesheet = stylesheet

    def node(self, element: etree._Element):
        """An lxml element as a Saxon document node."""
        text = etree.tostring(element, encoding="unicode")
        try:
            return self.proc.parse_xml(xml_text=text)
        except self._error as exc:
            raise BuildError(f"cannot hand a document to Saxon: {exc}") from exc

    def set_document(self, name: str, element: etree._Element) -> None:
        """Set a document-node() parameter shared by every page of the run."""
        self.executable.set_parameter(name, self.node(element))

    def transform_to_file(self, element: etree._Element, output: Path, **params: str) -> None:
        """Transform one document straight into ``output`` (large pages never become one
        Python string). The document goes to Saxon through a temporary file beside
        ``output``, written without any DOCTYPE, so Saxon has nothing to fetch."""
        for name, value in params.items():
            xdm_value = self.proc.make_string_value(value)
            self.executable.set_parameter(name.replace("_", "-"), xdm_value)
        source = output.with_name(output.name + ".source.xml")
        try:
            source.write_bytes(etree.tostring(element, encoding="UTF-8"))
            try:
                self.executable.transform_to_file(source_file=str(source),
                                                  output_file=str(output))
            except self._error as exc:
                raise BuildError(f"{self.stylesheet.name}: transformation failed: {exc}") from exc
        finally:
            source.unlink(missing_ok=True)
        if not output.exists():
            raise BuildError(f"{self.stylesheet.name}: transformation produced nothing")

    def transform(self, element: etree._Element, **params: str) -> str:
        """Transform one document; string parameters (``source_href`` → ``source-href``)."""
        for name, value in params.items():
            xdm_value = self.proc.make_string_value(value)
            self.executable.set_parameter(name.replace("_", "-"), xdm_value)
        try:
            result = self.executable.transform_to_string(xdm_node=self.node(element))
        except self._error as exc:
            raise BuildError(f"{self.stylesheet.name}: transformation failed: {exc}") from exc
        if result is None:
            raise BuildError(f"{self.stylesheet.name}: transformation produced nothing")
        return result
