from django.db import migrations

ROLE_CODES = [
    "agency_practitioner",
    "front_door",
    "front_door_manager",
    "lead_practitioner",
    "board_officer",
    "information_governance",
    "administrator",
]


def seed_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code in ROLE_CODES:
        Role.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed_roles, migrations.RunPython.noop)]
