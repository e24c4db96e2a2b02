"""The site build: the MkDocs plugin ``sitebuild`` (plugin.py) and the modules it uses."""
