from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_idempotency_user_index"),
        ("intake", "0002_copy_api_keys"),
    ]

    operations = [migrations.DeleteModel(name="IdempotencyKey")]
