<?xml version="1.0" encoding="UTF-8"?>
<!--
  print.xsl: the print edition. Imports the web edition (html.xsl, which imports common.xsl)
  and overrides only what print needs; WeasyPrint typesets the result (CSS Paged Media, in
  src/tei_edition/assets/print.css) into PDF.

  Input: <te:book> prepared by tei_edition.print_model: title-page data and annotated copies of
  the TEI documents of one book (te:front/te:document/tei:TEI, te:texts/te:document/tei:TEI).
  Parameters (prepared by Python; the stylesheet reads no other file):
    $indexes  document-node(): <te:indexes> with <te:index kind title> of <te:entry name dates
              description id> holding <te:ref target="…" page="…"/> (the ids of the mentions
              and, once a first layout has told, their page)
    $part     what to draw (print/book.xsl): 'all' (the whole book), 'opening' (title page
              and contents, page numbers as placeholders), 'part' (part $piece of the main
              matter: each front-matter division and each text is a part), 'back' (the
              indexes), 'toc' (title page and contents with the numbers of $pages)
    $piece    xs:integer: which part, from 1, for $part 'part' (body/@data-parts: how many)
    $pages    document-node()?: <te:pages><te:page id n/></te:pages>, pages already known
    $parts    document-node()?: <te:parts> holding the HTML of every part ('part' outputs),
              from which 'opening' and 'toc' take the contents (not transforming the parts
              again)
    $breaks   document-node()?: <te:pages><te:page id/></te:pages>, blocks that must start a
              page (pdf.py's remedy for a footnote WeasyPrint moved away from its call)

  Overrides (print/*.xsl): the book layout (title page, contents with page numbers, parts with
  running heads), headings (one outline for contents and bookmarks), ids (prefixed per
  document), names as plain text carrying the index anchors, notes as true footnotes (author
  notes numbered as in the source, the edition's notes and corrections lettered a, b, c),
  corrections printed with the source reading in an editorial footnote, the indexes and the
  bibliography with page numbers (target-counter). Everything else, including the loud
  fallback for unhandled elements, is html.xsl's.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="html.xsl"/>
  <xsl:include href="print/book.xsl"/>
  <xsl:include href="print/text.xsl"/>
  <xsl:include href="print/notes.xsl"/>
  <xsl:include href="print/indexes.xsl"/>

  <!-- XML, which pdf.py parses with expat and hands WeasyPrint as a tree: the same tree its
       HTML parser (pure Python, a fifth of a second for the edition's book) makes of this
       output written as HTML; tests/test_pdf.py compares them. -->
  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>

  <xsl:param name="indexes" as="document-node()?" select="()"/>
  <xsl:param name="part" as="xs:string" select="'all'"/>
  <xsl:param name="pages" as="document-node()?" select="()"/>
  <xsl:param name="piece" as="xs:integer" select="0"/>
  <xsl:param name="parts" as="document-node()?" select="()"/>
  <xsl:param name="breaks" as="document-node()?" select="()"/>

  <xsl:key name="te:page" match="te:page" use="@id"/>
  <xsl:key name="te:anchored" match="tei:*[@te:anchor]" use="@te:anchor"/>
  <!-- html.xsl's page parameters have no meaning in print. -->
  <xsl:param name="site" as="document-node()?" select="()"/>
  <xsl:param name="registers" as="document-node()?" select="()"/>

  <xsl:mode name="te:outline" on-no-match="shallow-skip"/>
  <xsl:mode name="te:running" on-no-match="shallow-copy"/>
  <xsl:mode name="te:hosted" on-no-match="shallow-skip"/>
  <xsl:mode name="te:outline-text" on-no-match="shallow-skip"/>
  <xsl:mode name="te:principles" on-no-match="shallow-skip"/>

</xsl:stylesheet>
