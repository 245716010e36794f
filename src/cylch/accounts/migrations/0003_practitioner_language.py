from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_seed_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="practitioner",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("en", "English"), ("cy", "Welsh")],
                max_length=8,
                verbose_name="preferred language",
            ),
        ),
    ]
