-- Persona and widget fields kept for integrations (voice, agent mode, Slack/Telegram routing, Meta assets,
-- enabled tools, email inbox; widget agent mode, voice, languages, attendees): one JSON object each,
-- validated by the server (src/integration_settings/).
ALTER TABLE personas ADD COLUMN integration_settings TEXT NOT NULL DEFAULT '{}';
ALTER TABLE widgets ADD COLUMN integration_settings TEXT NOT NULL DEFAULT '{}';
