"""MkDocs hook (speed, optional): the generated HTML blocks are handed to Python-Markdown as they are, without
the two HTML parses MkDocs and Python-Markdown would give them (plansite.rawhtml). Deleting this hook's line
in mkdocs.yml gives the same site, more slowly."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plansite.rawhtml import RawBlocks


def on_config(config):
    """Add the Markdown extension (once: mkdocs serve calls on_config for every rebuild)."""
    if not any(isinstance(ext, RawBlocks) for ext in config.markdown_extensions):
        config.markdown_extensions.append(RawBlocks())
    return config
