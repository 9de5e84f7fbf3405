"""The static mirror: the public site written out as files that any static host, an
onion service or IPFS can serve at any address (``iskra export-mirror``), and that nginx
serves to the site's own anonymous readers.

``render`` asks Django for a page in-process, as the copy's version of it; ``crawl``
fetches every address the site answers and remembers what each links to; ``links`` maps
addresses to the copy's files and rewrites links to be relative; ``export`` runs a full
or an incremental export and switches the copy into place at once; ``extras`` writes
the old addresses and the search index; ``signing`` packs a copy with a signed manifest
of checksums.
"""
