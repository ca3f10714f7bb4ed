from django.apps import AppConfig
from django.conf import settings


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out
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
        user_logged_in.connect(signals.say_logged_in, dispatch_uid="accounts.say_logged_in")
        user_logged_out.connect(signals.say_logged_out, dispatch_uid="accounts.say_logged_out")
        for section in profile_section.SECTIONS:
            settings_page.register(section)
