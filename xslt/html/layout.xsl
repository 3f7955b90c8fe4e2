<?xml version="1.0" encoding="UTF-8"?>
<!-- layout.xsl: the page chrome shared by every page (head, header, navigation, footer). -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:te="urn:tei-edition"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- The whole HTML document around a page's main content. -->
  <xsl:template name="te:html-page">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="lang" as="xs:string?" select="()"/>
    <xsl:param name="body-class" as="xs:string" select="'page'"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:param name="aside" as="item()*" select="()"/>
    <xsl:param name="after" as="item()*" select="()"/>
    <xsl:param name="scripts" as="xs:string*" select="()"/>
    <html lang="{($site/te:site/@lang[te:is-language(.)], 'en')[1]}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>{$title} · {$site/te:site/@title}</title>
        <link rel="stylesheet" href="assets/edition.css"/>
        <link rel="icon" href="assets/favicon.svg" type="image/svg+xml"/>
        <meta name="generator" content="tei-edition"/>
      </head>
      <body class="{$body-class}">
        <a class="skip-link" href="#main">Skip to main content</a>
        <header class="site-header">
          <p class="site-title"><a href="index.html">{$site/te:site/@title}</a></p>
          <nav class="site-nav" aria-label="Site">
            <ul>
              <xsl:for-each select="$site/te:site/te:nav">
                <li>
                  <a href="{@href}">
                    <xsl:if test="@href = $page">
                      <xsl:attribute name="aria-current">page</xsl:attribute>
                    </xsl:if>
                    <xsl:value-of select="@label"/>
                  </a>
                </li>
              </xsl:for-each>
            </ul>
          </nav>
        </header>
        <div class="layout">
          <main id="main" tabindex="-1">
            <xsl:if test="exists($lang)">
              <xsl:attribute name="lang" select="$lang"/>
            </xsl:if>
            <xsl:sequence select="$content"/>
          </main>
          <xsl:if test="exists($aside)">
            <xsl:sequence select="$aside"/>
          </xsl:if>
        </div>
        <xsl:sequence select="$after"/>
        <footer class="site-footer">
          <p>{$site/te:site/@title}<xsl:if test="$site/te:site/@publisher[normalize-space()]">
            · {$site/te:site/@publisher}</xsl:if> · <a href="about.html">About this edition</a>
            · Built with tei-edition.</p>
        </footer>
        <script src="assets/edition.js"></script>
        <xsl:for-each select="$scripts">
          <script src="{.}"></script>
        </xsl:for-each>
      </body>
    </html>
  </xsl:template>

</xsl:stylesheet>
