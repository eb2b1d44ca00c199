// Schema `inventory`: direct-contract hotels (matching's master hotel ids) with their room types and
// rate plans; the nightly calendar per room type (allotment, sold, held, restrictions) and net prices
// per rate plan; holds that keep rooms for orders; and the channel manager's messages, applied or
// queued for the periodic sync, each kept with the answer it was given.

import Shared

enum InventoryMigrations {
    static let all = [
        Migration(
            id: "001", name: "contracts and calendar",
            up: """
                CREATE TABLE hotels (
                    hotel_id BIGINT PRIMARY KEY CHECK (hotel_id > 0),
                    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                    currency CHAR(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
                    -- the channel manager (a supplier code) that sends this hotel's updates, and its code for the hotel there
                    channel TEXT,
                    channel_hotel_code TEXT,
                    on_sale BOOLEAN NOT NULL DEFAULT true,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    CHECK ((channel IS NULL) = (channel_hotel_code IS NULL)),
                    UNIQUE (channel, channel_hotel_code)
                );
                CREATE TABLE room_types (
                    hotel_id BIGINT NOT NULL REFERENCES hotels ON DELETE CASCADE,
                    code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 50),
                    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                    max_occupancy INT NOT NULL CHECK (max_occupancy BETWEEN 1 AND 20),
                    PRIMARY KEY (hotel_id, code)
                );
                CREATE TABLE rate_plans (
                    hotel_id BIGINT NOT NULL REFERENCES hotels ON DELETE CASCADE,
                    code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 50),
                    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                    board TEXT NOT NULL CHECK (board IN ('RO', 'BB', 'HB', 'FB', 'AI')),
                    refundable BOOLEAN NOT NULL,
                    -- [{"days_before": 7, "percent": "50"}]: from that many days before check-in, cancelling costs that share of the stay
                    cancellation JSONB NOT NULL DEFAULT '[]',
                    PRIMARY KEY (hotel_id, code)
                );
                CREATE TABLE nights (
                    hotel_id BIGINT NOT NULL,
                    room_type TEXT NOT NULL,
                    night DATE NOT NULL,
                    allotment INT NOT NULL DEFAULT 0 CHECK (allotment >= 0),
                    sold INT NOT NULL DEFAULT 0 CHECK (sold >= 0),
                    held INT NOT NULL DEFAULT 0 CHECK (held >= 0),
                    stop_sell BOOLEAN NOT NULL DEFAULT false,
                    min_stay INT NOT NULL DEFAULT 1 CHECK (min_stay BETWEEN 1 AND 60),
                    closed_to_arrival BOOLEAN NOT NULL DEFAULT false,
                    release_days INT NOT NULL DEFAULT 0 CHECK (release_days BETWEEN 0 AND 365),
                    PRIMARY KEY (hotel_id, room_type, night),
                    FOREIGN KEY (hotel_id, room_type) REFERENCES room_types ON DELETE CASCADE,
                    -- never oversold, whatever runs at once
                    CONSTRAINT nights_never_oversold CHECK (sold + held <= allotment)
                );
                CREATE TABLE night_prices (
                    hotel_id BIGINT NOT NULL,
                    room_type TEXT NOT NULL,
                    rate_plan TEXT NOT NULL,
                    night DATE NOT NULL,
                    price NUMERIC(20, 4) NOT NULL CHECK (price > 0),
                    PRIMARY KEY (hotel_id, room_type, night, rate_plan),
                    FOREIGN KEY (hotel_id, room_type) REFERENCES room_types ON DELETE CASCADE,
                    FOREIGN KEY (hotel_id, rate_plan) REFERENCES rate_plans ON DELETE CASCADE
                );
                CREATE TABLE holds (
                    order_id TEXT PRIMARY KEY CHECK (length(order_id) BETWEEN 1 AND 100),
                    hotel_id BIGINT NOT NULL,
                    room_type TEXT NOT NULL,
                    rate_plan TEXT NOT NULL,
                    check_in DATE NOT NULL,
                    check_out DATE NOT NULL CHECK (check_out > check_in),
                    rooms INT NOT NULL CHECK (rooms BETWEEN 1 AND 9),
                    status TEXT NOT NULL CHECK (status IN ('held', 'confirmed', 'released', 'expired', 'cancelled')),
                    net NUMERIC(20, 4) NOT NULL,
                    currency CHAR(3) NOT NULL,
                    cancellation JSONB NOT NULL,
                    rate_key TEXT NOT NULL,
                    expires_at TIMESTAMPTZ NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
                );
                CREATE INDEX holds_due ON holds (expires_at) WHERE status = 'held';
                CREATE TABLE channel_messages (
                    id BIGSERIAL PRIMARY KEY,
                    channel TEXT NOT NULL,
                    -- the signed message's digest: the same message again gets the same answer, applied once
                    message_key TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    body TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('applied', 'queued', 'refused')),
                    answer TEXT NOT NULL,
                    problems TEXT,
                    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    applied_at TIMESTAMPTZ,
                    UNIQUE (channel, message_key)
                );
                CREATE INDEX channel_messages_queued ON channel_messages (id) WHERE status = 'queued';
                """,
            down: """
                DROP TABLE channel_messages;
                DROP TABLE holds;
                DROP TABLE night_prices;
                DROP TABLE nights;
                DROP TABLE rate_plans;
                DROP TABLE room_types;
                DROP TABLE hotels;
                """),
        Migration(
            id: "002", name: "nights by hotel and date",
            up: """
                -- availability reads a stay's nights of many hotels, every room type: by hotel and date,
                -- not through the primary key (hotel, room type, date), which would read every night loaded
                CREATE INDEX nights_by_hotel_night ON nights (hotel_id, night);
                """,
            down: "DROP INDEX nights_by_hotel_night;"),
    ]
}
