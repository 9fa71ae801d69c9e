"""Before e-mail replaces the username as the login (0003), make every e-mail usable as one.

Existing data, oldest account first:
- every e-mail is stripped and lower-cased (allauth compares addresses that way);
- an account with no e-mail gets ``user<id>@noemail.invalid`` (the reserved .invalid domain: nothing
  is ever sent there); staff set a real address in the admin;
- when several accounts share an address (ignoring case), the oldest keeps it and each later one gets
  ``<local>+duplicate<id>@<domain>.invalid``, so nobody's address is lost and nothing is delivered
  to the wrong person; their allauth EmailAddress rows are left as they are for staff to merge;
- the old username is copied into an empty display_name, so staff can still recognise the account.
Reversing leaves the e-mails as they are now."""

from django.db import migrations


def clean_login_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken: set[str] = set()
    for user in User.objects.order_by("date_joined", "pk"):
        email = (user.email or "").strip().lower()
        if not email:
            email = f"user{user.pk}@noemail.invalid"
        elif email in taken:
            local, _, domain = email.rpartition("@")
            email = f"{local}+duplicate{user.pk}@{domain}.invalid"
        taken.add(email)
        display_name = user.display_name or (user.username or "")[:80]
        if email != user.email or display_name != user.display_name:
            User.objects.filter(pk=user.pk).update(email=email, display_name=display_name)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(clean_login_emails, migrations.RunPython.noop),
    ]
