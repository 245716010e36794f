import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """AccessGrant moved here from the audit app: its table (audit_accessgrant) and rows stay as they are, so only
    Django's picture of which app owns the model changes (no SQL runs)."""

    initial = True

    dependencies = [
        ('accounts', '0003_practitioner_language'),
        ('people', '0004_person_family_name_prefix_index'),
        ('audit', '0006_unsealed_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='AccessGrant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('request', 'Access request'), ('break_glass', 'Emergency access (break glass)')], max_length=12, verbose_name='kind')),
                ('reason', models.CharField(max_length=500, verbose_name='reason')),
                ('status', models.CharField(choices=[('pending', 'Waiting for a decision'), ('approved', 'Approved'), ('refused', 'Refused')], default='pending', max_length=10, verbose_name='status')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='expires')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided')),
                ('decision_reason', models.CharField(blank=True, max_length=500, verbose_name='reason for the decision')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('lead_agency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.agency')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='access_grants', to='people.person')),
                ('practitioner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='access_grants', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'access grant',
                'verbose_name_plural': 'access grants',
                'db_table': 'audit_accessgrant',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['practitioner', 'person', 'status'], name='grant_lookup')],
            },
        ),
                ],
        ),
    ]
