import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from accounts.usernames import validate_new_username

ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = "Create the superuser 'admin' with a random password, unless a superuser exists."

    def handle(self, *args, **options):
        admin_url = settings.PARLEY_SITE_URL + reverse("admin:index")
        users = get_user_model().objects
        superuser = users.filter(is_superuser=True).order_by("pk").first()
        if superuser is not None:
            name = superuser.get_username()
            self.stdout.write(
                f"Admin: log in at {admin_url} as {name!r} with your password.\n"
                f"Forgot it? Set a new one with: python manage.py changepassword {name}"
            )
            return
        try:
            validate_new_username(ADMIN_USERNAME)
        except ValidationError:
            # Someone signed up under that name or one like it: never hand them the admin.
            raise CommandError(
                f"No superuser exists and the name {ADMIN_USERNAME!r}, or one that looks like "
                "it, belongs to an ordinary account. Create a superuser with: "
                "python manage.py createsuperuser"
            ) from None
        password = secrets.token_urlsafe(16)
        users.create_superuser(username=ADMIN_USERNAME, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the superuser {ADMIN_USERNAME!r}. Log in at {admin_url}\n"
                f"    username: {ADMIN_USERNAME}\n"
                f"    password: {password}\n"
            )
            + "This password is shown only once. Set your own with: "
            f"python manage.py changepassword {ADMIN_USERNAME}"
        )
