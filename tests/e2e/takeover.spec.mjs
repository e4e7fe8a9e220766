import { test, expect } from "@playwright/test";
import { AgentBar } from "./pages/agent-bar.mjs";
import { Widget } from "./pages/widget.mjs";
import { Agent, conversationId } from "./pages/agent.mjs";
import { startServer } from "../support/server.mjs";

test("an agent takes over, chats live with the visitor, and hands back to the AI", async ({ page }) => {
  const widget = new Widget(page);
  const agent = new Agent();
  await widget.goto();
  await widget.open();
  await widget.ask("Do you ship to Canada?");
  await expect(widget.messagesWithRole("assistant")).toContainText("Canada");
  const id = await conversationId(page);

  const started = Date.now();
  await agent.takeover(id, "Sam Rivera");
  await expect(page.getByTestId("quincer-notice").last()).toHaveText("Sam Rivera joined the conversation", {
    timeout: 1000,
  });
  console.log(`takeover shown in the widget after ${Date.now() - started} ms`);
  await expect(new AgentBar(page).name).toHaveText("Sam Rivera");
  await expect(new AgentBar(page).humanBadge).toBeVisible();

  await agent.reply(id, "Hi, I'm Sam from the shipping team. What's your postcode?");
  await expect(widget.messagesWithRole("agent")).toHaveText(["Sam RiveraHi, I'm Sam from the shipping team. What's your postcode?"]);

  // The visitor answers: stored, but the AI stays quiet. An AI reply could only come in the answer to the
  // visitor's message, which `ask` waited out; the agent's next reply, stored and drawn after it, shows the server
  // stored nothing in between.
  await widget.ask("It's M5V 2T6");
  const sam = "Hi, I'm Sam from the shipping team. What's your postcode?";
  await widget.expectAgentMessagesOnce(agent, id, "Sam Rivera", [sam], "Thanks, let me check.");
  await expect(widget.messagesWithRole("assistant")).toHaveCount(1);
  const transcript = await agent.conversation(id);
  expect(transcript.status).toBe("human_active");
  expect(transcript.messages.map((m) => [m.role, m.text]).slice(-3)).toEqual([
    ["agent", sam],
    ["user", "It's M5V 2T6"],
    ["agent", "Thanks, let me check."],
  ]);

  await agent.handback(id);
  await expect(page.getByTestId("quincer-notice").last()).toHaveText("Ava is back to help you");
  await expect(new AgentBar(page).name).toHaveText("Ava");
  await expect(new AgentBar(page).humanBadge).toBeHidden();
  await widget.ask("What is your return policy?");
  await expect(widget.messagesWithRole("assistant")).toHaveCount(2);
  await expect(widget.messagesWithRole("assistant").last()).toContainText("60 days");
});

/** "Connect OpenClaw" with the demo key (docs/OPENCLAW.md), then a visitor on `page` asks for a person: the
 * OpenClaw agent (with its key bound to the OpenClaw member), the conversation id and the avatar's URL. */
async function openClawAndVisitor(page) {
  const owner = new Agent();
  const { key } = await owner.call("POST", "/integrations/openclaw/connect");
  const widget = new Widget(page);
  await widget.goto();
  await widget.open();
  await widget.ask("Can I talk to a person?");
  const id = await conversationId(page);
  return { openclaw: new Agent(owner.baseUrl, key), id, avatar: `${owner.baseUrl}/integrations/openclaw/avatar.svg` };
}

test("an OpenClaw agent's takeover shows its name and avatar in the widget", async ({ page }) => {
  const { openclaw, id, avatar } = await openClawAndVisitor(page);
  await openclaw.takeover(id);
  await expect(new AgentBar(page).name).toHaveText("OpenClaw");
  const photo = page.locator(".avatar img");
  await expect(photo).toBeVisible();
  await expect(photo).toHaveAttribute("src", avatar);
  await expect.poll(() => photo.evaluate((img) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await openclaw.handback(id);
  await expect(photo).toHaveCount(0);
  await expect(new AgentBar(page).humanBadge).toBeHidden();
});

test("an agent's avatar that cannot load gives way to their initials", async ({ page }) => {
  // A fresh context: the image is not in the cache, so the aborted request is what the widget gets.
  const { openclaw, id, avatar } = await openClawAndVisitor(page);
  await page.route(avatar, (route) => route.abort());
  await openclaw.takeover(id);
  await expect(new AgentBar(page).name).toHaveText("OpenClaw");
  const photo = page.locator(".avatar img");
  await expect(photo).toHaveAttribute("src", avatar);
  // A broken `<img alt="">` is drawn as nothing; the initials under it show.
  await expect.poll(() => photo.evaluate((img) => img.complete && img.naturalWidth === 0)).toBe(true);
  await expect(page.locator(".avatar")).toHaveText("O");
  await expect(page.locator(".avatar")).toBeVisible();
  await openclaw.handback(id);
});

test("a reload during a takeover restores human mode and the transcript", async ({ page }) => {
  const widget = new Widget(page);
  const agent = new Agent();
  await widget.goto();
  await widget.open();
  await widget.ask("Can I talk to a person?");
  const id = await conversationId(page);
  await agent.takeover(id, "Priya");
  await agent.reply(id, "Priya here, happy to help.");
  await expect(widget.messagesWithRole("agent")).toHaveCount(1);

  await page.reload();
  await widget.open();
  await expect(new AgentBar(page).name).toHaveText("Priya");
  await expect(new AgentBar(page).humanBadge).toBeVisible();
  await expect(widget.messagesWithRole("agent")).toContainText("Priya here, happy to help.");
  // Still live after the reload.
  await agent.reply(id, "Are you still there?");
  await expect(widget.messagesWithRole("agent")).toHaveCount(2);
});

test("agent replies sent while the server restarts reach the widget exactly once", async ({ page }) => {
  // Its own server: this test restarts it.
  const server = await startServer({ replyPaceMs: 5 });
  try {
    const widget = new Widget(page);
    const agent = new Agent(server.url, server.devKey);
    await widget.goto(server.demoUrl);
    await widget.open();
    await widget.ask("Hello?");
    const id = await conversationId(page, server.widgetKey);
    await agent.takeover(id, "Sam");
    await agent.reply(id, "First reply");
    await expect(widget.messagesWithRole("agent")).toHaveCount(1);

    await server.restart();
    await agent.reply(id, "Second reply, after the restart");
    await agent.reply(id, "Third reply");
    await expect(widget.messagesWithRole("agent")).toHaveCount(3, { timeout: 15000 });
    const replies = ["First reply", "Second reply, after the restart", "Third reply"];
    await widget.expectAgentMessagesOnce(agent, id, "Sam", replies, "Last");
    await expect(page.getByTestId("quincer-notice")).toHaveCount(1); // one "joined" line, not replayed
  } finally {
    await server.stop();
  }
});
