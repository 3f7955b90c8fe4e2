<?xml version="1.0" encoding="UTF-8"?>
<!--
  print/indexes.xsl: the index of persons, the index of places and the bibliography, from the
  $indexes parameter. Each page number is a link to a mention (its id, set in the text by
  te:mention) whose number is the page Python found in a first layout (or, failing that, WeasyPrint's
  target-counter, in print.css); Python has already merged the mentions of one entry that fall on the same page.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:template match="te:index" mode="te:part">
    <xsl:param name="book-title" as="xs:string" tunnel="yes"/>
    <section class="part part-index index-{@kind}" data-left="{$book-title}" data-right="{@title}">
      <h1 id="{@id}">{@title}</h1>
      <div class="index-entries">
        <xsl:for-each-group select="te:entry" group-adjacent="upper-case(substring(normalize-unicode(@name, 'NFD'), 1, 1))">
          <xsl:if test="../@kind != 'work'">
            <h3 class="index-letter">{current-grouping-key()}</h3>
          </xsl:if>
          <xsl:apply-templates select="current-group()" mode="te:part"/>
        </xsl:for-each-group>
      </div>
    </section>
  </xsl:template>

  <!-- Name, dates and page numbers as text of the entry, in no span of their own: print.css
       styles none of them, and each span is a box more for WeasyPrint. -->
  <xsl:template match="te:entry" mode="te:part">
    <p class="index-entry" id="{@id}">
      <xsl:value-of select="@name"/>
      <xsl:if test="normalize-space(@dates)"> ({@dates})</xsl:if>
      <xsl:if test="te:ref">
        <xsl:text>{if (../@kind = 'work') then ' Cited: ' else ' '}</xsl:text>
        <xsl:for-each select="te:ref">
          <xsl:if test="position() > 1">, </xsl:if>
          <xsl:choose>
            <xsl:when test="@page"><a class="pg" href="#{@target}">{@page}</a></xsl:when>
            <xsl:otherwise><a class="pg pg-auto" href="#{@target}"/></xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
      </xsl:if>
    </p>
  </xsl:template>

</xsl:stylesheet>
