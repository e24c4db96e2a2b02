"""docscheck: every Python example of an MkDocs site runs as a reader runs it, and what it
prints must be what its page shows.

The public facade, used by the doc-test (the pytest plugin in ``docscheck.plugin``), the notebook
hook, the standalone-snippet test and the benchmark:

* ``Site`` reads the pages of a site and their examples (``Page``, ``Example``, ``OutputBlock``);
* ``Runner`` runs chains of examples in processes forked from one warm interpreter and returns
  structured results (``ExampleRun``, ``Raised``);
* ``judge`` compares two runs of an example with its page (``Verdict``); ``split_shown`` splits
  an expected error's output block into what was printed and the error.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import PageError
    from .expand import Origin
    from .page import Example, OutputBlock, Page
    from .runner import ChainRun, EngineError, ExampleRun, Raised, Runner
    from .site import Site
    from .verdict import Verdict, judge, split_shown

# Where each public name lives; imported on first use, so that loading the pytest plugin (and
# starting the warm interpreter) does not wait for the Markdown machinery.
_HOMES = {
    "PageError": "errors", "Origin": "expand", "Example": "page", "OutputBlock": "page",
    "Page": "page", "ChainRun": "runner", "EngineError": "runner", "ExampleRun": "runner",
    "Raised": "runner", "Runner": "runner", "Site": "site", "Verdict": "verdict",
    "judge": "verdict", "split_shown": "verdict",
}
__all__ = [
    "ChainRun", "EngineError", "Example", "ExampleRun", "Origin", "OutputBlock", "Page",
    "PageError", "Raised", "Runner", "Site", "Verdict", "judge", "split_shown",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'docscheck' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
