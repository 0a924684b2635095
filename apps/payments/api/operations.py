"""The payments operations of the seed's dashboard catalog, declared in Python beside their views: each input with the
rule the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import array, boolean, declare, integer, number, param, string
from apps.core.enums import CURRENCIES, TIMEZONES

TRANSACTION_SORT_KEYS = ("date", "amount_w_vat", "amount", "product_title", "refund_amount", "auto_payment",
                         "payment_provider_fee", "network_id")

# The range, currency, time zone and provider every income figure is read over.
INCOME_FILTERS = (
    param("start_date", "query", string(fmt="date"), required=True, doc="The start date of the period."),
    param("end_date", "query", string(fmt="date"), required=True,
          doc="The end date of the period. Should be after the start_date."),
    param("currency", "query", string(enum=CURRENCIES), required=True,
          doc="Example: currency=EUR The currency in which to convert the amounts."),
    param("timezone", "query", string(enum=TIMEZONES), required=True,
          doc="The timezone of the user making the request."),
    param("provider", "query", string(enum=("stripe", "uzcard", "braintree", "hdcpay")),
          doc=("The name of the payment provider to use as a filter. Not giving this parameters returns "
               "stats for all providers.")),
)


declare("listAppLabelPaymentMethods", "GET", "/app-labels/{app_label_id}/payment-methods",
        api="dashboard", tag="AppLabel", access="permission", permission="app.label",
        summary="Get payment methods",
        description="Get the payment methods and which are enabled on the app label.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
        ))

declare("enableAppLabelPaymentMethod", "POST", "/app-labels/{app_label_id}/payment-methods/{method_id}",
        api="dashboard", tag="AppLabel", access="permission", permission="app.label", write=True,
        summary="Enable payment method",
        description="Enable a payment method on the app label.",
        response_sample='{ "code": 0 }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
            param("method_id", "path", integer(minimum=1), required=True, doc="Identifier of the payment method."),
        ))

declare("disableAppLabelPaymentMethod", "DELETE", "/app-labels/{app_label_id}/payment-methods/{method_id}",
        api="dashboard", tag="AppLabel", access="permission", permission="app.label", write=True,
        summary="Disable payment method",
        description=("Disable the payment method on the app label. Warning, all user who have saved the payment "
                     "method won't be able to use it."),
        response_sample='{ "code": 0 }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
            param("method_id", "path", integer(minimum=1), required=True, doc="Identifier of the payment method."),
        ))

declare("listInvoices", "GET", "/invoices",
        api="dashboard", tag="Invoices", access="authenticated",
        summary="Get invoices",
        description="Get the list of invoices linked to the user.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("page", "query", integer(), required=True, doc="The page number of the invoices."),
        ))

declare("downloadInvoice", "GET", "/invoices/{ref}",
        api="dashboard", tag="Invoices", access="authenticated",
        summary="Download invoices",
        description="Download an invoice in PDF format.",
        response_sample='{ "code": -39999999, "message": {...} }',
        params=(
            param("ref", "path", string(), required=True, doc="The invoice's reference."),
        ))

declare("listPaymentMethodsByFingerprint", "GET", "/payment-methods",
        api="dashboard", tag="Payment methods", access="permission", permission="transactions",
        summary="Get by fingerprint",
        description="Get the payment methods with the same fingerprint as the given one.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("fingerprint", "query", string(), required=True, doc="The fingerprint to look for."),
        ))

declare("listTransactions", "GET", "/transactions",
        api="dashboard", tag="Transactions", access="permission", permission="transactions",
        summary="Get transactions",
        description="Return transactions made on specified networks.",
        response_sample='{ "code": 0, "data": [...], "total": 0 }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id   • networks=1,5,7 - With multiple networks "
                       "ids Identifier of networks of which to get transactions.")),
            param("primary_key_dir", "query", string(enum=("ASC", "DESC"), default="DESC"),
                  doc="Sort direction of the transaction identifier."),
            param("page_size", "query", integer(minimum=10, maximum=500, default=20),
                  doc="The maximum items to return."),
            param("last_primary_key", "query", integer(minimum=1),
                  doc="Identifier of the last transaction on the current page, used to request the next page."),
            param("sort_by", "query", string(enum=TRANSACTION_SORT_KEYS), doc="Custom sort key."),
            param("sort_dir", "query", string(enum=("ASC", "DESC"), default="DESC"),
                  doc="Sort direction of the custom sort key."),
            param("transaction_id_min", "query", integer(minimum=1),
                  doc="Filter the minimum transaction's identifier."),
            param("transaction_id_max", "query", integer(minimum=1),
                  doc="Filter the maximum transaction's identifier."),
            param("date_min", "query", string(fmt="date"), doc="Filter the minimum transaction's date."),
            param("date_max", "query", string(fmt="date"), doc="Filter the maximum transaction's date."),
            param("amount_w_vat_min", "query", number(minimum=0),
                  doc="Filter the minimum transaction's amount with VAT."),
            param("amount_w_vat_max", "query", number(minimum=0),
                  doc="Filter the maximum transaction's amount with VAT."),
            param("amount_min", "query", number(minimum=0),
                  doc="Filter the minimum transaction's amount without VAT."),
            param("amount_max", "query", number(minimum=0),
                  doc="Filter the maximum transaction's amount without VAT."),
            param("user_id", "query", integer(minimum=1),
                  doc="Filter by the user's identifier who made the transaction."),
            param("email", "query", string(min_length=1),
                  doc="Filter by the user's email who made the transaction (partial match search)."),
            param("product_title", "query", string(min_length=1, max_length=100),
                  doc="Filter by the transaction's product title (partial match search)."),
            param("refunded", "query", boolean(), doc="Filter refunded state."),
            param("refund_date_min", "query", string(fmt="date"),
                  doc="Filter the minimum transaction's refund date."),
            param("refund_date_max", "query", string(fmt="date"),
                  doc="Filter the maximum transaction's refund date."),
            param("auto_payment", "query", boolean(), doc="Filter auto-payment."),
            param("payment_provider_fee_min", "query", number(minimum=0),
                  doc="Filter by the minimum transaction's provider fee amount."),
            param("payment_provider_fee_max", "query", integer(minimum=0),
                  doc="Filter by the maximum transaction's provider fee amount."),
            param("payment_provider", "query", string(min_length=1, max_length=20),
                  doc="Filter by the transaction's payment method provider (partial match search)."),
            param("payment_method_type", "query", string(min_length=1, max_length=20),
                  doc="Filter by the transaction's payment method type (partial match search)."),
        ))

declare("getTransaction", "GET", "/transactions/{id}",
        api="dashboard", tag="Transactions", access="permission", permission="transactions",
        summary="Get transaction detail",
        description="Return details of the specified transaction.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the transaction."),
        ))

declare("getTransactionInvoice", "GET", "/transactions/{id}/invoice",
        api="dashboard", tag="Transactions", access="permission", permission="transactions",
        summary="Get transaction invoice",
        description="Returns the invoice for a transaction.",
        response_sample='{ "code": 3 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The transaction's identifier."),
        ))

declare("refundTransaction", "POST", "/transactions/{id}/refund",
        api="dashboard", tag="Transactions", access="permission", permission="transactions", write=True,
        summary="Refund transaction",
        description="Refund the specified transaction.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the transaction."),
            param("reason", "body", string(min_length=10, max_length=2048), required=True,
                  doc="The reason to refund this transaction."),
            param("amount", "body", number(minimum=0, exclusive_minimum=True), required=True,
                  doc="The amount to refund. Cannot be greater than the amount of the transaction."),
        ))

declare("getIncomeSummary", "GET", "/income/summary",
        api="dashboard", tag="Transactions", access="permission", permission="transactions",
        summary="Get income summary",
        description="Return income summary of the requested period, in the requested currency.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            *INCOME_FILTERS,
        ))

declare("getIncomeSources", "GET", "/income/sources",
        api="dashboard", tag="Transactions", access="permission", permission="transactions",
        summary="Get income sources",
        description="Return income sources of the requested period, in the requested currency.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            *INCOME_FILTERS,
        ))

declare("getIncomeByDow", "GET", "/income/dow",
        api="dashboard", tag="Transactions", access="permission", permission="transactions",
        summary="Get income distribution by dow",
        description=("Return income distribution by day of the week of the requested period, in the requested "
                     "currency."),
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            *INCOME_FILTERS,
        ))

declare("getIncomeByDay", "GET", "/income/days",
        api="dashboard", tag="Transactions", access="permission", permission="transactions",
        summary="Get income details by day",
        description="Return income details by day of the requested period, in the requested currency.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            *INCOME_FILTERS,
        ))

declare("listUserWallets", "GET", "/users/{id}/wallets",
        api="dashboard", tag="Users", access="permission", permission="users.credits",
        summary="Get user wallets",
        description="Return non-empty wallets for the specified user.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True,
                  doc="The user's identifier of which to get wallets."),
            param("get_empty", "query", boolean(), doc="Whether to get full or empty wallets."),
        ))

declare("createUserWallet", "POST", "/users/{id}/wallets",
        api="dashboard", tag="Users", access="permission", permission="users.credits", write=True,
        summary="Create user wallet",
        description="Create a wallet for the user given.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
            param("amount", "body", number(minimum=0, exclusive_minimum=True), required=True,
                  doc="The amount to add."),
            param("currency", "body", string(enum=CURRENCIES), required=True,
                  doc="The currency of the wallet amount."),
            param("reason", "body", string(min_length=5, max_length=1000), required=True,
                  doc="Why this amount is added to the user wallet."),
        ))

declare("deleteUserWallet", "DELETE", "/users/{id}/wallets",
        api="dashboard", tag="Users", access="permission", permission="users.credits", write=True,
        summary="Delete user wallet",
        description="Delete the specified wallet of a user.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
            param("wallet", "query", integer(minimum=1), required=True, doc="Identifier of the wallet."),
            param("reason", "query", string(min_length=3, max_length=1000), required=True,
                  doc="Reason to delete the wallet."),
        ))

declare("getUserWalletSum", "GET", "/users/{id}/wallets/sum",
        api="dashboard", tag="Users", access="permission", permission="users.credits",
        summary="Get wallet sum",
        description="Get the sum of all wallet of the specified user, converted to given currency.",
        response_sample='{ "code": 0, "data": 0.1 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the wallet."),
            param("currency", "query", string(enum=CURRENCIES), required=True,
                  doc="Example: currency=EUR Currency code of the wallet money to convert to."),
        ))

declare("listUserBankGuarantees", "GET", "/users/{id}/bank-guarantees",
        api="dashboard", tag="Users", access="permission", permission="users.credits",
        summary="Get user bank guarantees",
        description="Get the list of usable or currently used bank guarantees of a user.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True,
                  doc="The user's identifier of which to get bank guarantees."),
        ))

declare("toggleUserPreAuth", "PUT", "/users/{id}/bank-guarantees/pre-auth",
        api="dashboard", tag="Users", access="permission", permission="users.credits", write=True,
        summary="Toggle pre auth bank guarantee",
        description=("Enable or disable pre auth bank guarantee for the user. He still need to have a valid "
                     "payment method to start trips."),
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
            param("disabled", "body", boolean(), required=True,
                  doc="Wether or not the pre auth guarantee are disabled for this user."),
        ))
