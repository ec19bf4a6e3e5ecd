"""The API's idempotency keys become intake's (one key space per user, as before)."""

from django.db import migrations


def copy_keys(apps, schema_editor):
    try:
        old = apps.get_model("api", "IdempotencyKey")
    except LookupError:  # run again on today's models (the test suite's reseeding): no source
        return
    new = apps.get_model("intake", "AppealKey")
    batch = []
    for row in old.objects.filter(case__isnull=False).iterator(chunk_size=2000):
        batch.append(
            new(
                principal=f"user:{row.user_id}",
                key=row.key,
                door="api",
                fingerprint=row.fingerprint,
                case_id=row.case_id,
                created_at=row.created_at,
            )
        )
        if len(batch) >= 2000:
            new.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        new.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        ("api", "0002_idempotency_user_index"),
    ]

    operations = [migrations.RunPython(copy_keys, migrations.RunPython.noop)]
