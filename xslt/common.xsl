<?xml version="1.0" encoding="UTF-8"?>
<!--
  common.xsl: what an element *is*, shared by every output format.

  The Python side (tei_edition.site) hands each page a copy of its TEI in which every decision
  that needs the whole edition is already made, as attributes in the project namespace
  (urn:tei-edition, prefix te:):
    te:anchor    the stable anchor of a paragraph, note or block (model.py)
    te:href      a safe link: a register entry, an in-page or in-site anchor, or an outside
                 http(s)/mailto URL (javascript:, data: and the like never get one)
    te:external  "true" when te:href leaves the site
    te:kind      person | place | org | work for a name that points at a register entry
    te:key       the register entry key (for the popover)
    te:label     a date as historians write it ("9 (22) October 1917")
    te:iso       a machine-readable date for <time datetime>
    te:n         a note's number as in the source; te:call the id of its call
    te:place     "end" for a note listed at the end, "inline" for a note read in place
    te:editorial "true" for the edition's own notes
    te:src       a safe local image URL
  The stylesheets never read the corpus themselves.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- Elements that are paragraph-like or larger: drawn as blocks unless inside a paragraph. -->
  <xsl:function name="te:is-block" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="exists($el/(self::tei:p | self::tei:ab | self::tei:div | self::tei:lg
      | self::tei:list | self::tei:listBibl | self::tei:listWit | self::tei:table | self::tei:figure
      | self::tei:floatingText | self::tei:sp | self::tei:opener | self::tei:closer
      | self::tei:postscript | self::tei:epigraph | self::tei:head | self::tei:quote[tei:p | tei:lg]
      | self::tei:cit[.//tei:p | .//tei:lg])) or exists($el//(tei:p | tei:div | tei:lg | tei:ab))"/>
  </xsl:function>

  <!-- The heading level of a div's head: h2 for a top division (h1 is the page title). -->
  <xsl:function name="te:heading-level" as="xs:integer">
    <xsl:param name="head" as="element()"/>
    <xsl:variable name="depth" select="count($head/ancestor::*[self::tei:div or matches(local-name(), '^div[1-7]$')
      or self::tei:floatingText])"/>
    <xsl:sequence select="min((max((2, $depth + 1)), 6))"/>
  </xsl:function>

  <!-- The class names of an element: TEI's own name stays visible to CSS (tei-persName). -->
  <xsl:function name="te:classes" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="string-join(('tei-' || local-name($el),
      $el/@type ! ('type-' || replace(normalize-space(.), '[^A-Za-z0-9_-]+', '-')),
      $el/@rend ! tokenize(.) ! ('rend-' || replace(., '[^A-Za-z0-9_-]+', '-')),
      $el/@rendition ! tokenize(.) ! ('rendition-' || replace(., '[^A-Za-z0-9_-]+', '-'))), ' ')"/>
  </xsl:function>

  <!-- A well-formed language tag (BCP 47 shape); anything else is not copied into @lang. -->
  <xsl:function name="te:is-language" as="xs:boolean">
    <xsl:param name="value" as="xs:string?"/>
    <xsl:sequence select="exists($value) and matches($value, '^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$')"/>
  </xsl:function>

  <!-- The human name of a register kind. -->
  <xsl:function name="te:kind-name" as="xs:string">
    <xsl:param name="kind" as="xs:string?"/>
    <xsl:sequence select="
      if ($kind = 'person') then 'Person'
      else if ($kind = 'place') then 'Place'
      else if ($kind = 'org') then 'Organisation'
      else if ($kind = 'work') then 'Work'
      else 'Name'"/>
  </xsl:function>

  <!-- An id safe to use as an HTML id fragment for a popover of a register entry. -->
  <xsl:function name="te:pop-id" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="'pop-' || replace($key, '\s+', '_')"/>
  </xsl:function>

</xsl:stylesheet>
