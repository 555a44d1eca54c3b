"""Command line: ``python -m plansite validate|render|new|slug|schema``."""

from .cli import main

raise SystemExit(main())
