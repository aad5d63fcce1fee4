-- checkout migration 0001 (PostgreSQL): the payments and the Instant
-- Payment Notifications recorded for them.
--
-- The tables are prefixed with checkout_ because they live in the shop's
-- own database, beside its own "payments" and "schema_migrations".

-- One row per Payment. data is the whole Payment as encoding/json writes
-- it; the other columns copy the fields the store looks things up by, so a
-- new Payment field needs no schema change.
CREATE TABLE checkout_payments (
    id        text        PRIMARY KEY,
    -- The order reference or billing agreement id (Payment.AmazonID());
    -- NULL while the payment has none.
    amazon_id text        UNIQUE,
    state     text        NOT NULL,
    -- Increases by one on every stored change: updates are
    -- compare-and-swap on it.
    version   bigint      NOT NULL,
    -- Payment.Updated, in UTC; Reconcile lists the oldest first.
    updated   timestamptz NOT NULL,
    data      json        NOT NULL
);

CREATE INDEX checkout_payments_state_updated ON checkout_payments (state, updated, id);

-- One row per notification (NotificationReferenceId): a row that exists and
-- is applied refuses the same notification again; an unapplied row is kept
-- for a payment the store does not know yet.
CREATE TABLE checkout_notifications (
    id        text        PRIMARY KEY,
    amazon_id text        NOT NULL,
    type      text        NOT NULL,
    -- When Amazon Pay made the notification, in UTC.
    timestamp timestamptz NOT NULL,
    -- NotificationData, the XML as received.
    data      bytea       NOT NULL,
    applied   boolean     NOT NULL
);

CREATE INDEX checkout_notifications_pending ON checkout_notifications (amazon_id, timestamp, id) WHERE NOT applied;
