-- Knowledge items are split into chunks of a few paragraphs, each indexed for full-text search: a question finds the
-- passage that answers it, not a whole (possibly 100,000-character) document, and the AI is given that passage.
-- The server (re)builds an item's chunks on every write (server/src/knowledge/chunks.rs); deleting the item deletes
-- them, and the triggers keep the index in step.

CREATE TABLE knowledge_chunks (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    knowledge_id  TEXT NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
    ord           INTEGER NOT NULL,        -- position in the item, from 0
    title         TEXT NOT NULL,           -- the item's title, indexed with every chunk
    text          TEXT NOT NULL,
    UNIQUE (knowledge_id, ord)
);

CREATE VIRTUAL TABLE knowledge_chunks_fts USING fts5(
    title, text, content = 'knowledge_chunks', content_rowid = 'seq', tokenize = 'porter unicode61'
);
CREATE TRIGGER knowledge_chunks_ai AFTER INSERT ON knowledge_chunks BEGIN
    INSERT INTO knowledge_chunks_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER knowledge_chunks_ad AFTER DELETE ON knowledge_chunks BEGIN
    INSERT INTO knowledge_chunks_fts(knowledge_chunks_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;

-- Items stored before chunking existed are chunked by the server when it starts (`knowledge::index_unchunked`).

-- The item-level index is replaced by the chunk index.
DROP TRIGGER knowledge_ai;
DROP TRIGGER knowledge_ad;
DROP TRIGGER knowledge_au;
DROP TABLE knowledge_fts;
