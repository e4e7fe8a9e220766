-- Human takeover: who holds a conversation, and the per-conversation event log the widget's live stream replays.

ALTER TABLE conversations ADD COLUMN takeover_actor_name TEXT;
ALTER TABLE conversations ADD COLUMN takeover_external_label TEXT;
-- The developer key that took over: another key (another actor) taking over is a conflict.
ALTER TABLE conversations ADD COLUMN takeover_key_id TEXT;
ALTER TABLE conversations ADD COLUMN takeover_at TEXT;

-- Events pushed to the visitor (takeover, message, handback, persona). Persisted, so a reconnecting widget
-- replays exactly what it missed, across server restarts. `seq` is the SSE event id: monotonic, never reused.
CREATE TABLE conversation_events (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id  TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('takeover', 'message', 'handback', 'persona')),
    data             TEXT NOT NULL,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX conversation_events_conversation ON conversation_events(conversation_id, seq);
