"""The ``amparo`` command: Django's management commands with Amparo's settings.

``amparo serve`` (web and worker in one process on the embedded default), ``amparo web``,
``amparo worker``, ``amparo migrate``, ``amparo createadmin``, ``amparo demo``,
``amparo check``, ``amparo token``, ``amparo openapi`` and every other Django command.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "amparo"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
