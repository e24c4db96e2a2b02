"""MkDocs hook: every page with examples is also a Jupyter notebook, rendered by mkdocs-jupyter.

For ``docs/<page>.md`` the hook writes ``notebooks/<page>.ipynb``: the page's prose as Markdown
cells, each example as a code cell, and as that cell's output the output block the doc-test has
checked. mkdocs-jupyter renders it as a page (listed under "Notebooks" in the nav) and offers the
``.ipynb`` for download, so a reader can run every example of a page in Jupyter.

Pages are read through the doc-test engine's facade (``docscheck.Site``), so the code and
outputs of a notebook are exactly those the doc-test checked on the page.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from docscheck import Example, PageError, Site, split_shown

NOTEBOOKS = "notebooks"
# What nbconvert puts in a notebook page for MathJax and Mermaid, both loaded from a CDN; the
# site typesets math at build time (hooks/katex.py) and its notebooks have no diagrams.
_CDN_SCRIPTS = re.compile(
    r'<script src="">\s*</script>'
    r'|<script type="text/x-mathjax-config">.*?</script>'
    r'|<script type="module">(?:(?!</script>).)*?jp-Mermaid.*?</script>', re.S)
_ADMONITION = re.compile(r'^(\s*)(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+"(.*)")?\s*$')
_HEADING_ATTRS = re.compile(r"^(#+ .*?)\s*\{[^}]*\}\s*$")
_PAGE_LINK = re.compile(r"\]\(([\w./-]+)\.md(#[\w-]+)?\)")


def for_jupyter(lines: list[str], site_url: str) -> str:
    """Markdown of the site, rewritten for Jupyter: admonitions become block quotes, headings
    lose their attributes and code spans (so that the notebook's anchors match its table of
    contents), and links to other pages point to the site."""
    out: list[str] = []
    quote: int | None = None  # indentation of the admonition being quoted
    for line in lines:
        if quote is not None and not (line.strip() == "" or line.startswith(" " * (quote + 4))):
            quote = None
        if quote is not None:
            out.append("> " + _rewrite(line[quote + 4:], site_url) if line.strip() else ">")
            continue
        match = _ADMONITION.match(line)
        if match:
            quote = len(match.group(1))
            out.append(f"> **{match.group(2)}**" if match.group(2) else ">")
            continue
        out.append(_rewrite(line, site_url))
    return "\n".join(out).strip("\n")


def _rewrite(line: str, site_url: str) -> str:
    if line.startswith("#"):
        line = _HEADING_ATTRS.sub(r"\1", line).replace("`", "")
    return _PAGE_LINK.sub(lambda m: f"]({site_url}{_url(m.group(1))}{m.group(2) or ''})", line)


def _url(page: str) -> str:
    return "" if page == "index" else f"{page}/"


def _code_cell(example: Example, count: int) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(example.code.rstrip("\n"), execution_count=count)
    printed, error = example.shown, ""
    if example.raises:
        printed, error = split_shown(example.shown, example.raises)
    if printed.strip("\n"):
        # stdout and stderr come as one stream, in the order a terminal shows them (warnings
        # included): the notebook shows them as one output, as the page does.
        cell.outputs.append(nbformat.v4.new_output("stream", name="stdout",
                                                   text=printed.rstrip("\n") + "\n"))
    if error:
        name, _, message = error.partition(":")
        cell.outputs.append(nbformat.v4.new_output("error", ename=name, evalue=message.strip(),
                                                   traceback=error.split("\n")))
    return cell


def page_notebook(site: Site, page: Path, site_url: str) -> nbformat.NotebookNode | None:
    """The notebook of ``page``, or None when the page has no example."""
    read = site.read(page)
    expanded, examples = read.expanded, read.examples
    if not examples:
        return None
    stem = page.relative_to(site.config.docs_dir).with_suffix("").as_posix()
    download = f"{site_url}{NOTEBOOKS}/{_url(stem)}{stem}.ipynb"
    note = (f"*This notebook is the page <{site_url}{_url(stem)}> of Gradients in PyTorch "
            f"([download it]({download})). Each output below is "
            "the one checked on the site against `torch==2.13.0`: run the cells to see it again.*")
    cells = []
    position = 0
    for count, example in enumerate(examples, start=1):
        prose = for_jupyter(expanded.lines[position:example.start], site_url)
        if prose:
            cells.append(nbformat.v4.new_markdown_cell(prose))
        cells.append(_code_cell(example, count))
        position = example.end + 1
        if example.output:
            position = example.output.end + 1
    prose = for_jupyter(expanded.lines[position:], site_url)
    if prose:
        cells.append(nbformat.v4.new_markdown_cell(prose))
    title, _, rest = cells[0].source.partition("\n") if cells[0].cell_type == "markdown" else ("", "", "")
    if title.startswith("# "):
        cells[0].source = f"{title}\n\n{note}\n{rest}"
    else:
        cells.insert(0, nbformat.v4.new_markdown_cell(note))
    for number, cell in enumerate(cells, start=1):
        cell.id = f"{stem}-{number}"  # stable ids: the same page gives the same notebook
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


# Code cells scroll sideways when a line is long: keyboard users need to be able to focus them.
_CODE_CELL = '<div class="highlight-ipynb hl-python">'


def on_page_content(page_html, page, config, files):
    if page.file.src_uri.startswith(f"{NOTEBOOKS}/"):
        # A notebook repeats its page: leave it out of the search index, so results are not doubled.
        page.meta["search"] = {"exclude": True}
        page_html = _CDN_SCRIPTS.sub("", page_html)
        page_html = page_html.replace(_CODE_CELL, _CODE_CELL[:-1] + ' tabindex="0">')
        page_html = page_html.replace('<div class="highlight"><pre>',
                                      '<div class="highlight"><pre tabindex="0">')
    return page_html


def on_page_markdown(markdown, page, config, files):
    """Point each page with examples to its notebook."""
    notebook = f"{NOTEBOOKS}/{Path(page.file.src_uri).stem}.ipynb"
    if page.file.src_uri.endswith(".md") and files.get_file_from_path(notebook):
        markdown += (f"\n\n---\n\n:material-notebook-outline: Every example of this page is also "
                     f"in a [notebook]({notebook}) that you can download and run.\n")
    return markdown


@event_priority(100)  # before mkdocs-jupyter's on_files, which turns .ipynb files into pages
def on_files(files, config):
    site = Site.load(Path(config.config_file_path))
    out_dir = site.root / ".cache" / "notebooks-src"  # written anew on every build
    site_url = config.site_url or ""
    for page in sorted(site.config.docs_dir.glob("*.md")):
        try:
            notebook = page_notebook(site, page, site_url)
        except PageError as e:
            raise PluginError(str(e)) from None
        if notebook is None:
            continue
        uri = f"{NOTEBOOKS}/{page.stem}.ipynb"
        (out_dir / NOTEBOOKS).mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, out_dir / uri)
        # A plain File with its own source folder: mkdocs-jupyter reads the notebook from disk.
        files.append(File(uri, str(out_dir), config.site_dir, config.use_directory_urls))
    return files
