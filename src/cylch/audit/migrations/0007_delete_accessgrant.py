from django.db import migrations


def _content_type_to_access(apps, schema_editor):
    """Admin permissions and log entries point at the content type: it follows the model to its new app."""
    content_types = apps.get_model("contenttypes", "ContentType")
    content_types.objects.filter(app_label="audit", model="accessgrant").update(app_label="access")


def _content_type_to_audit(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    content_types.objects.filter(app_label="access", model="accessgrant").update(app_label="audit")


class Migration(migrations.Migration):
    """AccessGrant now belongs to the access app (cylch.access.models), in the same table: no SQL on it runs."""

    dependencies = [
        ('audit', '0006_unsealed_index'),
        ('access', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name='AccessGrant')],
        ),
        migrations.RunPython(_content_type_to_access, _content_type_to_audit),
    ]
