"""Tools for the people who work on the site, not part of what builds it: the benchmark (``python -m tools.bench``)
and the synthetic data it measures (``python -m tools.synth``). Run them from the repository's root."""
