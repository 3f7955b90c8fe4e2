<?xml version="1.0" encoding="UTF-8"?>
<!--
  inlines.xsl: phrase-level TEI. Highlighting, quotations and titles (the TEI keeps the source's
  quotation marks as text: none are added), links, line and page breaks, and the edition's
  interventions (choice, sic/corr, orig/reg, abbr/expan, supplied, gap): the corrected reading
  is shown, the source reading is kept in the page (class reading-src) and shown by the
  "text exactly as the source has it" switch. Editorial additions carry the class "ed".
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- A span carrying the TEI name, for phrase elements whose look is left to CSS. -->
  <xsl:template name="te:span">
    <xsl:param name="html" as="xs:string" select="'span'"/>
    <xsl:param name="extra-class" as="xs:string?" select="()"/>
    <xsl:element name="{$html}">
      <xsl:call-template name="te:attributes">
        <xsl:with-param name="extra-class" select="$extra-class"/>
      </xsl:call-template>
      <xsl:apply-templates mode="te:body">
        <xsl:with-param name="inline" tunnel="yes" select="true()"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:hi[matches(@rend, 'italic|slanted')] | tei:emph | tei:foreign
      | tei:title[@level = ('m', 'j', 's')] | tei:term | tei:mentioned" mode="te:body">
    <xsl:call-template name="te:span">
      <xsl:with-param name="html" select="if (self::tei:emph) then 'em' else 'i'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:hi[matches(@rend, 'bold')]" mode="te:body" priority="2">
    <xsl:call-template name="te:span">
      <xsl:with-param name="html" select="'b'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:hi[matches(@rend, 'sup')]" mode="te:body" priority="3">
    <xsl:call-template name="te:span"><xsl:with-param name="html" select="'sup'"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:hi[matches(@rend, 'sub')]" mode="te:body" priority="3">
    <xsl:call-template name="te:span"><xsl:with-param name="html" select="'sub'"/></xsl:call-template>
  </xsl:template>

  <!-- Phrase elements with no behaviour of their own: a span with the TEI name as class. -->
  <xsl:template match="tei:hi | tei:q | tei:quote | tei:said | tei:soCalled | tei:title | tei:seg
      | tei:w | tei:pc | tei:c | tei:g | tei:num | tei:measure | tei:unit | tei:roleName
      | tei:forename | tei:surname | tei:addName | tei:nameLink | tei:genName | tei:affiliation
      | tei:occupation | tei:time | tei:idno | tei:publisher | tei:pubPlace | tei:author | tei:editor
      | tei:biblScope | tei:edition | tei:extent | tei:series | tei:imprint | tei:date | tei:email
      | tei:address | tei:addrLine | tei:street | tei:postCode | tei:district | tei:settlement
      | tei:region | tei:country | tei:bloc | tei:geogName | tei:geo | tei:location | tei:objectName
      | tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs | tei:distinct | tei:gloss
      | tei:desc | tei:monogr | tei:analytic | tei:respStmt | tei:resp | tei:bibl
      | tei:biblStruct | tei:stage | tei:add | tei:unclear | tei:damage | tei:handShift | tei:fw
      | tei:secl | tei:subst | tei:restore | tei:span | tei:age | tei:birth | tei:death
      | tei:floruit | tei:state | tei:trait | tei:residence | tei:nationality | tei:faith | tei:sex
      | tei:education | tei:langKnowledge | tei:langKnown | tei:label | tei:caesura"
      mode="te:body">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:choose>
      <xsl:when test="not($inline) and te:is-block(.)">
        <xsl:call-template name="te:block"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="te:span"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Quotation and speech. TEI's q, said and quote hold the words, not the marks, unless the
       encoder wrote the marks in (as this edition's texts do): where no quotation of the
       TEI document, also in a book of several, begins or ends with a mark or stands between
       marks, the marks are added (HTML's q: the reader's language's marks, nested ones
       alternating). Indirect speech (said direct="false") and a quotation whose rend says
       how it looks get none. -->
  <xsl:template match="tei:q | tei:said | tei:quote" mode="te:body" priority="0.25">
    <xsl:param name="inline" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:choose>
      <xsl:when test="not($inline) and te:is-block(.)">
        <xsl:call-template name="te:block"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="te:span">
          <xsl:with-param name="html" select="if (te:adds-quote-marks(.)) then 'q' else 'span'"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:variable name="te:quote-mark" as="xs:string">["'“”‘’„‚«»‹›「」『』]</xsl:variable>

  <xsl:key name="te:quote-with-marks" match="tei:text//(tei:q | tei:said | tei:quote)"
    use="matches(string(.), '^\s*' || $te:quote-mark) or matches(string(.), $te:quote-mark || '[\s.,;:!?]*$')
         or matches(string(preceding-sibling::node()[1][self::text()]), $te:quote-mark || '\s*$')"/>

  <xsl:function name="te:adds-quote-marks" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="not($el/self::tei:said[@direct = 'false'])
      and empty($el/@rend[normalize-space()])
      and empty(key('te:quote-with-marks', true(), ($el/ancestor::tei:TEI[1], root($el))[1]))"/>
  </xsl:function>

  <xsl:template match="tei:gi | tei:att | tei:val | tei:tag | tei:code | tei:ident" mode="te:body">
    <xsl:call-template name="te:span"><xsl:with-param name="html" select="'code'"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:del" mode="te:body">
    <xsl:call-template name="te:span"><xsl:with-param name="html" select="'del'"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:lb" mode="te:body">
    <br class="tei-lb"/>
    <xsl:apply-templates select="te:line-number(.)" mode="te:body"/>
  </xsl:template>

  <!-- A line break inside a word (break="no"): the line breaks after an editorial hyphen and
       the word's halves join; the white space an encoder leaves around such a break (a line
       end, an indent) is no word boundary. -->
  <xsl:template match="tei:lb[@break = 'no']" mode="te:body" priority="2">
    <span class="lb-hyphen ed" aria-hidden="true">-</span><br class="tei-lb"/>
    <xsl:apply-templates select="te:line-number(.)" mode="te:body"/>
  </xsl:template>

  <xsl:template match="text()[following-sibling::node()[1][self::tei:lb[@break = 'no']]
      or preceding-sibling::node()[1][self::tei:lb[@break = 'no']]]" mode="te:body" priority="0.4">
    <xsl:variable name="before" select="if (following-sibling::node()[1][self::tei:lb[@break = 'no']])
      then replace(., '\s+$', '') else string(.)"/>
    <xsl:value-of select="if (preceding-sibling::node()[1][self::tei:lb[@break = 'no']])
      then replace($before, '^\s+', '') else $before"/>
  </xsl:template>

  <xsl:template match="tei:pb" mode="te:body">
    <span class="tei-pb ed" role="note">
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:if test="@n">[p. {@n}]</xsl:if>
    </span>
  </xsl:template>

  <xsl:template match="tei:cb | tei:milestone | tei:anchor | tei:gb" mode="te:body">
    <span class="tei-{local-name()}">
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
    </span>
  </xsl:template>

  <xsl:template match="tei:gap" mode="te:body">
    <span class="tei-gap ed" title="{string-join(('Omitted', @reason, @quantity, @unit), ' ')}">[…<xsl:if
        test="empty(tei:desc[normalize-space()])">]</xsl:if></span>
    <!-- Its description is the encoder's words: kept, after the mark. -->
    <xsl:for-each select="tei:desc[normalize-space()]">
      <xsl:if test="position() > 1"><span class="tei-gap ed"> /</span></xsl:if>
      <span class="gap-desc"> {normalize-space(.)}</span>
    </xsl:for-each>
    <xsl:if test="tei:desc[normalize-space()]"><span class="tei-gap ed">]</span></xsl:if>
  </xsl:template>

  <!-- What happens while people speak (applause, a laugh, a pause): its description, or
       its type in brackets. -->
  <xsl:template match="tei:kinesic | tei:vocal | tei:incident | tei:pause | tei:shift" mode="te:body">
    <span class="tei-{local-name()} event">
      <xsl:choose>
        <xsl:when test="tei:desc[normalize-space()]">
          <xsl:for-each select="tei:desc[normalize-space()]">
            <xsl:if test="position() > 1"> </xsl:if>
            <i>{normalize-space(.)}</i>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise>
          <span class="ed">[{string-join((local-name(), @type, @dur), ': ')}]</span>
        </xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>

  <!-- A change of hand: where it happens, which hand (the edition's words). -->
  <xsl:template match="tei:handShift" mode="te:body" priority="1">
    <span class="tei-handShift ed">[{if (normalize-space(@new)) then 'hand ' || replace(normalize-space(@new), '(^|\s)#', '$1') else 'another hand'}] </span>
  </xsl:template>

  <xsl:key name="te:glyph" match="tei:char | tei:glyph" use="@xml:id"/>

  <!-- A glyph with no characters of its own: the character its declaration maps it to (in the
       header's charDecl), else its name in brackets, so that it is never silently dropped. -->
  <xsl:template match="tei:g[not(normalize-space())]" mode="te:body">
    <xsl:variable name="id" select="substring-after(normalize-space(@ref), '#')"/>
    <xsl:variable name="decl" select="if ($id) then key('te:glyph', $id)[1] else ()"/>
    <xsl:variable name="mapped" select="($decl/tei:mapping[@type = ('standard', 'normalized', 'normalised')], $decl/tei:mapping)[normalize-space()][1]"/>
    <xsl:choose>
      <xsl:when test="exists($mapped)"><span class="tei-g ed">{normalize-space($mapped)}</span></xsl:when>
      <xsl:otherwise>
        <span class="tei-g ed">[{($decl/(tei:charName, tei:glyphName, tei:localProp[@name = 'name']/@value)[normalize-space()][1], @type, $id, 'glyph')[1]}]</span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:space" mode="te:body">
    <span class="tei-space"> </span>
  </xsl:template>

  <!-- Links: Python has decided the target (te:href); anything unsafe has none. -->
  <xsl:template match="tei:ref | tei:ptr" mode="te:body">
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:choose>
      <xsl:when test="@te:href and not($in-link)">
        <a href="{@te:href}">
          <xsl:call-template name="te:attributes">
            <xsl:with-param name="extra-class" select="'ed'[current()/self::tei:ptr]"/>
          </xsl:call-template>
          <xsl:if test="@te:external = 'true'">
            <xsl:attribute name="rel">noopener noreferrer</xsl:attribute>
          </xsl:if>
          <xsl:apply-templates mode="te:body">
            <xsl:with-param name="inline" tunnel="yes" select="true()"/>
            <xsl:with-param name="in-link" tunnel="yes" select="true()"/>
          </xsl:apply-templates>
          <xsl:if test="self::tei:ptr"><span class="ed"> (see {(@te:label, @te:href)[1]})</span></xsl:if>
        </a>
      </xsl:when>
      <xsl:when test="self::tei:ptr and @te:label">
        <span class="tei-ptr ed"> (see {@te:label})</span>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="te:span">
          <xsl:with-param name="extra-class" select="'link-unresolved'[exists(current()/(@target, @ref))]"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:graphic | tei:media" mode="te:body">
    <xsl:choose>
      <xsl:when test="@te:src">
        <img src="{@te:src}" alt="{normalize-space((../tei:figDesc, tei:desc, 'Image')[1])}" class="tei-graphic"/>
      </xsl:when>
      <xsl:when test="@te:href">
        <a href="{@te:href}" class="tei-graphic ed" rel="noopener noreferrer">[image]</a>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- The edition's interventions. In a choice, the source reading (sic, orig, abbr) is kept
       in the page and the edition's reading (corr, reg, expan) shown; the switch swaps them. -->
  <xsl:template match="tei:choice" mode="te:body">
    <span class="tei-choice">
      <xsl:apply-templates select="(tei:corr, tei:reg, tei:expan)[1]" mode="te:choice-ed"/>
      <!-- A choice inside the choice is one more reading: drawn, never dropped. -->
      <xsl:apply-templates select="tei:sic | tei:orig | tei:abbr | tei:seg | tei:unclear | tei:choice" mode="te:body"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:choice[tei:abbr and not(tei:corr | tei:reg)]" mode="te:body" priority="2">
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <abbr class="tei-choice" title="{normalize-space(tei:expan[1])}">
      <xsl:if test="not($in-link)"><xsl:attribute name="tabindex">0</xsl:attribute></xsl:if>
      <xsl:apply-templates select="tei:abbr" mode="te:body"/>
    </abbr>
  </xsl:template>

  <xsl:template match="tei:corr | tei:reg | tei:expan" mode="te:choice-ed">
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <span class="{te:classes(.)} ed reading-ed" data-pop="{../@te:pop}"
      aria-describedby="{../@te:pop}">
      <xsl:if test="not($in-link)"><xsl:attribute name="tabindex">0</xsl:attribute></xsl:if>
      <xsl:apply-templates mode="te:body">
        <xsl:with-param name="inline" tunnel="yes" select="true()"/>
      </xsl:apply-templates>
    </span>
  </xsl:template>

  <xsl:template match="tei:sic | tei:orig | tei:abbr" mode="te:body">
    <xsl:call-template name="te:span">
      <xsl:with-param name="extra-class" select="'reading-src'[current()/parent::tei:choice[tei:corr | tei:reg]]"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:corr | tei:reg | tei:expan | tei:supplied | tei:ex" mode="te:body">
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <span class="{te:classes(.)} ed reading-ed" data-pop="{@te:pop}"
      aria-describedby="{@te:pop}">
      <xsl:if test="not($in-link)"><xsl:attribute name="tabindex">0</xsl:attribute></xsl:if>
      <xsl:apply-templates mode="te:body">
        <xsl:with-param name="inline" tunnel="yes" select="true()"/>
      </xsl:apply-templates>
    </span>
  </xsl:template>

  <xsl:template match="tei:*[@te:pop]" mode="te:popovers">
    <xsl:variable name="src" select="(tei:sic, tei:orig, tei:abbr)[1]"/>
    <xsl:variable name="ed" select="(self::tei:corr | self::tei:supplied | self::tei:reg | self::tei:expan
      | self::tei:ex, tei:corr, tei:reg, tei:expan)[1]"/>
    <div class="popover-content" id="{@te:pop}" role="tooltip">
      <p class="pop-kind">{if ($ed/self::tei:supplied) then 'Supplied by the edition'
        else if ($ed/(self::tei:expan | self::tei:ex)) then 'Expansion' else if ($ed/self::tei:reg) then 'Regularised reading'
        else 'Editorial correction'}</p>
      <xsl:if test="$src">
        <p>Source reads: <q class="pop-src">{normalize-space($src)}</q></p>
      </xsl:if>
      <p>Edition reads: <q>{normalize-space($ed)}</q></p>
      <xsl:if test="$ed/(@resp, @cert)">
        <p class="pop-meta">{string-join(($ed/@resp ! ('by ' || replace(., '^#', '')), $ed/@cert ! ('certainty: ' || .)), '; ')}</p>
      </xsl:if>
    </div>
  </xsl:template>

</xsl:stylesheet>
