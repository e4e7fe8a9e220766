// A visitor and an agent through the balancer: the widget's requests and the agent's are spread over both nodes,
// and the takeover, the live replies and the handback reach the widget whichever node holds its event stream.
import { test, expect } from "@playwright/test";
import { AgentBar } from "../pages/agent-bar.mjs";
import { Widget } from "../pages/widget.mjs";
import { Agent, conversationId } from "../pages/agent.mjs";

test("chat, takeover and handback through HAProxy in front of two nodes on PostgreSQL", async ({ page }) => {
  // HAProxy names the node that answered each response (deploy/haproxy.cfg).
  const nodes = new Set();
  page.on("response", (r) => {
    const node = r.headers()["x-quincer-node"];
    if (node) nodes.add(node);
  });
  const widget = new Widget(page);
  const agent = new Agent();
  await widget.goto();
  await widget.open();
  await widget.ask("Do you ship to Canada?");
  await expect(widget.messagesWithRole("assistant")).toContainText("Canada");
  const id = await conversationId(page);

  await agent.takeover(id, "Sam Rivera");
  await expect(page.getByTestId("quincer-notice").last()).toHaveText("Sam Rivera joined the conversation");
  await expect(new AgentBar(page).name).toHaveText("Sam Rivera");
  const sam = "Hi, I'm Sam from the shipping team. What's your postcode?";
  await agent.reply(id, sam);
  await expect(widget.messagesWithRole("agent")).toHaveText([`Sam Rivera${sam}`]);

  await widget.ask("It's M5V 2T6");
  await widget.expectAgentMessagesOnce(agent, id, "Sam Rivera", [sam], "Thanks, let me check.");
  await expect(widget.messagesWithRole("assistant")).toHaveCount(1);

  await agent.handback(id);
  await expect(page.getByTestId("quincer-notice").last()).toHaveText("Ava is back to help you");
  await expect(new AgentBar(page).humanBadge).toBeHidden();
  await widget.ask("What is your return policy?");
  await expect(widget.messagesWithRole("assistant").last()).toContainText("60 days");
  expect([...nodes].sort(), "both nodes served the widget").toHaveLength(2);
});
