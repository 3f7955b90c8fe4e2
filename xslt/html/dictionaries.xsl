<?xml version="1.0" encoding="UTF-8"?>
<!--
  dictionaries.xsl: dictionary entries (TEI dictionaries module) and the roles of a cast list.
  An entry is a block, its senses blocks within it (indented); headwords are bold,
  grammatical labels italic, everything else runs on as in a printed dictionary.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:template match="tei:superEntry | tei:entry | tei:entryFree | tei:sense | tei:re" mode="te:body">
    <xsl:call-template name="te:block"/>
  </xsl:template>

  <xsl:template match="tei:orth | tei:hw" mode="te:body">
    <xsl:call-template name="te:span"><xsl:with-param name="html" select="'b'"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:pos | tei:gen | tei:number | tei:case | tei:per | tei:tns | tei:mood
      | tei:iType | tei:gram | tei:subc | tei:colloc | tei:usg | tei:lbl" mode="te:body">
    <xsl:call-template name="te:span"><xsl:with-param name="html" select="'i'"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:form | tei:gramGrp | tei:def | tei:etym | tei:pron | tei:hyph
      | tei:syll | tei:stress | tei:oRef | tei:pRef | tei:xr | tei:lang | tei:trans | tei:tr
      | tei:role | tei:roleDesc | tei:actor | tei:castItem" mode="te:body">
    <xsl:call-template name="te:span"/>
  </xsl:template>

</xsl:stylesheet>
