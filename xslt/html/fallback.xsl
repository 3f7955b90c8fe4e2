<?xml version="1.0" encoding="UTF-8"?>
<!--
  fallback.xsl: the loud fallback. A TEI element no template handles is still rendered (its
  text is never lost) and flagged with the class "te-unhandled" and data-tei-element; the
  Python side finds these after each page and reports them.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:template match="*" mode="te:body" priority="-10">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:element name="{if (not($inline) and te:is-block(.)) then 'div' else 'span'}">
      <xsl:call-template name="te:attributes">
        <xsl:with-param name="extra-class" select="'te-unhandled'"/>
      </xsl:call-template>
      <xsl:attribute name="data-tei-element" select="name()"/>
      <xsl:apply-templates mode="te:body"/>
    </xsl:element>
  </xsl:template>

  <!-- Text is always copied; comments and processing instructions never are. -->
  <xsl:template match="text()" mode="te:body">
    <xsl:value-of select="."/>
  </xsl:template>
  <xsl:template match="comment() | processing-instruction()" mode="te:body"/>

</xsl:stylesheet>
