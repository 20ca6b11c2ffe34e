"""``python -m geokg``."""

from geokg.cli import main

main()
