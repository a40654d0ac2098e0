<?xml version="1.0" encoding="utf-8"?>
<!-- Shown by browsers that open a feed (RSS 2.0 or Atom) directly: a readable list of the items
     and a note on how to subscribe. Feed readers ignore it. No scripts, no third-party requests. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="yes"/>
  <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
  <xsl:variable name="lang" select="/rss/channel/language | /atom:feed/@xml:lang"/>
  <xsl:template match="/">
    <html lang="{$lang}">
      <xsl:attribute name="dir">
        <xsl:choose>
          <xsl:when test="starts-with($lang, 'ur') or starts-with($lang, 'ar') or starts-with($lang, 'fa')">rtl</xsl:when>
          <xsl:otherwise>ltr</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <style>
          body { font: 1.05rem/1.6 "Noto Serif", Georgia, serif; max-width: 44rem; margin: 0 auto; padding: 1rem; color: #1a1a1a; }
          .note { background: #f3efe6; border-inline-start: 4px solid #8a1c1c; padding: .75rem 1rem; }
          h1 { font-size: 1.6rem; line-height: 1.25; }
          h2 { font-size: 1.2rem; margin-bottom: .2rem; }
          a { color: #8a1c1c; }
          .meta { color: #555; font-size: .9rem; margin-top: 0; }
          li { margin-bottom: 1.2rem; list-style: none; }
          ul { padding: 0; }
        </style>
      </head>
      <body>
        <p class="note">This is a web feed. Copy its address into a feed reader to follow new articles.</p>
        <h1><xsl:value-of select="$title"/></h1>
        <p><xsl:value-of select="/rss/channel/description | /atom:feed/atom:subtitle"/></p>
        <ul>
          <xsl:for-each select="/rss/channel/item | /atom:feed/atom:entry">
            <li>
              <h2><a href="{link | atom:link[not(@rel) or @rel='alternate']/@href}"><xsl:value-of select="title | atom:title"/></a></h2>
              <p class="meta"><xsl:value-of select="pubDate | atom:published | atom:updated"/></p>
            </li>
          </xsl:for-each>
        </ul>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
