"""The riders' app account operations, declared in Python (apps.core.catalog.declare)."""
from decimal import Decimal

from apps.core.catalog import Constraint, declare, param

TAG = "RiderAccount"
APP_PLATFORM = param("AppPlatform", "body", Constraint(kind="string", enum=("android", "ios")),
                     doc="The app's platform, to check its minimal version (with AppVersion).")
APP_VERSION = param("AppVersion", "body", Constraint(kind="integer", minimum=Decimal(0), maximum=Decimal(2**31 - 1)),
                    doc="The app's build number, compared with the app label's minimal version.")
APP_LABEL = param("AppLabel", "body", Constraint(kind="string", min_length=1, max_length=20), required=True,
                  doc="The app label's machine name: the app the rider uses.")
EMAIL = param("Email", "body", Constraint(kind="string", fmt="email", max_length=254), required=True)
PASSWORD = param("Password", "body", Constraint(kind="string", min_length=1, max_length=256), required=True)

SIGN_UP = declare(
    "signUpRider", "POST", "/riders/sign-up", tag=TAG, access="public", write=True,
    errors={"404": "err_UnknownAppLabel.", "409": "err_EmailTaken.", "426": "err_AppTooOld, with StoreUrl.",
            "429": "err_TooManyAttempts (the login that follows)."},
    summary="Open a rider's account",
    description="Opens an account in the app label (one account per e-mail) and logs the rider in.",
    params=(APP_LABEL, EMAIL, PASSWORD,
            param("Firstname", "body", Constraint(kind="string", max_length=50)),
            param("Lastname", "body", Constraint(kind="string", max_length=50)),
            param("Language", "body", Constraint(kind="string", pattern="^[a-z]{2}$", min_length=2, max_length=2),
                  doc="ISO 639-1: mails, receipts and terms come in it."), APP_PLATFORM, APP_VERSION),
    response_sample='{ "Result": "Ok", "Data": { "Token": "...", "ExpiresAt": "...", "Rider": {...} } }')

LOG_IN = declare("logInRider", "POST", "/riders/login", tag=TAG, access="public", write=True,
                 errors={"401": "err_WrongCredentials.", "404": "err_UnknownAppLabel.",
                         "426": "err_AppTooOld, with StoreUrl: the app must be updated first.",
                         "429": "err_TooManyAttempts: too many failed logins; try later."},
                 summary="Log a rider in", description="A bearer token for a rider of this app label.",
                 params=(APP_LABEL, EMAIL, PASSWORD, APP_PLATFORM, APP_VERSION),
                 response_sample='{ "Result": "Ok", "Data": { "Token": "...", "ExpiresAt": "..." } }')

LOG_OUT = declare("logOutRider", "POST", "/riders/logout", tag=TAG, write=True, summary="Log the rider out",
                  description="Revokes the token the request carries.", response_sample='{ "Result": "Ok" }')

PROFILE = declare("getRiderProfile", "GET", "/riders/me", tag=TAG, summary="The rider's profile",
                  description="Who the token's rider is, and whether a card is saved.")

CARD_ID = param("id", "path", Constraint(kind="integer", minimum=Decimal(1), maximum=Decimal(2**63 - 1)),
                required=True, doc="The card's id.")

LIST_CARDS = declare("listRiderCards", "GET", "/riders/me/cards", tag=TAG, summary="The rider's saved cards",
                     description="The cards the rider saved and did not remove, the default first.",
                     response_sample='{ "Result": "Ok", "Data": [ {...} ] }')

DEFAULT_CARD = declare("setRiderDefaultCard", "PUT", "/riders/me/cards/{id}/default", tag=TAG, write=True,
                       errors={"404": "err_CardNotFound."},
                       params=(CARD_ID,), summary="Make a card the default",
                       description="Trips are charged and guaranteed on the default card.")

DELETE_CARD = declare("deleteRiderCard", "DELETE", "/riders/me/cards/{id}", tag=TAG, write=True, params=(CARD_ID,),
                      errors={"404": "err_CardNotFound.", "409": "err_PaymentUnavailable: the provider kept it."},
                      summary="Remove a saved card", response_sample='{ "Result": "Ok" }',
                      description="Removes the card at the payment provider; the newest other card becomes the default "
                                  "when the default is removed. Payments made with it keep naming it.")

WALLET = declare(
    "getRiderWallet", "GET", "/riders/me/wallet", tag=TAG, summary="The rider's wallet",
    description="The balance of each open wallet (one per currency) and a page of its ledger, newest first.",
    params=(param("PageIndex", "query", Constraint(kind="integer", minimum=Decimal(0), maximum=Decimal(10_000),
                                                   default=0), doc="0-based."),
            param("PageSize", "query", Constraint(kind="integer", minimum=Decimal(1), maximum=Decimal(100),
                                                  default=20))))

ADD_CARD = declare(
    "addRiderCard", "POST", "/riders/me/cards", tag=TAG, write=True, summary="Save a card",
    errors={"402": "err_CardRefused: the provider did not save it."},
    description="Saves the card the app's card form tokenized at the payment provider; the first is the default.",
    params=(param("Token", "body", Constraint(kind="string", min_length=1, max_length=100), required=True,
                  doc="The provider's card token (the sandbox knows tok_visa, tok_mastercard, tok_amex, "
                      "tok_chargeDeclined)."),))

ACCEPT_TERMS = declare(
    "acceptRiderTerms", "POST", "/riders/me/terms/accept", tag=TAG, write=True, summary="Accept the terms of use",
    errors={"404": "err_NetworkNotFound."},
    description="Accepts the latest published terms of the rider's app label, and of the network when named.",
    params=(param("NetworkId", "body", Constraint(kind="integer", minimum=Decimal(1), maximum=Decimal(2**31 - 1),
                                             nullable=True),
                  doc="A network of the rider's app label whose own terms are accepted too."),))

FIRSTNAME = param("Firstname", "body", Constraint(kind="string", max_length=50))
LASTNAME = param("Lastname", "body", Constraint(kind="string", max_length=50))
LANGUAGE = param("Language", "body", Constraint(kind="string", pattern="^[a-z]{2}$", min_length=2, max_length=2),
                 doc="ISO 639-1: mails, receipts and terms come in it.")

UPDATE_PROFILE = declare(
    "updateRiderProfile", "PUT", "/riders/me", tag=TAG, write=True, params=(FIRSTNAME, LASTNAME, LANGUAGE),
    summary="Change the rider's profile", description="Changes the names and the language given; the others stay.",
    response_sample='{ "Result": "Ok", "Data": { "Id": 1, "Email": "...", ... } }')

REFRESH_TOKEN = declare(
    "refreshRiderToken", "POST", "/riders/token/refresh", tag=TAG, write=True,
    errors={"401": "err_Generic: the token was already refreshed, revoked or expired."},
    summary="Swap the token for a new one",
    description="A new token with a new expiry; the one the request carries is revoked (refreshed once only).",
    response_sample='{ "Result": "Ok", "Data": { "Token": "...", "ExpiresAt": "..." } }')

REGISTER_DEVICE = declare(
    "registerRiderDevice", "PUT", "/riders/me/devices", tag=TAG, write=True,
    summary="Register the rider's phone",
    description="Records the phone (created, or updated when the rider registered it before) with the push token "
                "receipts and notifications are sent to. An empty PushToken turns push off for that phone.",
    params=(param("DeviceId", "body", Constraint(kind="string", min_length=1, max_length=50), required=True,
                  doc="The app's installation id."),
            param("Platform", "body", Constraint(kind="string", enum=("android", "ios")), required=True),
            param("Model", "body", Constraint(kind="string", max_length=100)),
            param("OsVersion", "body", Constraint(kind="string", max_length=30)),
            param("AppVersion", "body", Constraint(kind="integer", minimum=Decimal(0), maximum=Decimal(2**31 - 1),
                                                   nullable=True), doc="The app's build number."),
            param("PushToken", "body", Constraint(kind="string", max_length=255),
                  doc="The platform's push token (FCM or APNs).")),
    response_sample='{ "Result": "Ok", "Data": { "DeviceId": "...", "Platform": "ios", "PushEnabled": true } }')

DELETE_ACCOUNT = declare(
    "deleteRiderAccount", "POST", "/riders/me/delete", tag=TAG, write=True,
    errors={"401": "err_WrongCredentials.", "402": "err_DebtUnpaid: pay the unpaid trip first.",
            "409": "err_TripUnderWay: end the trip first."},
    summary="Delete the rider's own account",
    description="Erases the account as the operator's erasure does (GDPR art. 17): personal fields blanked, "
                "phones, badges and tokens deleted, cards removed at the payment provider; trips and payments stay, "
                "anonymized. Asks for the password again. Refused while a trip is under way or unpaid.",
    params=(PASSWORD,), response_sample='{ "Result": "Ok" }')

# --- purchases -----------------------------------------------------------------------------------------------------
SHOP = "RiderShop"
PRODUCT_ID = Constraint(kind="integer", minimum=Decimal(1), maximum=Decimal(2**63 - 1))

CATALOGUE = declare(
    "getNetworkCatalogue", "GET", "/networks/{id}/catalogue", tag=SHOP, errors={"404": "err_NetworkNotFound."},
    params=(param("id", "path", Constraint(kind="integer", minimum=Decimal(1), maximum=Decimal(2**31 - 1)),
                  required=True, doc="A network of the rider's app label."),),
    summary="What the network sells",
    description="Its available offers (credits bought by card, with the credits they give) and passes (riding time "
                "bought with credits), by price.",
    response_sample='{ "Result": "Ok", "Data": { "Offers": [ {...} ], "Passes": [ {...} ] } }')

BUY_OFFER = declare(
    "buyOffer", "POST", "/offers/{id}/buy", tag=SHOP, write=True,
    params=(param("id", "path", PRODUCT_ID, required=True, doc="The offer's id."),),
    errors={"402": "err_NoPaymentMethod, err_PaymentDeclined.", "404": "err_OfferNotFound (unavailable too).",
            "409": "err_PaymentUnavailable, err_PaymentPending."},
    summary="Buy an offer with the default card",
    description="Charges the offer's price on the rider's default card; the credits it gives are in the wallet when "
                "the payment is. Accepts an Idempotency-Key: a double tap buys once.",
    response_sample='{ "Result": "Ok", "Data": { "PaymentId": 1, "Status": "paid", "Wallet": {...} } }')

BUY_PASS = declare(
    "buyPass", "POST", "/passes/{id}/buy", tag=SHOP, write=True,
    params=(param("id", "path", PRODUCT_ID, required=True, doc="The pass's id."),),
    errors={"402": "err_NotEnoughCredits.", "404": "err_PassNotFound (unavailable too)."},
    summary="Buy a pass with the wallet's credits",
    description="Takes the pass's price from the wallet of the network's currency. Its riding time starts counting "
                "at the next trip. Accepts an Idempotency-Key.",
    response_sample='{ "Result": "Ok", "Data": { "Id": 1, "Title": "Day pass", ... } }')

MY_PASSES = declare(
    "listRiderPasses", "GET", "/riders/me/passes", tag=SHOP, summary="The rider's passes",
    description="The passes the rider bought and still holds, newest first, with their riding time left.",
    response_sample='{ "Result": "Ok", "Data": [ {...} ] }')

# --- organizations -------------------------------------------------------------------------------------------------
ORGANIZATIONS = "RiderOrganizations"

JOINABLE = declare(
    "listJoinableOrganizations", "GET", "/organizations/joinable", tag=ORGANIZATIONS,
    summary="Organizations the rider may join by his e-mail",
    description="Those whose e-mail pattern matches the rider's and that ride in a network of his app, which he is "
                "not a member of yet.", response_sample='{ "Result": "Ok", "Data": [ {...} ] }')

ANSWER = param("Answer", "body", Constraint(kind="string", max_length=255),
               doc="The answer to the organization's enrolment question, where it asks one.")
JOIN_ERRORS = {"404": "err_OrganizationNotFound.", "409": "err_AlreadyMember, err_RequestPending."}
JOIN_SAMPLE = '{ "Result": "Ok", "Data": { "OrganizationId": 1, "Name": "...", "Status": "member" } }'

JOIN = declare(
    "joinOrganization", "POST", "/organizations/{id}/join", tag=ORGANIZATIONS, write=True, errors=JOIN_ERRORS,
    summary="Join an organization by e-mail",
    description="One of listJoinableOrganizations (its e-mail pattern matches the rider's). Where the organization "
                "approves its members by hand, a request waits for its answer (Status pending); else the rider is a "
                "member at once (Status member).",
    params=(param("id", "path", Constraint(kind="integer", minimum=Decimal(1), maximum=Decimal(2**63 - 1)),
                  required=True, doc="The organization's id."), ANSWER),
    response_sample=JOIN_SAMPLE)

JOIN_BY_TOKEN = declare(
    "joinOrganizationByToken", "POST", "/organizations/join", tag=ORGANIZATIONS, write=True, errors=JOIN_ERRORS,
    summary="Join an organization by its enrolment token",
    description="The token the organization gave its members (where it enables joining by token); approved by hand "
                "or at once, as joinOrganization.",
    params=(param("EnrolmentToken", "body", Constraint(kind="string", min_length=1, max_length=32), required=True),
            ANSWER),
    response_sample=JOIN_SAMPLE)

MY_ORGANIZATIONS = declare(
    "listRiderOrganizations", "GET", "/riders/me/organizations", tag=ORGANIZATIONS,
    summary="The rider's organizations", description="Those he is a member of, and his requests waiting an answer.",
    response_sample='{ "Result": "Ok", "Data": [ { "OrganizationId": 1, "Name": "...", "Status": "member" } ] }')

FORGOT_PASSWORD = declare(
    "requestRiderPasswordReset", "POST", "/riders/password/forgot", tag=TAG, access="public", write=True,
    errors={"404": "err_UnknownAppLabel."},
    summary="Mail a password reset code",
    description="Mails the rider of this app label with this e-mail a code to set a new password with "
                "(resetRiderPassword); at most one mail a minute. Answers Ok whether the account exists or not.",
    params=(APP_LABEL, EMAIL), response_sample='{ "Result": "Ok" }')

RESET_PASSWORD = declare(
    "resetRiderPassword", "POST", "/riders/password/reset", tag=TAG, access="public", write=True,
    errors={"400": "err_InvalidElement: the password rules, named Password.",
            "409": "err_InvalidResetCode: wrong, used (the password changed since) or expired."},
    summary="Set a new password with the mailed code",
    description="Sets the password; every token of the rider is revoked, so he logs in again everywhere.",
    params=(param("Code", "body", Constraint(kind="string", min_length=3, max_length=100), required=True,
                  doc="The code of the reset mail."), PASSWORD),
    response_sample='{ "Result": "Ok" }')

INVOICES = declare(
    "listRiderInvoices", "GET", "/riders/me/invoices", tag=SHOP, summary="The rider's invoices",
    description="His invoices and credit notes, newest first, each with the link to its PDF (PdfUrl: opens without "
                "the token, valid 90 days).",
    params=(param("PageIndex", "query", Constraint(kind="integer", minimum=Decimal(0), maximum=Decimal(10_000),
                                                   default=0), doc="0-based."),
            param("PageSize", "query", Constraint(kind="integer", minimum=Decimal(1), maximum=Decimal(100),
                                                  default=20))),
    response_sample='{ "Result": "Ok", "Data": { "Items": [ {...} ], "TotalCount": 1 } }')

INVOICE_PDF = declare(
    "getRiderInvoicePdf", "GET", "/invoices/{token}", tag=SHOP, access="public",
    errors={"404": "err_InvoiceNotFound: the link is wrong or older than 90 days."},
    summary="An invoice's PDF, by its signed link",
    description="The link of listRiderInvoices or of the trip receipt: signed, it opens without a token.",
    params=(param("token", "path", Constraint(kind="string", min_length=1, max_length=200), required=True,
                  doc="The signed part of the link."),),
    response_sample="application/pdf")

PHONE = param("PhoneNumber", "body", Constraint(kind="string", pattern=r"^\+[1-9][0-9]{6,14}$", min_length=8,
                                                max_length=16), required=True, doc="E.164, e.g. +33612345678.")

PHONE_CODE = declare(
    "requestRiderPhoneCode", "POST", "/riders/phone/code", tag=TAG, access="public", write=True,
    errors={"404": "err_UnknownAppLabel.", "429": "err_TooManyAttempts: one code a minute.",
            "503": "err_SmsUnavailable: the SMS provider did not take it."},
    summary="Text a one-time code to a phone number",
    description="Sends a 6-digit code by SMS (valid 10 minutes, five tries) to sign up or log in with the number "
                "(verifyRiderPhoneCode).", params=(APP_LABEL, PHONE), response_sample='{ "Result": "Ok" }')

PHONE_VERIFY = declare(
    "verifyRiderPhoneCode", "POST", "/riders/phone/verify", tag=TAG, access="public", write=True,
    errors={"401": "err_InvalidCode: wrong, used, expired or tried five times.", "404": "err_UnknownAppLabel."},
    summary="Sign up or log in with the texted code",
    description="Logs in the app label's rider with this number, or opens his account (Created true): a bearer "
                "token as logInRider gives.",
    params=(APP_LABEL, PHONE, param("Code", "body", Constraint(kind="string", pattern="^[0-9]{6}$", min_length=6,
                                                               max_length=6), required=True)),
    response_sample='{ "Result": "Ok", "Data": { "Token": "...", "ExpiresAt": "...", "Created": true, '
                    '"Rider": {...} } }')

SUBSCRIPTION_SAMPLE = '{ "Result": "Ok", "Data": { "Id": 1, "Name": "Commuter", "Status": "active", ... } }'
SUBSCRIBE = declare(
    "subscribeRider", "POST", "/subscription-prices/{id}/subscribe", tag=SHOP, write=True,
    params=(param("id", "path", PRODUCT_ID, required=True, doc="The subscription price's id (catalogue)."),),
    errors={"402": "err_NoPaymentMethod, err_PaymentDeclined.", "403": "err_OrganizationOnly.",
            "404": "err_SubscriptionNotFound (not sold, or another app's).",
            "409": "err_AlreadySubscribed, err_PaymentUnavailable, err_PaymentPending."},
    summary="Subscribe", response_sample=SUBSCRIPTION_SAMPLE,
    description="Charges the first period on the default card; the subscription is active for the period (its free "
                "credits in the wallet) and renewed at its end on the same card until canceled. Accepts an "
                "Idempotency-Key.")

MY_SUBSCRIPTIONS = declare(
    "listRiderSubscriptions", "GET", "/riders/me/subscriptions", tag=SHOP, summary="The rider's subscriptions",
    description="Open and past ones, newest first.", response_sample='{ "Result": "Ok", "Data": [ {...} ] }')

CANCEL_SUBSCRIPTION = declare(
    "cancelRiderSubscription", "POST", "/riders/me/subscriptions/{id}/cancel", tag=SHOP, write=True,
    params=(param("id", "path", PRODUCT_ID, required=True, doc="The rider's subscription's id."),),
    errors={"404": "err_SubscriptionNotFound.", "409": "err_SubscriptionNotActive."},
    summary="Stop renewing a subscription", response_sample=SUBSCRIPTION_SAMPLE,
    description="It lasts to the end of the period paid, and is not renewed.")
