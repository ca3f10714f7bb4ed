"""The accounts app's rules: each PARLEY_* setting with its default and the reason for it."""

from config.app_settings import AppSettings, Setting

settings = AppSettings(
    "PARLEY_",
    {
        "PASSWORD_RESETS_PER_EMAIL": Setting(
            "3/3600", "three reset mails an hour to one address: a lost mail, then another"
        ),
        "PASSWORD_RESETS_PER_IP": Setting(
            "10/3600", "looser: one address can be a whole office or campus behind NAT"
        ),
        "AVATAR_MAX_BYTES": Setting(
            2_000_000, "a phone photo fits; the stored avatar is 128 px whatever was sent"
        ),
        "AVATAR_MAX_PIXELS": Setting(
            40_000_000, "a 40-megapixel camera's photo; more is a decompression bomb, not a face"
        ),
    },
)
