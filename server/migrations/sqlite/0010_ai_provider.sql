-- An OpenAI-compatible model provider (QUINCER_LLM_*): which model answers for a widget, the visitor's language, and
-- agent replies translated into it.

-- The model that answers a widget's visitors: an id from GET /api/v1/models (`quincer-offline`, or one of the
-- provider's). NULL: the server's default (QUINCER_LLM_MODEL with a provider, else the offline responder).
ALTER TABLE widgets ADD COLUMN ai_model TEXT;
-- The visitor's language (BCP 47, canonical case), as the widget last reported it in a chat request; NULL until it
-- does. Agent replies are translated into it when a provider is configured.
ALTER TABLE conversations ADD COLUMN locale TEXT;
-- An agent message as the agent wrote it, when `text` (what the visitor sees) is its translation; NULL otherwise.
ALTER TABLE messages ADD COLUMN original_text TEXT;
