"""geokg.extractors."""
