"""Links to PyTorch's reference: every API a page names links to its reference page at its
first mention, every link to the reference resolves in the installed torch, and every page ends
with further reading (tests/reference.py reads the built pages)."""

import re
from pathlib import Path

import pytest
import torch

from tests import reference
from tests.conftest import BuiltSite

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _source(site: Path, html: Path) -> Path | None:
    """The file a built page is made from: ``vjp/index.html`` from ``docs/vjp.md``, an
    exercise's page from its jupytext source."""
    folder = html.parent.relative_to(site).as_posix()
    for candidate in (DOCS / f"{folder}.md", DOCS / folder / "index.md",
                      DOCS / f"{folder}.py"):
        if candidate.is_file():
            return candidate
    return DOCS / "index.md" if folder == "." else None


def test_every_api_a_page_names_links_to_its_reference(built_site: BuiltSite) -> None:
    found, pages = [], 0
    for html in sorted(built_site.path.rglob("index.html")):
        source = _source(built_site.path, html)
        if source is None:  # the search page, and other pages of the theme
            continue
        pages += 1
        found += reference.problems(html.read_text(encoding="utf-8"), source,
                                    source.relative_to(ROOT).as_posix())
    assert pages >= len(list(DOCS.glob("*.md"))), pages
    assert not found, "\n".join(found)


PAGE = """<article class="md-content__inner md-typeset">
<h1>About <code>torch.autograd.grad</code></h1>
<p>{first} and later <code>torch.autograd.grad(y, x)</code> again.</p>
<pre><code>torch.func.jacrev(f)(x)</code></pre>
</article>"""
GRAD = "https://docs.pytorch.org/docs/stable/generated/torch.autograd.grad.html"


@pytest.mark.parametrize(("first", "message"), [
    ("<code>torch.autograd.grad</code>",
     "`torch.autograd.grad` is the first mention of torch.autograd.grad on the page"),
    (f'<a href="{GRAD}"><code>x.backward()</code></a>',
     "`x.backward()` links to torch.autograd.grad, which is not what it names "
     "(torch.Tensor.backward)"),
    ('<a href="https://pytorch.org/docs/stable/generated/torch.autograd.grad.html">'
     "<code>torch.autograd.grad</code></a>", "the reference is at https://docs.pytorch.org"),
    ('<a href="https://docs.pytorch.org/docs/stable/generated/torch.autograd.gard.html">'
     "<code>torch.autograd.grad</code></a>", "torch.autograd.gard does not exist in torch"),
    ('<a href="https://docs.pytorch.org/docs/stable/notes/autograds.html">notes</a> '
     f'<a href="{GRAD}"><code>torch.autograd.grad</code></a>',
     "docs/stable/notes/autograds.html is not a page known here"),
    ('<a href="https://docs.pytorch.org/docs/stable/generated/torch.autograd.gradcheck.html">'
     '<code>gradcheck</code></a> <a href="' + GRAD + '"><code>torch.autograd.grad</code></a>',
     "`gradcheck` links to torch.autograd.gradcheck: the reference documents it as "
     "torch.autograd.gradcheck.gradcheck"),
    ('<a href="../autograd-grad/"><code>torch.autograd.grad</code></a>',
     "`torch.autograd.grad` is the first mention of torch.autograd.grad"),
])
def test_a_wrong_or_missing_reference_link_is_named(tmp_path: Path, first: str, message: str) -> None:
    source = tmp_path / "page.md"
    source.write_text("# About\n\nText.\n")
    found = reference.problems(PAGE.format(first=first), source, "docs/page.md")
    assert message in found[0] and found[0].startswith("docs/page.md:"), found
    # A link to the wrong page links nothing: the later mention of what it named needs one.
    assert len(found) == (2 if "which is not what it names" in message else 1), found


def test_inline_code_naming_what_torch_does_not_have_is_named(tmp_path: Path) -> None:
    source = tmp_path / "page.md"
    source.write_text("# About\n\nUse `torch.autograd.gard(y, x)`.\n")
    first = f'<code>torch.autograd.gard(y, x)</code> <a href="{GRAD}"><code>grad</code></a>'
    found = reference.problems(PAGE.format(first=first), source, "docs/page.md")
    assert found == ["docs/page.md:3: `torch.autograd.gard(y, x)` names torch.autograd.gard, "
                     f"which torch {torch.__version__} does not have"]


def test_a_linked_first_mention_passes_and_later_mentions_need_no_link(tmp_path: Path) -> None:
    source = tmp_path / "page.md"
    source.write_text("# About\n")
    first = f'<a href="{GRAD}"><code>torch.autograd.grad</code></a> and <code>grad</code>'
    assert reference.problems(PAGE.format(first=first), source, "docs/page.md") == []


@pytest.mark.parametrize("page", sorted(p.name for p in DOCS.glob("*.md")))
def test_every_page_ends_with_further_reading(page: str) -> None:
    """The last section of each page lists the official notes and tutorials on its subject."""
    text = (DOCS / page).read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)
    last = sections[-1]
    assert last.startswith("Further reading"), f"docs/{page}: the last section is ## {last[:40]!r}"
    links = re.findall(r"\]\((https://docs\.pytorch\.org/[^)]+)\)", last)
    assert links, f"docs/{page}: ## Further reading links nothing of PyTorch's documentation"


def test_a_mention_is_found_on_the_line_that_shows_the_whole_name(tmp_path: Path) -> None:
    """`grad` is not the start of `gradient`, nor of `grad.zero_()`: the line reported is the
    one where the page shows `grad` itself (or starts it, in a span cut at the end of a line)."""
    source = tmp_path / "page.md"
    source.write_text("# About\n\nThe `gradient` argument, and `grad.zero_()`.\n\n"
                      "Then `grad` itself, and `torch.autograd.grad(y,\nx)` cut in two.\n")
    assert reference.line_of(source, "grad") == 5
    assert reference.line_of(source, "torch.autograd.grad(y,") == 5
    first = '<code>gradient</code> <code>grad</code>'
    found = reference.problems(PAGE.format(first=first).replace(
        "and later <code>torch.autograd.grad(y, x)</code> again", ""), source, "docs/page.md")
    assert [f.split(": ")[0] for f in found] == ["docs/page.md:5"], found


def test_a_name_under_its_usual_import_alias_is_the_module_function(tmp_path: Path) -> None:
    """`F.relu` is torch.nn.functional.relu (import torch.nn.functional as F), not the method
    relu of a tensor named F."""
    source = tmp_path / "page.md"
    source.write_text("# About\n\nUse `F.relu(x)`.\n")
    relu = "https://docs.pytorch.org/docs/stable/generated/torch.nn.functional.relu.html"
    linked = f'<a href="{relu}"><code>F.relu(x)</code></a> <a href="{GRAD}"><code>grad</code></a>'
    assert reference.problems(PAGE.format(first=linked), source, "docs/page.md") == []
    bare = f'<code>F.relu(x)</code> <a href="{GRAD}"><code>grad</code></a>'
    assert reference.problems(PAGE.format(first=bare), source, "docs/page.md") == [
        "docs/page.md:3: `F.relu(x)` is the first mention of torch.nn.functional.relu on the "
        f"page: link it to its reference, {relu}"]


def test_a_page_of_its_own_with_its_own_anchor_is_a_valid_link() -> None:
    """The reference's generated pages carry the object's own name as an anchor too."""
    assert reference.link_target(f"{GRAD}#torch.autograd.grad") == ("torch.autograd.grad", None)
    assert reference.link_target(f"{GRAD}#torch.autograd.gradcheck")[1] == (
        "#torch.autograd.gradcheck is not a member of torch.autograd.grad")
