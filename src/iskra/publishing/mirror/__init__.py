"""The static mirror: the public site written out as files that any static host, an
onion service or IPFS can serve at any address (``iskra export-mirror``).

``render`` asks Django for a page in-process, as the copy's version of it;
``links`` maps the site's addresses to the copy's files and rewrites links to be
relative; ``export`` crawls the site from its home pages and sitemap, writes every page,
file, feed and old address, builds the static search index and swaps the copy into
place at once; ``signing`` packs it with a signed manifest of checksums.
"""
