<?xml version="1.0" encoding="UTF-8"?>
<!--
  blocks.xsl: divisions, headings, paragraphs, block quotations, verse, lists, tables, figures,
  letters' openers and closers, drama. Inside a paragraph (tunnel parameter $inline) a block is
  drawn as a <span class="as-block"> so that the HTML stays valid and no text is lost.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- The common attributes: stable anchor (or xml:id) as id, TEI classes, language. -->
  <xsl:template name="te:attributes">
    <xsl:param name="extra-class" as="xs:string?" select="()"/>
    <xsl:variable name="id" select="(@te:anchor, @xml:id)[1]"/>
    <xsl:if test="exists($id)">
      <xsl:attribute name="id" select="$id"/>
    </xsl:if>
    <xsl:attribute name="class" select="string-join((te:classes(.), $extra-class), ' ')"/>
    <xsl:if test="te:is-language(@xml:lang)">
      <xsl:attribute name="lang" select="@xml:lang"/>
    </xsl:if>
  </xsl:template>

  <!-- Draw the current element as HTML element $html, or as a span inside phrasing content. -->
  <xsl:template name="te:block">
    <xsl:param name="html" as="xs:string" select="'div'"/>
    <xsl:param name="extra-class" as="xs:string?" select="()"/>
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:param name="content" as="node()*" select="node()"/>
    <xsl:element name="{if ($inline) then 'span' else $html}">
      <xsl:call-template name="te:attributes">
        <xsl:with-param name="extra-class"
          select="string-join(($extra-class, 'as-block'[$inline]), ' ')[.]"/>
      </xsl:call-template>
      <xsl:apply-templates select="$content" mode="te:body">
        <xsl:with-param name="inline" tunnel="yes"
          select="$inline or $html = ('p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'span', 'dt',
                  'figcaption', 'caption', 'legend', 'cite')"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:text | tei:front | tei:body | tei:back | tei:group" mode="te:body">
    <xsl:call-template name="te:block"/>
  </xsl:template>

  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6
      | tei:div7 | tei:floatingText | tei:titlePage | tei:argument | tei:epigraph" mode="te:body">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'section'"/>
      <xsl:with-param name="content" select="te:div-label(.), node()"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A numbered division with no heading (a poem, a side of a papyrus: div n="5") is headed
       by its number, as scholars cite it: "Poem 5" from its subtype or type, else "5". -->
  <xsl:function name="te:div-label" as="element()?">
    <xsl:param name="div" as="element()"/>
    <xsl:if test="normalize-space($div/@n) and matches(local-name($div), '^div[1-7]?$')
        and empty($div/tei:head[normalize-space()])">
      <xsl:variable name="word" select="($div/@subtype, $div/@type)[not(lower-case(.) = ('textpart',
        'edition', 'translation', 'commentary', 'apparatus', 'bibliography', 'div'))][normalize-space()][1]"/>
      <te:div-label>{string-join(($word ! (upper-case(substring(., 1, 1)) || substring(., 2)),
        normalize-space($div/@n)), ' ')}</te:div-label>
    </xsl:if>
  </xsl:function>

  <xsl:template match="te:div-label" mode="te:body">
    <p class="div-label ed">{.}</p>
  </xsl:template>

  <!-- A line number of the source (l/@n, lb/@n), every fifth: "5", "10", "2.15". -->
  <xsl:function name="te:line-number" as="element()?">
    <xsl:param name="el" as="element()"/>
    <xsl:if test="matches(normalize-space($el/@n), '(^|\D)\d*[05]$')">
      <te:line-n>{normalize-space($el/@n)}</te:line-n>
    </xsl:if>
  </xsl:function>

  <xsl:template match="te:line-n" mode="te:body">
    <span class="line-n ed" aria-hidden="true">{.}</span>
  </xsl:template>

  <xsl:template match="tei:head" mode="te:body">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'h' || te:heading-level(.)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A list's, table's, figure's or verse group's heading is a caption, not a section heading. -->
  <xsl:template match="tei:head[parent::tei:list | parent::tei:lg | parent::tei:listBibl
      | parent::tei:listPerson | parent::tei:listPlace | parent::tei:listOrg | parent::tei:figure
      | parent::tei:table | parent::tei:sp]" mode="te:body" priority="2">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'p'"/>
      <xsl:with-param name="extra-class" select="'caption'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab | tei:dateline | tei:salute | tei:signed | tei:byline
      | tei:docAuthor | tei:docDate | tei:docImprint | tei:titlePart | tei:docEdition
      | tei:trailer | tei:speaker | tei:l" mode="te:body">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'p'"/>
      <xsl:with-param name="content" select="self::tei:l ! te:line-number(.), node()"/>
    </xsl:call-template>
  </xsl:template>

  <!-- Spoken TEI (transcripts, parliamentary records): an utterance is a block, headed by
       its speaker unless a speaker note stands just before it (ParlaMint's note
       type="speaker"), which is then the heading; the speaker comes from the person @who
       points at in the document, else the pointer itself. -->
  <xsl:key name="te:person" match="tei:person" use="@xml:id"/>

  <xsl:template match="tei:u" mode="te:body">
    <xsl:variable name="before" select="preceding-sibling::*[1]"/>
    <xsl:variable name="id" select="replace(normalize-space(@who), '^[^#]*#|\s.*$', '')"/>
    <xsl:variable name="person" select="if ($id) then key('te:person', $id)[1] else ()"/>
    <xsl:variable name="who" as="element()*">
      <xsl:if test="$id and not($before/self::tei:note[@type = 'speaker'] | $before/self::tei:speaker)">
        <te:who>{(normalize-space($person/tei:persName[1])[.], $id)[1]}</te:who>
      </xsl:if>
    </xsl:variable>
    <xsl:call-template name="te:block">
      <xsl:with-param name="content" select="$who, node()"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="te:who" mode="te:body">
    <p class="tei-speaker ed">{.}</p>
  </xsl:template>

  <xsl:template match="tei:note[@type = 'speaker'][not(ancestor::tei:p | ancestor::tei:ab
      | ancestor::tei:note | ancestor::tei:u)]" mode="te:body" priority="3">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'p'"/>
      <xsl:with-param name="extra-class" select="'tei-speaker'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A title page's author, date or edition inside a byline or imprint ("by <docAuthor>"):
       part of that line, not a line of its own. -->
  <xsl:template match="tei:*[self::tei:docAuthor or self::tei:docDate or self::tei:docEdition
      or self::tei:docImprint][parent::tei:byline or parent::tei:docImprint or parent::tei:titlePart
      or parent::tei:p or parent::tei:docEdition or parent::tei:head]" mode="te:body" priority="2">
    <xsl:call-template name="te:span"/>
  </xsl:template>

  <xsl:template match="tei:stage[not(parent::tei:p | parent::tei:l)]" mode="te:body">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'p'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer | tei:postscript | tei:sp | tei:lg | tei:docTitle
      | tei:listPerson | tei:listPlace | tei:listOrg | tei:listEvent | tei:listNym
      | tei:person | tei:personGrp | tei:place | tei:org | tei:event | tei:spGrp" mode="te:body">
    <xsl:call-template name="te:block"/>
  </xsl:template>

  <!-- Drama: the cast list is a list; a group of roles (castGroup, often braced in print)
       is one entry holding its roles, one a line, then their shared description. -->
  <xsl:template match="tei:castList" mode="te:body">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'ul'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:castList/*" mode="te:body">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'li'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:castGroup/*" mode="te:body">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'span'"/>
      <xsl:with-param name="extra-class" select="'line'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:castList/text()[normalize-space()]" mode="te:body">
    <xsl:value-of select="."/>
  </xsl:template>

  <xsl:template match="tei:performance | tei:prologue | tei:epilogue | tei:set" mode="te:body">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'section'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- Stand-off annotation (events, relations…): after the text, as the edition's data. -->
  <xsl:template match="tei:standOff" mode="te:body">
    <section class="{te:classes(.)} ed" aria-label="Stand-off annotations">
      <h2>Stand-off annotations</h2>
      <xsl:apply-templates mode="te:body"/>
    </section>
  </xsl:template>

  <xsl:template match="tei:listRelation | tei:listAnnotation | tei:annotation | tei:listObject
      | tei:object | tei:listNym | tei:nym" mode="te:body">
    <xsl:call-template name="te:block"/>
  </xsl:template>

  <!-- A relation has no words: the edition states it ("parent_of: #a #b → #c"). -->
  <xsl:template match="tei:relation" mode="te:body">
    <span class="{te:classes(.)} ed as-block">{string-join(((@name, @ref, @type)[1],
      string-join((@active, @mutual), ' ') || (@passive ! (' → ' || .))), ': ')}<xsl:apply-templates mode="te:body"/></span>
  </xsl:template>

  <!-- Block quotations and the primary-source extracts (cit): blockquote, source as footer. -->
  <xsl:template match="tei:quote[te:is-block(.) or parent::tei:div or parent::tei:body
      or parent::tei:floatingText or parent::tei:cit[te:is-block(.)]]" mode="te:body">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'blockquote'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:cit[te:is-block(.) or parent::tei:div or parent::tei:body]" mode="te:body">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'figure'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:cit" mode="te:body">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'span'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:cit/tei:bibl | tei:cit/tei:ref | tei:quote/tei:bibl" mode="te:body" priority="2">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'p'"/>
      <xsl:with-param name="extra-class" select="'source'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- Lists: ul (ol when the list is numbered); labels and headings are list entries too. -->
  <xsl:template match="tei:list | tei:listBibl" mode="te:body">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <!-- Items that open with their own number or mark (item/label: "1. That …") get no
         generated one: "1. 1. That" would print the number twice. -->
    <xsl:variable name="labelled" select="exists(tei:item) and (every $i in tei:item satisfies
      $i/node()[not(self::text()[not(normalize-space())])][1][self::tei:label])"/>
    <xsl:variable name="ordered" select="not($labelled) and matches(string-join((@type, @rend), ' '), 'order|number|decimal|arabic|roman')"/>
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="if ($ordered) then 'ol' else 'ul'"/>
      <xsl:with-param name="extra-class" select="string-join(('ordered'[$ordered and $inline],
        'labelled'[$labelled]), ' ')[.]"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A list of labels and items (type="gloss", a contents list, a glossary): each label with
       its item, as a description list. Only when every item has its label before it. -->
  <xsl:template match="tei:list[tei:label][not(text()[normalize-space()])]
      [every $c in * satisfies $c/(self::tei:head | self::tei:label | self::tei:item)]
      [every $i in tei:item satisfies $i/preceding-sibling::*[1][self::tei:label]]" mode="te:body" priority="2">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:choose>
      <xsl:when test="$inline">
        <xsl:call-template name="te:block"/>
      </xsl:when>
      <xsl:otherwise>
        <div>
          <xsl:call-template name="te:attributes"/>
          <xsl:apply-templates select="tei:head" mode="te:body"/>
          <dl>
            <xsl:apply-templates select="tei:label | tei:item" mode="te:gloss"/>
          </dl>
        </div>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:label | tei:item" mode="te:gloss">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="if (self::tei:label) then 'dt' else 'dd'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:list/* | tei:listBibl/*" mode="te:body">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'li'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- Text between a list's items (whitespace aside) cannot stand in a ul: keep it in a span. -->
  <xsl:template match="tei:list/text()[normalize-space()] | tei:listBibl/text()[normalize-space()]
      | tei:table/text()[normalize-space()] | tei:row/text()[normalize-space()]" mode="te:body">
    <xsl:value-of select="."/>
  </xsl:template>

  <xsl:template match="tei:table" mode="te:body">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:choose>
      <xsl:when test="$inline">
        <xsl:call-template name="te:block"/>
      </xsl:when>
      <xsl:otherwise>
        <div class="table-wrap">
          <table>
            <xsl:call-template name="te:attributes"/>
            <!-- The first heading becomes the caption when nothing comes before it: a caption
                 stands first, and the reading order must stay the source's. -->
            <xsl:variable name="caption"
              select="tei:head[1][not(preceding-sibling::node()[self::* or normalize-space()])]"/>
            <xsl:if test="$caption">
              <caption><xsl:apply-templates select="$caption/node()" mode="te:body">
                <xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></caption>
            </xsl:if>
            <tbody><xsl:apply-templates select="node() except $caption" mode="te:body"/></tbody>
          </table>
        </div>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:row" mode="te:body">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'tr'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:cell" mode="te:body">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else if (@role = 'label') then 'th' else 'td'}">
      <xsl:call-template name="te:attributes"/>
      <xsl:if test="not($inline) and @cols"><xsl:attribute name="colspan" select="@cols[. castable as xs:integer]"/></xsl:if>
      <xsl:if test="not($inline) and @rows"><xsl:attribute name="rowspan" select="@rows[. castable as xs:integer]"/></xsl:if>
      <xsl:apply-templates mode="te:body"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:figure" mode="te:body">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'figure'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:figDesc" mode="te:body">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'figcaption'"/>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>
