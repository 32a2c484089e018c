"""The ``opvangregie`` command line: Django's manage.py under the project's name.

Sub-commands may be written with hyphens (``opvangregie load-reference``); they map to the
management command of the same name with underscores. ``import`` (a Python keyword, so no
module can carry its name) maps to ``import_data``.
"""

import os
import sys

ALIASES = {"import": "import_data"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opvangregie.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "opvangregie"
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = ALIASES.get(args[1], args[1].replace("-", "_"))
    from opvangregie.audit.context import acting

    # What a command reads or changes is on the audit trail as done from the command line.
    with acting(None, "command"):
        execute_from_command_line(args)


if __name__ == "__main__":
    main()
