-- Leads: people who may buy, captured in the chat (the inline form, or the host page's identify call) or created
-- through the developer API. `seq` orders them and serves as the cursor; `updated_at` feeds `updated_since`.

CREATE TABLE leads (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT NOT NULL UNIQUE,
    widget_id        TEXT NOT NULL REFERENCES widgets(id) ON DELETE CASCADE,
    -- The conversation and visitor it was captured in, if any.
    conversation_id  TEXT REFERENCES conversations(id) ON DELETE SET NULL,
    visitor_id       TEXT REFERENCES visitors(id) ON DELETE SET NULL,
    name             TEXT,
    email            TEXT,
    phone            TEXT,
    company          TEXT,
    job_title        TEXT,
    stage            TEXT NOT NULL DEFAULT 'new',
    temperature      TEXT NOT NULL DEFAULT 'cold',
    score            INTEGER NOT NULL DEFAULT 0 CHECK (score BETWEEN 0 AND 100),
    tags             TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
    assigned_to      TEXT,
    -- BANT qualification: free text each.
    budget           TEXT,
    authority        TEXT,
    need             TEXT,
    timeline         TEXT,
    notes            TEXT,
    -- `api`, `chat_form` or `identify`.
    source           TEXT NOT NULL,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX leads_widget ON leads(widget_id, seq);
-- In-chat capture finds a visitor's lead, or the widget's lead with the same address, to update it.
CREATE INDEX leads_visitor ON leads(visitor_id);
CREATE INDEX leads_email ON leads(widget_id, email COLLATE NOCASE);

-- Stage history: the full record shows how the lead moved through the pipeline.
CREATE TABLE lead_stage_changes (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    lead_id         TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    previous_stage  TEXT,
    stage           TEXT NOT NULL,
    changed_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX lead_stage_changes_lead ON lead_stage_changes(lead_id, seq);

-- A persona that captures leads offers the visitor a name-and-email form after its first answer.
ALTER TABLE personas ADD COLUMN capture_leads INTEGER NOT NULL DEFAULT 0;
