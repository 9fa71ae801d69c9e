"""E-mail is the login: the username column goes, and e-mail becomes unique.

Run 0002 first (it makes every e-mail present, lower-case and unique). Existing usernames are dropped;
0002 copied them into display_name where that was empty. Not reversible once two accounts exist
(the old unique username column cannot be filled back)."""

import accounts.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_user_login_emails_cleaned'),
    ]

    operations = [
        migrations.AlterModelManagers(
            name='user',
            managers=[
                ('objects', accounts.models.UserManager()),
            ],
        ),
        migrations.RemoveField(
            model_name='user',
            name='username',
        ),
        migrations.AlterField(
            model_name='user',
            name='email',
            field=models.EmailField(error_messages={'unique': '该邮箱已注册。'}, max_length=254, unique=True, verbose_name='邮箱'),
        ),
    ]
