<?xml version="1.0" encoding="UTF-8"?>
<!--
  html.xsl: the web edition. One compiled stylesheet renders every page of the site; the
  document it is given decides the page type:
    /tei:TEI            a text (reading view)                         html/text.xsl
    /te:page[@type]     register, chronology, bibliography, home,     html/pages.xsl
                        about, search (data prepared by tei_edition.site)
  Parameters (all prepared by Python; the stylesheet reads no other file):
    $site       document-node(): <te:site title lang> with <te:nav href label/> entries
    $registers  document-node(): <te:registers> with one <te:entry> per register entry
    $page       the file name of the page being written (marks the current navigation link)
    $source-href  the site-relative link to the page's TEI source, or ''
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="common.xsl"/>
  <xsl:include href="html/layout.xsl"/>
  <xsl:include href="html/text.xsl"/>
  <xsl:include href="html/blocks.xsl"/>
  <xsl:include href="html/inlines.xsl"/>
  <xsl:include href="html/entities.xsl"/>
  <xsl:include href="html/notes.xsl"/>
  <xsl:include href="html/apparatus.xsl"/>
  <xsl:include href="html/dictionaries.xsl"/>
  <xsl:include href="html/examples.xsl"/>
  <xsl:include href="html/pages.xsl"/>
  <xsl:include href="html/fallback.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"
    include-content-type="no"/>

  <xsl:param name="site" as="document-node()"/>
  <xsl:param name="registers" as="document-node()"/>
  <xsl:param name="page" as="xs:string" select="'index.html'"/>
  <xsl:param name="source-href" as="xs:string" select="''"/>

  <xsl:key name="entry" match="te:entry" use="@key"/>

  <!-- The reading view of a text: mode te:body renders TEI content, te:toc the contents. -->
  <xsl:mode name="te:body" on-no-match="shallow-skip"/>
  <xsl:mode name="te:toc" on-no-match="shallow-skip"/>
  <xsl:mode name="te:gloss" on-no-match="shallow-skip"/>
  <xsl:mode name="te:app-entry" on-no-match="shallow-skip"/>
  <xsl:mode name="te:endnotes" on-no-match="shallow-skip"/>
  <xsl:mode name="te:popovers" on-no-match="shallow-skip"/>
  <xsl:mode name="te:header" on-no-match="shallow-skip"/>
  <xsl:mode on-no-match="shallow-skip"/>

</xsl:stylesheet>
