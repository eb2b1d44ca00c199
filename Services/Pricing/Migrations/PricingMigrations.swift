// Schema `pricing`: exchange rates against the base currency (DEFAULT_CURRENCY), and every change
// made to them, who made it and when. (Markup rules come with the pricing capability.)

import Shared

enum PricingMigrations {
    static let all = [
        Migration(
            id: "001", name: "exchange_rates",
            up: """
                CREATE TABLE exchange_rates (
                    base CHAR(3) NOT NULL CHECK (base ~ '^[A-Z]{3}$'),
                    currency CHAR(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$' AND currency <> base),
                    -- units of the base one unit of the currency buys
                    rate NUMERIC(24, 10) NOT NULL CHECK (rate > 0),
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_by TEXT NOT NULL,
                    PRIMARY KEY (base, currency)
                );
                CREATE TABLE exchange_rate_changes (
                    id BIGSERIAL PRIMARY KEY,
                    base CHAR(3) NOT NULL,
                    currency CHAR(3) NOT NULL,
                    -- null: the rate was set for the first time / removed
                    old_rate NUMERIC(24, 10),
                    new_rate NUMERIC(24, 10),
                    changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    changed_by TEXT NOT NULL
                );
                CREATE INDEX exchange_rate_changes_currency ON exchange_rate_changes (base, currency, changed_at DESC);
                """,
            down: "DROP TABLE exchange_rate_changes; DROP TABLE exchange_rates;"),
    ]
}
