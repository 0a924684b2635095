from django import forms
from django.contrib import admin

from apps.core.admin import ScopedModelAdmin
from apps.core.api.errors import ApiError

from . import services
from .models import PricingRule


class PricingRuleForm(forms.ModelForm):
    def _post_clean(self):
        super()._post_clean()
        if self.instance.network_id is not None and not self.errors:
            try:
                services.require_no_overlap(self.instance)
            except ApiError as exc:
                self.add_error(None, exc.text)


@admin.register(PricingRule)
class PricingRuleAdmin(ScopedModelAdmin):
    form = PricingRuleForm
    permission_key = "networks.manage"
    list_display = ["network", "start_dow", "start_hod", "end_dow", "end_hod", "unlock_price", "use_per_minute_price",
                    "on_hold_price"]
    list_filter = ["network"]
    list_select_related = ["network"]
