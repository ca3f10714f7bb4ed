"""Settings an app documents in one place: each name with its default and why, read when used.

An app keeps its table in its own `conf.py` (forum/conf.py, notifications/conf.py) and reads
`conf.settings.NAME`. Values come from Django's settings at each read, never at import time, so
`override_settings` in a test and a deployment's settings module both take effect.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings as django_settings


@dataclass(frozen=True)
class Setting:
    default: Any
    reason: str  # one line: why the default is what it is


class AppSettings:
    def __init__(self, prefix: str, table: dict[str, Setting]):
        self.prefix = prefix
        self.table = table

    def __getattr__(self, name: str) -> Any:
        try:
            setting = self.table[name]
        except KeyError:
            raise AttributeError(
                f"{self.prefix}{name} is not one of this app's settings"
            ) from None
        return getattr(django_settings, self.prefix + name, setting.default)

    def documented(self) -> dict[str, Setting]:
        """Every setting under its full Django name, as the README's table names it."""
        return {self.prefix + name: setting for name, setting in self.table.items()}
