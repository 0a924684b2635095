"""Which money tables refuse DELETE, and which of their columns refuse UPDATE, in the database (triggers created by
migration payments.0007). A refusal is answered -6 `money.immutable` by the API's exception handler."""
from apps.core.exceptions import BusinessRuleViolation, on_constraint

CONSTRAINT = "money_record_immutable"

# table -> the columns no UPDATE may change (the others, such as a refund's running total, may change).
IMMUTABLE = {
    "payments_transaction": ("network_id", "rider_id", "kind", "status", "date", "currency_id", "amount",
                             "amount_w_vat", "vat_rate", "payment_provider_fee", "provider_reference", "trip_id"),
    "payments_refund": ("transaction_id", "amount", "provider_reference"),
    "payments_invoice": ("app_label_id", "year", "number", "reference", "kind", "transaction_id", "refund_id",
                         "amount", "amount_w_vat", "issued_at"),
    "payments_walletentry": ("wallet_id", "kind", "amount", "transaction_id"),
    "payments_paymentattempt": ("key", "operation", "network_id", "rider_id", "currency_id", "amount",
                                "method_id"),
    "payments_bankguarantee": ("rider_id", "payment_method_id", "currency_id", "amount", "provider_reference"),
    "commerce_userpass": ("rider_id", "pass_bought_id", "price_paid", "transaction_id"),
    "commerce_offerpurchase": ("offer_id", "transaction_id"),
}

FUNCTION = """
CREATE OR REPLACE FUNCTION fleet_refuse_money_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'A row of % records money: it is never deleted (reverse it instead).', TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation', CONSTRAINT = 'money_record_immutable';
    END IF;
    RAISE EXCEPTION 'A row of % records money: its amounts and numbers never change (reverse it instead).',
        TG_TABLE_NAME USING ERRCODE = 'restrict_violation', CONSTRAINT = 'money_record_immutable';
END $$;
"""


def create_sql(tables: dict) -> list[str]:
    statements = [FUNCTION]
    for table, columns in tables.items():
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
        statements += [
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION fleet_refuse_money_rewrite()",
            f"CREATE TRIGGER {table}_no_rewrite BEFORE UPDATE OF {', '.join(columns)} ON {table} FOR EACH ROW "
            f"WHEN ({changed}) EXECUTE FUNCTION fleet_refuse_money_rewrite()",
        ]
    return statements


def drop_sql(tables: dict) -> list[str]:
    return [statement for table in tables for statement in (
        f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_rewrite ON {table}")] + ["DROP FUNCTION IF EXISTS fleet_refuse_money_rewrite()"]


on_constraint(lambda: BusinessRuleViolation(
    "money.immutable", "Money records are never deleted or rewritten; correct them with a refund, a credit note or "
                       "a wallet entry of the opposite sign."), name=CONSTRAINT)
