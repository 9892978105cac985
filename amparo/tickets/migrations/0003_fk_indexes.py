"""Drop the single-column foreign-key indexes that a composite index already covers.

Each column below is the first column of an index in Meta.indexes (ticket_contact_idx,
ticket_org_idx, ticket_team_status_idx, ticket_assignee_idx, message_ticket_idx,
event_ticket_idx, attachment_message_idx), which serves every lookup by that column,
including the ones deleting the related row makes. A plain AlterField would rebuild each
table on SQLite (copying every ticket, message and event, four times for tickets); dropping
the indexes is all either database needs, so the schema side is done here by hand.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (model, field) whose own index goes.
FIELDS = [
    ("ticket", "contact"),
    ("ticket", "organization"),
    ("ticket", "team"),
    ("ticket", "assignee"),
    ("message", "ticket"),
    ("ticketevent", "ticket"),
    ("attachment", "message"),
]


def _own_indexes(schema_editor, model, column):
    """Names of the plain one-column indexes on ``column`` that Meta.indexes does not declare."""
    declared = {index.name for index in model._meta.indexes}
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [
        name
        for name, info in constraints.items()
        if info["index"]
        and not info["unique"]
        and not info["primary_key"]
        and info["columns"] == [column]
        and name not in declared
    ]


def drop_indexes(apps, schema_editor):
    for model_name, field_name in FIELDS:
        model = apps.get_model("tickets", model_name)
        column = model._meta.get_field(field_name).column
        for name in _own_indexes(schema_editor, model, column):
            schema_editor.execute(
                schema_editor.sql_delete_index
                % {
                    "table": schema_editor.quote_name(model._meta.db_table),
                    "name": schema_editor.quote_name(name),
                }
            )


def create_indexes(apps, schema_editor):
    for model_name, field_name in FIELDS:
        model = apps.get_model("tickets", model_name)
        field = model._meta.get_field(field_name)
        if not _own_indexes(schema_editor, model, field.column):
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_reset_throttle_scopes"),
        ("crm", "0001_initial"),
        ("tickets", "0002_macro"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="attachment",
                    name="message",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachments",
                        to="tickets.message",
                    ),
                ),
                migrations.AlterField(
                    model_name="message",
                    name="ticket",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="messages",
                        to="tickets.ticket",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="assignee",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="assigned_tickets",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assignee",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="contact",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tickets",
                        to="crm.contact",
                        verbose_name="contact",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="organization",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="tickets",
                        to="crm.organization",
                        verbose_name="organization",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="team",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="tickets",
                        to="accounts.team",
                        verbose_name="team",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticketevent",
                    name="ticket",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="tickets.ticket",
                    ),
                ),
            ],
        )
    ]
