<?xml version="1.0" encoding="UTF-8"?>
<!--
  print/text.xsl: what print draws differently from the web inside a text.
  - ids: the prefixed anchor (te:anchor) or, for a name, its mention id (te:mention), the
    target of the index's page numbers; never a bare xml:id, which may recur across documents;
  - headings: h1 is the part's title, so a division's head is h2 and below ($shift lifts the
    front matter's nested divisions one level);
  - names and dates: plain text (html.xsl's spans), no popovers, no links;
  - the edition's interventions: corrections and regularisations print the edition's reading
    with the source reading in an editorial footnote (print/notes.xsl); supplied text in
    square brackets.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:template name="te:attributes">
    <xsl:param name="extra-class" as="xs:string?" select="()"/>
    <xsl:variable name="id" select="(@te:anchor, @te:mention)[1]"/>
    <xsl:if test="exists($id)">
      <xsl:attribute name="id" select="$id"/>
    </xsl:if>
    <xsl:attribute name="class" select="string-join((te:classes(.), $extra-class,
      'has-fn'[current()/(self::tei:p | self::tei:ab)//(tei:note | tei:choice[@te:mark])],
      'fn-break'[exists($breaks) and exists(key('te:page', string(current()/@te:anchor), $breaks))]), ' ')"/>
    <xsl:if test="@xml:lang">
      <xsl:attribute name="lang" select="@xml:lang"/>
    </xsl:if>
  </xsl:template>

  <!-- html.xsl's span, left out where print shows nothing of it: no anchor, no language and
       no class print.css styles (te:plain-in-print). Its content stays. Each
       span is one more box for WeasyPrint to lay out: a text lays out about a fifth faster
       without them, and the pages are the same. -->
  <xsl:template name="te:span">
    <xsl:param name="html" as="xs:string" select="'span'"/>
    <xsl:param name="extra-class" as="xs:string?" select="()"/>
    <xsl:choose>
      <xsl:when test="$html = 'span' and te:unstyled-in-print(., $extra-class)">
        <xsl:apply-templates mode="te:body">
          <xsl:with-param name="inline" tunnel="yes" select="true()"/>
        </xsl:apply-templates>
      </xsl:when>
      <xsl:otherwise>
        <xsl:element name="{$html}">
          <xsl:call-template name="te:attributes">
            <xsl:with-param name="extra-class" select="string-join(($extra-class,
              'te-mark'[$html = 'span' and te:mark-only(current(), $extra-class)]), ' ')[.]"/>
          </xsl:call-template>
          <xsl:apply-templates mode="te:body">
            <xsl:with-param name="inline" tunnel="yes" select="true()"/>
          </xsl:apply-templates>
        </xsl:element>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The classes of html.xsl's spans that print.css does not style (names, dates, parts of
       a citation): te:span leaves such a span out when it carries no anchor or
       language (te:unstyled-in-print), in the text and in its footnotes. -->
  <xsl:variable name="te:plain-in-print" as="xs:string+" select="('tei-persName', 'tei-placeName',
    'tei-orgName', 'tei-geogName', 'tei-rs', 'tei-name', 'tei-roleName', 'tei-forename',
    'tei-surname', 'tei-date', 'tei-author', 'tei-editor', 'tei-publisher', 'tei-pubPlace',
    'tei-biblScope', 'tei-bibl', 'tei-corr', 'tei-reg')"/>

  <xsl:function name="te:unstyled-in-print" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:param name="extra-class" as="xs:string?"/>
    <xsl:sequence select="empty($el/(@te:anchor | @te:mention | @xml:lang))
      and te:plain-classes($el, $extra-class)"/>
  </xsl:function>

  <!-- A name print shows as plain text that the index needs the page of: its span is marked
       (te-mark), and pdf.py takes it out before layout and finds its page from the laid-out
       text (tei_edition.marks), which spares WeasyPrint a box per name. -->
  <xsl:function name="te:mark-only" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:param name="extra-class" as="xs:string?"/>
    <xsl:sequence select="exists($el/@te:mention) and empty($el/(@te:anchor | @xml:lang))
      and te:plain-classes($el, $extra-class)"/>
  </xsl:function>

  <xsl:function name="te:plain-classes" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:param name="extra-class" as="xs:string?"/>
    <xsl:sequence select="every $token in tokenize(string-join((te:classes($el), $extra-class), ' '))
      satisfies ($token = $te:plain-in-print or starts-with($token, 'type-'))"/>
  </xsl:function>

  <!-- html.xsl's block, with the calls of the notes that follow a block quotation or verse
       (print/notes.xsl, te:note-host) at the end of its last paragraph or line. -->
  <xsl:template name="te:block">
    <xsl:param name="html" as="xs:string" select="'div'"/>
    <xsl:param name="extra-class" as="xs:string?" select="()"/>
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:param name="content" as="node()*" select="node()"/>
    <xsl:element name="{if ($inline) then 'span' else $html}">
      <xsl:call-template name="te:attributes">
        <xsl:with-param name="extra-class" select="string-join(($extra-class, 'as-block'[$inline]), ' ')[.]"/>
      </xsl:call-template>
      <xsl:apply-templates select="$content" mode="te:body">
        <xsl:with-param name="inline" tunnel="yes"
          select="$inline or $html = ('p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'span', 'dt',
                  'figcaption', 'caption', 'legend', 'cite')"/>
      </xsl:apply-templates>
      <xsl:if test="self::tei:p or self::tei:ab or self::tei:l">
        <xsl:apply-templates select="te:hosted-notes(.)" mode="te:hosted">
          <xsl:with-param name="inline" tunnel="yes" select="true()"/>
        </xsl:apply-templates>
      </xsl:if>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:head" mode="te:body">
    <xsl:param name="shift" as="xs:integer" tunnel="yes" select="0"/>
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'h' || max((2, te:heading-level(.) - $shift))"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A caption-like head (of a list, table, figure…) stays a caption, as on the web. -->
  <xsl:template match="tei:head[parent::tei:list | parent::tei:lg | parent::tei:listBibl
      | parent::tei:listPerson | parent::tei:listPlace | parent::tei:listOrg | parent::tei:figure
      | parent::tei:table | parent::tei:sp]" mode="te:body" priority="2">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'p'"/>
      <xsl:with-param name="extra-class" select="'caption'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- Links inside the book stay links; links out of it print their text. -->
  <xsl:template match="tei:ref[@te:href] | tei:ptr[@te:href]" mode="te:body">
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:element name="{if ($in-link) then 'span' else 'a'}">
      <xsl:if test="not($in-link)"><xsl:attribute name="href" select="@te:href"/></xsl:if>
      <xsl:call-template name="te:attributes"/>
      <xsl:apply-templates mode="te:body">
        <xsl:with-param name="inline" tunnel="yes" select="true()"/>
        <xsl:with-param name="in-link" tunnel="yes" select="true()"/>
      </xsl:apply-templates>
      <xsl:if test="self::tei:ptr"><span class="url">{@te:href}</span></xsl:if>
    </xsl:element>
  </xsl:template>

  <!-- A pointer inside the book: to a note it adds nothing (the call stands beside it),
       elsewhere it gives the page. -->
  <xsl:template match="tei:ptr[starts-with(@te:href, '#')]" mode="te:body" priority="2">
    <xsl:variable name="target" select="key('te:anchored', substring(@te:href, 2))"/>
    <xsl:if test="not($target/self::tei:note)">
      <a class="ptr-page pg-auto" href="{@te:href}"/>
    </xsl:if>
  </xsl:template>

  <!-- Corrections and regularisations: the edition's reading, then the editorial footnote. -->
  <xsl:template match="tei:choice[@te:mark]" mode="te:body">
    <xsl:apply-templates select="(tei:corr, tei:reg, tei:abbr, tei:expan)[1]" mode="te:body"/>
    <xsl:call-template name="te:footnote">
      <xsl:with-param name="id" select="string(@te:mark-id)"/>
      <xsl:with-param name="mark" select="string(@te:mark)"/>
      <xsl:with-param name="editorial" select="true()"/>
      <xsl:with-param name="body" as="node()*">
        <xsl:call-template name="te:source-reading"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- An apparatus entry (app): the lemma in the text, the entry as an editorial footnote, as
       a critical apparatus stands at the foot of the page ("excommunicatione Aa Bc;
       excomunicatione P"); inside a note it stays in brackets (html.xsl's). -->
  <xsl:template match="tei:app[@te:mark]" mode="te:body">
    <xsl:variable name="readings" select="(tei:lem | tei:rdg | tei:rdgGrp/(tei:lem | tei:rdg))"/>
    <xsl:variable name="main" select="(tei:lem, tei:rdgGrp/tei:lem, $readings)[1]"/>
    <xsl:apply-templates select="$main" mode="te:body"/>
    <xsl:call-template name="te:footnote">
      <xsl:with-param name="id" select="string(@te:mark-id)"/>
      <xsl:with-param name="mark" select="string(@te:mark)"/>
      <xsl:with-param name="editorial" select="true()"/>
      <xsl:with-param name="body" as="node()*">
        <span class="app-entry">
          <xsl:for-each select="$readings">
            <xsl:if test="position() > 1">; </xsl:if>
            <xsl:apply-templates select="." mode="te:app-entry">
              <xsl:with-param name="main" select=". is $main"/>
            </xsl:apply-templates>
          </xsl:for-each>
          <xsl:apply-templates select="* except ($readings, tei:rdgGrp)" mode="te:body">
            <xsl:with-param name="inline" tunnel="yes" select="true()"/>
          </xsl:apply-templates>
        </span>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- In a footnote there is no footnote of a footnote: the source reading follows in brackets. -->
  <xsl:template match="tei:choice[tei:corr | tei:reg | tei:expan][ancestor::tei:note]" mode="te:body" priority="2">
    <span class="tei-choice">
      <xsl:apply-templates select="(tei:corr, tei:reg, tei:abbr, tei:expan)[1]" mode="te:body"/>
      <span class="src-inline"> [<xsl:call-template name="te:source-reading"/>]</span>
    </span>
  </xsl:template>

  <xsl:template name="te:source-reading">
    <xsl:variable name="ed" select="(tei:corr, tei:reg)[1]"/>
    <xsl:choose>
      <!-- An abbreviation, printed as the source has it (as on the web): its expansion. -->
      <xsl:when test="empty($ed) and tei:abbr and tei:expan">
        <xsl:text>Abbreviation of </xsl:text>
        <span class="src-reading">
          <xsl:apply-templates select="tei:expan[1]/node()" mode="te:body">
            <xsl:with-param name="inline" tunnel="yes" select="true()"/>
          </xsl:apply-templates>
        </span>
        <xsl:text>.</xsl:text>
      </xsl:when>
      <xsl:when test="empty($ed)">
        <xsl:text>Expanded from an abbreviation.</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="te:edition-reading">
          <xsl:with-param name="ed" select="$ed"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="te:edition-reading">
    <xsl:param name="ed" as="element()"/>
    <xsl:variable name="src" select="(tei:sic, tei:orig, tei:choice)"/>
    <xsl:text>{if ($ed/self::tei:corr) then 'Corrected' else 'Regularised'}; </xsl:text>
    <xsl:choose>
      <xsl:when test="exists($src)">
        <xsl:text>the source reads </xsl:text>
        <span class="src-reading">
          <xsl:apply-templates select="$src/node()" mode="te:body">
            <xsl:with-param name="inline" tunnel="yes" select="true()"/>
          </xsl:apply-templates>
        </span>
      </xsl:when>
      <xsl:otherwise>not in the source</xsl:otherwise>
    </xsl:choose>
    <xsl:if test="$ed/(@resp, @cert)">
      <xsl:text> ({string-join(($ed/@resp ! ('by ' || replace(normalize-space(.), '(^|\s)#', '$1')), $ed/@cert ! ('certainty: ' || .)), '; ')})</xsl:text>
    </xsl:if>
    <xsl:text>.</xsl:text>
  </xsl:template>

  <xsl:template match="tei:corr | tei:reg | tei:sic | tei:orig | tei:abbr | tei:expan" mode="te:body">
    <xsl:call-template name="te:span"/>
  </xsl:template>

  <!-- Other choices: the source's own form (abbreviation, original spelling); never a reading
       dropped: alternatives that are neither are all printed, separated by a bar. -->
  <xsl:template match="tei:choice" mode="te:body">
    <span class="tei-choice">
      <xsl:for-each select="*[not(self::tei:expan | self::tei:reg | self::tei:corr)]">
        <xsl:if test="position() > 1"> | </xsl:if>
        <xsl:apply-templates select="." mode="te:body"/>
      </xsl:for-each>
    </span>
  </xsl:template>

  <!-- Supplied text in square brackets, the letters of an expanded abbreviation in round
       ones (the Leiden conventions: "b(ilibres)" is no restored loss). -->
  <xsl:template match="tei:supplied | tei:ex" mode="te:body">
    <span class="{te:classes(.)} ed">{if (self::tei:ex) then '(' else '['}<xsl:apply-templates mode="te:body">
        <xsl:with-param name="inline" tunnel="yes" select="true()"/>
      </xsl:apply-templates>{if (self::tei:ex) then ')' else ']'}</span>
  </xsl:template>

  <!-- A word of 40 letters and more (a number, a hash, a URL): not hyphenated (print.css,
       .long-word), which would take WeasyPrint minutes for a word of thousands of letters. -->
  <xsl:template match="text()[matches(., '\S{40}')]" mode="te:body" priority="0.3">
    <xsl:analyze-string select="." regex="\S{{40,}}">
      <!-- In pieces of 40 letters: WeasyPrint lays the rest of a word out again for each
           line it breaks off it, so a word of 100,000 letters would take hours whole. -->
      <xsl:matching-substring>
        <xsl:variable name="word" select="."/>
        <span class="long-word"><xsl:for-each select="0 to (string-length($word) - 1) idiv 40">
          <span>{substring($word, . * 40 + 1, 40)}</span></xsl:for-each></span>
      </xsl:matching-substring>
      <xsl:non-matching-substring>{.}</xsl:non-matching-substring>
    </xsl:analyze-string>
  </xsl:template>

  <!-- White space ending a table cell is left out: WeasyPrint 70 measures a cell's width
       without it but lays the cell out with it, and so breaks the cell's last line needlessly
       ("Mountain / flowers." in a column wide enough for both words). -->
  <xsl:template match="tei:cell/text()[not(following-sibling::node())]" mode="te:body">
    <xsl:value-of select="replace(., '\s+$', '')"/>
  </xsl:template>

</xsl:stylesheet>
