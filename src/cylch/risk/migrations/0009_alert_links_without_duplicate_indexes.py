"""Alert links without the single-column indexes their composite indexes already cover (fewer writes a link)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_provenance_and_identity_per_agency"),
        ("risk", "0008_alert_pattern_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="alertevent",
            name="alert",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="alert_events",
                to="risk.alert",
            ),
        ),
        migrations.AlterField(
            model_name="alertsubject",
            name="alert",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="subjects", to="risk.alert"
            ),
        ),
        migrations.AlterField(
            model_name="alertsubject",
            name="person",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="people.person"
            ),
        ),
    ]
