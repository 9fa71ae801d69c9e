"""Privacy-notice consents and role applications.

Existing data: until now anyone could pick 活动组织方 (organizer) or 技术经纪人 (agent) at sign-up, so an
existing organizer or agent (superusers excepted) cannot be told apart from a self-declared one. Each
such account gets a *pending* RoleApplication for its role (organization: its first membership, if
any; submitted at its sign-up time) and goes back to the base role of that organization's kind
(university/institute → university, pilot-base operator → pilot_base, otherwise enterprise). Bureau
staff find them in the review queue and re-grant with one click. Reversing restores the roles and
deletes the carried-over applications."""

import accounts.files
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

CARRIED_OVER_REASON = "平台改为由科技局授予该角色之前自行选择的角色，待科技局确认。"
BASE_ROLE_OF_KIND = {"university": "university", "institute": "university", "pilot_base_operator": "pilot_base"}


def carry_over_self_declared_roles(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Membership = apps.get_model("accounts", "Membership")
    RoleApplication = apps.get_model("accounts", "RoleApplication")
    for user in User.objects.filter(role__in=["agent", "organizer"], is_superuser=False).order_by("pk"):
        membership = (Membership.objects.filter(user=user).select_related("organization")
                      .order_by("created_at", "pk").first())
        organization = membership.organization if membership else None
        RoleApplication.objects.create(user=user, role=user.role, organization=organization,
                                       reason=CARRIED_OVER_REASON, created_at=user.date_joined)
        user.role = BASE_ROLE_OF_KIND.get(organization.kind if organization else "", "enterprise")
        user.save(update_fields=["role"])


def restore_carried_over_roles(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    RoleApplication = apps.get_model("accounts", "RoleApplication")
    for application in RoleApplication.objects.filter(reason=CARRIED_OVER_REASON, status="pending"):
        User.objects.filter(pk=application.user_id).update(role=application.role)
        application.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_user_email_replaces_username'),
    ]

    operations = [
        migrations.CreateModel(
            name='PrivacyConsent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.CharField(max_length=20, verbose_name='隐私政策版本')),
                ('consented_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='同意时间')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='privacy_consents', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '隐私政策同意记录',
                'verbose_name_plural': '隐私政策同意记录',
                'ordering': ['-consented_at'],
            },
        ),
        migrations.CreateModel(
            name='RoleApplication',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('agent', '技术经纪人 Tech-transfer agent'), ('organizer', '活动组织方 Event organizer')], max_length=20, verbose_name='申请角色')),
                ('reason', models.TextField(verbose_name='申请理由')),
                ('attachment', models.FileField(blank=True, storage=accounts.files.private_storage, upload_to=accounts.files.attachment_upload_to, verbose_name='证明材料')),
                ('status', models.CharField(choices=[('pending', '待审核'), ('approved', '已批准'), ('declined', '未通过')], db_index=True, default='pending', max_length=20, verbose_name='状态')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='提交时间')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='审核时间')),
                ('decline_reason', models.TextField(blank=True, verbose_name='未通过原因')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核人')),
                ('organization', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='role_applications', to='accounts.organization', verbose_name='所属机构')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='role_applications', to=settings.AUTH_USER_MODEL, verbose_name='申请人')),
            ],
            options={
                'verbose_name': '角色申请',
                'verbose_name_plural': '角色申请',
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('user', 'role'), name='accounts_one_pending_role_application')],
            },
        ),
        migrations.RunPython(carry_over_self_declared_roles, restore_carried_over_roles),
    ]
