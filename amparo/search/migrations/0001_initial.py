"""Search indexes: bookkeeping model, plus each database's own index tables.

SQLite: the FTS5 tables only; views and triggers are created after every migrate by
amparo.search.schema (they must not exist while other apps' migrations rebuild tables).
PostgreSQL: extensions (unaccent, pg_trgm), the text search configuration, index tables,
functions and triggers. The indexes are filled after migrate (amparo.search.schema) or by
``amparo search rebuild``.
"""

from django.db import migrations, models


def create(apps, schema_editor):
    from amparo.search.backends import backend

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        try:
            backend(connection).create_tables(cursor)
        except Exception as exc:
            if connection.vendor == "postgresql":
                raise RuntimeError(
                    "Amparo's search needs the PostgreSQL extensions unaccent and pg_trgm "
                    "(package postgresql-contrib; a database owner may create them). "
                    f"Creating them failed: {exc}"
                ) from exc
            raise


def drop(apps, schema_editor):
    from amparo.search.backends import backend

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        backend(connection).drop_tables(cursor)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("tickets", "0002_macro"),
        ("crm", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexState",
            fields=[
                (
                    "name",
                    models.CharField(
                        choices=[("tickets", "Tickets"), ("contacts", "Contacts")],
                        max_length=20,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("indexed_upto", models.BigIntegerField(default=0)),
                ("rebuilt_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.RunPython(create, drop),
    ]
