"""Core models: pages, people and site settings."""

from .background import ScheduleLease, TaskAttempt, WorkerHeartbeat
from .latin import LatinSpelling
from .pages import (
    BasePage,
    HomePage,
    PageRedirect,
    PaginatedMixin,
    StandardPage,
    description_of,
    url_for,
)
from .people import Person
from .queries import below, exclude_private, restricted_paths
from .site_settings import ClassicsLink, FooterLink, SiteSettings, localized_field

__all__ = [
    "BasePage",
    "ClassicsLink",
    "FooterLink",
    "HomePage",
    "LatinSpelling",
    "PageRedirect",
    "PaginatedMixin",
    "Person",
    "ScheduleLease",
    "SiteSettings",
    "StandardPage",
    "TaskAttempt",
    "WorkerHeartbeat",
    "below",
    "description_of",
    "exclude_private",
    "localized_field",
    "restricted_paths",
    "url_for",
]
