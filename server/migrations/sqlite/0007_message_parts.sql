-- Product panels: an assistant message's `show_products` tool call, stored with the message so a restored transcript
-- shows the same cards. JSON `{"tool_call_id", "input", "output"}` (output: a ProductPanel), or NULL for text only.
ALTER TABLE messages ADD COLUMN panel TEXT;
