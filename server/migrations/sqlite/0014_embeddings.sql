-- Semantic search: every product and knowledge passage gets a sentence embedding (server/src/embedding), stored
-- next to its row as little-endian f32s, with the name of the model that computed it. Rows whose `embedding_model`
-- is not the running model's (new rows, changed text, a model change) are (re-)embedded in the background; a search
-- only compares vectors of the running model.
ALTER TABLE products ADD COLUMN embedding BLOB;
ALTER TABLE products ADD COLUMN embedding_model TEXT;
ALTER TABLE knowledge_chunks ADD COLUMN embedding BLOB;
ALTER TABLE knowledge_chunks ADD COLUMN embedding_model TEXT;

-- The product query behind an assistant's product answer (JSON, the `show_products` input), stored whether or not
-- it found products: a follow-up ("any of those in blue?") refines it, after a reload too.
ALTER TABLE messages ADD COLUMN product_query TEXT;
