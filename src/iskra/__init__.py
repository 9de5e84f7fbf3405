"""Iskra: a bilingual publishing platform on Wagtail."""
