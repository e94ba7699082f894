"""Subcommands of the ``nianbao`` command, one module each.

A module defines ``register(subparsers)`` which adds its parser and sets ``func`` (args -> exit code) as default.
Add a new command by writing its module and naming it in ``COMMANDS``.
"""

COMMANDS = ("init", "check", "build", "diff", "new_edition", "export_xlsx", "import_xlsx", "pdf")
