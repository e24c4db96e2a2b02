"""Loads the doc-test engine (tests/docscheck) so that `pytest` checks every page under docs/."""

pytest_plugins = ["tests.docscheck.plugin", "pytester"]
