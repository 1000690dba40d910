"""Wagtail page types of the public site, with explicit parent/child rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True)
    intro_en = RichTextField(_("introduction (English)"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("intro_en")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["portal_site.ContentPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")


class ContentPage(Page):
    """Methodology and help pages, each with a Chinese and an English body."""

    class Kind(models.TextChoices):
        METHODOLOGY = "methodology", _("Methodology")
        HELP = "help", _("Help")
        ABOUT = "about", _("About")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.HELP)
    title_en = models.CharField(_("English title"), max_length=255, blank=True)
    body = RichTextField(_("body"), blank=True)
    body_en = RichTextField(_("body (English)"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("kind"), FieldPanel("title_en"), FieldPanel("body"), FieldPanel("body_en"),
    ]
    parent_page_types = ["portal_site.HomePage", "portal_site.ContentPage"]
    subpage_types = ["portal_site.ContentPage"]

    class Meta:
        verbose_name = _("content page")
