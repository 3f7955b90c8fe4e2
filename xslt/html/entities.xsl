<?xml version="1.0" encoding="UTF-8"?>
<!--
  entities.xsl: persons, places, organisations and works named in a text, and dates.
  A name that points at a register entry is a link to the entry with a popover (standard name,
  life dates, description, link), shown on hover, keyboard focus and tap by assets/edition.js.
  A date shows its normalised value, with both styles for an Old Style date.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- A name pointing at a register entry (Python resolved it: te:key, te:kind, te:href). -->
  <xsl:template match="tei:*[@te:key][@te:href]" mode="te:body" priority="10">
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="pop" select="te:pop-id(@te:key)"/>
    <xsl:element name="{if ($in-link) then 'span' else 'a'}">
      <xsl:if test="not($in-link)">
        <xsl:attribute name="href" select="@te:href"/>
      </xsl:if>
      <xsl:call-template name="te:attributes">
        <xsl:with-param name="extra-class" select="'ent ent-' || @te:kind"/>
      </xsl:call-template>
      <xsl:attribute name="data-pop" select="$pop"/>
      <xsl:attribute name="data-key" select="@te:key"/>
      <xsl:attribute name="aria-describedby" select="$pop"/>
      <xsl:apply-templates mode="te:body">
        <xsl:with-param name="inline" tunnel="yes" select="true()"/>
        <xsl:with-param name="in-link" tunnel="yes" select="true()"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- A reference with no words of its own (the source line of an extract holding only a
       <ptr> to the note that cites it): the edition writes the entry's name as the link to
       the register and keeps the pointer as its own link. All of it is the edition's. -->
  <xsl:template match="tei:*[@te:key][@te:href][not(normalize-space(.))]" mode="te:body" priority="11">
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="pop" select="te:pop-id(@te:key)"/>
    <span class="{te:classes(.)} ent ent-{@te:kind} ed">
      <xsl:if test="@te:anchor | @xml:id">
        <xsl:attribute name="id" select="(@te:anchor, @xml:id)[1]"/>
      </xsl:if>
      <xsl:element name="{if ($in-link) then 'span' else 'a'}">
        <xsl:if test="not($in-link)">
          <xsl:attribute name="href" select="@te:href"/>
        </xsl:if>
        <xsl:attribute name="data-pop" select="$pop"/>
        <xsl:attribute name="data-key" select="@te:key"/>
        <xsl:attribute name="aria-describedby" select="$pop"/>
        <xsl:value-of select="key('entry', @te:key, $registers)/@name"/>
      </xsl:element>
      <xsl:if test="*">
        <xsl:apply-templates mode="te:body">
          <xsl:with-param name="inline" tunnel="yes" select="true()"/>
        </xsl:apply-templates>
      </xsl:if>
    </span>
  </xsl:template>

  <!-- A name whose pointer leaves the edition (an authority file): an outside link. -->
  <xsl:template match="tei:*[@te:kind][@te:href][@te:external = 'true'][not(@te:key)]" mode="te:body" priority="9">
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:element name="{if ($in-link) then 'span' else 'a'}">
      <xsl:if test="not($in-link)">
        <xsl:attribute name="href" select="@te:href"/>
        <xsl:attribute name="rel">noopener noreferrer</xsl:attribute>
      </xsl:if>
      <xsl:call-template name="te:attributes">
        <xsl:with-param name="extra-class" select="'ent ent-' || @te:kind"/>
      </xsl:call-template>
      <xsl:apply-templates mode="te:body">
        <xsl:with-param name="inline" tunnel="yes" select="true()"/>
        <xsl:with-param name="in-link" tunnel="yes" select="true()"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- A name with no register entry: still marked for the highlight switches. -->
  <xsl:template match="tei:*[@te:kind][not(@te:href)]" mode="te:body" priority="8">
    <xsl:call-template name="te:span">
      <xsl:with-param name="extra-class" select="'ent ent-' || @te:kind"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A date with a normalised value: <time>, focusable, with its popover. -->
  <xsl:template match="tei:date[@te:label]" mode="te:body" priority="10">
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="pop" select="string(@te:pop)"/>
    <!-- <time> only with a machine-readable value: HTML requires one. -->
    <xsl:element name="{if (@te:iso) then 'time' else 'span'}">
      <xsl:attribute name="data-pop" select="$pop"/>
      <xsl:attribute name="aria-describedby" select="$pop"/>
      <xsl:attribute name="data-label" select="@te:label"/>
      <!-- Focusable for its popover, except inside a link (HTML forbids it there). -->
      <xsl:if test="not($in-link)">
        <xsl:attribute name="tabindex">0</xsl:attribute>
      </xsl:if>
      <xsl:if test="@te:iso">
        <xsl:attribute name="datetime" select="@te:iso"/>
      </xsl:if>
      <xsl:call-template name="te:attributes">
        <xsl:with-param name="extra-class" select="'ent ent-date' || ' old-style'[current()/@te:julian]"/>
      </xsl:call-template>
      <xsl:apply-templates mode="te:body">
        <xsl:with-param name="inline" tunnel="yes" select="true()"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:date[@te:label]" mode="te:popovers" priority="2">
    <div class="popover-content" id="{@te:pop}" role="tooltip">
      <p class="pop-kind">Date{if (@te:julian) then ' (Old Style, with New Style in brackets)' else ''}</p>
      <p class="pop-name">{@te:label}</p>
    </div>
  </xsl:template>

  <!-- The popover of a register entry (from $registers). -->
  <xsl:template match="te:entry" mode="te:popovers">
    <div class="popover-content" id="{te:pop-id(@key)}" role="tooltip">
      <p class="pop-kind">{te:kind-name(@kind)}</p>
      <p class="pop-name"><strong>{@name}</strong><xsl:if test="normalize-space(@dates)"> ({@dates})</xsl:if></p>
      <xsl:if test="normalize-space(@description)">
        <p class="pop-desc">{@description}</p>
      </xsl:if>
      <xsl:if test="normalize-space(@citation)">
        <p class="pop-desc">{@citation}</p>
      </xsl:if>
      <p class="pop-link"><a href="{@href}" tabindex="-1">Register entry</a></p>
    </div>
  </xsl:template>

</xsl:stylesheet>
