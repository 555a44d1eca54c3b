"""plansite: Shanghai East–West cooperation plans as a cross-linked static site.

Stages, one module each: load (YAML with positions) → validate (all errors at once)
→ model (immutable) → index (groupings) → render (Jinja2 templates → Markdown).
The MkDocs hook in ``hooks/mkdocs_hook.py`` only forwards events to these functions.
"""

__version__ = "0.1.0"
