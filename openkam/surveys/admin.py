from django.contrib import admin

from openkam.surveys.models import Campaign, Recipient, Response, SurveyTemplate


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "is_default")


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "period_start", "period_end", "expires_at")
    date_hierarchy = "period_end"


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ("campaign", "account", "contact", "language", "sent_at", "answered_at")
    list_select_related = ("campaign", "account", "contact")
    raw_id_fields = ("account", "contact")
    exclude = ("token_hash",)


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("campaign", "account", "contact", "nps", "channel", "answered_at")
    list_select_related = ("campaign", "account", "contact")
    list_filter = ("channel",)
    raw_id_fields = ("account", "contact", "recipient", "follow_up")
