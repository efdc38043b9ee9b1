"""The `sinergi` console script: Django's manage.py under the project's own name.

Sub-commands may be written with hyphens (`sinergi import-stations`); Django's command
modules use underscores, so the first argument is translated before dispatch.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
