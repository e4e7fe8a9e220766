-- The sales playbook: value propositions, ROI data, objection handlers, competitor comparisons, pricing and case
-- studies, written through the developer API or imported from a document (`POST /api/v1/playbook/generate`).
-- Objection handlers, pricing and comparisons are mirrored as knowledge items (`source_type = 'playbook'`,
-- `knowledge_id`) so the responder's knowledge search finds them; the server keeps the mirror in step.

CREATE TABLE playbook_entries (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    widget_id     TEXT NOT NULL REFERENCES widgets(id) ON DELETE CASCADE,
    category      TEXT NOT NULL,           -- value_prop, roi_data, objection_handler, competitor_comparison, pricing, case_study
    title         TEXT NOT NULL,
    content       TEXT NOT NULL,
    source        TEXT NOT NULL DEFAULT 'manual',  -- manual, import or generate
    knowledge_id  TEXT REFERENCES knowledge_items(id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX playbook_widget ON playbook_entries(widget_id, seq);
