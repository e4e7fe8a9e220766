-- Storefront catalogs (POST /api/v1/widgets/:id/import-storefront) for product-aware answers and product panels.

-- ISO 4217 currency: `currency` is configured by the site owner and wins; `storefront_currency` is what the last
-- import detected on the store.
ALTER TABLE widgets ADD COLUMN currency TEXT;
ALTER TABLE widgets ADD COLUMN storefront_currency TEXT;

CREATE TABLE products (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    widget_id         TEXT NOT NULL REFERENCES widgets(id) ON DELETE CASCADE,
    product_id        INTEGER NOT NULL,               -- the store's id
    title             TEXT NOT NULL,
    handle            TEXT NOT NULL,
    body_text         TEXT NOT NULL DEFAULT '',        -- body_html as plain text
    vendor            TEXT NOT NULL DEFAULT '',
    product_type      TEXT NOT NULL DEFAULT '',
    tags              TEXT NOT NULL DEFAULT '[]',      -- JSON array of strings
    options           TEXT NOT NULL DEFAULT '[]',      -- JSON [{name, values}]
    variants          TEXT NOT NULL DEFAULT '[]',      -- JSON [{id, title, option1..3, sku, price, compare_at_price, available, featured_image}]
    images            TEXT NOT NULL DEFAULT '[]',      -- JSON [{src, width, height, variant_ids, alt}]
    url               TEXT NOT NULL,                   -- absolute product page URL
    min_price_cents   INTEGER,                         -- cheapest variant, for price filters (prices stay exact in `variants`)
    max_price_cents   INTEGER,
    available         INTEGER NOT NULL DEFAULT 0,      -- any variant available
    on_sale           INTEGER NOT NULL DEFAULT 0,      -- any variant with compare_at_price > price
    knowledge_id      TEXT REFERENCES knowledge_items(id) ON DELETE SET NULL,  -- the product as searchable knowledge
    created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (widget_id, product_id)
);
CREATE INDEX products_widget_price ON products(widget_id, min_price_cents);

-- Catalog search: title and type weigh most (bm25 weights are given at query time), then tags, option values
-- (colours, sizes, materials), vendor and description. rowid = products.seq; the importer keeps it in step (it
-- writes the text fields it derives from the JSON columns, which triggers could not).
CREATE VIRTUAL TABLE products_fts USING fts5(
    title, product_type, tags, option_values, vendor, body_text, tokenize = 'porter unicode61'
);
