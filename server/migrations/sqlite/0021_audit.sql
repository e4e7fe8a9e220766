-- Who did what to a conversation: the audit trail of takeovers, replies, handbacks and handoffs, written in the
-- transaction of the action itself (an action is stored iff its audit row is), and the actor holding a conversation.
--
-- `actor_kind` is `internal_user` (a team member: `actor_member_id`, signed in or through a key bound to them) or
-- `external_agent` (a developer key bound to nobody: `actor_key_id`, with the `external_label` it gave).
-- `surface` is `dashboard` (the inbox) or `api`. The member and key ids are not foreign keys: the trail outlives
-- deleted members and keys, and `actor_name` keeps the name shown at the time.

CREATE TABLE audit_log (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT NOT NULL UNIQUE,
    org_id           TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    conversation_id  TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    action           TEXT NOT NULL CHECK (action IN ('takeover', 'reply', 'handback', 'handoff')),
    actor_kind       TEXT NOT NULL CHECK (actor_kind IN ('internal_user', 'external_agent')),
    actor_member_id  TEXT,
    actor_key_id     TEXT,
    actor_name       TEXT NOT NULL,
    external_label   TEXT,
    surface          TEXT NOT NULL CHECK (surface IN ('api', 'dashboard')),
    detail           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail)),
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX audit_log_conversation ON audit_log(conversation_id, seq);

-- The holder of a taken-over conversation, beside `takeover_actor_name`, `takeover_external_label` and
-- `takeover_key_id`: a member holds it whichever key or session they use.
ALTER TABLE conversations ADD COLUMN takeover_member_id TEXT;
ALTER TABLE conversations ADD COLUMN takeover_actor_kind TEXT;
ALTER TABLE conversations ADD COLUMN takeover_avatar_url TEXT;
ALTER TABLE conversations ADD COLUMN takeover_surface TEXT;
CREATE INDEX conversations_member ON conversations(takeover_member_id);
