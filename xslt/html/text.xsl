<?xml version="1.0" encoding="UTF-8"?>
<!-- text.xsl: the reading view of one TEI text (one page per TEI document of kind "text"). -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:template match="/tei:TEI">
    <xsl:variable name="title" select="normalize-space(@te:title)"/>
    <xsl:variable name="kinds" select="distinct-values((.//tei:text//@te:kind,
      'date'[current()//tei:text//tei:date[@te:label]]))"/>
    <xsl:call-template name="te:html-page">
      <xsl:with-param name="title" select="$title"/>
      <xsl:with-param name="body-class" select="'page page-text'"/>
      <xsl:with-param name="content">
        <article class="edition-text" aria-labelledby="text-title">
          <xsl:variable name="lang" select="(tei:text/@xml:lang, @xml:lang)[1]"/>
          <xsl:if test="te:is-language($lang)">
            <xsl:attribute name="lang" select="$lang"/>
          </xsl:if>
          <header class="text-header ed">
            <h1 id="text-title">{$title}</h1>
            <xsl:if test="@te:authors[normalize-space()]">
              <p class="byline">{@te:authors}</p>
            </xsl:if>
            <xsl:apply-templates select="tei:teiHeader/tei:fileDesc/tei:sourceDesc" mode="te:header"/>
          </header>
          <div class="text-body">
            <xsl:apply-templates select="tei:text" mode="te:body"/>
          </div>
          <xsl:apply-templates select="tei:standOff" mode="te:body"/>
          <xsl:if test="tei:text//tei:note[@te:place = 'end']">
            <section class="endnotes" role="doc-endnotes" aria-labelledby="notes-title">
              <h2 id="notes-title" class="ed">Notes</h2>
              <xsl:apply-templates select="tei:text//tei:note[@te:place = 'end']" mode="te:endnotes"/>
            </section>
          </xsl:if>
        </article>
      </xsl:with-param>
      <xsl:with-param name="aside">
        <aside class="page-tools ed" aria-label="Contents and reading options">
          <xsl:if test="tei:text//tei:head">
            <nav class="toc" aria-labelledby="toc-title">
              <h2 id="toc-title">Contents</h2>
              <ol>
                <xsl:apply-templates select="tei:text/*" mode="te:toc"/>
              </ol>
            </nav>
          </xsl:if>
          <xsl:variable name="has-readings" select="exists(tei:text//(tei:choice | tei:corr | tei:reg | tei:supplied))"/>
          <xsl:if test="exists($kinds) or $has-readings">
          <form class="switches" aria-labelledby="switches-title">
            <h2 id="switches-title">Reading options</h2>
            <xsl:if test="exists($kinds)">
            <fieldset>
              <legend>Highlight</legend>
              <xsl:for-each select="('person', 'place', 'org', 'work', 'date')">
                <xsl:if test=". = $kinds">
                  <label class="switch switch-{.}">
                    <input type="checkbox" id="hl-{.}" data-highlight="{.}"/>
                    {if (. = 'person') then 'Persons' else if (. = 'place') then 'Places'
                     else if (. = 'org') then 'Organisations' else if (. = 'work') then 'Works'
                     else 'Dates'}
                  </label>
                </xsl:if>
              </xsl:for-each>
            </fieldset>
            </xsl:if>
            <xsl:if test="$has-readings">
              <fieldset>
                <legend>Reading</legend>
                <label class="switch"><input type="checkbox" id="show-source" data-source-reading=""/>
                  Show the text exactly as the source has it</label>
              </fieldset>
            </xsl:if>
          </form>
          </xsl:if>
          <section class="cite" aria-labelledby="cite-title">
            <h2 id="cite-title">Cite this page</h2>
            <p class="citation" data-cite="">
              <xsl:if test="@te:authors[normalize-space()]">{@te:authors}, </xsl:if>
              <span class="cite-title">“{$title}”</span>, in <i>{$site/te:site/@title}</i><xsl:if
                test="$site/te:site/@editors[normalize-space()]">, ed. {$site/te:site/@editors}</xsl:if>,
              <span class="cite-url">{$page}</span> (accessed <span class="cite-date">[date]</span>).
            </p>
            <p class="cite-hint">Every paragraph and note has its own address: follow a link
              to it (from the contents, a register or a note) and this citation names it.</p>
            <xsl:if test="$source-href">
              <p><a href="{$source-href}" type="application/xml">TEI source of this page</a></p>
            </xsl:if>
          </section>
        </aside>
      </xsl:with-param>
      <xsl:with-param name="after">
        <div class="popover-store" hidden="">
          <xsl:for-each select="distinct-values(.//tei:text//@te:key)">
            <xsl:variable name="entry" select="key('entry', ., $registers)"/>
            <xsl:if test="$entry">
              <xsl:apply-templates select="$entry" mode="te:popovers"/>
            </xsl:if>
          </xsl:for-each>
          <xsl:apply-templates select="tei:text//(tei:date[@te:label] | tei:*[@te:pop])" mode="te:popovers"/>
        </div>
        <div id="popover" class="popover" role="tooltip" hidden=""></div>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The source description in the text's header: where the text was first published. -->
  <xsl:template match="tei:sourceDesc" mode="te:header">
    <div class="source-desc">
      <xsl:for-each select="tei:bibl | tei:biblStruct | tei:biblFull">
        <p>Source: {(@te:citation, normalize-space(.))[1]}</p>
      </xsl:for-each>
      <xsl:for-each select="tei:p | tei:ab">
        <p>{normalize-space(.)}</p>
      </xsl:for-each>
      <xsl:apply-templates select="tei:msDesc | tei:listWit" mode="te:header"/>
    </div>
  </xsl:template>

  <!-- A manuscript description (a catalogue record's whole substance): the shelfmark line,
       then each part of the description under its name, every word of it kept. -->
  <xsl:template match="tei:msDesc | tei:msPart" mode="te:header">
    <div class="{te:classes(.)}">
      <xsl:apply-templates select="*" mode="te:header"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:msIdentifier | tei:msDesc/tei:head" mode="te:header">
    <p class="ms-identifier"><strong>{string-join(.//text()[normalize-space()] ! normalize-space(), ', ')}</strong></p>
  </xsl:template>

  <xsl:template match="tei:msDesc/* | tei:msPart/*" mode="te:header" priority="-1">
    <xsl:variable name="labels" select="map{'msContents': 'Contents', 'physDesc': 'Physical description',
      'history': 'History', 'additional': 'Additional information', 'msFrag': 'Fragment', 'p': ''}"/>
    <xsl:if test="normalize-space(.)">
      <p class="ms-section"><xsl:if test="($labels(local-name()), local-name())[1] != ''"><span
        class="ms-label">{($labels(local-name()), local-name())[1]}: </span></xsl:if>{string-join(te:ms-leaves(.) ! te:ms-text(.), '; ')}</p>
    </xsl:if>
  </xsl:template>

  <!-- The statements of a part of a manuscript description: the elements holding words of
       their own (a decoNote, an extent, a p), not the containers around them (decoDesc,
       supportDesc), so that a statement reads as one ("Written by Vincentius Marun at the
       college of St. Martial"), and statements are told apart by "; ". -->
  <xsl:function name="te:ms-leaves" as="element()*">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="if ($el/text()[normalize-space()] or empty($el/*)) then $el[normalize-space()]
      else $el/* ! te:ms-leaves(.)"/>
  </xsl:function>

  <!-- A statement's words, its inline elements' words among them; dimensions as a catalogue
       gives them ("220 × 150 mm"), an incipit or explicit named. -->
  <xsl:function name="te:ms-text" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="label" select="map{'incipit': 'Inc.', 'explicit': 'Expl.', 'rubric': 'Rubric',
      'finalRubric': 'Final rubric', 'colophon': 'Colophon'}(local-name($el))"/>
    <xsl:sequence select="normalize-space(string-join(($label ! (. || ': '), te:ms-words($el)), ''))"/>
  </xsl:function>

  <xsl:function name="te:ms-words" as="xs:string*">
    <xsl:param name="el" as="element()"/>
    <xsl:for-each select="$el/node()">
      <xsl:choose>
        <xsl:when test="self::text()"><xsl:sequence select="string(.)"/></xsl:when>
        <xsl:when test="self::tei:dimensions">
          <xsl:variable name="measures" select="(tei:height, tei:width, tei:depth, tei:dim)[normalize-space()]"/>
          <xsl:sequence select="if (exists($measures) and empty(text()[normalize-space()]))
            then ' ' || string-join($measures ! normalize-space(), ' × ')
                 || (@unit ! (' ' || .)) || (@type ! (' (' || . || ')')) || ' '
            else te:ms-words(.)"/>
        </xsl:when>
        <xsl:when test="self::*"><xsl:sequence select="te:ms-words(.)"/></xsl:when>
      </xsl:choose>
    </xsl:for-each>
  </xsl:function>

  <xsl:template match="tei:listWit" mode="te:header">
    <xsl:apply-templates select="." mode="te:body"/>
  </xsl:template>

  <!-- Table of contents: one entry per division with a heading, nested as in the text. -->
  <xsl:template match="tei:*[tei:head[normalize-space(string-join(.//text()[not(ancestor::tei:note)]))]][@te:anchor]" mode="te:toc">
    <li>
      <xsl:variable name="label" select="normalize-space(string-join(tei:head[1]//text()[not(ancestor::tei:note)], ''))"/>
      <a href="#{@te:anchor}">{if (string-length($label) > 90) then substring($label, 1, 80) || '…' else $label}</a>
      <xsl:if test="*/tei:head">
        <ol><xsl:apply-templates select="*" mode="te:toc"/></ol>
      </xsl:if>
    </li>
  </xsl:template>

  <xsl:template match="tei:front | tei:body | tei:back | tei:group | tei:text" mode="te:toc">
    <xsl:apply-templates select="*" mode="te:toc"/>
  </xsl:template>

</xsl:stylesheet>
