"""On PostgreSQL, the database itself refuses two overlapping stays of one person.

An exclusion constraint over (person, daterange(start_date, end_date)) needs the btree_gist
extension. SQLite has no such constraint: there the service's check, run inside an IMMEDIATE
transaction, and the unique open stay per person hold the rule.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE residents_stay ADD CONSTRAINT stay_no_overlap_per_person
    EXCLUDE USING gist (person_id WITH =, daterange(start_date, end_date, '[)') WITH &&);
"""
DROP = "ALTER TABLE residents_stay DROP CONSTRAINT IF EXISTS stay_no_overlap_per_person;"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("residents", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
