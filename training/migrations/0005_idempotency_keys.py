"""Retried writes make one row: an idempotency key (form token or Idempotency-Key header) per acting user
on gate checks, coaching sessions and assessments."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('staff', '0002_employee_language'),
        ('training', '0004_default_program'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='assessment',
            name='idempotency_key',
            field=models.CharField(blank=True, default='', editable=False, help_text='The form token or Idempotency-Key header of the request that created the row.', max_length=100, verbose_name='idempotency key'),
        ),
        migrations.AddField(
            model_name='coachingsession',
            name='idempotency_key',
            field=models.CharField(blank=True, default='', editable=False, help_text='The form token or Idempotency-Key header of the request that created the row.', max_length=100, verbose_name='idempotency key'),
        ),
        migrations.AddField(
            model_name='gatecheck',
            name='idempotency_key',
            field=models.CharField(blank=True, default='', editable=False, help_text='The form token or Idempotency-Key header of the request that created the row.', max_length=100, verbose_name='idempotency key'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.UniqueConstraint(condition=models.Q(('idempotency_key', ''), _negated=True), fields=('assessor', 'idempotency_key'), name='assessment_idempotency_key_unique'),
        ),
        migrations.AddConstraint(
            model_name='coachingsession',
            constraint=models.UniqueConstraint(condition=models.Q(('idempotency_key', ''), _negated=True), fields=('coach', 'idempotency_key'), name='coaching_session_idempotency_key_unique'),
        ),
        migrations.AddConstraint(
            model_name='gatecheck',
            constraint=models.UniqueConstraint(condition=models.Q(('idempotency_key', ''), _negated=True), fields=('examiner', 'idempotency_key'), name='gate_check_idempotency_key_unique'),
        ),
    ]
