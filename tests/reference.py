"""Links to PyTorch's reference, and the PyTorch names a page mentions, in a built site.

Every PyTorch API a page names in code (``torch.func.jacrev``, ``x.detach()``, ``no_grad``) is a
link to its page of the reference at its first mention on that page (headings aside), and every
link to the reference follows the reference's address scheme with a name that resolves, by
import, in the installed torch. Names are resolved as Python would: ``torch.autograd.grad`` by
attribute access (importing submodules where needed), a method on a variable (``y.backward``)
on the class the variable holds (a tensor unless its name says otherwise), a bare name
(``jacrev``) in the namespaces the site uses.
"""

from __future__ import annotations

import builtins
import dataclasses
import importlib
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import torch

HOST = "https://docs.pytorch.org"
# The reference of the current release: a generated page per object, or a page of the
# reference with the object's anchor, or one of its narrative pages and notes.
GENERATED = re.compile(r"https://docs\.pytorch\.org/docs/stable/generated/([\w.]+)\.html"
                       r"(?:#([\w.]+))?")
ANCHORED = re.compile(r"https://docs\.pytorch\.org/docs/stable/([\w.]+)\.html#(torch\.[\w.]+)")
# The narrative pages of the reference and the tutorials linked from the site; a new one is
# added here after checking that it exists, so that a mistyped address fails.
PAGES = {
    "docs/stable/autograd.html", "docs/stable/func.html", "docs/stable/func.api.html",
    "docs/stable/func.ux_limitations.html", "docs/stable/func.whirlwind_tour.html",
    "docs/stable/func.migrating.html", "docs/stable/checkpoint.html",
    "docs/stable/notes/autograd.html", "docs/stable/notes/extending.html",
    "docs/stable/notes/extending.func.html", "docs/stable/notes/faq.html",
    "docs/stable/notes/numerical_accuracy.html", "docs/stable/torch.compiler_faq.html",
    "docs/stable/tensor_attributes.html", "docs/stable/optim.html", "docs/stable/nn.html",
    "docs/stable/tensors.html", "docs/stable/torch.html", "docs/stable/benchmark_utils.html",
    "docs/stable/testing.html",
    "tutorials/beginner/basics/autogradqs_tutorial.html",
    "tutorials/beginner/basics/tensorqs_tutorial.html",
    "tutorials/beginner/blitz/autograd_tutorial.html",
    "tutorials/beginner/understanding_leaf_vs_nonleaf_tutorial.html",
    "tutorials/beginner/examples_autograd/polynomial_custom_function.html",
    "tutorials/intermediate/jacobians_hessians.html",
    "tutorials/intermediate/per_sample_grads.html",
    "tutorials/intermediate/forward_ad_usage.html",
    "tutorials/intermediate/neural_tangent_kernels.html",
    "tutorials/intermediate/ensembling.html",
    "tutorials/intermediate/autograd_saved_tensors_hooks_tutorial.html",
    "tutorials/intermediate/custom_function_double_backward_tutorial.html",
    "tutorials/intermediate/custom_function_conv_bn_tutorial.html",
    "tutorials/recipes/recipes/zeroing_out_gradients.html",
    "tutorials/recipes/recipes/tuning_guide.html",
}
NARRATIVE = re.compile(r"https://docs\.pytorch\.org/((?:docs/stable|tutorials)/[\w./-]+\.html)"
                       r"(?:#[\w.-]+)?")
# What a variable holds, by its name, when a page calls a method on it; any other name holds
# a tensor.
RECEIVERS: dict[str, Any] = {
    "optimizer": torch.optim.Optimizer, "opt": torch.optim.Optimizer,
    "model": torch.nn.Module, "module": torch.nn.Module, "net": torch.nn.Module,
    "layer": torch.nn.Module, "ctx": torch.autograd.function.FunctionCtx,
    "Function": torch.autograd.Function,
}
# Modules under the names they are usually imported as (`import torch.nn.functional as F`):
# `F.relu` is torch.nn.functional.relu, not the method relu of a tensor named F.
ALIASES = {"F": "torch.nn.functional"}
# Where a bare name is looked up: the namespaces whose functions the site's pages use.
NAMESPACES = ("torch.Tensor", "torch.func", "torch.autograd", "torch.autograd.functional",
              "torch.autograd.forward_ad", "torch.autograd.graph", "torch.utils.checkpoint",
              "torch", "torch.nn.functional")
# Bare names the pages write for something else than the function torch has under that name:
# arguments (backward's gradient and inputs, a dim; torch.gradient computes finite
# differences) and printed values (`tensor([0.])` is what print shows, not torch.tensor).
NOT_APIS = {"gradient", "inputs", "dim", "out", "tensor"}
_CALLS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_DOTTED = re.compile(r"\.?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


def resolve(dotted: str) -> Any:
    """The object ``dotted`` (``torch.autograd.grad``) names, as attribute access from its
    top module finds it (importing submodules that are not attributes yet), or else as an
    attribute of the longest importable module path (``torch.autograd.gradcheck.gradcheck``,
    whose module the function of the same name shadows); None if neither does."""
    parts = dotted.split(".")
    try:
        obj: Any = importlib.import_module(parts[0])
    except ImportError:
        return None
    for index, part in enumerate(parts[1:], start=1):
        if hasattr(obj, part):
            obj = getattr(obj, part)
            continue
        try:
            obj = importlib.import_module(".".join(parts[: index + 1]))
        except ImportError:
            break
    else:
        return obj
    for end in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
        for part in parts[end:]:
            obj = getattr(obj, part, None)
        return obj
    return None


# Attributes the reference has no page for (the autograd notes describe them).
UNDOCUMENTED = ("torch.Tensor.grad_fn", "torch.Tensor.data")


def _is_api(obj: Any) -> bool:
    """Functions, classes, methods, properties: what has a page in the reference (modules,
    constants, dtypes and the attributes of UNDOCUMENTED do not count)."""
    if any(obj is resolve(name) for name in UNDOCUMENTED):
        return False
    return obj is not None and not isinstance(obj, (torch.dtype, int, float, str)) and (
        callable(obj) or isinstance(obj, (property,)) or type(obj).__name__.endswith(
            ("descriptor", "getset_descriptor", "member_descriptor")))


def _members(owner: Any, name: str) -> list[Any]:
    """The attribute ``name`` of a class as the class holds it: a property, not its value; the
    function of a class method."""
    for klass in getattr(owner, "__mro__", (owner,)):
        if name in vars(klass):
            found = vars(klass)[name]
            return [getattr(found, "__func__", found)]
    found = getattr(owner, name, None)
    return [found] if found is not None else []


def _bare(code: str) -> str:
    """Inline code without its calls and subscripts: ``y.sum().backward()`` is
    ``y.sum.backward``."""
    text = code.strip()
    while _CALLS.search(text):
        text = _CALLS.sub("", text)
    return text


def _unalias(dotted: str) -> str:
    """``F.relu`` as ``torch.nn.functional.relu`` (ALIASES); any other name unchanged."""
    first, dot, rest = dotted.partition(".")
    return f"{ALIASES[first]}.{rest}" if dot and rest and first in ALIASES else dotted


def unknown(code: str) -> str | None:
    """The ``torch.`` name inline code uses that the installed torch does not have, if any."""
    text = _unalias(_bare(code.strip().split("(")[0]))
    if _DOTTED.fullmatch(text) and text.startswith("torch.") and resolve(text) is None:
        return text
    return None


def candidates(code: str) -> list[Any]:
    """The PyTorch objects a piece of inline code names ([] when it names none): the outermost
    call of ``y.sum().backward()`` is ``torch.Tensor.backward``."""
    text = _bare(code)
    if not _DOTTED.fullmatch(text):
        return []
    if text != _bare(code.strip().split("(")[0]):
        # calls in a chain (`y.sum().backward()`, `torch.tensor(...).cuda()`): the outermost
        # is a method of what the call before it returned, a tensor
        return [obj for obj in _members(torch.Tensor, text.split(".")[-1]) if _is_api(obj)]
    parts = _unalias(text.lstrip(".")).split(".")
    if any(part.startswith("_") for part in parts):  # private: not in the reference
        return []
    if text.startswith("."):  # `.grad`, `.to(...)`: an attribute of a tensor
        parts = ["Tensor", *parts]
    first = parts[0]
    if first == "torch" or (len(parts) > 1 and isinstance(getattr(torch, first, None),
                                                            type(torch))):
        dotted = ".".join(parts if first == "torch" else ["torch", *parts])
        found = resolve(dotted)
        return [found] if _is_api(found) else []
    if first == "Tensor":
        owner: Any = torch.Tensor
    elif len(parts) > 1:
        owner = RECEIVERS.get(first, torch.Tensor)
    else:  # a bare name
        if len(first) <= 2 or hasattr(builtins, first) or first in NOT_APIS:
            return []
        found = [member for space in NAMESPACES
                 for member in _members(resolve(space), first)]
        return [obj for obj in found if _is_api(obj)]
    objects = _members(owner, parts[-1])
    return [obj for obj in objects if _is_api(obj)]


def link_target(href: str) -> tuple[str | None, str | None]:
    """For a link to the reference: the dotted name it documents (None for narrative pages),
    and what is wrong with it (None if nothing)."""
    if not href.startswith(("http://docs.pytorch.org", "https://docs.pytorch.org",
                            "http://pytorch.org/docs", "https://pytorch.org/docs",
                            "https://pytorch.org/tutorials", "http://pytorch.org/tutorials")):
        return None, None
    if not href.startswith(HOST + "/"):
        return None, f"the reference is at {HOST}/docs/stable/... (https)"
    match = GENERATED.fullmatch(href)
    if match:  # a page of its own, or a member on its class's page
        name = match[2] or match[1]
        # (a page of its own also carries the object's own name as an anchor)
        if match[2] and match[2] != match[1] and not match[2].startswith(match[1] + "."):
            return name, f"#{match[2]} is not a member of {match[1]}"
        return name, None if resolve(name) is not None else (
            f"{name} does not exist in torch {torch.__version__}")
    match = ANCHORED.fullmatch(href)
    if match:
        page, name = match[1], match[2]
        if f"docs/stable/{page}.html" not in PAGES:
            return name, f"docs/stable/{page}.html is not a page of the reference known here"
        return name, None if resolve(name) is not None else (
            f"{name} does not exist in torch {torch.__version__}")
    match = NARRATIVE.fullmatch(href)
    if match:
        return None, None if match[1] in PAGES else (
            f"{match[1]} is not a page known here (tests/reference.py, PAGES)")
    return None, ("not an address of the reference: docs/stable/generated/<name>.html, "
                  "docs/stable/<page>.html#<name>, or a page of the notes or tutorials")


@dataclasses.dataclass
class Mention:
    code: str  # the inline code, as the page shows it
    href: str | None  # the link it is the text of (or inside), if any


class _Article(HTMLParser):
    """The inline code and the links of a page's content, in order; code blocks, headings and
    the page's buttons left out."""

    _SKIP = {"pre", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <article>: its nesting depth
        self.skipping = 0
        self.href: list[str | None] = []
        self.code: list[str] | None = None
        self.mentions: list[Mention] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "article":
            self.depth += 1
        if not self.depth:
            return
        if tag in self._SKIP:
            self.skipping += 1
        elif tag == "a":
            href = found.get("href")
            self.href.append(href)
            if href and not self.skipping:
                self.links.append(href)
        elif tag == "code" and not self.skipping:
            self.code = []

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        if tag == "article":
            self.depth -= 1
        elif tag in self._SKIP:
            self.skipping -= 1
        elif tag == "a" and self.href:
            self.href.pop()
        elif tag == "code" and self.code is not None:
            href = next((h for h in reversed(self.href) if h), None)
            self.mentions.append(Mention("".join(self.code), href))
            self.code = None

    def handle_data(self, data: str) -> None:
        if self.code is not None:
            self.code.append(data)


def read(html: str) -> _Article:
    article = _Article()
    article.feed(html)
    return article


def line_of(source: Path, code: str) -> int:
    """The first line of ``source`` that shows ``code`` as inline code: the whole span, or
    failing that, the start of a span in which the name is whole (a span cut at the end of the
    line, or ``grad(f)``; but ``grad`` does not start ``gradient`` or ``grad.zero_()``); 1 if no
    line does."""
    lines = source.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if f"`{code}`" in line:
            return number
    start = re.compile(re.escape(f"`{code}") + r"(?!\w|\.\w)")
    for number, line in enumerate(lines, start=1):
        if start.search(line.replace("``", "`")):
            return number
    return 1


def problems(html: str, source: Path, shown: str) -> list[str]:
    """What is wrong with the reference links of one built page, each as ``file:line: ...``;
    ``source`` is the file the page is made from, ``shown`` its name in the messages."""
    article = read(html)
    found: list[str] = []
    for href in dict.fromkeys(article.links):
        _, wrong = link_target(href)
        if wrong:
            found.append(f"{shown}:{line_of_href(source, href)}: {href}: {wrong}")
    linked: set[int] = set()
    for mention in article.mentions:
        missing = unknown(mention.code)
        if missing:
            found.append(f"{shown}:{line_of(source, mention.code)}: `{mention.code}` names "
                         f"{missing}, which torch {torch.__version__} does not have")
            continue
        objects = candidates(mention.code)
        if not objects or any(id(obj) in linked for obj in objects):
            continue
        name, wrong = link_target(mention.href or "")
        target = resolve(name) if name and not wrong else None
        where = f"{shown}:{line_of(source, mention.code)}"
        if wrong:  # a link to the reference, reported above
            linked.update(id(obj) for obj in objects)
            continue
        if target is None:
            found.append(f"{where}: `{mention.code}` is the first mention of "
                         f"{qualified(objects[0])} on the page: link it to its reference, "
                         f"{address(objects[0])}")
        elif not any(target is obj or _same(target, obj) for obj in objects):
            found.append(f"{where}: `{mention.code}` links to {name}, which is not what it names "
                         f"({', '.join(qualified(obj) for obj in objects)})")
        elif _preferred(target) not in (None, name):
            found.append(f"{where}: `{mention.code}` links to {name}: the reference documents it "
                         f"as {_preferred(target)}, {address(target)}")
        matched = [obj for obj in objects if target is obj or _same(target, obj)]
        # A bare name linked to one of its meanings (`backward` to Tensor.backward) covers
        # that meaning only: `torch.autograd.backward`, named later, needs a link of its own.
        linked.update(id(obj) for obj in matched or objects)
    return found


def line_of_href(source: Path, href: str) -> int:
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if href in line:
            return number
    return 1


def _same(a: Any, b: Any) -> bool:
    """A property and the function behind it, or a method reached from two classes."""
    unwrap = [getattr(x, "fget", None) or getattr(x, "__func__", None) or x for x in (a, b)]
    return unwrap[0] is unwrap[1]


# Objects the reference documents on a page of a module or a class, not on a page of their own.
ON_PAGE = {"torch.Tensor": "tensors", "torch.autograd.Function": "autograd",
           "torch.autograd.set_detect_anomaly": "autograd",
           "torch.autograd.detect_anomaly": "autograd",
           "torch.autograd.graph.saved_tensors_hooks": "autograd",
           "torch.autograd.graph.save_on_cpu": "autograd",
           "torch.utils.checkpoint.checkpoint": "checkpoint",
           "torch.utils.checkpoint.checkpoint_sequential": "checkpoint"}


def address(obj: Any) -> str:
    """The address of ``obj``'s documentation in the reference."""
    name = qualified(obj)
    page = ON_PAGE.get(name)
    if page:
        return f"{HOST}/docs/stable/{page}.html#{name}"
    if name.startswith("torch.nn.Module."):
        return f"{HOST}/docs/stable/generated/torch.nn.Module.html#{name}"
    return f"{HOST}/docs/stable/generated/{name}.html"


# Where the reference documents objects, for naming them in messages.
PUBLIC = ("torch.Tensor", "torch.func", "torch.autograd", "torch.autograd.functional",
          "torch.autograd.forward_ad", "torch.autograd.graph", "torch.autograd.function",
          "torch.nn", "torch.optim", "torch.utils.checkpoint", "torch", "torch.nn.functional")


# Objects the reference documents under one of several names they have.
DOCUMENTED_AS = ("torch.no_grad", "torch.enable_grad", "torch.autograd.grad_mode.set_grad_enabled",
                 "torch.autograd.grad_mode.inference_mode", "torch.autograd.gradcheck.gradcheck",
                 "torch.autograd.gradcheck.gradgradcheck", "torch.Tensor")


def _preferred(obj: Any) -> str | None:
    """The name the reference documents ``obj`` under, where it has several and this module
    knows which (DOCUMENTED_AS, ON_PAGE)."""
    for dotted in (*DOCUMENTED_AS, *ON_PAGE):
        if resolve(dotted) is obj:
            return dotted
    return None


def qualified(obj: Any) -> str:
    """The dotted name under which the reference documents ``obj``, as best it can be told."""
    preferred = _preferred(obj)
    if preferred:
        return preferred
    function = getattr(obj, "fget", None) or obj
    name = getattr(function, "__name__", "")
    qualname = getattr(function, "__qualname__", name)
    owner = getattr(obj, "__objclass__", None)
    if owner is not None and issubclass(owner, torch._C.TensorBase):
        return f"torch.Tensor.{name}"
    for prefix in PUBLIC:
        for dotted in (f"{prefix}.{qualname}", f"{prefix}.{name}"):
            if name and _same(resolve(dotted), obj):
                return dotted
    return f"{getattr(obj, '__module__', '')}.{qualname}"
