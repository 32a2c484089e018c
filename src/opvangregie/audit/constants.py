from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VIEW = "view", _("viewed")
    LIST = "list", _("listed")
    EXPORT = "export", _("exported")
    CREATE = "create", _("created")
    CHANGE = "change", _("changed")
    REVEAL_BSN = "reveal_bsn", _("BSN shown")
    ANONYMISE = "anonymise", _("anonymised")


class Interface(models.TextChoices):
    PAGE = "page", _("web page")
    API = "api", _("API")
    COMMAND = "command", _("command line")
    ADMIN = "admin", _("administration")
    SYSTEM = "system", _("system")
