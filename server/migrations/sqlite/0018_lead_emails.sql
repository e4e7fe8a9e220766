-- Follow-up emails to leads: drafts written from the lead and its conversation, edited and approved through the
-- developer API, then sent over SMTP. The row is also the send outbox: a queued email (`sending`) is claimed by one
-- instance at a time (its `next_attempt_at` pushed past a lease), retried with backoff, then `sent` or `failed`.
CREATE TABLE lead_emails (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT NOT NULL UNIQUE,
    lead_id          TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    widget_id        TEXT NOT NULL REFERENCES widgets(id) ON DELETE CASCADE,
    -- The persona whose voice and name the draft was written in.
    persona_id       TEXT REFERENCES personas(id) ON DELETE SET NULL,
    status           TEXT NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'approved', 'sending', 'sent', 'failed')),
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,                 -- plain text; the HTML part is made from it when sending
    -- `model` or `template`: who wrote the current text.
    writer           TEXT NOT NULL,
    -- The template writer's style (JSON: register, length, products), which redrafts change.
    style            TEXT NOT NULL DEFAULT '{}',
    -- The last redraft's instructions.
    instructions     TEXT,
    -- Set when sending is asked for: the recipient, and the outbox's bookkeeping.
    to_address       TEXT,
    message_id       TEXT,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    last_error       TEXT,
    approved_at      TEXT,
    sent_at          TEXT,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX lead_emails_lead ON lead_emails(lead_id, seq);
CREATE INDEX lead_emails_outbox ON lead_emails(status, next_attempt_at);
