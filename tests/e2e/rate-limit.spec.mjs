// A 429 from the chat endpoint: the widget keeps the visitor's message, says it will send it again, waits the
// server's Retry-After and sends the same message once more, which the server stores once.
import { test, expect } from "@playwright/test";
import { Widget } from "./pages/widget.mjs";
import { conversationId } from "./pages/agent.mjs";

test("a rate-limited message is kept and sent again after Retry-After", async ({ page, request }) => {
  const bodies = [];
  await page.route("**/api/chat", async (route) => {
    bodies.push(route.request().postDataJSON());
    if (bodies.length === 1) {
      return route.fulfill({
        status: 429,
        headers: { "Retry-After": "2", "Content-Type": "application/json" },
        body: JSON.stringify({ error: "too many messages: at most 20 a minute; retry after 2 seconds" }),
      });
    }
    return route.continue();
  });
  const widget = new Widget(page);
  await widget.goto();
  await widget.open();
  await widget.input.fill("How long does shipping take?");
  await widget.send.click();
  await expect(widget.error).toContainText("Sending again in 2 s");
  await expect(widget.messagesWithRole("user")).toHaveText(["How long does shipping take?"]);
  await expect(widget.messagesWithRole("assistant")).toContainText("business days", { timeout: 10000 });
  await expect(widget.error).toHaveCount(0);

  expect(bodies).toHaveLength(2);
  const id = (b) => b.messages[b.messages.length - 1].id;
  expect(id(bodies[1])).toBe(id(bodies[0])); // the same message, not a new one
  const conversation = await conversationId(page);
  const res = await request.get(`${process.env.QUINCER_URL}/api/v1/conversations/${conversation}`, {
    headers: { Authorization: `Bearer ${process.env.QUINCER_DEV_KEY}` },
  });
  const transcript = await res.json();
  expect(transcript.messages.filter((m) => m.role === "user")).toHaveLength(1);
});
