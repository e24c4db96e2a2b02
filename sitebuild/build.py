"""One build of the site: the object that owns its state, from ``on_config`` to the end.

The plugin (``plugin.py``) makes one at every build and hands it each MkDocs event. It reads
every page once through the doc-test engine's facade, and does what the modules of this package
provide: KaTeX's assets and typesetting (``katex``, ``formulas``, ``fonts``; the formulas of
pages made from Markdown are typeset by the Markdown extension ``katex_markdown``, with the
typesetter the build shares with it), the notebooks readers download or open in Colab
(``notebooks``), the figures examples draw (``figures``), the executed exercises
(``exercises``) and the edits of pages' HTML (``edits``), with what it keeps between builds in
one cache (``cache``). Paths come from the MkDocs configuration; every failure is a
``PluginError`` naming the page or file. ``close`` ends the KaTeX process and removes the
build's temporary folder, after a successful build and after a failed one. (The theme's
accessible names are template overrides, ``overrides/``.)
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.util
import string
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import nbformat
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils import get_relative_url

from docscheck import Page, PageError, Site
from docscheck.expand import front_matter_lines

from . import (
    cache,
    edits,
    exercises,
    figures,
    formulas,
    katex_markdown,
    live,
    markup,
    memo,
    notebooks,
    torchchecks,
)
from .fonts import merge, subset_fonts
from .katex import KatexError, Typesetter

if TYPE_CHECKING:
    from .plugin import SitebuildConfig

ASSETS = "assets/katex"
STYLESHEET = f"{ASSETS}/katex.min.css"
ARITHMATEX = "pymdownx.arithmatex"
NOTEBOOK_CSS = "assets/notebook.css"  # mkdocs-jupyter's, shared by the notebook pages
# What turns a notebook into the HTML of its page.
RENDERS_NOTEBOOKS = ("mkdocs-jupyter", "nbconvert", "mistune", "pygments", "jupytext")
# Every ASCII punctuation character as a numeric entity: Markdown and its extensions read
# them even inside an HTML attribute ([x](y) links, $ formulas, ` code, * emphasis, :emoji:).
_MARKDOWN_ENTITIES = str.maketrans({c: f"&#{ord(c)};" for c in string.punctuation})


def _end(example: Any) -> Any:
    """Where an example ends on its page: its output block's last line, or its closing fence."""
    return example.output.origins[-1] if example.output is not None else example.closing


@functools.cache
def _notebook_css() -> str:
    spec = importlib.util.find_spec("mkdocs_jupyter")
    if spec is None or spec.origin is None:
        raise PluginError("mkdocs-jupyter is not installed")
    assets = Path(spec.origin).parent / "templates" / "mkdocs_html" / "assets"
    return (assets / "index.css").read_text(encoding="utf-8")


@dataclasses.dataclass(frozen=True)
class Button:
    """A button under a page's title: its label, where it leads, the icon of the theme it
    shows on a page made from Markdown, and the file name a download is saved under."""

    label: str
    href: str
    icon: str
    download: str | None = None

    def markdown(self) -> str:
        attributes = f' download="{self.download}"' if self.download else ""
        return f"[:{self.icon}: {self.label}]({self.href}){{ .md-button{attributes} }}"

    def html(self) -> str:
        attributes = f' download="{self.download}"' if self.download else ""
        return f'<a class="md-button" href="{self.href}"{attributes}>{self.label}</a>'


class Build:
    """The state of one build."""

    def __init__(self, config: MkDocsConfig, settings: SitebuildConfig,
                 serving: live.Serving | None = None):
        self.root = Path(config.config_file_path).resolve().parent
        self.docs_dir = Path(config.docs_dir).resolve()  # as the engine names pages
        self.site_url = config.site_url or ""
        self.torch = notebooks.torch_version()  # the torch the outputs are checked with
        self._torch_checks: torchchecks.Record | None = None  # torch-checks.json, read once
        self.math = settings.math
        self.draw_figures = settings.figures
        self.colab_repository = settings.colab_repository
        self.colab_branch = settings.colab_branch
        # What this build makes for the site (figures, executed exercises), a folder of its own
        # so that builds running at once never share one; removed at the end, or when the
        # process ends if the build never does (interrupted with Ctrl-C, say).
        self._folder = tempfile.TemporaryDirectory(prefix="sitebuild-",
                                                   ignore_cleanup_errors=True)
        self.generated = Path(self._folder.name)
        # With the cache off, the build fills an empty cache of its own and throws it away: a
        # build without a cache goes through the same code as one that fills the cache.
        self.cache = cache.Cache(self.root / settings.cache_dir if settings.cache
                                 else self.generated / "cache")
        katex_dir = self.root / "node_modules" / "katex"
        try:
            if not (katex_dir / "dist" / "katex.min.css").is_file():
                raise PluginError(f"KaTeX is not installed in {katex_dir}: run `npm ci`")
            self.site = Site.load(Path(config.config_file_path),
                                  cache=self.cache.blobs("pages"))
            self.typesetter = Typesetter(katex_dir, self.cache.kept("katex.json"))
        except (PageError, PluginError, KatexError) as e:  # no build to close: remove its folder
            self._folder.cleanup()
            raise PluginError(str(e)) from None
        # The formulas of pages made from Markdown are typeset by the Markdown extension
        # (katex_markdown), with this build's typesetter; those of notebook pages by post_page.
        self.sharing = katex_markdown.Sharing(self.typesetter if self.math else None, PluginError)
        katex_markdown.share(self.sharing)
        # Under `mkdocs serve`: the live outputs, and what is wrong on each page now.
        self.live = serving.outputs(self.root) if serving is not None else None
        self.marks: dict[str, list[Any]] = {}  # src_uri -> failing verdicts
        self.pages: dict[str, Page] = {}  # src_uri -> page, for pages with examples
        self.figures: dict[str, list[figures.Figure]] = {}
        self.search_entries = memo.SearchEntries(self.cache.kept("search.json"))
        self.highlights = memo.Highlights(self.cache.kept("highlights.json"))
        self.highlights.install()

    # -- on_config, on_env -----------------------------------------------------------------------

    def configure(self, config: MkDocsConfig) -> MkDocsConfig:
        """KaTeX's stylesheet on every page; mkdocs-jupyter's pages and the search entries
        kept in the cache, the entries made without the formulas."""
        extensions = config.markdown_extensions
        if self.math and ARITHMATEX in extensions and katex_markdown.NAME not in extensions:
            raise PluginError(f"mkdocs.yml: markdown_extensions lists {ARITHMATEX} but not "
                              f"{katex_markdown.NAME}, which typesets the formulas it marks")
        if self.math and STYLESHEET not in config.extra_css:
            config.extra_css.insert(0, STYLESHEET)
        self._cache_notebook_pages(config)
        self.search_entries.install(config.plugins, formulas.exclude_from_search,
                                    made_by=(formulas, markup))
        return config

    def keep_templates(self, env: jinja2.Environment) -> jinja2.Environment:
        """The theme's templates compiled once, kept in the cache."""
        return memo.compiled_templates(env, self.cache)

    def _cache_notebook_pages(self, config: MkDocsConfig) -> None:
        """mkdocs-jupyter keeps each notebook page's HTML, keyed by the notebook's bytes, under
        the build's cache. Its key does not cover the packages that write the HTML, so their
        versions name the folder."""
        plugin = config.plugins.get("mkdocs-jupyter")
        if plugin is None:
            return
        settings: Any = plugin.config
        settings["cache"] = True
        tag = cache.key(versions=RENDERS_NOTEBOOKS)
        settings["cache_dir"] = str(self.cache.folder("notebook-pages", tag))

    # -- on_files ---------------------------------------------------------------------------------

    def add_files(self, files: Files, config: MkDocsConfig) -> Files:
        """What the build adds to the site: KaTeX's assets, each page's notebook, the figures,
        the executed exercises and the stylesheet of their pages."""
        if self.math:
            for uri, path in self.typesetter.assets():
                files.append(File.generated(config, f"{ASSETS}/{uri}", abs_src_path=str(path)))
        self._read_pages()
        if self.live is not None:
            self.marks = self.live.check(self.pages)
        self._page_notebooks(files, config)
        self._render_figures(files, config)
        self._build_exercises(files, config)
        if any(f.src_uri.startswith(f"{exercises.FOLDER}/") and f.src_uri.endswith(".ipynb")
               for f in files):
            files.append(File.generated(config, NOTEBOOK_CSS, content=_notebook_css()))
        return files

    def _page_notebooks(self, files: Files, config: MkDocsConfig) -> None:
        for uri, page in self.pages.items():
            stem = Path(uri).with_suffix("").as_posix()
            try:
                notebook = notebooks.page_notebook(page, stem, self.site_url,
                                                   self._checked_with(uri, page))
            except ValueError as e:
                raise PluginError(f"{self.docs_dir.name}/{uri}: {e}") from None
            if notebook is not None:
                name = f"{notebooks.NOTEBOOKS}/{notebooks.notebook_name(stem)}"
                files.append(File.generated(config, name, content=nbformat.writes(notebook)))

    def _other_checks(self, uri: str, page: Page) -> list[torchchecks.Check]:
        """The checks of ``make check-torch`` that still apply to the page, with other releases
        than the environment's."""
        if self._torch_checks is None:
            try:
                self._torch_checks = torchchecks.load(self.root)
            except torchchecks.RecordError as e:
                raise PluginError(str(e)) from None
        return [c for c in torchchecks.checks(self._torch_checks, uri, page)
                if c.release != self.torch]

    def _checked_with(self, uri: str, page: Page) -> list[str]:
        """The torch releases every output of the page was checked with: the environment's,
        and those of ``make check-torch`` that still apply and printed the same."""
        return [self.torch, *(c.release for c in self._other_checks(uri, page) if c.differ == 0)]

    def _read_pages(self) -> None:
        for path in self.site.page_paths():
            uri = path.relative_to(self.docs_dir).as_posix()
            try:
                page = self.site.read(path)
            except PageError as e:
                raise PluginError(str(e)) from None
            if page.examples:
                self.pages[uri] = page

    def _render_figures(self, files: Files, config: MkDocsConfig) -> None:
        every = []
        for uri, page in self.pages.items():
            stem = Path(uri).with_suffix("").as_posix()
            found = [f for e in page.examples if (f := figures.figure_of(e, stem)) is not None]
            if not self.draw_figures:
                found = []
            self.figures[uri] = found
            every += found
        out = self.generated / figures.FOLDER
        try:
            figures.render(every, self.root, self.generated, self.cache.entries("figures"))
        except figures.FigureError as e:
            raise PluginError(str(e)) from None
        for figure in every:
            for variant in figures.VARIANTS:
                uri = figure.file(variant)
                files.append(File.generated(config, uri, abs_src_path=str(out.parent / uri)))

    def _build_exercises(self, files: Files, config: MkDocsConfig) -> None:
        folder = self.docs_dir / exercises.FOLDER
        if not folder.is_dir():
            return
        out = self.generated / exercises.FOLDER
        try:
            built = exercises.build(folder, out, self.cache.blobs("exercises"), self.root)
        except exercises.ExerciseError as e:
            raise PluginError(str(e)) from None
        for path in built:
            # A plain File with its own source folder: mkdocs-jupyter reads it from disk.
            files.append(File(f"{exercises.FOLDER}/{path.name}", str(self.generated),
                              config.site_dir, config.use_directory_urls))

    # -- pages -----------------------------------------------------------------------------------

    def page_markdown(self, markdown: str, page: MkDocsPage) -> str:
        uri = page.file.src_uri
        self.sharing.page = f"{self.docs_dir.name}/{uri}"  # the page rendered next
        found = self.pages.get(uri)
        if found is None:
            return markdown
        lines = markdown.split("\n")
        # MkDocs took the front matter off the page; the examples' lines count it.
        shift = front_matter_lines(page.file.content_string)
        depth = uri.count("/")
        up = "../" * depth
        insertions: list[tuple[int, list[str]]] = []  # after which line of the page, what
        for example in found.examples:
            # A blank line between a code block and its output block: Python-Markdown reads two
            # fenced blocks on consecutive lines as one paragraph and wraps both in a <p>, which
            # HTML does not allow (a browser then splits it into empty paragraphs).
            block = example.output
            if (block is not None and example.closing.path == found.path
                    and block.origins[0] == dataclasses.replace(example.closing,
                                                                line=example.closing.line + 1)):
                insertions.append((example.closing.line - shift, [""]))
        for figure in self.figures.get(uri, []):
            example = figure.example
            after = _end(example)
            if after.path != found.path:
                raise PluginError(f"{example.where}: a figure's code block and output block must "
                                  "end on the page itself")
            # HTML, not Markdown's ![alt](src): an alt text may hold brackets, which would end
            # the image's syntax early and leave it on the page as text. Its punctuation is
            # written as entities, which Markdown leaves alone.
            alt = figure.alt.translate(_MARKDOWN_ENTITIES)
            # (MkDocs does not rewrite the addresses in HTML: relative to the page's URL.)
            images = [f'{example.indent}<img alt="{alt}" class="figure" loading="lazy" '
                      f'src="{get_relative_url(figure.file(v), page.url)}#only-{v}">'
                      for v in figures.VARIANTS]
            insertions.append((after.line - shift, ["", *images, ""]))
        for verdict in self.marks.get(uri, []):  # under `mkdocs serve`: what is wrong now
            after = _end(verdict.example)
            if after.path == found.path:
                command = live.page_command(found.path)
                insertions.append((after.line - shift,
                                   [verdict.example.indent + line if line else line
                                    for line in live.mark(verdict, command)]))
        for line, inserted in sorted(insertions, key=lambda i: -i[0]):
            lines[line:line] = inserted
        stem = Path(uri).with_suffix("").as_posix()
        notebook = f"{up}{notebooks.NOTEBOOKS}/{notebooks.notebook_name(stem)}"
        buttons = " ".join(b.markdown() for b in self._buttons(stem, notebook))
        at = 1 if lines and lines[0].startswith("# ") else 0
        also = self._other_checks(uri, found)
        lines[at:at] = ["", buttons, "",
                        torchchecks.statement(self.torch, also), "{ .checked-with }", ""]
        return "\n".join(lines)

    def page_content(self, page_html: str, page: MkDocsPage) -> str:
        uri = page.file.src_uri
        if uri.endswith(".ipynb"):
            # mkdocs-jupyter writes its stylesheet (about 570 KB) into every notebook page; the
            # pages link to one copy instead, which the browser fetches once. The buttons go
            # under the title, as on pages made from Markdown.
            link = f'<link rel="stylesheet" href="{get_relative_url(NOTEBOOK_CSS, page.url)}">'
            try:
                return edits.notebook_page(page_html, _notebook_css(), link,
                                           self._notebook_buttons(uri))
            except ValueError as e:
                raise PluginError(f"{self.docs_dir.name}/{uri}: {e} (sitebuild/edits.py, "
                                  "notebook_page)") from None
        return edits.break_after_dots(page_html)

    def _buttons(self, stem: str, notebook: str) -> list[Button]:
        """The buttons under the title of the page ``docs/<stem>``, whose notebook is at the
        address ``notebook``: download it, and open it in Colab where it is published."""
        buttons = [Button("Download the notebook", notebook, "material-download",
                          Path(notebook).name)]
        if self.colab_repository:
            url = notebooks.colab_url(self.colab_repository, self.colab_branch, stem)
            buttons.append(Button("Open in Colab", url, "simple-googlecolab"))
        return buttons

    def _notebook_buttons(self, uri: str) -> str:
        """The buttons of an exercise page (its notebook sits beside it), in HTML: the page is
        made from the notebook, not from Markdown."""
        stem = Path(uri).with_suffix("").as_posix()
        buttons = " ".join(b.html() for b in self._buttons(stem, Path(uri).name))
        return (f'<p class="notebook-buttons">{buttons}</p>\n'
                f'<p class="checked-with">{torchchecks.statement(self.torch, [])}</p>\n')

    def post_page(self, output: str, page: MkDocsPage) -> str:
        """Typeset the formulas of a finished notebook page (the only place where they are
        complete). Those of pages made from Markdown are typeset already (katex_markdown)."""
        where = f"{self.docs_dir.name}/{page.file.src_uri}"
        if not self.math or not page.file.src_uri.endswith(".ipynb"):
            return output
        try:
            return self.typesetter.typeset(output, formulas.notebook_formulas(output), where)
        except KatexError as e:
            raise PluginError(str(e)) from None

    # -- the end ---------------------------------------------------------------------------------

    def finish(self, config: MkDocsConfig) -> None:
        """KaTeX's fonts cut down to what the site's math draws; the cache written back, with
        only what this build used."""
        if self.math:
            fonts = Path(config.site_dir) / ASSETS / "fonts"
            subset_fonts(fonts, merge(self.typesetter.used), self.cache.entries("katex-fonts"),
                         katex=self.typesetter.version)
        self.cache.save()

    def close(self) -> None:
        katex_markdown.unshare(self.sharing)
        self.highlights.uninstall()
        self.typesetter.close()
        self._folder.cleanup()
