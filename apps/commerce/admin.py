from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin, RecordAdmin, ScopedModelAdmin, confirmed_action

from . import subscriptions
from .models import Offer, Pass, RiderSubscription, Subscription, SubscriptionDiscount, SubscriptionPrice, UserPass


@admin.register(Offer)
class OfferAdmin(ScopedModelAdmin):
    permission_key = "offers"
    list_display = ["title", "network", "price", "given_amount", "available"]
    list_filter = ["network", "available"]
    # Prices change through the API's service (refused once bought); the admin changes availability only.
    rule_fields = ("network", "title", "price", "given_amount")


@admin.register(Pass)
class PassAdmin(ScopedModelAdmin):
    permission_key = "offers"
    list_display = ["title", "network", "price", "duration", "validity", "available"]
    list_filter = ["network", "available", "validity"]
    rule_fields = ("network", "title", "price", "duration", "validity")


class PriceInline(admin.TabularInline):
    model = SubscriptionPrice
    extra = 0
    fields = ["price", "interval_type", "interval_count", "free_credits", "available", "deleted_at"]
    readonly_fields = ["price", "interval_type", "interval_count", "deleted_at"]


@admin.register(Subscription)
class SubscriptionAdmin(ScopedModelAdmin):
    permission_key = "offers"
    list_display = ["name", "network", "trip_duration", "organization_only", "deleted_at"]
    list_filter = ["network", "organization_only"]
    rule_fields = ("network", "deleted_at")
    inlines = [PriceInline]


@admin.register(SubscriptionDiscount)
class SubscriptionDiscountAdmin(ScopedModelAdmin):
    permission_key = "offers"
    list_display = ["network", "percent_off", "duration", "duration_in_months"]
    list_filter = ["network", "duration"]


@admin.register(UserPass)
class UserPassAdmin(RecordAdmin):
    """Passes riders bought, in the pass's network's scope; removing one (with its refund) is deleteUserPass."""

    permission_key = "users.credits"
    list_display = ["rider", "pass_bought", "price_paid", "activated_at", "expires_at", "deleted_at", "refunded"]
    list_select_related = ["rider", "pass_bought__network"]
    search_fields = ["rider__email"]
    currency_path = "pass_bought.network.currency_id"


@admin.register(RiderSubscription)
class RiderSubscriptionAdmin(ReadOnlyAdmin):
    """Riders' subscriptions, written by the subscription services only (apps.commerce.subscriptions); staff stop a
    renewal with the action, as the rider does in the app."""

    permission_key = "users.credits"
    list_display = ["rider", "subscription", "status", "periods_paid", "current_period_end", "cancel_at_period_end"]
    list_filter = ["status", "network"]
    list_select_related = ["rider", "subscription"]
    search_fields = ["rider__email"]
    actions = ["cancel_at_period_end"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Stop renewing the selected subscriptions (they last to the end of the period paid)")
    @confirmed_action
    def cancel_at_period_end(self, request, queryset):
        self.each_through_service(request, queryset,
                                  lambda held: subscriptions.subscription_cancel(subscription=held), "set to end")
