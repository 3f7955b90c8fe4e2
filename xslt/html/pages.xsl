<?xml version="1.0" encoding="UTF-8"?>
<!--
  pages.xsl: the pages built from the edition's model rather than from one TEI text: home,
  registers (persons, places, organisations, works), chronology, bibliography, search, about.
  Python prepares each as a <te:page type="..."> document; front matter and header prose
  arrive as annotated TEI inside it and are drawn by the same templates as the texts.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- Popovers for the names and dates inside $scope (TEI prose on a generated page). -->
  <xsl:template name="te:popover-store">
    <xsl:param name="scope" as="element()*"/>
    <div class="popover-store" hidden="">
      <xsl:for-each select="distinct-values($scope//@te:key)">
        <xsl:apply-templates select="key('entry', ., $registers)" mode="te:popovers"/>
      </xsl:for-each>
      <xsl:apply-templates select="$scope//(tei:date[@te:label] | tei:*[@te:pop])" mode="te:popovers"/>
    </div>
    <div id="popover" class="popover" role="tooltip" hidden=""></div>
  </xsl:template>

  <xsl:template match="/te:page[@type = 'home']">
    <xsl:call-template name="te:html-page">
      <xsl:with-param name="title" select="'Home'"/>
      <xsl:with-param name="body-class" select="'page page-home'"/>
      <xsl:with-param name="content">
        <h1>{$site/te:site/@title}</h1>
        <xsl:if test="normalize-space(@editors)">
          <p class="editors">Edited by {@editors}</p>
        </xsl:if>
        <xsl:apply-templates select="te:front/*" mode="te:body"/>
        <section aria-labelledby="texts-title">
          <h2 id="texts-title">The texts</h2>
          <ul class="text-list">
            <xsl:for-each select="te:text">
              <li>
                <a href="{@href}" class="text-title">{@title}</a>
                <xsl:if test="normalize-space(@authors)"> by {@authors}</xsl:if>
                <xsl:if test="normalize-space(@source)"><br/><span class="text-source">{@source}</span></xsl:if>
              </li>
            </xsl:for-each>
          </ul>
        </section>
        <section aria-labelledby="explore-title">
          <h2 id="explore-title">Explore the edition</h2>
          <ul class="explore">
            <xsl:for-each select="$site/te:site/te:nav[not(@href = ('index.html'))][not(@kind = 'text')]">
              <li><a href="{@href}">{@label}</a><xsl:if test="@note"> — {@note}</xsl:if></li>
            </xsl:for-each>
          </ul>
        </section>
      </xsl:with-param>
      <xsl:with-param name="after">
        <xsl:call-template name="te:popover-store">
          <xsl:with-param name="scope" select="te:front"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/te:page[@type = 'register']">
    <xsl:call-template name="te:html-page">
      <xsl:with-param name="title" select="string(@title)"/>
      <xsl:with-param name="body-class" select="'page page-register register-' || @kind"/>
      <xsl:with-param name="content">
        <h1>{@title}</h1>
        <p class="register-summary">{count(te:entry)} entries, {sum(te:entry/te:occurrences/@total)} occurrences in the texts.
          Download: <a href="{@csv}" download="">CSV</a> · <a href="{@json}" download="">JSON</a>
          · <a href="data/mentions.csv" download="">all mentions (CSV)</a></p>
        <xsl:if test="te:entry">
          <nav class="letters" aria-label="Initial letters">
            <xsl:for-each-group select="te:entry" group-by="upper-case(substring(normalize-space(@sort), 1, 1))">
              <a href="#{current-group()[1]/@key}">{current-grouping-key()}</a>
              <xsl:text> </xsl:text>
            </xsl:for-each-group>
          </nav>
        </xsl:if>
        <xsl:apply-templates select="te:entry"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="te:entry">
    <article class="entry entry-{../@kind}" id="{@key}" aria-labelledby="h-{@key}">
      <h2 id="h-{@key}">{@name}<xsl:if test="normalize-space(@dates)"><xsl:text> </xsl:text><span class="dates">({@dates})</span></xsl:if></h2>
      <xsl:if test="te:variant">
        <p class="variants">Also: {string-join(te:variant, '; ')}</p>
      </xsl:if>
      <xsl:if test="normalize-space(@citation)">
        <p class="citation"><xsl:apply-templates select="." mode="te:citation"/></p>
      </xsl:if>
      <xsl:if test="normalize-space(@description)">
        <p class="description">{@description}</p>
      </xsl:if>
      <xsl:if test="te:field | te:coords">
        <dl class="fields">
          <xsl:for-each select="te:field">
            <dt>{@label}</dt><dd>{@value}</dd>
          </xsl:for-each>
          <xsl:for-each select="te:coords">
            <dt>Coordinates</dt><dd>{@lat}, {@lon}</dd>
          </xsl:for-each>
        </dl>
      </xsl:if>
      <xsl:apply-templates select="te:occurrences"/>
    </article>
  </xsl:template>

  <!-- One citation style (as model.format_citation, with titles of whole works in italics):
       Author, Title, in Container, ed. Editor (Place: Publisher, Date), pages. -->
  <xsl:mode name="te:citation" on-no-match="shallow-skip"/>
  <xsl:template match="te:*[@title]" mode="te:citation">
    <xsl:if test="@author">{@author}, </xsl:if>
    <xsl:choose>
      <xsl:when test="@level = 'a'">“{@title}”</xsl:when>
      <xsl:otherwise><i>{@title}</i></xsl:otherwise>
    </xsl:choose>
    <xsl:if test="@in">, in <i>{@in}</i></xsl:if>
    <xsl:if test="@editor">, ed. {@editor}</xsl:if>
    <xsl:if test="@imprint"> ({@imprint})</xsl:if>
    <xsl:if test="@pages">, {@pages}</xsl:if>
    <xsl:text>.</xsl:text>
  </xsl:template>
  <xsl:template match="te:*[not(@title)]" mode="te:citation">{@citation}</xsl:template>

  <xsl:template match="te:occurrences">
    <section class="occurrences" aria-label="Occurrences of {../@name}">
      <p class="occ-total">{if (@total = 0) then 'Not mentioned in the texts.'
        else if (@total = 1) then '1 occurrence' else @total || ' occurrences'}</p>
      <xsl:if test="te:doc">
        <ul>
          <xsl:for-each select="te:doc">
            <li><span class="occ-doc">{@title}</span> ({@count}):
              <xsl:for-each select="te:occ">
                <a href="{@href}" class="occ">{@label}</a><xsl:if test="@count > 1"> ×{@count}</xsl:if>
                <xsl:if test="position() != last()">, </xsl:if>
              </xsl:for-each>
            </li>
          </xsl:for-each>
        </ul>
      </xsl:if>
    </section>
  </xsl:template>

  <xsl:template match="/te:page[@type = 'chronology']">
    <xsl:call-template name="te:html-page">
      <xsl:with-param name="title" select="'Chronology'"/>
      <xsl:with-param name="body-class" select="'page page-chronology'"/>
      <xsl:with-param name="content">
        <h1>Chronology</h1>
        <p>Every dated expression of the texts with a normalised value (<code>@when</code>), in date order ({count(te:date)} in all). Old Style
          (Julian) dates are given as historians write them, Old Style first and New Style in
          brackets.</p>
        <xsl:if test="te:date">
          <div class="table-wrap">
            <table class="chronology">
              <thead><tr><th scope="col">Date</th><th scope="col">Text</th><th scope="col">Context</th></tr></thead>
              <tbody>
                <xsl:for-each select="te:date">
                  <tr>
                    <td><xsl:element name="{if (@iso) then 'time' else 'span'}">
                      <xsl:if test="@iso"><xsl:attribute name="datetime" select="@iso"/></xsl:if>{@label}</xsl:element></td>
                    <td><a href="{@href}">{@doc-title}</a></td>
                    <td class="snippet">{@snippet}</td>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
          </div>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/te:page[@type = 'bibliography']">
    <xsl:call-template name="te:html-page">
      <xsl:with-param name="title" select="'Bibliography'"/>
      <xsl:with-param name="body-class" select="'page page-bibliography'"/>
      <xsl:with-param name="content">
        <h1>Bibliography</h1>
        <p>Every work cited in the texts and their notes, in one citation style, with links to
          the notes that cite it.</p>
        <xsl:if test="empty(te:work)">
          <p>No work is cited in the texts.</p>
        </xsl:if>
        <ul class="bibliography">
          <xsl:for-each select="te:work">
            <li id="{@key}">
              <span class="citation"><xsl:apply-templates select="." mode="te:citation"/></span>
              <xsl:if test="te:cite">
                <span class="cited-in"> Cited in:
                  <xsl:for-each select="te:cite">
                    <a href="{@href}">{@doc-title}, {@label}</a>
                    <xsl:if test="position() != last()">; </xsl:if>
                  </xsl:for-each></span>
              </xsl:if>
              <xsl:text> </xsl:text><a href="{@register}" class="to-register">Register entry</a>
            </li>
          </xsl:for-each>
        </ul>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/te:page[@type = 'search']">
    <xsl:call-template name="te:html-page">
      <xsl:with-param name="title" select="'Search'"/>
      <xsl:with-param name="body-class" select="'page page-search'"/>
      <xsl:with-param name="content">
        <h1>Search</h1>
        <form class="search-form" role="search" action="search.html" method="get">
          <label for="q">Search the texts and registers</label>
          <input type="search" id="q" name="q" autocomplete="off"/>
          <button type="submit">Search</button>
        </form>
        <p id="search-status" role="status" aria-live="polite">
          <noscript>Search needs JavaScript; the registers and the chronology work without it.</noscript>
        </p>
        <ol id="search-results" class="search-results"></ol>
      </xsl:with-param>
      <xsl:with-param name="scripts" select="('search-index.js', 'assets/search.js')"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/te:page[@type = 'about']">
    <xsl:call-template name="te:html-page">
      <xsl:with-param name="title" select="'About'"/>
      <xsl:with-param name="body-class" select="'page page-about'"/>
      <xsl:with-param name="content">
        <h1>About this edition</h1>
        <xsl:if test="empty(te:section)">
          <p>The TEI headers of these documents state no editorial principles.</p>
        </xsl:if>
        <xsl:for-each select="te:section">
          <section aria-labelledby="about-{position()}">
            <h2 id="about-{position()}">{@title}</h2>
            <xsl:apply-templates select="*" mode="te:about"/>
          </section>
        </xsl:for-each>
      </xsl:with-param>
      <xsl:with-param name="after">
        <xsl:call-template name="te:popover-store">
          <xsl:with-param name="scope" select="te:section"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- Header prose on the about page: a titled block per part of the encoding description. -->
  <xsl:mode name="te:about" on-no-match="shallow-skip"/>

  <xsl:template match="tei:*" mode="te:about">
    <xsl:choose>
      <xsl:when test="tei:p | tei:ab | tei:list | tei:head">
        <section class="about-part {te:classes(.)}">
          <xsl:if test="not(self::tei:projectDesc | self::tei:editorialDecl | self::tei:encodingDesc)">
            <h3>{te:about-title(.)}</h3>
          </xsl:if>
          <xsl:apply-templates select="*" mode="te:body"/>
        </section>
      </xsl:when>
      <xsl:when test="*">
        <xsl:apply-templates select="*" mode="te:about"/>
      </xsl:when>
      <xsl:when test="normalize-space()">
        <p class="{te:classes(.)}"><xsl:apply-templates mode="te:body"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></p>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="te:prose" mode="te:about">
    <section class="about-part">
      <xsl:if test="@title"><h3>{@title}</h3></xsl:if>
      <xsl:apply-templates select="*" mode="te:body"/>
    </section>
  </xsl:template>

  <xsl:function name="te:about-title" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="name" select="local-name($el)"/>
    <xsl:sequence select="
      if ($name = 'correction') then 'Corrections'
      else if ($name = 'normalization') then 'Normalisation'
      else if ($name = 'quotation') then 'Quotation marks'
      else if ($name = 'hyphenation') then 'Hyphenation'
      else if ($name = 'segmentation') then 'Segmentation'
      else if ($name = 'interpretation') then 'Interpretation'
      else if ($name = 'punctuation') then 'Punctuation'
      else if ($name = 'stdVals') then 'Standard values'
      else if ($name = 'samplingDecl') then 'Selection'
      else if ($name = 'projectDesc') then 'The project'
      else if ($name = 'editorialDecl') then 'Editorial principles'
      else if ($name = 'calendarDesc') then 'Calendars'
      else if ($name = 'calendar') then 'Calendar'
      else if ($name = 'classDecl') then 'Classification'
      else if ($name = 'refsDecl') then 'References'
      else upper-case(substring($name, 1, 1)) || substring($name, 2)"/>
  </xsl:function>

</xsl:stylesheet>
