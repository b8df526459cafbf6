#!/usr/bin/env python3
"""Builds web pages from the plain-text news articles, in six templates
shaped like the sites that publish such news, with their clutter:

  wordpress    a WordPress theme: site header and menu, cookie bar, entry
               meta, share buttons, Jetpack related posts, post navigation,
               comments and comment form, sidebar widgets, footer
  drupal       a Drupal news site: banner, main menu, breadcrumb, Dublin Core
               metas (dcterms.*), field-based body, tags, a related-news
               views block, a sidebar with dated teasers, EU cookie popup
  agency       a news agency with JSON-LD (NewsArticle + BreadcrumbList),
               an itemprop=articleBody body with "Read also" inserts, a news
               ticker, photo with caption, tags, most-read block, subscribe
               banner
  government   a government press office: table layout, logo, left menu,
               DC.* metas, print/share links, a photo gallery, "other news"
               column with dates
  amp          an AMP page: amp-sidebar, amp-ad, amp-analytics, amp-social-share,
               amp-user-notification, JSON-LD, canonical to the full page
  cp1251       a portal served in windows-1251 (declared by http-equiv):
               Cyrillic menus, comments and cookie notice, og:site_name in
               Cyrillic, characters outside the charset as numeric references

The article's first line is its headline; a ` date YYYY-MM-DD` prefix, when
the text has one, becomes the page's publication date and appears only in
markup (never in the visible body). Every other line becomes a paragraph.

Usage: make_pages.py NEWS_DIR OUT_DIR
Writes OUT_DIR/<template>/<stem>.html and OUT_DIR/expected.json, the
metadata each page states: {template: {stem.html: {title, published,
canonical_url, site_name}}}.
"""
import html
import json
import os
import re
import sys

TEMPLATES = ["wordpress", "drupal", "agency", "government", "amp", "cp1251"]

SITES = {
    "wordpress": ("Horizon Weekly Review", "https://review.example.com"),
    "drupal": ("Eurasia Policy Monitor", "https://monitor.example.org"),
    "agency": ("Central Asian Wire Agency", "https://wire.example.kz"),
    "government": ("Office of the Prime Minister", "https://www.gov.example.am"),
    "amp": ("Regional News Network", "https://rnn.example.net"),
    "cp1251": ("\u041d\u043e\u0432\u043e\u0441\u0442\u0438 \u0421\u043e\u0434\u0440\u0443\u0436\u0435\u0441\u0442\u0432\u0430",
               "https://sodruzhestvo.example.by"),
}

# Clutter that would mislead extraction if it leaked into the text.
RELATED = [
    "SCO leaders sign the Astana Declaration at the summit on July 4, 2024",
    "CIS heads of state meet in Ashgabat; Turkmenistan takes over the chair",
    "Putin and Tokayev discuss the CSTO Collective Security Council in Moscow",
]
COMMENTS = [
    ("Aram", "The summit in Yerevan on November 23, 2022 was a failure, Pashinyan was right."),
    ("Daniyar", "Lukashenko proposed a new peacekeeping force at the last CSTO session in Minsk."),
]


def esc(s):
    return html.escape(s, quote=True)


def load(path):
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    lines = raw.split("\n")
    first = lines[0]
    date = None
    m = re.match(r"^\s*date (\d{4}-\d{2}-\d{2})\s*(.*)$", first)
    if m:
        date, first = m.group(1), m.group(2)
    headline = first.strip()
    paragraphs = [ln.strip() for ln in lines[1:] if ln.strip()]
    return headline, date, paragraphs


def slug(stem):
    return re.sub(r"^\d+_", "", stem).replace("_", "-")


def body_html(paragraphs, read_also=None):
    out = []
    for i, p in enumerate(paragraphs):
        out.append("<p>%s</p>" % esc(p))
        if read_also and i == 1:
            out.append(read_also)
    return "\n".join(out)


def canonical(template, stem, date):
    base = SITES[template][1]
    s = slug(stem)
    if template == "wordpress":
        if date:
            return "%s/%s/%s/%s/" % (base, date[:4], date[5:7], s)
        return "%s/news/%s/" % (base, s)
    if template == "drupal":
        return "%s/en/news/%s" % (base, s)
    if template == "agency":
        return "%s/en/news/%s-%s" % (base, stem[:3], s)
    if template == "government":
        d = date.replace("-", "/") if date else "archive"
        return "%s/en/press-release/item/%s/%s/" % (base, d, s)
    if template == "amp":
        return "%s/world/%s.html" % (base, s)
    return "%s/en/news/%s.html" % (base, stem[:3])


SCRIPT = """<script>
window.dataLayer = window.dataLayer || [];
function gtag(){dataLayer.push(arguments);}
var related = "<p>Summit of the CSTO in Minsk</p>"; /* markup inside script */
</script>"""


def wordpress(headline, date, paragraphs, url):
    site = SITES["wordpress"][0]
    date_meta = ""
    time_el = ""
    if date:
        date_meta = ('<meta property="article:published_time" content="%sT09:15:00+03:00">\n'
                     '<meta property="article:modified_time" content="%sT11:40:00+03:00">' % (date, date))
        time_el = ('<span class="posted-on"><a href="%s" rel="bookmark"><time class="entry-date published" '
                   'datetime="%sT09:15:00+03:00">%s</time></a></span>' % (esc(url), date, date))
    related = "\n".join(
        '<div class="jp-relatedposts-post"><h4 class="jp-relatedposts-post-title"><a href="/r%d/">%s</a></h4>'
        '<p class="jp-relatedposts-post-context">In &quot;World&quot;</p></div>' % (i, esc(r))
        for i, r in enumerate(RELATED))
    comments = "\n".join(
        '<li class="comment"><article class="comment-body"><footer class="comment-meta">'
        '<b class="fn">%s</b> <time datetime="2024-01-0%dT10:00:00+00:00">January %d, 2024</time></footer>'
        '<div class="comment-content"><p>%s</p></div></article></li>' % (esc(n), i + 1, i + 1, esc(t))
        for i, (n, t) in enumerate(COMMENTS))
    return """<!DOCTYPE html>
<html lang="en-US" class="no-js">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%(headline)s &#8211; %(site)s</title>
<meta name="robots" content="max-image-preview:large">
<link rel="canonical" href="%(url)s">
<meta property="og:locale" content="en_US">
<meta property="og:type" content="article">
<meta property="og:title" content="%(headline)s">
<meta property="og:url" content="%(url)s">
<meta property="og:site_name" content="%(site)s">
%(date_meta)s
<link rel="stylesheet" id="twentytwenty-style-css" href="/wp-content/themes/twentytwenty/style.css" media="all">
<style id="twentytwenty-style-inline-css">.color-accent{color:#cd2653;}</style>
%(script)s
</head>
<body class="post-template-default single single-post postid-4821 single-format-standard">
<a class="skip-link screen-reader-text" href="#site-content">Skip to the content</a>
<header id="site-header" class="header-footer-group" role="banner">
 <div class="header-inner section-inner">
  <div class="header-titles"><div class="site-title faux-heading"><a href="/">%(site)s</a></div>
  <div class="site-description">News and analysis from the Caucasus and Central Asia</div></div>
  <nav class="primary-menu-wrapper" aria-label="Horizontal" role="navigation"><ul class="primary-menu reset-list-style">
   <li class="menu-item"><a href="/politics/">Politics</a></li><li class="menu-item"><a href="/economy/">Economy</a></li>
   <li class="menu-item"><a href="/summits/">Summits</a></li><li class="menu-item"><a href="/opinion/">Opinion</a></li></ul></nav>
  <div class="search-modal cover-modal"><form role="search" method="get" class="search-form" action="/">
   <input type="search" class="search-field" placeholder="Search &hellip;" name="s"></form></div>
 </div>
</header>
<main id="site-content" role="main">
<article class="post-4821 post type-post status-publish format-standard hentry category-world" id="post-4821">
 <header class="entry-header has-text-align-center header-footer-group">
  <div class="entry-header-inner section-inner medium">
   <div class="entry-categories"><span class="screen-reader-text">Categories</span><div class="entry-categories-inner"><a href="/category/world/" rel="category tag">World</a></div></div>
   <h1 class="entry-title">%(headline)s</h1>
   <div class="post-meta-wrapper post-meta-single post-meta-single-top"><ul class="post-meta">
    <li class="post-author meta-wrapper"><span class="meta-text">By <a href="/author/desk/">News Desk</a></span></li>
    <li class="post-date meta-wrapper">%(time_el)s</li>
    <li class="post-comment-link meta-wrapper"><a href="#comments">2 Comments</a></li></ul></div>
  </div>
 </header>
 <div class="post-inner thin">
  <div class="entry-content">
%(body)s
<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing">
<h3 class="sd-title">Share this:</h3><div class="sd-content"><ul>
<li class="share-twitter"><a class="share-twitter sd-button" href="?share=twitter"><span>Twitter</span></a></li>
<li class="share-facebook"><a class="share-facebook sd-button" href="?share=facebook"><span>Facebook</span></a></li>
<li class="share-telegram"><a class="share-telegram sd-button" href="?share=telegram"><span>Telegram</span></a></li></ul></div></div></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline"><em>Related</em></h3>
%(related)s
</div>
  </div>
 </div>
 <div class="section-inner"><div class="post-meta-wrapper post-meta-single post-meta-single-bottom"><ul class="post-meta">
  <li class="post-tags meta-wrapper"><span class="meta-text"><a href="/tag/csto/" rel="tag">CSTO</a><a href="/tag/summit/" rel="tag">summit</a></span></li></ul></div></div>
 <nav class="pagination-single section-inner" aria-label="Post" role="navigation"><div class="pagination-single-inner">
  <a class="previous-post" href="/prev/"><span class="title">EAEU leaders meet by video link in December 2020</span></a>
  <a class="next-post" href="/next/"><span class="title">BRICS summit in Kazan opens on Tuesday</span></a></div></nav>
 <div class="comments-wrapper section-inner"><div class="comments" id="comments">
  <div class="comments-header section-inner small max-percentage"><h2 class="comment-reply-title">2 replies on &ldquo;%(headline)s&rdquo;</h2></div>
  <div class="comments-inner section-inner thin max-percentage"><ol class="comment-list">%(comments)s</ol></div>
  <div id="respond" class="comment-respond"><h2 id="reply-title" class="comment-reply-title">Leave a Reply</h2>
  <form action="/wp-comments-post.php" method="post" id="commentform" class="section-inner thin max-percentage">
  <p class="comment-notes">Your email address will not be published. Required fields are marked *</p>
  <p class="comment-form-comment"><label for="comment">Comment</label> <textarea id="comment" name="comment"></textarea></p>
  <p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment"></p></form></div>
 </div></div>
</article>
<aside id="secondary" class="widget-area" role="complementary">
 <section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>
  <li><a href="/a/">CSTO Secretary General visits Dushanbe ahead of the session</a></li>
  <li><a href="/b/">Kazakhstan proposes a water-energy consortium at the SCO summit</a></li></ul></section>
 <section id="tag_cloud-2" class="widget widget_tag_cloud"><h2 class="widget-title">Tags</h2><div class="tagcloud">
  <a href="/tag/armenia/">Armenia</a> <a href="/tag/belarus/">Belarus</a> <a href="/tag/russia/">Russia</a></div></section>
</aside>
</main>
<footer id="site-footer" role="contentinfo" class="header-footer-group"><div class="section-inner">
 <div class="footer-credits"><p class="footer-copyright">&copy; 2024 <a href="/">%(site)s</a></p>
 <p class="powered-by-wordpress"><a href="https://wordpress.org/">Powered by WordPress</a></p></div></div></footer>
<div id="cookie-law-info-bar" data-nosnippet="true"><span>This website uses cookies to improve your experience. We'll assume you're ok with this, but you can opt-out if you wish.
<a role="button" class="cli_action_button" id="cookie_action_close_header">Accept</a> <a href="/privacy/" id="CONSTANT_OPEN_URL" class="cli-plugin-main-link">Read More</a></span></div>
<script src="/wp-includes/js/wp-embed.min.js"></script>
</body>
</html>
""" % dict(headline=esc(headline), site=esc(site), url=esc(url), date_meta=date_meta, time_el=time_el,
           script=SCRIPT, body=body_html(paragraphs), related=related, comments=comments)


def drupal(headline, date, paragraphs, url):
    site = SITES["drupal"][0]
    date_meta = ""
    if date:
        date_meta = '<meta name="dcterms.date" content="%sT10:00+06:00">\n<meta name="dcterms.modified" content="%sT16:45+06:00">' % (date, date)
    teasers = "\n".join(
        '<div class="views-row"><div class="views-field views-field-created"><time datetime="2023-0%dT08:00:00Z">0%d/2023</time></div>'
        '<div class="views-field views-field-title"><span class="field-content"><a href="/en/news/t%d">%s</a></span></div></div>'
        % (i + 1, i + 1, i, esc(r)) for i, r in enumerate(RELATED))
    return """<!DOCTYPE html>
<html lang="en" dir="ltr" prefix="content: http://purl.org/rss/1.0/modules/content/  dc: http://purl.org/dc/terms/  og: http://ogp.me/ns#">
<head>
<meta charset="utf-8">
<meta name="Generator" content="Drupal 9 (https://www.drupal.org)">
<meta name="MobileOptimized" content="width">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="dcterms.title" content="%(headline)s">
<meta name="dcterms.creator" content="Editorial team">
<meta name="dcterms.publisher" content="%(site)s">
<meta name="dcterms.type" content="Text">
<meta name="dcterms.format" content="text/html">
%(date_meta)s
<link rel="canonical" href="%(url)s">
<link rel="shortlink" href="/en/node/48213">
<title>%(headline)s | %(site)s</title>
<link rel="stylesheet" media="all" href="/sites/default/files/css/css_a8Bd.css">
%(script)s
</head>
<body class="path-node page-node-type-news">
<a href="#main-content" class="visually-hidden focusable skip-link">Skip to main content</a>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<div class="layout-container">
<header role="banner"><div class="region region-header">
 <div id="block-sitebranding" class="block block-system block-system-branding-block"><a href="/en" rel="home" class="site-logo"><img src="/logo.svg" alt="Home"></a>
 <div class="site-name"><a href="/en" rel="home">%(site)s</a></div></div>
</div></header>
<div class="region region-primary-menu"><nav role="navigation" aria-labelledby="block-mainnavigation-menu" id="block-mainnavigation" class="block block-menu navigation menu--main">
 <ul class="menu"><li class="menu-item"><a href="/en/news">News</a></li><li class="menu-item"><a href="/en/analysis">Analysis</a></li><li class="menu-item"><a href="/en/events">Events</a></li></ul></nav></div>
<div class="region region-breadcrumb"><div id="block-breadcrumbs" class="block block-system block-system-breadcrumb-block">
 <nav class="breadcrumb" role="navigation" aria-labelledby="system-breadcrumb"><ol><li><a href="/en">Home</a></li><li><a href="/en/news">News</a></li></ol></nav></div></div>
<main role="main"><a id="main-content" tabindex="-1"></a>
<div class="layout-content">
<div class="region region-content">
 <div data-drupal-messages-fallback class="hidden"></div>
 <div id="block-pagetitle" class="block block-core block-page-title-block"><h1 class="page-title"><span class="field field--name-title field--type-string field--label-hidden">%(headline)s</span></h1></div>
 <div id="block-mainpagecontent" class="block block-system block-system-main-block">
 <article role="article" about="/en/news/x" class="node node--type-news node--promoted node--view-mode-full">
  <div class="node__meta"><span class="field field--name-uid field--type-entity-reference field--label-hidden"><span>editor</span></span></div>
  <div class="node__content">
   <div class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-hidden field__item">
%(body)s
   </div>
   <div class="field field--name-field-tags field--type-entity-reference field--label-above"><div class="field__label">Tags</div>
    <div class="field__items"><div class="field__item"><a href="/en/taxonomy/term/12" hreflang="en">CSTO</a></div><div class="field__item"><a href="/en/taxonomy/term/40" hreflang="en">Security</a></div></div></div>
  </div>
 </article></div>
 <div class="views-element-container block block-views block-views-blockrelated-news-block-1" id="block-views-block-related-news-block-1"><h2>Related news</h2>
 <div class="view view-related-news view-id-related_news"><div class="view-content">%(teasers)s</div></div></div>
</div></div>
<aside class="layout-sidebar-second" role="complementary"><div class="region region-sidebar-second">
 <div class="views-element-container block block-views" id="block-views-block-latest"><h2>Latest</h2>
 <div class="view-content">%(teasers)s</div></div></div></aside>
</main>
<footer role="contentinfo"><div class="region region-footer"><div id="block-footer" class="block block-block-content">
 <div class="clearfix text-formatted field field--name-body"><p>&copy; %(site)s. Reproduction only with a link to the source.</p></div></div></div></footer>
</div></div>
<div id="sliding-popup" class="sliding-popup-bottom" role="alertdialog" aria-describedby="popup-text"><div class="eu-cookie-compliance-banner eu-cookie-compliance-banner-info">
 <div class="popup-content info eu-cookie-compliance-content"><div id="popup-text" class="eu-cookie-compliance-message"><h2>We use cookies on this site to enhance your user experience</h2>
 <p>By clicking the Accept button, you agree to us doing so.</p></div>
 <div id="popup-buttons" class="eu-cookie-compliance-buttons"><button type="button" class="agree-button eu-cookie-compliance-default-button">Accept</button></div></div></div></div>
<script type="application/json" data-drupal-selector="drupal-settings-json">{"path":{"baseUrl":"\\/","currentLanguage":"en"}}</script>
</body>
</html>
""" % dict(headline=esc(headline), site=esc(site), url=esc(url), date_meta=date_meta, script=SCRIPT,
           body=body_html(paragraphs), teasers=teasers)


def agency(headline, date, paragraphs, url):
    site = SITES["agency"][0]
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "image": ["https://wire.example.kz/img/photo.jpg"],
        "author": {"@type": "Person", "name": "Aigerim Sadykova"},
        "publisher": {"@type": "Organization", "name": site,
                      "logo": {"@type": "ImageObject", "url": "https://wire.example.kz/logo.png"}},
        "inLanguage": "en",
    }
    if date:
        article["datePublished"] = "%sT14:20:00+05:00" % date
        article["dateModified"] = "%sT15:02:00+05:00" % date
    crumbs = {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": "https://wire.example.kz/en"},
        {"@type": "ListItem", "position": 2, "name": "World", "item": "https://wire.example.kz/en/world"}]}
    read_also = ('<p class="read-also"><strong>Read also:</strong> <a href="/en/news/999">%s</a></p>'
                 % esc(RELATED[0]))
    ticker = " ".join('<a href="/en/t/%d">%s</a>' % (i, esc(r)) for i, r in enumerate(RELATED))
    return """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>%(headline)s - %(site)s</title>
<meta name="description" content="%(description)s">
<meta name="twitter:card" content="summary_large_image">
<script type="application/ld+json">%(article)s</script>
<script type="application/ld+json">%(crumbs)s</script>
%(script)s
</head>
<body>
<div class="topline"><div class="container"><span class="topline__date">Today</span>
<div class="news-ticker">%(ticker)s</div><div class="lang-switch"><a href="/ru">RU</a> <a href="/kz">KZ</a></div></div></div>
<div class="header"><div class="container"><a class="logo" href="/en"><img src="/logo.png" alt="%(site)s"></a>
<ul class="main-menu"><li><a href="/en/politics">Politics</a></li><li><a href="/en/economy">Economy</a></li><li><a href="/en/world">World</a></li></ul></div></div>
<div class="container page">
<div class="col-main">
<div class="article" itemscope itemtype="https://schema.org/NewsArticle">
<h1 class="article__title" itemprop="headline">%(headline)s</h1>
<div class="article__info"><span class="article__author">Aigerim Sadykova</span> <span class="article__views">1 245 views</span></div>
<figure class="article__photo"><img src="/img/photo.jpg" alt=""><figcaption>Photo: press service of the Akorda</figcaption></figure>
<div class="article__text" itemprop="articleBody">
%(body)s
</div>
<div class="article__tags"><a href="/en/tags/csto">CSTO</a> <a href="/en/tags/summit">Summit</a></div>
<div class="article__share share"><span>Share:</span> <a href="#">Facebook</a> <a href="#">Telegram</a> <a href="#">WhatsApp</a></div>
<div class="subscribe-banner">Subscribe to our Telegram channel to be the first to know the news of Central Asia!</div>
</div>
</div>
<div class="col-side"><div class="most-read"><div class="most-read__title">Most read</div><ol>
%(most_read)s</ol></div>
<div class="adv-block"><div class="adv">Advertisement</div></div></div>
</div>
<div class="footer"><div class="container"><p>%(site)s &copy; 2010-2025. All rights reserved. Any use of materials is permitted only with a hyperlink.</p>
<p>Certificate of registration of a mass medium No. 1234-IA.</p></div></div>
</body>
</html>
""" % dict(headline=esc(headline), site=esc(site), script=SCRIPT,
           description=esc(paragraphs[0][:150] if paragraphs else headline),
           article=json.dumps(article, ensure_ascii=False).replace("</", "<\\/"),
           crumbs=json.dumps(crumbs), ticker=ticker,
           body=body_html(paragraphs, read_also=read_also),
           most_read="\n".join('<li><a href="/en/m/%d">%s</a></li>' % (i, esc(r)) for i, r in enumerate(RELATED)))


def government(headline, date, paragraphs, url):
    site = SITES["government"][0]
    date_meta = ('<meta name="DC.date.issued" content="%s">' % date) if date else ""
    other = "\n".join(
        '<tr><td class="other-news-item"><span class="dt">0%d.10.2023</span><br><a href="/en/press/%d">%s</a></td></tr>'
        % (i + 1, i, esc(r)) for i, r in enumerate(RELATED))
    return """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta http-equiv="Content-Language" content="en" />
<title>%(headline)s | %(site)s</title>
<meta name="DC.title" content="%(headline)s" />
<meta name="DC.publisher" content="%(site)s" />
%(date_meta)s
<link rel="canonical" href="%(url)s" />
<link href="/css/main.css" rel="stylesheet" type="text/css" />
%(script)s
</head>
<body>
<table width="100%%" cellpadding="0" cellspacing="0" border="0" class="main-table">
<tr><td colspan="3" class="top">
 <table width="100%%"><tr><td class="logo-cell"><a href="/en/"><img src="/img/coat-of-arms.png" alt="%(site)s" /></a></td>
 <td class="top-links"><a href="/hy/">&#1344;&#1377;&#1397;</a> | <a href="/ru/">&#1056;&#1091;&#1089;</a> | <a href="/en/">Eng</a> | <a href="/en/sitemap/">Site map</a></td></tr></table>
</td></tr>
<tr>
<td class="left-column" width="200" valign="top">
 <ul class="left-menu"><li><a href="/en/">Home</a></li><li><a href="/en/prime-minister/">Prime Minister</a></li><li><a href="/en/press-release/">Press releases</a></li>
 <li><a href="/en/messages/">Messages</a></li><li><a href="/en/interviews/">Interviews</a></li><li><a href="/en/government/">Government</a></li></ul>
 <div class="search-box"><form action="/en/search/" method="get"><input type="text" name="q" /><input type="submit" value="Search" /></form></div>
</td>
<td class="content-cell" valign="top">
 <div class="path"><a href="/en/">Home</a> &raquo; <a href="/en/press-release/">Press releases</a></div>
 <div class="news-meta"><span class="news-date">%(visible_date)s</span></div>
 <h2 class="news-title">%(headline)s</h2>
 <div class="news-text">
%(body)s
 </div>
 <div class="print-links"><a href="?print=1">Print version</a> | <a href="mailto:?subject=%(headline)s">Send to a friend</a></div>
 <div class="gallery"><a href="/img/g1.jpg"><img src="/img/g1s.jpg" alt="" /></a> <a href="/img/g2.jpg"><img src="/img/g2s.jpg" alt="" /></a> <a href="/img/g3.jpg">All photos (12)</a></div>
</td>
<td class="right-column" width="220" valign="top">
 <div class="block-title">Other news</div>
 <table class="other-news">%(other)s</table>
 <div class="banner"><a href="https://e-gov.example.am"><img src="/img/egov.png" alt="e-gov" /></a></div>
</td>
</tr>
<tr><td colspan="3" class="bottom">&copy; %(site)s. All rights reserved. When using materials, reference to the source is obligatory.<br />
Address: Republic Square, Government House 1</td></tr>
</table>
</body>
</html>
""" % dict(headline=esc(headline), site=esc(site), url=esc(url), date_meta=date_meta, script=SCRIPT,
           body=body_html(paragraphs), other=other,
           visible_date=("%s.%s.%s" % (date[8:10], date[5:7], date[:4])) if date else "")


def amp(headline, date, paragraphs, url):
    site = SITES["amp"][0]
    article = {"@context": "http://schema.org", "@type": "NewsArticle", "headline": headline,
               "publisher": {"@type": "Organization", "name": site,
                             "logo": {"@type": "ImageObject", "url": "https://rnn.example.net/logo.png"}},
               "mainEntityOfPage": url}
    time_el = ""
    if date:
        article["datePublished"] = "%sT07:30:00Z" % date
        time_el = '<time datetime="%sT07:30:00Z">%s</time>' % (date, date)
    return """<!doctype html>
<html \u26a1 lang="en">
<head>
<meta charset="utf-8">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<script async custom-element="amp-sidebar" src="https://cdn.ampproject.org/v0/amp-sidebar-0.1.js"></script>
<script async custom-element="amp-ad" src="https://cdn.ampproject.org/v0/amp-ad-0.1.js"></script>
<script async custom-element="amp-social-share" src="https://cdn.ampproject.org/v0/amp-social-share-0.1.js"></script>
<title>%(headline)s</title>
<link rel="canonical" href="%(url)s">
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
<script type="application/ld+json">%(article)s</script>
<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;animation:-amp-start 8s steps(1,end) 0s 1 normal both}</style><noscript><style amp-boilerplate>body{-webkit-animation:none;animation:none}</style></noscript>
<style amp-custom>.article-body p{margin:0 0 1em}.amp-header{background:#003}</style>
</head>
<body>
<amp-analytics type="googleanalytics"><script type="application/json">{"vars":{"account":"UA-0000-1"},"triggers":{"trackPageview":{"on":"visible","request":"pageview"}}}</script></amp-analytics>
<amp-sidebar id="sidebar" layout="nodisplay" side="left"><ul><li><a href="/world/">World</a></li><li><a href="/politics/">Politics</a></li><li><a href="/csto/">CSTO</a></li></ul></amp-sidebar>
<div class="amp-header"><button on="tap:sidebar.toggle" class="menu-button">Menu</button><a href="/" class="amp-logo">%(site)s</a></div>
<amp-ad width="320" height="100" type="adsense" data-ad-client="ca-pub-0000" data-ad-slot="1"></amp-ad>
<article class="amp-article">
<h1 class="amp-title">%(headline)s</h1>
<div class="amp-meta"><span class="amp-byline">RNN World Desk</span> %(time_el)s</div>
<amp-img src="https://rnn.example.net/img/lead.jpg" width="1200" height="675" layout="responsive" alt="Leaders at the summit"></amp-img>
<div class="article-body">
%(body)s
</div>
<amp-social-share type="twitter"></amp-social-share><amp-social-share type="facebook" data-param-app_id="1"></amp-social-share>
</article>
<section class="amp-related"><h2>More on this story</h2><ul>%(related)s</ul></section>
<div class="amp-footer"><a href="%(url)s">View full version</a> &middot; &copy; %(site)s</div>
<amp-user-notification layout="nodisplay" id="amp-user-notification1"><p>We use cookies to personalise content and ads.</p><button on="tap:amp-user-notification1.dismiss">I accept</button></amp-user-notification>
</body>
</html>
""" % dict(headline=esc(headline), site=esc(site), url=esc(url), time_el=time_el,
           article=json.dumps(article, ensure_ascii=False).replace("</", "<\\/"),
           body=body_html(paragraphs),
           related="".join('<li><a href="/r/%d.html">%s</a></li>' % (i, esc(r)) for i, r in enumerate(RELATED)))


def cp1251(headline, date, paragraphs, url):
    site = SITES["cp1251"][0]
    date_meta = ('<meta itemprop="datePublished" content="%sT11:05:00+03:00">' % date) if date else ""
    comments = "\n".join(
        '<div class="comment"><div class="comment-author">%s</div><div class="comment-text">%s</div></div>' % (esc(n), esc(t))
        for n, t in [("\u0418\u0432\u0430\u043d", "\u0421\u0430\u043c\u043c\u0438\u0442 \u041e\u0414\u041a\u0411 \u0432 \u041c\u0438\u043d\u0441\u043a\u0435 \u043f\u0440\u043e\u0448\u0451\u043b 23 \u043d\u043e\u044f\u0431\u0440\u044f 2023 \u0433\u043e\u0434\u0430."),
                     ("Guest", COMMENTS[1][1])])
    page = """<!DOCTYPE html>
<html lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>%(headline)s - %(site)s</title>
<meta property="og:title" content="%(headline)s">
<meta property="og:site_name" content="%(site)s">
<meta property="og:url" content="%(url)s">
<meta property="og:type" content="article">
%(script)s
</head>
<body>
<div id="top"><div class="logo"><a href="/">%(site)s</a></div>
<div id="menu"><a href="/">\u0413\u043b\u0430\u0432\u043d\u0430\u044f</a> | <a href="/news/">\u041d\u043e\u0432\u043e\u0441\u0442\u0438</a> | <a href="/politics/">\u041f\u043e\u043b\u0438\u0442\u0438\u043a\u0430</a> | <a href="/economy/">\u042d\u043a\u043e\u043d\u043e\u043c\u0438\u043a\u0430</a> | <a href="/en/">English</a></div></div>
<div id="content">
<div class="newsfull" itemscope itemtype="http://schema.org/NewsArticle">
%(date_meta)s
<h1 itemprop="headline">%(headline)s</h1>
<div class="newstext">
%(body)s
</div>
<div class="social-buttons">\u041f\u043e\u0434\u0435\u043b\u0438\u0442\u044c\u0441\u044f: <a href="#">VK</a> <a href="#">OK</a> <a href="#">Telegram</a></div>
</div>
<div class="related-news"><div class="title">\u0427\u0438\u0442\u0430\u0439\u0442\u0435 \u0442\u0430\u043a\u0436\u0435</div><ul>%(related)s</ul></div>
<div id="comments"><div class="title">\u041a\u043e\u043c\u043c\u0435\u043d\u0442\u0430\u0440\u0438\u0438 (2)</div>%(comments)s</div>
</div>
<div id="footer">\u00a9 %(site)s, 2001-2025. \u041f\u0440\u0438 \u0438\u0441\u043f\u043e\u043b\u044c\u0437\u043e\u0432\u0430\u043d\u0438\u0438 \u043c\u0430\u0442\u0435\u0440\u0438\u0430\u043b\u043e\u0432 \u0441\u0441\u044b\u043b\u043a\u0430 \u043e\u0431\u044f\u0437\u0430\u0442\u0435\u043b\u044c\u043d\u0430.
<div class="counters"><img src="/counter.gif" alt=""></div></div>
<div class="cookie-warning">\u041c\u044b \u0438\u0441\u043f\u043e\u043b\u044c\u0437\u0443\u0435\u043c \u0444\u0430\u0439\u043b\u044b cookie. <a href="#">OK</a></div>
</body>
</html>
""" % dict(headline=esc(headline), site=esc(site), url=esc(url), date_meta=date_meta, script=SCRIPT,
           body=body_html(paragraphs), comments=comments,
           related="".join('<li><a href="/n/%d">%s</a></li>' % (i, esc(r)) for i, r in enumerate(RELATED)))
    # Characters windows-1251 lacks become numeric references, as such
    # sites' CMSs write them.
    return page.encode("cp1251", errors="xmlcharrefreplace")


BUILDERS = {"wordpress": wordpress, "drupal": drupal, "agency": agency,
            "government": government, "amp": amp, "cp1251": cp1251}


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    news, out = sys.argv[1], sys.argv[2]
    stems = sorted(f[:-4] for f in os.listdir(news) if f.endswith(".txt"))
    expected = {}
    for template in TEMPLATES:
        os.makedirs(os.path.join(out, template), exist_ok=True)
        expected[template] = {}
        for stem in stems:
            headline, date, paragraphs = load(os.path.join(news, stem + ".txt"))
            url = canonical(template, stem, date)
            page = BUILDERS[template](headline, date, paragraphs, url)
            if isinstance(page, str):
                page = page.encode("utf-8")
            with open(os.path.join(out, template, stem + ".html"), "wb") as f:
                f.write(page)
            expected[template][stem + ".html"] = {
                "title": headline, "published": date or "", "canonical_url": url,
                "site_name": SITES[template][0]}
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
    print("wrote %d pages in %d templates to %s" % (len(stems) * len(TEMPLATES), len(TEMPLATES), out))


if __name__ == "__main__":
    main()
