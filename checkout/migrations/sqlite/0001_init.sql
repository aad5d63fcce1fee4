-- checkout migration 0001 (SQLite): the payments and the Instant Payment
-- Notifications recorded for them.
--
-- The tables are prefixed with checkout_ because they live in the shop's
-- own database, beside its own "payments" and "schema_migrations".
--
-- Times are TEXT in UTC with nine fraction digits,
-- 2006-01-02T15:04:05.000000000Z, so that text order is time order.
-- Booleans are INTEGER 0 or 1.

-- One row per Payment. data is the whole Payment as encoding/json writes
-- it; the other columns copy the fields the store looks things up by, so a
-- new Payment field needs no schema change.
CREATE TABLE checkout_payments (
    id        TEXT    NOT NULL PRIMARY KEY,
    -- The order reference or billing agreement id (Payment.AmazonID());
    -- NULL while the payment has none.
    amazon_id TEXT    UNIQUE,
    state     TEXT    NOT NULL,
    -- Increases by one on every stored change: updates are
    -- compare-and-swap on it.
    version   INTEGER NOT NULL,
    -- Payment.Updated; Reconcile lists the oldest first.
    updated   TEXT    NOT NULL,
    data      TEXT    NOT NULL
);

CREATE INDEX checkout_payments_state_updated ON checkout_payments (state, updated, id);

-- One row per notification (NotificationReferenceId): a row that exists and
-- is applied refuses the same notification again; an unapplied row is kept
-- for a payment the store does not know yet.
CREATE TABLE checkout_notifications (
    id        TEXT    NOT NULL PRIMARY KEY,
    amazon_id TEXT    NOT NULL,
    type      TEXT    NOT NULL,
    -- When Amazon Pay made the notification.
    timestamp TEXT    NOT NULL,
    -- NotificationData, the XML as received.
    data      BLOB    NOT NULL,
    applied   INTEGER NOT NULL
);

CREATE INDEX checkout_notifications_pending ON checkout_notifications (amazon_id, timestamp, id) WHERE NOT applied;
