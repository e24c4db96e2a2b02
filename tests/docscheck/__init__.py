"""The doc-test engine: every Python example under docs/ runs, and what it prints must match the
output block shown under it on the page. Loaded for the whole project by the top-level conftest.py.
"""
