from django.apps import AppConfig
from django.conf import settings


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from . import profile_section, settings_page, signals

        # The user model is Django's, so its save() is not ours to extend: every way an
        # account is made or renamed (sign-up, the admin, createsuperuser) saves it, though.
        post_save.connect(
            signals.record_username_looks,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="accounts.record_username_looks",
        )
        user_logged_in.connect(
            signals.forget_failed_logins, dispatch_uid="accounts.forget_failed_logins"
        )
        for section in profile_section.SECTIONS:
            settings_page.register(section)
