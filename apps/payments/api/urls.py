from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(
    views.TransactionCollection, views.TransactionDetail, views.RefundTransaction, views.TransactionInvoice,
    views.InvoiceCollection, views.InvoiceDownload, views.IncomeSummary, views.IncomeSources, views.IncomeByDow,
    views.IncomeByDay, views.MethodsByFingerprint, views.AppLabelMethodList, views.AppLabelMethodDetail,
    views.UserWallets, views.UserWalletSum, views.UserBankGuarantees, views.UserPreAuth, views.UserPaymentMethodList,
    views.UserPaymentMethodDetail,
)
