"""tei-edition: validate and publish a TEI P5 scholarly edition."""

__version__ = "0.1.0"

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# TEI markup quoted as an example (egXML) lives in this namespace; it is shown, never read.
EXAMPLES_NS = "http://www.tei-c.org/ns/Examples"
