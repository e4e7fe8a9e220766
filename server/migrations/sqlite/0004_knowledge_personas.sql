-- A knowledge item can serve several personas (API: "personas": [...]); unbound items serve every persona.
CREATE TABLE knowledge_personas (
    knowledge_id  TEXT NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
    persona_id    TEXT NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
    PRIMARY KEY (knowledge_id, persona_id)
);
CREATE INDEX knowledge_personas_persona ON knowledge_personas(persona_id);
