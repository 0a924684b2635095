from django.contrib import admin

from apps.core.admin import ScopedInline, ScopedModelAdmin

from .models import AppLabel, AppLabelBilling, AppLabelMailSetting


class BillingInline(ScopedInline, admin.StackedInline):
    model = AppLabelBilling
    can_delete = False


class MailSettingInline(ScopedInline, admin.StackedInline):
    model = AppLabelMailSetting
    can_delete = False


@admin.register(AppLabel)
class AppLabelAdmin(ScopedModelAdmin):
    permission_key = "app.label"
    list_display = ["name", "display_name", "require_sms_validation", "require_terms_of_use", "website"]
    search_fields = ["name", "display_name"]
    list_filter = ["require_sms_validation", "require_terms_of_use", "auto_delete_users"]
    inlines = [BillingInline, MailSettingInline]
