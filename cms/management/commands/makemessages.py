"""`manage.py makemessages` with this project's defaults, so the catalog, the Makefile and the catalog test
all extract the same strings: our Python and templates only (not the virtualenv, tests, benchmarks, service
scripts or static files), no source locations (they would turn every code move into a catalog change and
a merge conflict).

    manage.py makemessages -l en        # then: manage.py compilemessages -l en
"""

from django.core.management.commands import makemessages

# Folders whose strings are not shown to users (or belong to other projects).
NOT_OURS = [".venv", "node_modules", "tests", "bench", "services", "var", "static", "media", "locale"]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *NOT_OURS]
        if options.get("domain", "django") == "django" and not options.get("extensions"):
            options["extensions"] = ["html", "txt", "py"]
        options["no_location"] = True
        return super().handle(*args, **options)
