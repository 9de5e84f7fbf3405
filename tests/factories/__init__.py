"""Factories for test content, one module per app (``tests/factories/news.py`` ...).

They add to the demo site's trees (its home pages and sections are the roots) and never
rely on its texts.
"""
