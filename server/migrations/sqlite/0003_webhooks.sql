-- Webhook subscriptions and their persisted delivery queue (a restart loses no pending delivery).

CREATE TABLE webhooks (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    id                TEXT NOT NULL UNIQUE,
    org_id            TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    url               TEXT NOT NULL,
    events            TEXT NOT NULL,              -- JSON array of event names
    -- The HMAC signing secret. Needed in clear to sign, so stored as is; returned to the API only at creation.
    secret            TEXT NOT NULL,
    active            INTEGER NOT NULL DEFAULT 1,
    fail_count        INTEGER NOT NULL DEFAULT 0, -- failed attempts in a row; reset by a success
    last_delivery_at  TEXT,
    last_status       INTEGER,
    created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX webhooks_org ON webhooks(org_id, seq);

CREATE TABLE webhook_deliveries (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT NOT NULL UNIQUE,
    webhook_id       TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event            TEXT NOT NULL,
    payload          TEXT NOT NULL,                -- the exact body that is signed and sent
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    last_error       TEXT,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    delivered_at     TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
