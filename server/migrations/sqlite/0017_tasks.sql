-- Tasks: the agent's activity log. Work scheduled on a lead or conversation (a follow-up, a qualification, a CRM
-- sync, a callback…), run by this server's task runner (`src/tasks`) for the types it executes, or reported
-- through the developer API by outside agents for the others. `seq` orders them and serves as the cursor;
-- `updated_at` feeds `updated_since`.

CREATE TABLE tasks (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT NOT NULL UNIQUE,
    widget_id        TEXT NOT NULL REFERENCES widgets(id) ON DELETE CASCADE,
    -- What the task is about, if anything: deleting a lead deletes its task history.
    lead_id          TEXT REFERENCES leads(id) ON DELETE CASCADE,
    conversation_id  TEXT REFERENCES conversations(id) ON DELETE SET NULL,
    type             TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'scheduled',
    title            TEXT NOT NULL,
    description      TEXT,
    priority         TEXT NOT NULL DEFAULT 'normal',
    assigned_to      TEXT,
    -- When it should run; NULL: as soon as possible.
    due_at           TEXT,
    -- Caller-given data for whoever runs the task, and what running it produced: JSON objects as text.
    execution        TEXT CHECK (execution IS NULL OR json_valid(execution)),
    result           TEXT CHECK (result IS NULL OR json_valid(result)),
    -- Why the last attempt failed (the reason of a `failed` task).
    error            TEXT,
    -- The runner's bookkeeping: attempts made, when it may next take the task (due time or retry backoff), and
    -- until when the instance running it holds it (an instance that dies leaves the task to be taken again).
    attempts         INTEGER NOT NULL DEFAULT 0,
    run_at           TEXT,
    lease_until      TEXT,
    started_at       TEXT,
    completed_at     TEXT,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX tasks_widget ON tasks(widget_id, seq);
CREATE INDEX tasks_lead ON tasks(lead_id, seq);
-- The runner's claims: scheduled tasks of one type, by when they may run.
CREATE INDEX tasks_due ON tasks(status, type, run_at);
