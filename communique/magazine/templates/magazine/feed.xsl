<?xml version="1.0" encoding="utf-8"?>{% load i18n static %}
<!-- Shown by browsers that open a feed (RSS 2.0 or Atom) directly: a readable list of the items
     and a note on how to subscribe, in the language of the path it is served under (/ur/feeds/feed.xsl).
     Feed readers ignore it. No scripts, no inline style (the feed's CSP), no third-party requests. -->
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
        <title><xsl:value-of select="$title"/></title>
        <link rel="icon" href="{% static "favicon.svg" %}" type="image/svg+xml"/>
        <link rel="stylesheet" href="{% static 'feeds/feed.css' %}"/>
      </head>
      <body>
        <main>
        <div class="note">
          <p>{% translate "This is a web feed. Copy its address into a feed reader to follow new articles." %}</p>
          <p><a href="{{ full_text_url }}">{% translate "A feed with the full text of every article" %}</a></p>
        </div>
        <h1><xsl:value-of select="$title"/></h1>
        <p><xsl:value-of select="/rss/channel/description | /atom:feed/atom:subtitle"/></p>
        <ul>
          <xsl:for-each select="/rss/channel/item | /atom:feed/atom:entry">
            <li>
              <h2><a href="{link | atom:link[not(@rel) or @rel='alternate']/@href}"><xsl:value-of select="title | atom:title"/></a></h2>
              <p class="meta" dir="ltr"><xsl:value-of select="pubDate | atom:published | atom:updated"/></p>
            </li>
          </xsl:for-each>
        </ul>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
