"""The commerce operations of the seed's dashboard catalog, declared in Python beside their views: each input with the
rule the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import array, boolean, declare, integer, number, param, string

declare("listOffers", "GET", "/offers",
        api="dashboard", tag="Offers", access="permission", permission="offers",
        summary="Get offers",
        description="Returns offers of the specified networks.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id.   • networks=1,5,7 - With multiple networks "
                       "id. Identifier of networks of which to get the offers.")),
        ))

declare("createOffer", "POST", "/offers",
        api="dashboard", tag="Offers", access="permission", permission="offers", write=True,
        summary="Create an offer",
        description="Create a new offer.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("title", "body", string(min_length=1, max_length=50), required=True, doc="Title of the offer."),
            param("available", "body", boolean(), required=True, doc="True when the offer is available."),
            param("network_id", "body", integer(minimum=1), required=True,
                  doc="The identifier of the offer's network."),
            param("price", "body", number(minimum=0), required=True, doc="Price of the offer."),
            param("given_amount", "body", number(minimum=0), required=True, doc="Amount given in the wallet."),
        ))

declare("updateOffer", "PUT", "/offers/{id}",
        api="dashboard", tag="Offers", access="permission", permission="offers", write=True,
        summary="Update an offer",
        description=("Update an offer. Only availability can be changed on an offer that was already bought at "
                     "least one time."),
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the offer."),
            param("title", "body", string(min_length=1, max_length=50), doc="Title of the offer."),
            param("available", "body", boolean(), doc="True when the offer is available."),
            param("price", "body", number(minimum=0), doc="Price of the offer."),
            param("given_amount", "body", number(minimum=0), doc="Amount given in the wallet."),
        ))

declare("deleteOffer", "DELETE", "/offers/{id}",
        api="dashboard", tag="Offers", access="permission", permission="offers", write=True,
        summary="Delete an offer",
        description="Delete an offer, this can only be done if the offer wasn't bought by someone.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the offer."),
        ))

declare("listPasses", "GET", "/passes",
        api="dashboard", tag="Passes", access="permission", permission="offers",
        summary="Get Passes",
        description="Return the list of all Passes of the specified network.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id.   • networks=1,5,7 - With multiple networks "
                       "id. Identifier of networks of which to get the offers.")),
        ))

declare("createPass", "POST", "/passes",
        api="dashboard", tag="Passes", access="permission", permission="offers", write=True,
        summary="Create a Pass",
        description="Add new Pass on the specified network.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("available", "body", boolean(), required=True, doc="If the Pass is available."),
            param("title", "body", string(min_length=1, max_length=50), required=True, doc="The title of the Pass."),
            param("network_id", "body", integer(minimum=1), required=True,
                  doc="Network identifier on which the Pass applies."),
            param("price", "body", number(minimum="0.001", fmt="double"), required=True,
                  doc="The Pass's price, subtract from user wallet."),
            param("duration", "body", integer(minimum=0), required=True, doc="The duration of the Pass, in seconds."),
            param("validity", "body",
                  string(enum=("day", "week", "month", "unlimited"), nullable=True), required=True,
                  doc="The pass's validity."),
        ))

declare("updatePass", "PUT", "/passes/{id}",
        api="dashboard", tag="Passes", access="permission", permission="offers", write=True,
        summary="Update a Pass",
        description=("Update an Pass. Only the availability can be changed on a Pass that was already bought at "
                     "least one time."),
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The Pass's identifier."),
            param("available", "body", boolean(), required=True, doc="If the Pass is available."),
            param("title", "body", string(min_length=1, max_length=50), doc="The title of the Pass."),
            param("price", "body", number(minimum=0), doc="The Pass's price, subtract from user wallet."),
            param("duration", "body", integer(minimum=0), doc="The duration of the Pass, in seconds."),
            param("validity", "body", string(enum=("day", "week", "month", "unlimited"), nullable=True),
                  doc="The pass's validity."),
        ))

declare("deletePass", "DELETE", "/passes/{id}",
        api="dashboard", tag="Passes", access="permission", permission="offers", write=True,
        summary="Delete a Pass",
        description="Delete a Pass if it was never used.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The Pass's identifier."),
        ))

declare("listSubscriptions", "GET", "/subscriptions",
        api="dashboard", tag="Subscriptions", access="permission", permission="offers",
        summary="Get subscriptions",
        description="Returns subscriptions of the specified networks.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id.   • networks=1,5,7 - With multiple networks "
                       "id. Identifier of networks of which to get the subscriptions.")),
        ))

declare("createSubscription", "POST", "/subscriptions",
        api="dashboard", tag="Subscriptions", access="permission", permission="offers", write=True,
        summary="Create a subscription",
        description="Create a new subscription.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("name", "body", string(min_length=1, max_length=50), required=True,
                  doc="Display name for this subscription."),
            param("trip_duration", "body", integer(minimum=1), required=True,
                  doc="The duration in seconds that the subscription cover for each trip that it applies to."),
            param("trip_waiting_period", "body", integer(minimum=1, nullable=True), required=True,
                  doc=("The duration in seconds that the user needs to wait after having finished a trip that the "
                       "subscription was used for, if a trip is started before the duration elapsed the new trip "
                       "will be fully charged.")),
            param("organization_only", "body", boolean(), required=True,
                  doc="Whether or not this subscription can only be used by organization members."),
            param("network_id", "body", integer(minimum=1), required=True,
                  doc="Identifier of the network on which the subscription can be used."),
        ))

declare("listSubscriptionDiscounts", "GET", "/subscriptions/discounts",
        api="dashboard", tag="Subscriptions", access="permission", permission="offers",
        summary="Get subscriptions discounts",
        description="Returns subscription discounts of the specified networks.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id.   • networks=1,5,7 - With multiple networks "
                       "id. Identifier of networks of which to get the subscriptions discounts.")),
        ))

declare("createSubscriptionDiscount", "POST", "/subscriptions/discounts",
        api="dashboard", tag="Subscriptions", access="permission", permission="offers", write=True,
        summary="Create a subscription discount",
        description="Create a new subscription discount.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("percent_off", "body", number(minimum=1, maximum=100), required=True,
                  doc="The percentage of the discount."),
            param("duration", "body", string(enum=("once", "repeating", "forever")), required=True,
                  doc=("The duration during which the discount is applied on a subscription.   • once: the discount "
                       "is applied on the first bill of the subscription.   • repeating: the discount is applied "
                       "until the number of months given in the duration_in_months variable is reached.   • forever:"
                       " the discount is applied on every bill of the subscription.")),
            param("duration_in_months", "body", integer(minimum=0, nullable=True), required=True,
                  doc=("The duration of the discount in months. This is not null only when the property duration is "
                       "repeating.")),
            param("network_id", "body", integer(minimum=1), required=True,
                  doc="The identifier of the network on which this discount is usable."),
        ))

declare("deleteSubscriptionDiscount", "DELETE", "/subscriptions/discounts/{id}",
        api="dashboard", tag="Subscriptions", access="permission", permission="offers", write=True,
        summary="Delete subscription discount",
        description="Delete a subscription discount.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True,
                  doc="The identifier of the subscription discount."),
        ))

declare("updateSubscription", "PUT", "/subscriptions/{id}",
        api="dashboard", tag="Subscriptions", access="permission", permission="offers", write=True,
        summary="Update subscription",
        description="Update a subscription.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the subscription."),
            param("name", "body", string(min_length=1, max_length=50), doc="Display name for this subscription."),
            param("trip_duration", "body", integer(minimum=1),
                  doc="The duration in seconds that the subscription cover for each trip that it applies to."),
            param("trip_waiting_period", "body", integer(minimum=1, nullable=True),
                  doc=("The duration in seconds that the user needs to wait after having finished a trip that the "
                       "subscription was used for, if a trip is started before the duration elapsed the new trip "
                       "will be fully charged.")),
            param("organization_only", "body", boolean(),
                  doc="Whether or not this subscription can only be used by organization members."),
        ))

declare("deleteSubscription", "DELETE", "/subscriptions/{id}",
        api="dashboard", tag="Subscriptions", access="permission", permission="offers", write=True,
        summary="Delete subscription",
        description="Delete a subscription.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the subscription."),
        ))

declare("listSubscriptionPrices", "GET", "/subscriptions/{id}/prices",
        api="dashboard", tag="Subscriptions", access="permission", permission="offers",
        summary="Get subscription prices",
        description="Get the different price of a subscription.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the subscription."),
        ))

declare("createSubscriptionPrice", "POST", "/subscriptions/{id}/prices",
        api="dashboard", tag="Subscriptions", access="permission", permission="offers", write=True,
        summary="Create subscription price",
        description="Create a new price for a subscription.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the subscription."),
            param("price", "body", number(minimum=0), required=True, doc="The amount of the subscription price."),
            param("interval_type", "body", string(enum=("day", "week", "month", "year")), required=True,
                  doc="The type of interval used for this price."),
            param("interval_count", "body", integer(minimum=1, maximum=365), required=True,
                  doc="How many interval_type are between each renewal."),
            param("free_credits", "body", number(minimum="0.001", nullable=True), required=True,
                  doc="The amount given as a gift to the user on his wallet."),
            param("available", "body", boolean(), required=True,
                  doc="Whether or not this price is available for the end users."),
        ))

declare("updateSubscriptionPrice", "PUT", "/subscriptions/{id}/prices/{price_id}",
        api="dashboard", tag="Subscriptions", access="permission", permission="offers", write=True,
        summary="Update subscription price",
        description="Update a subscription price.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the subscription."),
            param("price_id", "path", integer(minimum=1), required=True,
                  doc="The identifier of the subscription price."),
            param("available", "body", boolean(), doc="Whether or not this price is visible to user."),
            param("free_credits", "body", number(minimum="0.001", nullable=True),
                  doc="The amount given as a gift to the user on his wallet."),
        ))

declare("deleteSubscriptionPrice", "DELETE", "/subscriptions/{id}/prices/{price_id}",
        api="dashboard", tag="Subscriptions", access="permission", permission="offers", write=True,
        summary="Delete subscription price",
        description="Delete a subscription price.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the subscription."),
            param("price_id", "path", integer(minimum=1), required=True,
                  doc="The identifier of the subscription price."),
        ))

declare("listUserPasses", "GET", "/users/{id}/passes",
        api="dashboard", tag="Users", access="permission", permission="users.credits",
        summary="Get user passes",
        description="Return all passes assigned to a user.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
        ))

declare("deleteUserPass", "DELETE", "/user-passes/{id}",
        api="dashboard", tag="UsersPasses", access="permission", permission="users.credits", write=True,
        summary="Delete user pass",
        description="Remove a pass from a user.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user pass."),
            param("refund", "query", boolean(), doc="True if the pass is to be refunded to the user."),
        ))

declare("disableUserPass", "POST", "/user-passes/{id}/disable",
        api="dashboard", tag="UsersPasses", access="permission", permission="users.credits", write=True,
        summary="Disable user pass",
        description="Disable a Pass so that it can be activated again. Optionally reset its available time.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user pass."),
            param("reset", "body", boolean(), doc="True if the pass needs to be reset."),
        ))
