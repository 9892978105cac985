"""Indexes on django-tasks-db's job table for the queries this app adds.

django-tasks-db indexes only READY rows (its claim query). Every worker looks for RUNNING jobs
of dead workers, and /health counts RUNNING and recently FAILED jobs; without these, each of
those reads the whole table, which holds every job finished in the retention period. Partial
indexes stay small (few rows are RUNNING; FAILED ones are few next to SUCCESSFUL ones). The
table belongs to another app, so this is SQL rather than a model index; both PostgreSQL and
SQLite support partial indexes and IF [NOT] EXISTS.
"""

from django.db import migrations

TABLE = "django_tasks_database_dbtaskresult"


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS jobs_task_running_idx ON {TABLE} (started_at) "
            "WHERE status = 'RUNNING'",
            "DROP INDEX IF EXISTS jobs_task_running_idx",
        ),
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS jobs_task_failed_idx ON {TABLE} (finished_at) "
            "WHERE status = 'FAILED'",
            "DROP INDEX IF EXISTS jobs_task_failed_idx",
        ),
    ]
