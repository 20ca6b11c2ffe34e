"""geokg.exports."""
