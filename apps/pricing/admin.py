from django.contrib import admin

from apps.core.admin import RuleCheckedForm, ScopedModelAdmin

from . import services
from .models import PricingRule


class PricingRuleForm(RuleCheckedForm):
    check_rules = staticmethod(services.require_no_overlap)


@admin.register(PricingRule)
class PricingRuleAdmin(ScopedModelAdmin):
    form = PricingRuleForm
    permission_key = "networks.manage"
    list_display = ["network", "start_dow", "start_hod", "end_dow", "end_hod", "unlock_price", "use_per_minute_price",
                    "on_hold_price"]
    list_filter = ["network"]
    list_select_related = ["network"]
