"""``nianbao diff``: what changed between two revisions of a report, in figures and in sentences, for reviewers.

- ``revisions`` reads a revision's data/ and docs/ with git itself (the working tree is never touched);
- ``data`` compares two loaded reports: figures, targets, projects, edition metadata, catalog, park;
- ``sentences`` compares the rendered prose sentence by sentence and keeps those whose numbers changed;
- ``report`` puts it together and writes it as Markdown (a pull-request comment), JSON or one summary line.
"""

from .report import DiffReport, compare_revisions
from .revisions import RevisionError

__all__ = ["DiffReport", "RevisionError", "compare_revisions"]
