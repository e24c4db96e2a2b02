"""The site build: the package behind the hooks MkDocs calls (events.py)."""
