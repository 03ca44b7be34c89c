"""sitemap.xml: every public page of every published event."""

SITEMAPS = {}
