"""An index for looking up a pattern's alerts, closed ones included (each evaluation that fires does)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("risk", "0007_default_rules_in_welsh")]

    operations = [
        migrations.AddIndex(
            model_name="alert",
            index=models.Index(fields=["pattern_key", "rule"], name="alert_pattern"),
        ),
    ]
