"""RSS and Atom feeds, included under the language prefixes: /feeds/rss/ in English,
/ur/feeds/rss/ in Urdu. The full/ variants carry whole articles."""
from django.urls import path

from . import feeds
from .outreach_urls import feed_view

urlpatterns = [
    path("feeds/rss/", feed_view(feeds.SiteFeed), name="feed-rss"),
    path("feeds/atom/", feed_view(feeds.SiteAtomFeed), name="feed-atom"),
    path("feeds/section/<str:slug>/rss/", feed_view(feeds.SectionFeed), name="section-feed-rss"),
    path("feeds/section/<str:slug>/atom/", feed_view(feeds.SectionAtomFeed), name="section-feed-atom"),
    path("feeds/author/<str:slug>/rss/", feed_view(feeds.AuthorFeed), name="author-feed-rss"),
    path("feeds/author/<str:slug>/atom/", feed_view(feeds.AuthorAtomFeed), name="author-feed-atom"),
    path("feeds/rss/full/", feed_view(feeds.SiteFullFeed), name="feed-rss-full"),
    path("feeds/atom/full/", feed_view(feeds.SiteFullAtomFeed), name="feed-atom-full"),
    path("feeds/feed.xsl", feeds.stylesheet, name="feed-xsl"),
]
