from apps.content.selectors import labels_in

# Shipped wording of the out-of-order types; operators reword them with the localization `out_of_order.<type>`.
OUT_OF_ORDER_TYPE_LABELS = {
    "winter": ("Winter closure", "Fermeture hivernale"),
    "other": ("Service suspended", "Service suspendu"),
}


def out_of_order_type_labels(lang: str) -> dict[str, str]:
    return labels_in(lang, OUT_OF_ORDER_TYPE_LABELS, "out_of_order.")
