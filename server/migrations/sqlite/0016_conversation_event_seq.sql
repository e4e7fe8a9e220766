-- Live event ids counted per conversation instead of one sequence for the whole server. With several writers a
-- global sequence can commit out of order (12 visible before 11), and a stream that already sent 12 would never
-- send 11. Each conversation now hands out its own numbers (`event_seq`) in the transaction that stores the event,
-- so a conversation's events commit in the order of their ids.
--
-- Existing events keep their id as their `seq`, and each conversation's counter starts at its newest one, so a
-- `Last-Event-ID` a widget holds still names the same event after the upgrade.

ALTER TABLE conversations ADD COLUMN event_seq INTEGER NOT NULL DEFAULT 0;

CREATE TABLE conversation_events_by_conversation (
    conversation_id  TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    seq              INTEGER NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('takeover', 'message', 'handback', 'persona')),
    data             TEXT NOT NULL,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (conversation_id, seq)
);
INSERT INTO conversation_events_by_conversation (conversation_id, seq, kind, data, created_at)
    SELECT conversation_id, seq, kind, data, created_at FROM conversation_events;
DROP TABLE conversation_events;
ALTER TABLE conversation_events_by_conversation RENAME TO conversation_events;

UPDATE conversations
SET event_seq = COALESCE((SELECT MAX(e.seq) FROM conversation_events e WHERE e.conversation_id = conversations.id), 0);
