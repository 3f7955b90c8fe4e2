<?xml version="1.0" encoding="UTF-8"?>
<!--
  apparatus.xsl: the critical apparatus (TEI textcrit). An <app> reads its lemma (or, with no
  <lem>, its first reading) in the running text; the apparatus entry follows at once, small and
  in brackets, as printed editions set it: every reading with its witnesses' sigla, an empty
  reading as "om.", e.g.  excommunicatione [excommunicatione Aa Bc; excomunicatione P].
  The lemma repeated in the entry, the sigla, "om." and the brackets are the edition's (class
  "ed"); the variant readings are the source's text and stay in the page, in document order.
  Lists of witnesses (listWit) are lists, as listBibl.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- The sigla of a reading's witnesses: "#Aa #Bc" reads "Aa Bc". A witness the document
       lists gives its own siglum, as the Guidelines let it: its @n, or an abbr, idno or
       label of type "siglum"; else the pointer's id is the siglum (a file part is dropped). -->
  <xsl:key name="te:witness" match="tei:witness[@xml:id]" use="@xml:id"/>

  <xsl:function name="te:sigla" as="xs:string">
    <xsl:param name="reading" as="element()"/>
    <xsl:sequence select="string-join(tokenize(normalize-space(($reading/@wit, $reading/@source, $reading/@resp)[1]))
      ! te:siglum(replace(., '^[^#]*#', ''), $reading), ' ')"/>
  </xsl:function>

  <xsl:function name="te:siglum" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="context" as="element()"/>
    <xsl:variable name="witness" select="if ($context/@wit and root($context) instance of document-node())
      then key('te:witness', $id, root($context))[1] else ()"/>
    <xsl:sequence select="(($witness/@n, $witness/(tei:abbr | tei:idno | tei:label)[@type = 'siglum'])
      ! normalize-space(.)[.], $id)[1]"/>
  </xsl:function>

  <xsl:template match="tei:app" mode="te:body">
    <xsl:variable name="readings" select="(tei:lem | tei:rdg | tei:rdgGrp/(tei:lem | tei:rdg))"/>
    <xsl:variable name="main" select="(tei:lem, tei:rdgGrp/tei:lem, $readings)[1]"/>
    <span>
      <xsl:call-template name="te:attributes"/>
      <xsl:apply-templates select="$main" mode="te:body"/>
      <span class="app-entry" role="note">
        <span class="ed"> [</span>
        <xsl:for-each select="$readings">
          <xsl:if test="position() > 1"><span class="ed">; </span></xsl:if>
          <xsl:apply-templates select="." mode="te:app-entry">
            <xsl:with-param name="main" select=". is $main"/>
          </xsl:apply-templates>
        </xsl:for-each>
        <!-- Notes, witness details and the like inside the app: read here, never dropped. -->
        <xsl:apply-templates select="* except ($readings, tei:rdgGrp)" mode="te:body"/>
        <span class="ed">]</span>
      </span>
    </span>
  </xsl:template>

  <!-- The reading shown in the text (lemma): the source's words, marked for CSS. -->
  <xsl:template match="tei:lem | tei:rdg" mode="te:body">
    <xsl:call-template name="te:span">
      <xsl:with-param name="extra-class" select="'app-reading'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- One reading in the apparatus entry: its words (the lemma's again, as the edition's),
       "om." when it has none, then its sigla. -->
  <xsl:template match="tei:lem | tei:rdg" mode="te:app-entry">
    <xsl:param name="main" as="xs:boolean"/>
    <xsl:choose>
      <xsl:when test="not(normalize-space(.)) and not(*)">
        <span class="ed app-om">om.</span>
      </xsl:when>
      <xsl:when test="$main">
        <span class="ed app-lem">{normalize-space(.)}</span>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="te:span">
          <xsl:with-param name="extra-class" select="'app-variant'"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:if test="te:sigla(.)">
      <span class="ed app-wit"> {te:sigla(.)}</span>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:wit | tei:witDetail" mode="te:body">
    <xsl:call-template name="te:span"/>
  </xsl:template>

  <!-- A list of witnesses reads as a list; each witness an entry. -->
  <xsl:template match="tei:listWit | tei:listApp" mode="te:body">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'ul'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A witness opens with the siglum the apparatus cites it by, unless its own words hold it
       (an abbr, idno or label of type "siglum"): "gp The Mysteries of Paris". -->
  <xsl:template match="tei:listWit/tei:witness" mode="te:body" priority="2">
    <xsl:variable name="siglum" as="element()*">
      <xsl:if test="empty((tei:abbr | tei:idno | tei:label)[@type = 'siglum'])
          and (normalize-space(@n) or @xml:id)">
        <te:siglum>{(normalize-space(@n)[.], string(@xml:id))[1]}</te:siglum>
      </xsl:if>
    </xsl:variable>
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'li'"/>
      <xsl:with-param name="content" select="$siglum, node()"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="te:siglum" mode="te:body">
    <b class="witness-siglum ed">{.}</b><xsl:text> </xsl:text>
  </xsl:template>

  <xsl:template match="tei:listWit/* | tei:listApp/*" mode="te:body">
    <xsl:call-template name="te:block">
      <xsl:with-param name="html" select="'li'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:listWit/text()[normalize-space()] | tei:listApp/text()[normalize-space()]" mode="te:body">
    <xsl:value-of select="."/>
  </xsl:template>

</xsl:stylesheet>
