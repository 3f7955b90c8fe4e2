<?xml version="1.0" encoding="UTF-8"?>
<!--
  print/notes.xsl: true footnotes. At the call, a superscript link (id te:call) to the note;
  the note itself follows at once as <span class="fn">, which print.css floats into the
  footnote area of the page where the call stands (float: footnote), opening with its marker,
  a link back to the call. The author's notes are numbered as in the source (te:n, never a
  counter that could drift); the edition's notes and its corrections are lettered (te:mark).
  A note inside a note cannot be a footnote of its own: it is printed in place, in brackets.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:template name="te:footnote">
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="mark" as="xs:string"/>
    <xsl:param name="editorial" as="xs:boolean"/>
    <xsl:param name="body" as="node()*"/>
    <xsl:param name="lang" as="xs:string?" select="()"/>
    <xsl:param name="word" as="xs:string" select="''"/>
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="kind" select="if ($editorial) then ' fn-ed' else ' fn-author'"/>
    <span class="call-group">
      <xsl:value-of select="$word"/>
      <xsl:element name="{if ($in-link) then 'span' else 'a'}">
        <xsl:attribute name="class" select="'fn-call' || $kind"/>
        <xsl:attribute name="id" select="$id || '-call'"/>
        <xsl:if test="not($in-link)"><xsl:attribute name="href" select="'#' || $id"/></xsl:if>
        <xsl:value-of select="$mark"/>
      </xsl:element>
    </span>
    <!-- A note too long for the foot of one page (WeasyPrint cannot carry a footnote over to
         the next page: it would print it off the top of the page) is printed in full where
         its call stands, set off as a note. -->
    <xsl:variable name="long" select="string-length(string-join($body ! string(.))) gt $te:longest-footnote"/>
    <xsl:variable name="note" as="element()">
      <span class="fn{$kind}{' fn-long'[$long]}" id="{$id}">
        <xsl:if test="$lang"><xsl:attribute name="lang" select="$lang"/></xsl:if>
        <a class="fn-mark" href="#{$id}-call">{$mark}</a>
        <span class="fn-body"><xsl:sequence select="$body"/></span>
      </span>
    </xsl:variable>
    <xsl:apply-templates select="$note" mode="te:fn-space"/>
  </xsl:template>

  <!-- The white space of a footnote collapsed here, as CSS would (white-space: normal): each
       run of spaces, tabs and line ends to one space, none after a space. WeasyPrint 70 takes
       a footnote out of the flow before it collapses white space, so that a note's text
       reaches the line breaker as the source wrote it: a line end printed as a line break,
       and a space before a line end (" \n", as in "und \n Siglen") stops the layout with
       "Got ' \n' between two lines". -->
  <xsl:mode name="te:fn-space" on-no-match="shallow-copy"/>

  <!-- Characters: about half a page of notes at the footnotes' size. -->
  <xsl:variable name="te:longest-footnote" as="xs:integer" select="2500"/>

  <xsl:template match="text()" mode="te:fn-space">
    <xsl:variable name="collapsed" select="replace(., '[ &#9;&#10;&#13;]+', ' ')"/>
    <xsl:variable name="body" select="ancestor::*[contains-token(@class, 'fn-body')][1]"/>
    <xsl:choose>
      <!-- The space a note opens with (a source's "2&#160;N. K. Krupskaya") is the marker's
           padding in print; kept, it makes WeasyPrint 70 end the note's first line far too
           early and stretch it to the measure. -->
      <xsl:when test="exists($body) and empty(preceding::text()[. &gt;&gt; $body][normalize-space(translate(., '&#160;', ' '))])">
        <xsl:value-of select="replace($collapsed, '^[ &#160;]+', '')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="if (starts-with($collapsed, ' ')
            and matches(string-join(preceding::text()), '[ &#9;&#10;&#13;]$'))
          then substring($collapsed, 2) else $collapsed"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:note[@te:anchor][not(@te:inline)]" mode="te:body te:hosted">
    <xsl:call-template name="te:footnote">
      <xsl:with-param name="id" select="string(@te:anchor)"/>
      <xsl:with-param name="mark" select="string(if (@te:editorial = 'true') then @te:mark else @te:n)"/>
      <xsl:with-param name="editorial" select="@te:editorial = 'true'"/>
      <xsl:with-param name="lang" select="@xml:lang"/>
      <xsl:with-param name="word" select="te:word-before(.)"/>
      <xsl:with-param name="body" as="node()*">
        <xsl:apply-templates mode="te:body">
          <xsl:with-param name="inline" tunnel="yes" select="true()"/>
          <xsl:with-param name="in-link" tunnel="yes" select="false()"/>
        </xsl:apply-templates>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- A note standing between blocks (after a block quotation, say) has its call printed at
       the end of the last paragraph or line before it, not on a line of its own. -->
  <xsl:function name="te:note-host" as="element()?">
    <xsl:param name="note" as="element()"/>
    <xsl:variable name="before" select="$note/preceding-sibling::node()[not(self::tei:note[@te:anchor])]
      [self::* or normalize-space()][1]"/>
    <xsl:sequence select="if ($note/parent::*[self::tei:p or self::tei:ab or self::tei:l or self::tei:head
        or self::tei:note or self::tei:item or self::tei:cell or self::tei:q or self::tei:quote[not(tei:p | tei:lg)]])
      then () else ($before[self::*]/descendant-or-self::*[self::tei:p or self::tei:ab or self::tei:l])[last()]"/>
  </xsl:function>

  <xsl:template match="tei:note[@te:anchor][not(@te:inline)][exists(te:note-host(.))]" mode="te:body" priority="1.5"/>

  <xsl:function name="te:hosted-notes" as="element()*">
    <xsl:param name="host" as="element()"/>
    <xsl:sequence select="$host/following::tei:note[@te:anchor][not(@te:inline)][position() le 3][te:note-host(.) is $host]"/>
  </xsl:function>

  <!-- The word before a call goes with the call (te:footnote, $word): no line break between
       them and the word is not hyphenated, so a call never starts a line, and WeasyPrint 70,
       which can lose track of a footnote whose call ends the second half of a hyphenated
       word, keeps the note with it. -->
  <xsl:template match="text()[following-sibling::node()[1][self::tei:note[@te:anchor][not(@te:inline)][not(ancestor::tei:note)]]]" mode="te:body">
    <xsl:value-of select="replace(., '\S+$', '')"/>
  </xsl:template>

  <xsl:function name="te:word-before" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="before" select="$el[not(ancestor::tei:note)]/preceding-sibling::node()[1][self::text()]"/>
    <xsl:sequence select="if (exists($before) and matches($before, '\S$')) then replace($before, '^(.|\s)*?(\S+)$', '$2') else ''"/>
  </xsl:function>

  <!-- A note inside a note, or one the source has in place (te:inline, as on the web): in
       brackets where it stands. -->
  <xsl:template match="tei:note[ancestor::tei:note] | tei:note[not(@te:anchor)]
      | tei:note[@te:inline][not(@type = 'speaker' and not(ancestor::tei:p | ancestor::tei:ab | ancestor::tei:u))]"
      mode="te:body" priority="2">
    <span class="{te:classes(.)} note-inline">
      <xsl:attribute name="id" select="(@te:anchor, @te:mention)[1]"/>
      <xsl:text> [</xsl:text>
      <xsl:if test="(@te:mark, @te:n)[normalize-space()]">{(@te:mark, @te:n)[normalize-space()][1]}: </xsl:if>
      <xsl:apply-templates mode="te:body">
        <xsl:with-param name="inline" tunnel="yes" select="true()"/>
      </xsl:apply-templates>
      <xsl:text>]</xsl:text>
    </span>
  </xsl:template>

</xsl:stylesheet>
