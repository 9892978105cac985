"""PostgreSQL ticket documents now keep a gap between subject, public text and notes (no
phrase across them, as on SQLite): their rows are rebuilt after this migration (forgetting
the index's state makes post_migrate rebuild it; the new function is installed there)."""

from django.db import migrations


def forget_ticket_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    apps.get_model("search", "IndexState").objects.filter(name="tickets").delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forget_ticket_index, migrations.RunPython.noop)]
