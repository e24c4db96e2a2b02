"""The theme's search dialog and progress bar get the accessible names they lack.

Material for MkDocs renders them with a role but no name, which screen readers announce as an
unnamed dialog and an unnamed progress bar (axe-core rules aria-dialog-name and
aria-progressbar-name). Each replacement must match exactly once per page, or the build fails,
so a theme update that changes the markup cannot make this hook silently do nothing.
"""

from __future__ import annotations

from collections.abc import Collection

from mkdocs.exceptions import PluginError

NAMES = {
    '<div class="md-search" data-md-component="search" role="dialog">':
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">',
    '<div class="md-progress" data-md-component="progress" role="progressbar">':
        '<div class="md-progress" data-md-component="progress" role="progressbar" '
        'aria-label="Loading the page">',
}


# The theme feature that renders each element (None: always there).
FEATURES = {'<div class="md-progress" data-md-component="progress" role="progressbar">':
            "navigation.instant.progress"}


def name_elements(page_html: str, where: str, features: Collection[str] | None = None) -> str:
    """``page_html`` with the names added; PluginError if the theme's markup changed.

    ``features`` are the theme's enabled features: an element whose feature is off is not
    expected (all are, if None).
    """
    for markup, named in NAMES.items():
        feature = FEATURES.get(markup)
        if features is not None and feature is not None and feature not in features:
            continue
        count = page_html.count(markup)
        if count != 1:
            raise PluginError(f"{where}: expected the theme markup {markup!r} once, found {count}")
        page_html = page_html.replace(markup, named)
    return page_html
