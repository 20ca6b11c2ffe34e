"""geokg.graph."""
