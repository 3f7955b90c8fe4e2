<?xml version="1.0" encoding="UTF-8"?>
<!--
  examples.xsl: markup quoted as an example. An egXML (TEI Examples namespace) holds XML that
  is shown, not read: it is drawn as its markup, tags and attributes as the reader would type
  them, in a code block (inline, inside a paragraph). None of it is an entity, a note or a
  link of the edition (the model and the checks leave it alone too). An eg holds its example
  as text already and is drawn in the same block.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:eg="http://www.tei-c.org/ns/Examples"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:template match="eg:egXML | tei:eg" mode="te:body">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else 'pre'}">
      <xsl:attribute name="class" select="string-join(('te-example', 'tei-' || local-name(),
        'as-block'[$inline]), ' ')"/>
      <!-- The indentation every line of the example shares is the source's, not the
           example's: it goes. -->
      <xsl:variable name="shown" select="(node()[not(self::text()[not(normalize-space())])])"/>
      <xsl:variable name="indents" as="xs:integer*" select="for $t in .//text()[not(. &lt;&lt; $shown[1] or . &gt;&gt; $shown[last()])]
        return analyze-string($t, '\n([ \t]*)([^ \t\n]|$)')//*:group[@nr = 1]!string-length(.)"/>
      <code>
        <xsl:apply-templates select="node()" mode="te:markup">
          <xsl:with-param name="indent" select="(min($indents), 0)[1]" tunnel="yes"/>
          <xsl:with-param name="first" select="$shown[1]" tunnel="yes"/>
          <xsl:with-param name="last" select="$shown[last()]" tunnel="yes"/>
        </xsl:apply-templates>
      </code>
    </xsl:element>
  </xsl:template>

  <!-- The markup of an example, as text (the serializer escapes it). The white space between
       the egXML's tags and its first and last child is the source's layout, not the example. -->
  <xsl:template match="*" mode="te:markup">
    <span class="ex-tag">{'&lt;' || name()}<xsl:apply-templates select="@*" mode="te:markup"/>{if (node()) then '&gt;' else '/&gt;'}</span>
    <xsl:if test="node()">
      <xsl:apply-templates select="node()" mode="te:markup"/>
      <span class="ex-tag">{'&lt;/' || name() || '&gt;'}</span>
    </xsl:if>
  </xsl:template>

  <!-- The tool's own annotations (te:*) are not part of the example. -->
  <xsl:template match="@te:*" mode="te:markup" priority="2"/>

  <xsl:template match="@*" mode="te:markup">
    <xsl:text> </xsl:text>
    <span class="ex-att">{name()}</span>
    <xsl:text>="</xsl:text>
    <span class="ex-val">{replace(replace(replace(., '&amp;', '&amp;amp;'), '&lt;', '&amp;lt;'), '"', '&amp;quot;')}</span>
    <xsl:text>"</xsl:text>
  </xsl:template>

  <xsl:template match="text()" mode="te:markup">
    <xsl:param name="first" as="node()?" tunnel="yes"/>
    <xsl:param name="last" as="node()?" tunnel="yes"/>
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <xsl:variable name="dedented" select="if ($indent gt 0) then replace(., '\n[ \t]{1,' || $indent || '}', '&#10;') else string(.)"/>
    <xsl:variable name="escaped" select="replace(replace($dedented, '&amp;', '&amp;amp;'), '&lt;', '&amp;lt;')"/>
    <xsl:choose>
      <xsl:when test="not(normalize-space()) and parent::*[self::eg:egXML or self::tei:eg]
          and (. &lt;&lt; $first or . &gt;&gt; $last)"/>
      <xsl:when test="parent::*[self::eg:egXML or self::tei:eg]">
        <xsl:value-of select="if (exists($first) and . &lt;&lt; $first) then replace($escaped, '^\s*\n', '')
          else if (exists($last) and . &gt;&gt; $last) then replace($escaped, '\n\s*$', '') else $escaped"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$escaped"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:eg/text()" mode="te:markup" priority="2">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <xsl:value-of select="if ($indent gt 0) then replace(., '\n[ \t]{1,' || $indent || '}', '&#10;') else string(.)"/>
  </xsl:template>

  <xsl:template match="comment()" mode="te:markup">{'&lt;!--' || . || '--&gt;'}</xsl:template>
  <xsl:template match="processing-instruction()" mode="te:markup">{'&lt;?' || name() || ' ' || . || '?&gt;'}</xsl:template>

</xsl:stylesheet>
