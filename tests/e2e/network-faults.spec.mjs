// Network faults lose nothing: a message sent offline waits and goes once when back online; a server killed
// mid-reply or during a takeover is reconnected to, and the transcript ends with every message exactly once.
import { test, expect } from "@playwright/test";
import { Widget } from "./pages/widget.mjs";
import { Agent, conversationId } from "./pages/agent.mjs";
import { startServer } from "../support/server.mjs";

/** The stored transcript's (role, text) pairs, as the developer API returns them. */
async function transcript(agent, id) {
  return (await agent.conversation(id)).messages.map((m) => [m.role, m.text]);
}

test("a message sent offline shows as pending and is sent once when the browser is back online", async ({
  page,
  context,
}) => {
  const widget = new Widget(page);
  const agent = new Agent();
  await widget.goto();
  await widget.open();
  await widget.ask("Hello!");
  await expect(widget.messagesWithRole("assistant")).toHaveCount(1);

  await context.setOffline(true);
  const chatRequests = [];
  page.on("request", (r) => r.url().endsWith("/api/chat") && chatRequests.push(r.url()));
  await widget.input.fill("How long does shipping take?");
  await widget.send.click();
  await expect(widget.error).toContainText("offline");
  const pending = widget.messagesWithRole("user").last();
  await expect(pending).toContainText("How long does shipping take?");
  await expect(pending.locator(".bubble")).toHaveAttribute("aria-busy", "true");
  const sent = chatRequests.length;
  // A fixed wait, kept on purpose: time must pass offline, and no event marks it. While offline the widget only polls
  // `navigator.onLine` (no request, no change on screen), and Chromium's offline mode leaves the open live stream
  // alone, so it does not fail and retry either. A resend during the wait would be a request, counted here.
  await page.waitForTimeout(1500);
  expect(chatRequests).toHaveLength(sent); // nothing is sent
  await expect(pending.locator(".bubble")).toHaveAttribute("aria-busy", "true");
  await expect(widget.messagesWithRole("user")).toHaveCount(2); // nothing is dropped

  await context.setOffline(false);
  await expect(widget.messagesWithRole("assistant").last()).toContainText("business days", { timeout: 15000 });
  await expect(widget.error).toHaveCount(0);
  await expect(pending.locator(".bubble")).toHaveAttribute("aria-busy", "false");

  const id = await conversationId(page);
  const stored = await transcript(agent, id);
  expect(stored.filter(([role]) => role === "user").map(([, text]) => text)).toEqual([
    "Hello!",
    "How long does shipping take?",
  ]);
  expect(stored.filter(([role]) => role === "assistant")).toHaveLength(2);
  await expect(widget.messagesWithRole("user")).toHaveCount(2);
  await expect(widget.messagesWithRole("assistant")).toHaveCount(2);
});

test("a server killed mid-reply: the widget reconnects, resends, and the reply arrives exactly once", async ({
  page,
}) => {
  // Its own server, paced slowly so the kill lands mid-stream.
  const server = await startServer({ replyPaceMs: 80 });
  try {
    const widget = new Widget(page);
    const agent = new Agent(server.url, server.devKey);
    await widget.goto(server.demoUrl);
    await widget.open();
    await widget.input.fill("What is your return policy?");
    await widget.send.click();
    const reply = widget.messagesWithRole("assistant").last();
    await expect(reply).not.toHaveText("", { timeout: 10000 }); // streaming has begun

    // The request under way was sent already: the next one is a resend.
    const resend = page.waitForRequest((r) => r.url().endsWith("/api/chat"));
    await server.kill();
    await expect(widget.error).toContainText("Reconnecting");
    await expect(widget.messagesWithRole("user").last().locator(".bubble")).toHaveAttribute("aria-busy", "true");
    // It keeps trying against the dead server: a resend goes, and fails (no response), and the message still waits.
    expect(await (await resend).response()).toBeNull();
    await expect(widget.error).toContainText("Reconnecting");
    await expect(widget.messagesWithRole("user").last().locator(".bubble")).toHaveAttribute("aria-busy", "true");
    await server.resume();

    await expect(widget.error).toHaveCount(0, { timeout: 20000 });
    await expect(widget.send).toBeVisible({ timeout: 20000 });
    await expect(widget.messagesWithRole("user")).toHaveCount(1);
    await expect(widget.messagesWithRole("assistant")).toHaveCount(1);
    const shown = await widget.messagesWithRole("assistant").textContent();

    const stored = await transcript(agent, await conversationId(page, server.widgetKey));
    expect(stored.map(([role]) => role)).toEqual(["user", "assistant"]);
    expect(stored[0][1]).toBe("What is your return policy?");
    // The visitor sees the stored answer, whole (markdown rendering only removes markup).
    expect(shown.replace(/\s+/g, " ").length).toBeGreaterThan(20);
    expect(stored[1][1].replace(/[*_`#>[\]()-]/g, "").replace(/\s+/g, " ")).toContain(
      shown.replace(/\s+/g, " ").trim().slice(0, 20),
    );
  } finally {
    await server.stop();
  }
});

test("a server killed during a takeover: the widget says it is reconnecting and misses no agent message", async ({
  page,
}) => {
  const server = await startServer({ replyPaceMs: 5 });
  try {
    const widget = new Widget(page);
    const agent = new Agent(server.url, server.devKey);
    await widget.goto(server.demoUrl);
    await widget.open();
    await widget.ask("Can I talk to a person?");
    const id = await conversationId(page, server.widgetKey);
    await agent.takeover(id, "Sam");
    await agent.reply(id, "Sam here.");
    await expect(widget.messagesWithRole("agent")).toHaveCount(1);
    const reconnecting = page.getByTestId("quincer-reconnecting");
    await expect(reconnecting).toBeHidden();

    await server.kill();
    await expect(reconnecting).toBeVisible();
    await server.resume();
    // Sent while the widget may still be reconnecting: the event stream resumes after the last event it saw.
    await agent.reply(id, "Back after the outage.");
    await expect(widget.messagesWithRole("agent")).toHaveCount(2, { timeout: 40000 });
    await expect(reconnecting).toBeHidden();
    // The visitor can still write to the agent, and the transcript holds everything once.
    await widget.ask("Thanks!");
    await agent.reply(id, "You're welcome.");
    await expect(widget.messagesWithRole("agent")).toHaveCount(3);
    const replies = ["Sam here.", "Back after the outage.", "You're welcome."];
    await widget.expectAgentMessagesOnce(agent, id, "Sam", replies, "Bye.");
    const stored = await transcript(agent, id);
    expect(stored).toEqual([
      ["user", "Can I talk to a person?"],
      ["assistant", stored[1][1]],
      ["agent", "Sam here."],
      ["agent", "Back after the outage."],
      ["user", "Thanks!"],
      ["agent", "You're welcome."],
      ["agent", "Bye."],
    ]);
  } finally {
    await server.stop();
  }
});
