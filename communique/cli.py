"""The `communique` command: Django's management commands under one name, so that
`communique import page PATH`, `communique render …`, `communique kdp build …` and
`communique runserver` all work from any directory without manage.py.

Commands of the publishing engine (documents in, files out, no database) skip Django's app
loading: Wagtail's start-up costs seconds of CPU, several times the work of rendering a short book."""
import importlib
import os
import sys

ENGINE_COMMANDS = {
    "render": "communique.editions.management.commands.render",
    "kdp": "communique.kdp.management.commands.kdp",
    "translate": "communique.translation.management.commands.translate",
    "research": "communique.research.management.commands.research",
}


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communique.settings.dev")
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ENGINE_COMMANDS:
        command = importlib.import_module(ENGINE_COMMANDS[args[0]]).Command()
        command.requires_system_checks = []  # the checks need the app registry, which is not loaded
        command.run_from_argv(["communique", *args])
        return

    from django.core.management import execute_from_command_line

    execute_from_command_line(["communique", *args])


if __name__ == "__main__":
    main()
