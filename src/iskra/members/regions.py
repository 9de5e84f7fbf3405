"""Where an applicant lives: Kazakhstan's cities of republican significance and regions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """The three cities of republican significance, the 17 regions (2022), and abroad."""

    ASTANA = "astana", _("Astana")
    ALMATY = "almaty", _("Almaty")
    SHYMKENT = "shymkent", _("Shymkent")
    ABAI = "abai", _("Abai Region")
    AKMOLA = "akmola", _("Akmola Region")
    AKTOBE = "aktobe", _("Aktobe Region")
    ALMATY_REGION = "almaty-region", _("Almaty Region")
    ATYRAU = "atyrau", _("Atyrau Region")
    EAST_KAZAKHSTAN = "east-kazakhstan", _("East Kazakhstan Region")
    JAMBYL = "jambyl", _("Jambyl Region")
    JETISU = "jetisu", _("Jetisu Region")
    KARAGANDA = "karaganda", _("Karaganda Region")
    KOSTANAY = "kostanay", _("Kostanay Region")
    KYZYLORDA = "kyzylorda", _("Kyzylorda Region")
    MANGYSTAU = "mangystau", _("Mangystau Region")
    NORTH_KAZAKHSTAN = "north-kazakhstan", _("North Kazakhstan Region")
    PAVLODAR = "pavlodar", _("Pavlodar Region")
    TURKISTAN = "turkistan", _("Turkistan Region")
    ULYTAU = "ulytau", _("Ulytau Region")
    WEST_KAZAKHSTAN = "west-kazakhstan", _("West Kazakhstan Region")
    OTHER = "other", _("Another country")
