{% from "partials/text.html" import t with context %}<?xml version="1.0" encoding="utf-8"?>
<!--
  Fortsetzung – shows an Atom 1.0 or RSS 2.0 feed as a German web page when
  someone opens it in a browser (the plugin's feeds point here with an
  <?xml-stylesheet?> instruction). Feed readers ignore this file.

  XSLT 1.0 only, no scripts, nothing from another host: browsers apply it
  only from the same origin as the feed. The colours repeat those of
  css/main.css (this file cannot know SITEURL, so it cannot link that file).

  Entries show title, date and a short plain-text summary; the HTML of the
  content is never rendered.

  A Jinja template, written to theme/feed.xsl by TEMPLATE_PAGES, so that its
  text comes from partials/strings.html and its colours from THEME_COLORS.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  exclude-result-prefixes="atom dc">

  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat" indent="yes"/>

  <!-- Length of a summary in characters; longer text is cut after a word. -->
  <xsl:param name="summary-length" select="300"/>

  <xsl:variable name="feed" select="/atom:feed | /rss/channel"/>
  <xsl:variable name="title" select="normalize-space($feed/atom:title | $feed/title)"/>
  <xsl:variable name="description" select="normalize-space($feed/atom:subtitle | $feed/description)"/>
  <xsl:variable name="website"
    select="($feed/atom:link[@rel = 'alternate' or not(@rel)]/@href | $feed/link)[1]"/>
  <xsl:variable name="self" select="$feed/atom:link[@rel = 'self']/@href"/>
  <xsl:variable name="entries" select="$feed/atom:entry | $feed/item"/>

  <xsl:template match="/">
    <html lang="{{ DEFAULT_LANG or t.lang }}">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="robots" content="noindex"/>
        <title>
          <xsl:choose>
            <xsl:when test="$title">{{ t.feed_page_title|e }} <xsl:value-of select="$title"/></xsl:when>
            <xsl:otherwise>{{ t.feed_page_name|e }}</xsl:otherwise>
          </xsl:choose>
        </title>
        <style>
          :root {
            --color-text: #1a1a1a;
            --color-text-muted: #555;
            --color-bg: #fff;
            --color-bg-subtle: #f3f4f6;
            --color-border: #d0d4da;
            --color-link: #0b57a4;
            --color-link-visited: #5b2d8c;
            --color-link-hover: #063d75;
            --color-focus: #c2410c;
            --font-body: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
              "Noto Sans", "Liberation Sans", Arial, sans-serif;
            --font-mono: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono",
              monospace;
            color-scheme: light dark;
          }
          @media (prefers-color-scheme: dark) {
            :root {
              --color-text: #e8e8e8;
              --color-text-muted: #b4b4b4;
              --color-bg: #16181b;
              --color-bg-subtle: #23262b;
              --color-border: #444a52;
              --color-link: #8cc4ff;
              --color-link-visited: #c9a8f5;
              --color-link-hover: #b8dcff;
              --color-focus: #ffb077;
            }
          }
          *, *::before, *::after { box-sizing: border-box; }
          body {
            margin: 0;
            background: var(--color-bg);
            color: var(--color-text);
            font-family: var(--font-body);
            font-size: 1.0625rem;
            line-height: 1.6;
            overflow-wrap: break-word;
          }
          main { max-width: 40rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
          h1, h2, h3 { line-height: 1.25; margin: 2em 0 0.5em; }
          h1 { font-size: 1.75rem; }
          h2 { font-size: 1.375rem; }
          h3 { font-size: 1.125rem; margin: 0 0 0.25rem; }
          p, ol { margin: 0 0 1rem; }
          a { color: var(--color-link); text-underline-offset: 0.15em; }
          a:visited { color: var(--color-link-visited); }
          a:hover { color: var(--color-link-hover); text-decoration-thickness: 2px; }
          :focus-visible { outline: 3px solid var(--color-focus); outline-offset: 2px; }
          .notice {
            margin: 0 0 2rem;
            padding: 1rem;
            background: var(--color-bg-subtle);
            border-left: 4px solid var(--color-link);
            border-radius: 0.25rem;
          }
          .notice > :last-child { margin-bottom: 0; }
          .notice label { display: block; margin-bottom: 0.25rem; font-weight: 600; }
          .notice input {
            display: block;
            width: 100%;
            margin: 0 0 1rem;
            padding: 0.5rem;
            border: 1px solid var(--color-text-muted);
            border-radius: 0.25rem;
            background: var(--color-bg);
            color: var(--color-text);
            font-family: var(--font-mono);
            font-size: 0.9375rem;
          }
          .meta { color: var(--color-text-muted); font-size: 0.9375rem; }
          .meta time { white-space: nowrap; }
          .entries { list-style: none; margin: 0; padding: 0; }
          .entries li { margin: 0 0 1.5rem; padding: 0 0 1.5rem; border-bottom: 1px solid var(--color-border); }
          .entries li:last-child { border-bottom: 0; }
          .entries p { margin: 0.25rem 0 0; }
          @media (min-width: 40em) {
            body { font-size: 1.125rem; }
            h1 { font-size: 2.125rem; }
            h2 { font-size: 1.5rem; }
          }
        </style>
        {% include "partials/head_colors.html" %}
      </head>
      <body>
        <main>
          <div class="notice">
            <p><strong>{{ t.feed_page_this_is|e }}</strong> {{ t.feed_page_what|e }}</p>
            <p>{{ t.feed_page_how|e }}</p>
            <xsl:if test="$self">
              <label for="feed-adresse">{{ t.feed_address|e }}</label>
              <input id="feed-adresse" type="url" readonly="readonly" value="{$self}" spellcheck="false"/>
            </xsl:if>
            <xsl:if test="$website">
              <p><a href="{$website}">{{ t.feed_page_website|e }}</a></p>
            </xsl:if>
          </div>

          <h1>
            <xsl:choose>
              <xsl:when test="$title"><xsl:value-of select="$title"/></xsl:when>
              <xsl:otherwise>{{ t.feed_page_name|e }}</xsl:otherwise>
            </xsl:choose>
          </h1>
          <xsl:if test="$description and $description != $title">
            <p><xsl:value-of select="$description"/></p>
          </xsl:if>

          <h2>{{ t.feed_page_entries|e }}</h2>
          <xsl:choose>
            <xsl:when test="$entries">
              <ul class="entries">
                <xsl:apply-templates select="$entries"/>
              </ul>
            </xsl:when>
            <xsl:otherwise>
              <p>{{ t.feed_page_empty|e }}</p>
            </xsl:otherwise>
          </xsl:choose>
        </main>
      </body>
    </html>
  </xsl:template>

  <!-- One entry: title as a link, date, author, short summary. -->
  <xsl:template match="atom:entry | item">
    <xsl:variable name="link"
      select="(atom:link[@rel = 'alternate' or not(@rel)]/@href | link)[1]"/>
    <xsl:variable name="author" select="normalize-space((atom:author/atom:name | dc:creator)[1])"/>
    <li>
      <h3>
        <xsl:choose>
          <xsl:when test="$link">
            <a href="{$link}"><xsl:value-of select="normalize-space(atom:title | title)"/></a>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="normalize-space(atom:title | title)"/></xsl:otherwise>
        </xsl:choose>
      </h3>
      <xsl:if test="atom:published | atom:updated | pubDate or $author">
        <p class="meta">
          <xsl:choose>
            <xsl:when test="atom:published">
              <xsl:call-template name="iso-date">
                <xsl:with-param name="value" select="normalize-space(atom:published)"/>
              </xsl:call-template>
            </xsl:when>
            <xsl:when test="atom:updated">
              <xsl:call-template name="iso-date">
                <xsl:with-param name="value" select="normalize-space(atom:updated)"/>
              </xsl:call-template>
            </xsl:when>
            <xsl:when test="pubDate">
              <xsl:call-template name="rfc822-date">
                <xsl:with-param name="value" select="normalize-space(pubDate)"/>
              </xsl:call-template>
            </xsl:when>
          </xsl:choose>
          <xsl:if test="$author">
            <xsl:if test="atom:published | atom:updated | pubDate"> · </xsl:if>
            <xsl:text>{{ t.by|e }} </xsl:text>
            <xsl:value-of select="$author"/>
          </xsl:if>
        </p>
      </xsl:if>
      <xsl:variable name="summary" select="(atom:summary | description)[1]"/>
      <xsl:if test="normalize-space($summary)">
        <xsl:variable name="text">
          <xsl:choose>
            <!-- Atom type="text" or "xhtml": the string value is the text -->
            <xsl:when test="self::atom:entry and not($summary/@type = 'html')">
              <xsl:value-of select="substring(normalize-space($summary), 1, 2 * $summary-length)"/>
            </xsl:when>
            <!-- escaped HTML (Atom type="html", RSS description) -->
            <xsl:otherwise>
              <xsl:call-template name="html-to-text">
                <xsl:with-param name="html" select="substring($summary, 1, 8 * $summary-length)"/>
              </xsl:call-template>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:variable name="plain" select="normalize-space($text)"/>
        <xsl:if test="$plain">
          <p>
            <xsl:choose>
              <xsl:when test="string-length($plain) &gt; $summary-length">
                <xsl:variable name="rest" select="substring($plain, $summary-length + 1)"/>
                <xsl:value-of select="substring($plain, 1, $summary-length)" disable-output-escaping="no"/>
                <xsl:choose>
                  <xsl:when test="contains($rest, ' ')">
                    <xsl:value-of select="substring-before($rest, ' ')" disable-output-escaping="no"/>
                  </xsl:when>
                  <xsl:otherwise>
                    <xsl:value-of select="$rest" disable-output-escaping="no"/>
                  </xsl:otherwise>
                </xsl:choose>
                <xsl:text> …</xsl:text>
              </xsl:when>
              <xsl:otherwise>
                <xsl:value-of select="$plain" disable-output-escaping="no"/>
              </xsl:otherwise>
            </xsl:choose>
          </p>
        </xsl:if>
      </xsl:if>
    </li>
  </xsl:template>

  <!-- Text of an HTML fragment given as a string: tags removed (block ends
       become spaces), then the common character references decoded. -->
  <xsl:template name="html-to-text">
    <xsl:param name="html"/>
    <xsl:variable name="stripped">
      <xsl:call-template name="strip-tags">
        <xsl:with-param name="html" select="$html"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:call-template name="decode-entities">
      <xsl:with-param name="text" select="string($stripped)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="strip-tags">
    <xsl:param name="html"/>
    <xsl:choose>
      <xsl:when test="contains($html, '&lt;')">
        <xsl:value-of select="substring-before($html, '&lt;')"/>
        <xsl:variable name="tag" select="substring-before(substring-after($html, '&lt;'), '&gt;')"/>
        <xsl:if test="starts-with($tag, '/') or starts-with($tag, 'br') or starts-with($tag, 'li')">
          <xsl:text> </xsl:text>
        </xsl:if>
        <xsl:call-template name="strip-tags">
          <!-- an unclosed tag at the end (the text was cut) is dropped -->
          <xsl:with-param name="html" select="substring-after(substring-after($html, '&lt;'), '&gt;')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$html"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="decode-entities">
    <xsl:param name="text"/>
    <xsl:variable name="a">
      <xsl:call-template name="replace">
        <xsl:with-param name="text" select="$text"/>
        <xsl:with-param name="from" select="'&amp;lt;'"/>
        <xsl:with-param name="to" select="'&lt;'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="b">
      <xsl:call-template name="replace">
        <xsl:with-param name="text" select="string($a)"/>
        <xsl:with-param name="from" select="'&amp;gt;'"/>
        <xsl:with-param name="to" select="'&gt;'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="c">
      <xsl:call-template name="replace">
        <xsl:with-param name="text" select="string($b)"/>
        <xsl:with-param name="from" select="'&amp;quot;'"/>
        <xsl:with-param name="to" select="'&quot;'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="d">
      <xsl:call-template name="replace">
        <xsl:with-param name="text" select="string($c)"/>
        <xsl:with-param name="from" select="'&amp;#39;'"/>
        <xsl:with-param name="to" select="&quot;'&quot;"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="e">
      <xsl:call-template name="replace">
        <xsl:with-param name="text" select="string($d)"/>
        <xsl:with-param name="from" select="'&amp;nbsp;'"/>
        <xsl:with-param name="to" select="'&#160;'"/>
      </xsl:call-template>
    </xsl:variable>
    <!-- &amp; last, so that "&amp;lt;" stays "&lt;" -->
    <xsl:call-template name="replace">
      <xsl:with-param name="text" select="string($e)"/>
      <xsl:with-param name="from" select="'&amp;amp;'"/>
      <xsl:with-param name="to" select="'&amp;'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="replace">
    <xsl:param name="text"/>
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:choose>
      <xsl:when test="contains($text, $from)">
        <xsl:value-of select="substring-before($text, $from)"/>
        <xsl:value-of select="$to"/>
        <xsl:call-template name="replace">
          <xsl:with-param name="text" select="substring-after($text, $from)"/>
          <xsl:with-param name="from" select="$from"/>
          <xsl:with-param name="to" select="$to"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$text"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- "2025-06-16T12:00:00+02:00" (RFC 3339) as "16. Juni 2025". -->
  <xsl:template name="iso-date">
    <xsl:param name="value"/>
    <xsl:variable name="month" select="number(substring($value, 6, 2))"/>
    <xsl:choose>
      <xsl:when test="substring($value, 5, 1) = '-' and $month &gt;= 1 and $month &lt;= 12">
        <time datetime="{$value}">
          <xsl:value-of select="number(substring($value, 9, 2))"/>
          <xsl:text>. </xsl:text>
          <xsl:call-template name="month-name">
            <xsl:with-param name="number" select="$month"/>
          </xsl:call-template>
          <xsl:text> </xsl:text>
          <xsl:value-of select="substring($value, 1, 4)"/>
        </time>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$value"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- "Mon, 16 Jun 2025 12:00:00 +0200" (RFC 822) as "16. Juni 2025". -->
  <xsl:template name="rfc822-date">
    <xsl:param name="value"/>
    <xsl:variable name="date">
      <xsl:choose>
        <xsl:when test="contains($value, ',')">
          <xsl:value-of select="normalize-space(substring-after($value, ','))"/>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="$value"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="day" select="number(substring-before($date, ' '))"/>
    <xsl:variable name="month-abbr" select="substring(substring-after($date, ' '), 1, 3)"/>
    <xsl:variable name="year" select="substring(substring-after(substring-after($date, ' '), ' '), 1, 4)"/>
    <xsl:variable name="months" select="'JanFebMarAprMayJunJulAugSepOctNovDec'"/>
    <xsl:variable name="month"
      select="string-length(substring-before($months, $month-abbr)) div 3 + 1"/>
    <xsl:choose>
      <xsl:when test="string-length($month-abbr) = 3 and contains($months, $month-abbr)
                      and $day &gt;= 1 and $day &lt;= 31 and string(number($year)) != 'NaN'">
        <time datetime="{$year}-{format-number($month, '00')}-{format-number($day, '00')}">
          <xsl:value-of select="$day"/>
          <xsl:text>. </xsl:text>
          <xsl:call-template name="month-name">
            <xsl:with-param name="number" select="$month"/>
          </xsl:call-template>
          <xsl:text> </xsl:text>
          <xsl:value-of select="$year"/>
        </time>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$value"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="month-name">
    <xsl:param name="number"/>
    <xsl:choose>
      <xsl:when test="$number = 1">{{ t.months[0]|e }}</xsl:when>
      <xsl:when test="$number = 2">{{ t.months[1]|e }}</xsl:when>
      <xsl:when test="$number = 3">{{ t.months[2]|e }}</xsl:when>
      <xsl:when test="$number = 4">{{ t.months[3]|e }}</xsl:when>
      <xsl:when test="$number = 5">{{ t.months[4]|e }}</xsl:when>
      <xsl:when test="$number = 6">{{ t.months[5]|e }}</xsl:when>
      <xsl:when test="$number = 7">{{ t.months[6]|e }}</xsl:when>
      <xsl:when test="$number = 8">{{ t.months[7]|e }}</xsl:when>
      <xsl:when test="$number = 9">{{ t.months[8]|e }}</xsl:when>
      <xsl:when test="$number = 10">{{ t.months[9]|e }}</xsl:when>
      <xsl:when test="$number = 11">{{ t.months[10]|e }}</xsl:when>
      <xsl:when test="$number = 12">{{ t.months[11]|e }}</xsl:when>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
