<?xml version="1.0" encoding="UTF-8"?>
<!--
  print/book.xsl: the book. Title page, contents, then the parts: the front matter (each
  top-level division of the edition's front document, then its editorial principles from the
  TEI header), the texts, the indexes. Every part starts a page and sets the running heads
  (data-left: author or edition title, data-right: part title; print.css reads them with
  string-set). The contents and the PDF bookmarks come from the same headings: h1 and h2
  with an id.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:template match="/te:book">
    <xsl:variable name="book-title" select="string(@title)"/>
    <xsl:variable name="front" as="element()*">
      <xsl:apply-templates select="te:front/te:document" mode="te:part">
        <xsl:with-param name="book-title" select="$book-title" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:variable>
    <!-- The main matter: the front matter's parts, then one part per text. A 'part' layout
         transforms only the text it prints (a book is laid out part by part: pdf.py). -->
    <xsl:variable name="texts" select="te:texts/te:document"/>
    <xsl:variable name="main" as="element()*">
      <xsl:choose>
        <!-- Not made where nothing shows it (Saxon may evaluate it all the same): the back
             matter, and the contents of a book laid out part by part, read from the parts'
             own HTML. -->
        <xsl:when test="$part = 'back' or (exists($parts) and $part = ('opening', 'toc'))"/>
        <xsl:when test="$part = 'part'">
          <xsl:sequence select="$front[$piece]"/>
          <xsl:apply-templates select="$texts[$piece - count($front)]" mode="te:part">
            <xsl:with-param name="book-title" select="$book-title" tunnel="yes"/>
          </xsl:apply-templates>
        </xsl:when>
        <xsl:otherwise>
          <xsl:sequence select="$front"/>
          <xsl:apply-templates select="$texts" mode="te:part">
            <xsl:with-param name="book-title" select="$book-title" tunnel="yes"/>
          </xsl:apply-templates>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="back" as="element()*">
      <xsl:apply-templates select="$indexes/te:indexes/te:index" mode="te:part">
        <xsl:with-param name="book-title" select="$book-title" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:variable>
    <html lang="{@lang}">
      <head>
        <meta charset="utf-8"/>
        <title>{@title}</title>
        <meta name="author" content="{@author}"/>
        <meta name="description" content="{@subject}"/>
        <meta name="keywords" content="{@keywords}"/>
        <meta name="generator" content="tei-edition"/>
      </head>
      <body class="book book-{@kind}" data-parts="{count($front) + count($texts)}">
        <xsl:if test="$part = ('all', 'opening', 'toc')">
          <xsl:apply-templates select="." mode="te:titlepage"/>
          <nav class="toc" id="contents" aria-label="Contents">
            <h1 class="toc-title">Contents</h1>
            <ol class="toc-list">
              <xsl:apply-templates select="$parts/te:parts/*:html/*:body/*, $main, $back"
                mode="te:outline"/>
            </ol>
          </nav>
        </xsl:if>
        <xsl:if test="$part = 'all'">
          <xsl:apply-templates select="$main" mode="te:running"/>
        </xsl:if>
        <!-- A piece laid out alone starts with a page that pdf.py drops when the piece must
             start on a left page (print.css shows the spacer then), so that its HTML does not
             depend on where it starts. -->
        <xsl:if test="$part = 'part'">
          <div class="spacer"/>
          <xsl:apply-templates select="$main" mode="te:running"/>
        </xsl:if>
        <xsl:if test="$part = ('all', 'back')">
          <xsl:if test="$part = 'back'"><div class="spacer"/></xsl:if>
          <xsl:apply-templates select="$back" mode="te:running"/>
        </xsl:if>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="te:book" mode="te:titlepage">
    <section class="titlepage" id="titlepage">
      <h1 class="book-title">{@title}</h1>
      <xsl:if test="normalize-space(@subtitle)">
        <p class="book-subtitle">{@subtitle}</p>
      </xsl:if>
      <xsl:for-each select="te:responsible">
        <p class="book-responsible">
          <xsl:if test="normalize-space(@role)"><span class="role">{@role}</span>{' '}</xsl:if>
          <span class="names">{.}</span>
        </p>
      </xsl:for-each>
      <xsl:if test="normalize-space(@part-of)">
        <p class="book-part-of">From <i>{@part-of}</i></p>
      </xsl:if>
      <xsl:if test="normalize-space(@date)">
        <p class="book-date">{@date}</p>
      </xsl:if>
    </section>
  </xsl:template>

  <!-- The page a previous layout put an id on, if Python passed it. -->
  <xsl:function name="te:page-of" as="xs:string?">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="if (exists($pages)) then key('te:page', $id, $pages)[1]/@n/string() else ()"/>
  </xsl:function>

  <!-- The running heads of a part: an invisible first line whose text print.css takes with
       string-set (WeasyPrint reads content(), not attr(), there). -->
  <xsl:template match="*:section[@data-left]" mode="te:running">
    <xsl:copy>
      <xsl:sequence select="@*"/>
      <div class="running" aria-hidden="true">
        <span class="run-left">{@data-left}</span>
        <span class="run-right">{@data-right}</span>
      </div>
      <xsl:sequence select="node()"/>
    </xsl:copy>
  </xsl:template>

  <!-- The front matter: one part per top-level division; loose content makes one part. -->
  <xsl:template match="te:front/te:document" mode="te:part">
    <xsl:param name="book-title" as="xs:string" tunnel="yes"/>
    <xsl:variable name="doc" select="."/>
    <xsl:variable name="text" select="tei:TEI/tei:text"/>
    <xsl:for-each-group select="$text/(tei:front | tei:body | tei:back)/node()[self::* or normalize-space()]"
        group-adjacent="boolean(self::tei:div | self::tei:div1)">
      <xsl:choose>
        <xsl:when test="current-grouping-key()">
          <xsl:for-each select="current-group()">
            <xsl:variable name="title" select="if (tei:head) then normalize-space(string-join(tei:head[1]/(text() | *[not(self::tei:note)]), ''))
              else te:part-label(@type, $doc/@title)"/>
            <section class="part part-front {te:classes(.)}" data-left="{$book-title}" data-right="{$title}">
              <h1 id="{(tei:head[1]/@te:anchor, @te:anchor || '-head')[1]}">
                <xsl:choose>
                  <xsl:when test="tei:head">
                    <xsl:apply-templates select="tei:head[1]/node()" mode="te:body">
                      <xsl:with-param name="inline" select="true()" tunnel="yes"/>
                    </xsl:apply-templates>
                  </xsl:when>
                  <xsl:otherwise>{$title}</xsl:otherwise>
                </xsl:choose>
              </h1>
              <div id="{@te:anchor}" class="part-body">
                <xsl:apply-templates select="node() except tei:head[1]" mode="te:body">
                  <xsl:with-param name="shift" select="1" tunnel="yes"/>
                </xsl:apply-templates>
              </div>
            </section>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise>
          <section class="part part-front" data-left="{$book-title}" data-right="{$doc/@title}">
            <h1 id="{$doc/@slug}--part-{position()}">{$doc/@title}</h1>
            <xsl:apply-templates select="current-group()" mode="te:body">
              <xsl:with-param name="shift" select="1" tunnel="yes"/>
            </xsl:apply-templates>
          </section>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each-group>
    <!-- The editorial principles, from the header, unless the front text already has them. -->
    <xsl:variable name="decl" select="tei:TEI/tei:teiHeader/tei:encodingDesc/tei:editorialDecl"/>
    <xsl:if test="exists($decl) and not($text//tei:div[matches(@type, 'princip|editorial|method', 'i')])">
      <section class="part part-front part-principles" data-left="{$book-title}" data-right="Editorial principles">
        <h1 id="{@slug}--principles">Editorial principles</h1>
        <xsl:apply-templates select="$decl" mode="te:principles">
          <xsl:with-param name="slug" select="string(@slug)" tunnel="yes"/>
        </xsl:apply-templates>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:function name="te:part-label" as="xs:string">
    <xsl:param name="type" as="xs:string?"/>
    <xsl:param name="fallback" as="xs:string"/>
    <xsl:sequence select="if (normalize-space($type)) then upper-case(substring($type, 1, 1)) || substring($type, 2) else $fallback"/>
  </xsl:function>

  <!-- editorialDecl: its paragraphs, each kind of decision (correction, normalization…) under
       its own heading. -->
  <xsl:template match="tei:editorialDecl" mode="te:principles">
    <xsl:apply-templates select="*" mode="te:principles"/>
  </xsl:template>

  <xsl:template match="tei:editorialDecl/tei:p" mode="te:principles">
    <xsl:apply-templates select="." mode="te:body"/>
  </xsl:template>

  <xsl:template match="tei:editorialDecl/*" mode="te:principles">
    <xsl:param name="slug" as="xs:string" tunnel="yes"/>
    <xsl:variable name="labels" select="map{'correction': 'Corrections', 'normalization': 'Normalisation',
      'quotation': 'Quotation', 'hyphenation': 'Hyphenation', 'segmentation': 'Segmentation',
      'interpretation': 'Interpretation', 'punctuation': 'Punctuation', 'stdVals': 'Standard values'}"/>
    <section class="principle {te:classes(.)}">
      <h2 id="{$slug}--principles-{count(preceding-sibling::*) + 1}">{($labels(local-name()), te:part-label(local-name(), ''))[1]}</h2>
      <xsl:apply-templates select="node()" mode="te:body"/>
    </section>
  </xsl:template>

  <!-- A text: its title, author and source, then the text itself. -->
  <xsl:template match="te:texts/te:document" mode="te:part">
    <xsl:param name="book-title" as="xs:string" tunnel="yes"/>
    <xsl:variable name="lang" select="(tei:TEI/tei:text/@xml:lang, tei:TEI/@xml:lang)[1]"/>
    <section class="part part-text" data-left="{(@author[normalize-space()], $book-title)[1]}" data-right="{@title}">
      <xsl:if test="$lang"><xsl:attribute name="lang" select="$lang"/></xsl:if>
      <header class="text-head">
        <h1 id="{@slug}--title" class="text-title">{@title}</h1>
        <xsl:if test="normalize-space(@author)">
          <p class="text-author">{@author}</p>
        </xsl:if>
        <!-- A manuscript description or a list of witnesses is printed as the web edition
             shows it (html/text.xsl, mode te:header): the shelfmark, then each part of the
             description under its name; any other source is its citation on one line. -->
        <xsl:variable name="described" select="tei:TEI/tei:teiHeader/tei:fileDesc/tei:sourceDesc[tei:msDesc | tei:listWit]"/>
        <xsl:choose>
          <xsl:when test="exists($described)">
            <section class="text-source-desc">
              <p class="source-title">Source</p>
              <xsl:for-each select="te:source">
                <p>{.}</p>
              </xsl:for-each>
              <xsl:apply-templates select="$described/(tei:msDesc | tei:listWit)" mode="te:header"/>
            </section>
          </xsl:when>
          <xsl:otherwise>
            <xsl:for-each select="te:source">
              <p class="text-source">{.}</p>
            </xsl:for-each>
          </xsl:otherwise>
        </xsl:choose>
      </header>
      <xsl:apply-templates select="tei:TEI/tei:text, tei:TEI/tei:standOff" mode="te:body">
        <xsl:with-param name="shift" select="0" tunnel="yes"/>
      </xsl:apply-templates>
    </section>
  </xsl:template>

  <!-- The outline: contents entries for the parts (h1) and their sections (h2). -->
  <xsl:template match="*:h1[@id] | *:h2[@id]" mode="te:outline">
    <xsl:variable name="page" select="te:page-of(@id)"/>
    <li class="toc-{local-name()}">
      <a href="#{@id}">
        <!-- Known page: printed as is. First layout: a placeholder of the same width. -->
        <xsl:choose>
          <xsl:when test="exists($page)"><xsl:attribute name="data-page" select="$page"/></xsl:when>
          <xsl:when test="$part = 'opening'"><xsl:attribute name="data-page" select="'000'"/></xsl:when>
          <xsl:otherwise><xsl:attribute name="class" select="'toc-auto'"/></xsl:otherwise>
        </xsl:choose>
        <xsl:apply-templates mode="te:outline-text"/>
      </a>
    </li>
  </xsl:template>

  <xsl:template match="*[contains-token(@class, 'fn') or contains-token(@class, 'fn-call')
      or contains-token(@class, 'tei-pb')]" mode="te:outline te:outline-text" priority="2"/>

  <!-- A heading with no words (an empty head) has no entry. -->
  <xsl:template match="*:h1[@id][not(normalize-space())] | *:h2[@id][not(normalize-space())]"
      mode="te:outline" priority="2"/>

  <xsl:template match="text()" mode="te:outline-text">
    <xsl:value-of select="."/>
  </xsl:template>

</xsl:stylesheet>
