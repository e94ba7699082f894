"""nianbao: publish an organisation's annual work report from versioned data.

The engine is a plain Python package (load, check, compute, format, chart, render). It never imports MkDocs: the
MkDocs adapter lives in ``hooks/mkdocs_hooks.py``.
"""

__version__ = "0.1.0"
