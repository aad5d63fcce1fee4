-- shop migration 0001 (PostgreSQL): the buyers' sessions with their carts,
-- the shop's orders and subscriptions, and the counters that number them.
--
-- The tables are prefixed with shop_ because they share the database with
-- the checkout package's (checkout_payments, checkout_notifications), which
-- hold the payments themselves: what was confirmed, authorized, captured.
-- Times are milliseconds since 1970 (UTC), the same in both dialects.

-- One row per buyer who put something in the cart (or pressed
-- "subscribe"): a browser without a cookie has none. The cart is part of
-- the session. A session past expires is not used, and deleted by the
-- shop's minutely sweep.
CREATE TABLE shop_sessions (
    id                   text    PRIMARY KEY,
    expires              bigint  NOT NULL,
    -- The cart: how many Gopher plushes.
    quantity             integer NOT NULL DEFAULT 0,
    -- The checkout in progress: the widgets' order reference and the
    -- order number (the checkout payment id) given to it at "buy now".
    order_reference_id   text,
    order_no             text,
    -- The subscription checkout in progress.
    billing_agreement_id text,
    sub_no               text
);

CREATE INDEX shop_sessions_expires ON shop_sessions (expires);

-- One row per order or subscription the buyer confirmed: the shop's side
-- of a checkout payment. Whether it is paid is the payment's state
-- (checkout_payments), never a copy here.
CREATE TABLE shop_orders (
    no         text    PRIMARY KEY,
    kind       text    NOT NULL CHECK (kind IN ('order', 'subscription')),
    -- The checkout payment (checkout_payments.id) that pays it.
    payment_id text    NOT NULL UNIQUE,
    -- The session that placed it: only that buyer sees its page.
    session_id text    NOT NULL,
    -- Plushes ordered (0 for a subscription).
    quantity   integer NOT NULL,
    created    bigint  NOT NULL
);

-- The last number handed out, per kind: order-1001, sub-1001, ...
CREATE TABLE shop_counters (
    name text   PRIMARY KEY,
    last bigint NOT NULL
);

INSERT INTO shop_counters (name, last) VALUES ('order', 1000), ('sub', 1000);
