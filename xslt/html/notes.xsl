<?xml version="1.0" encoding="UTF-8"?>
<!--
  notes.xsl: footnotes and endnotes. At the call: a superscript link (doc-noteref) whose
  popover shows the note in place; at the end of the text: the notes numbered as in the source
  (doc-footnote), each with a link back to its call (doc-backlink). A note the source prints
  in place (no foot/end placement, no number) is read in place. Editorial notes are marked
  "ed" and numbered apart.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:template match="tei:note[@te:place = 'end']" mode="te:body">
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="label" select="if (@te:editorial = 'true') then 'Editorial note ' || @te:n else 'Note ' || @te:n"/>
    <xsl:element name="{if ($in-link) then 'span' else 'a'}">
      <xsl:if test="not($in-link)">
        <xsl:attribute name="href" select="'#' || @te:anchor"/>
        <xsl:attribute name="role">doc-noteref</xsl:attribute>
      </xsl:if>
      <xsl:attribute name="id" select="@te:call"/>
      <xsl:attribute name="class" select="string-join(('noteref', 'ed'[current()/@te:editorial = 'true']), ' ')"/>
      <xsl:attribute name="data-pop" select="@te:anchor"/>
      <xsl:attribute name="data-reading" select="if (@te:editorial = 'true') then '' else '[' || @n || ']'"/>
      <xsl:attribute name="aria-label" select="$label"/>
      <xsl:if test="@te:read-inline"><xsl:attribute name="data-read-inline">true</xsl:attribute></xsl:if>
      <sup>{@te:n}</sup>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:note" mode="te:body">
    <xsl:call-template name="te:span">
      <xsl:with-param name="extra-class" select="string-join(('note-inline', 'ed'[current()/@te:editorial = 'true']), ' ')"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:note[@te:place = 'end']" mode="te:endnotes">
    <aside id="{@te:anchor}" role="doc-footnote" aria-label="{if (@te:editorial = 'true') then 'Editorial note ' else 'Note '}{@te:n}">
      <xsl:attribute name="class" select="string-join(('note', te:classes(.), 'ed'[current()/@te:editorial = 'true']), ' ')"/>
      <xsl:if test="@te:read-inline"><xsl:attribute name="data-read-inline">true</xsl:attribute></xsl:if>
      <a class="note-n" href="#{@te:call}" role="doc-backlink"
        data-reading="{if (@te:editorial = 'true') then '' else '[' || @n || ']'}"
        aria-label="Back to the call of note {@te:n}">{@te:n}</a>
      <div class="note-body">
        <xsl:apply-templates mode="te:body">
          <xsl:with-param name="inline" tunnel="yes" select="false()"/>
        </xsl:apply-templates>
      </div>
    </aside>
  </xsl:template>

</xsl:stylesheet>
