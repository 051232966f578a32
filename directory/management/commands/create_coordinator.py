import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the coordinator's admin login with a random password, printed once. "
        "If the login exists already, nothing changes (use --reset to set a new random password)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="koordination")
        parser.add_argument("--email", default="")
        parser.add_argument("--reset", action="store_true", help="Give an existing login a new random password.")

    def handle(self, *args, username, email, reset, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user and not reset:
            self.stdout.write(
                f"Login '{username}' exists already; password unchanged "
                f"(python manage.py create_coordinator --reset sets a new one)."
            )
            return
        password = secrets.token_urlsafe(12)
        if user is None:
            user = User(username=username, email=email)
        user.is_staff = True
        user.is_superuser = True
        user.is_active = True
        user.set_password(password)
        user.save()
        # The group carries the coordination's permissions even if superuser is later taken away.
        coordination = Group.objects.filter(name="Koordination").first()
        if coordination:
            user.groups.add(coordination)
        self.stdout.write(self.style.SUCCESS("Coordinator login for http://127.0.0.1:8000/admin/"))
        self.stdout.write(f"  user:     {username}")
        self.stdout.write(f"  password: {password}")
        self.stdout.write("  (shown only now – write it down)")
