from django.urls import include, path

from . import feeds

app_name = "feeds"

_patterns = [
    path("<str:language>/rss.xml", feeds.rss, name="rss"),
    path("<str:language>/atom.xml", feeds.atom, name="atom"),
    path("<str:language>/<slug:section>/rss.xml", feeds.rss, name="section-rss"),
    path("<str:language>/<slug:section>/atom.xml", feeds.atom, name="section-atom"),
]

feed_patterns = include((_patterns, "feeds"))
