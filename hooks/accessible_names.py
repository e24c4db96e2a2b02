"""MkDocs hook: give the theme's search dialog and progress bar the accessible names they lack.

Material for MkDocs renders them with a role but no name, which screen readers announce as an
unnamed dialog and an unnamed progress bar (axe-core rules aria-dialog-name and
aria-progressbar-name). Each replacement must match exactly once per page, or the build fails,
so a theme update that changes the markup cannot make this hook silently do nothing.
"""

from mkdocs.exceptions import PluginError

NAMES = {
    '<div class="md-search" data-md-component="search" role="dialog">':
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">',
    '<div class="md-progress" data-md-component="progress" role="progressbar">':
        '<div class="md-progress" data-md-component="progress" role="progressbar" '
        'aria-label="Loading the page">',
}


def name_elements(page_html: str, where: str) -> str:
    for markup, named in NAMES.items():
        count = page_html.count(markup)
        if count != 1:
            raise PluginError(f"{where}: expected the theme markup {markup!r} once, found {count}")
        page_html = page_html.replace(markup, named)
    return page_html


def on_post_page(output, page, config):
    return name_elements(output, page.file.src_uri)
