"""Failed staff sign-ins: what the account-wide throttle counts and the desk lists."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0001_staff_groups'),
    ]

    operations = [
        migrations.CreateModel(
            name='LoginFailure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('username', models.CharField(max_length=150)),
                ('address', models.GenericIPAddressField(blank=True, null=True)),
                ('attempted_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('is_over_limit', models.BooleanField(default=False)),
                ('cleared_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ['-attempted_at'],
                'indexes': [models.Index(fields=['username', 'attempted_at'], name='loginfailure_user_time'), models.Index(fields=['attempted_at'], name='loginfailure_time')],
            },
        ),
    ]
