"""The `communique` command: Django's management commands under one name, so that
`communique import page PATH`, `communique render …`, `communique kdp build …` and
`communique runserver` all work from any directory without manage.py."""
import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communique.settings.dev")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["communique", *args])


if __name__ == "__main__":
    main()
