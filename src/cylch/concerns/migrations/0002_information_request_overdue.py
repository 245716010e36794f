from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="timescaleaction",
            name="kind",
            field=models.CharField(
                choices=[
                    ("decision_overdue", "Decision overdue: front door alerted"),
                    ("feedback_chase", "No outcome at 7 working days: front door chased, referrer told"),
                    ("escalation", "No outcome at 10 working days: escalated to the front-door manager"),
                    ("challenge_overdue", "Challenge response overdue: manager alerted"),
                    ("information_overdue", "Information request overdue: agency chased"),
                ],
                max_length=20,
            ),
        ),
    ]
