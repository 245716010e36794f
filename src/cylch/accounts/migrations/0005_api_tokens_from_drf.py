"""DRF's plaintext tokens become hashed API tokens: each keeps working with the key its system already holds,
with the scopes a practitioner's token could use (not source-records:write, which needs a system account),
for 90 days; then the plaintext keys are deleted. DRF's token app is no longer installed, so its table is
read with SQL where an older database still has it."""

import datetime
import hashlib

from django.db import migrations
from django.utils import timezone

DRF_TABLE = "authtoken_token"
PREFIX_LENGTH = 12
# cylch.accounts.scopes.PRACTITIONER_SCOPES when this was written (a migration must not follow later changes).
SCOPES = "concerns:read concerns:write persons:match persons:read"
DAYS = 90


def tokens_from_drf(apps, schema_editor):
    connection = schema_editor.connection
    if DRF_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    table = connection.ops.quote_name(DRF_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('key')}, user_id FROM {table}")  # noqa: S608
        drf_tokens = cursor.fetchall()
    expires_at = timezone.now() + datetime.timedelta(days=DAYS)
    ApiToken.objects.bulk_create(
        ApiToken(
            practitioner_id=user_id,
            name="DRF token (migrated)",
            prefix=key[:PREFIX_LENGTH],
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            scopes=SCOPES,
            expires_at=expires_at,
        )
        for key, user_id in drf_tokens
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_api_tokens")]
    operations = [migrations.RunPython(tokens_from_drf, migrations.RunPython.noop)]
