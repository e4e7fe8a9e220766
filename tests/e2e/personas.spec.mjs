import { test, expect } from "@playwright/test";
import { Widget } from "./pages/widget.mjs";
import { Agent, conversationId } from "./pages/agent.mjs";

const base = () => process.env.QUINCER_URL;

for (const [path, name, color] of [
  ["/", "Ava", "rgb(15, 118, 110)"],
  ["/pricing", "Sales", "rgb(180, 83, 9)"],
  ["/docs/getting-started", "Docs helper", "rgb(67, 56, 202)"],
  ["/shop/jackets/stormline", "Stylist", "rgb(190, 24, 93)"],
]) {
  test(`${path} speaks as ${name}`, async ({ page }) => {
    const widget = new Widget(page);
    await widget.goto(base() + path);
    // The widget paints the launcher once it has loaded: on intent, such as the pointer over it.
    await widget.launcher.hover();
    await expect(widget.launcher).toHaveCSS("background-color", color);
    await widget.open();
    await expect(page.getByTestId("quincer-persona-name")).toHaveText(name);
  });
}

test("before the first message the persona follows SPA navigations; after it, it stays", async ({ page }) => {
  const widget = new Widget(page);
  await widget.goto(base() + "/");
  await widget.open();
  await expect(page.getByTestId("quincer-persona-name")).toHaveText("Ava");

  await page.evaluate(() => history.pushState({}, "", "/pricing"));
  await expect(page.getByTestId("quincer-persona-name")).toHaveText("Sales");
  await expect(page.getByTestId("quincer-greeting")).toContainText("Max from sales");
  await expect(widget.launcher).toHaveCSS("background-color", "rgb(180, 83, 9)");
  await page.evaluate(() => history.replaceState({}, "", "/docs/care"));
  await expect(page.getByTestId("quincer-persona-name")).toHaveText("Docs helper");
  await page.goBack(); // popstate back to "/"
  await expect(page.getByTestId("quincer-persona-name")).toHaveText("Ava");
  await page.evaluate(() => history.pushState({}, "", "/pricing"));
  await expect(page.getByTestId("quincer-persona-name")).toHaveText("Sales");

  await widget.ask("Do you ship to Canada?");
  await expect(widget.messagesWithRole("assistant")).toContainText("Sales here.");
  // Now a navigation asks nothing: a session request for the new page would be sent before the identify request
  // that follows the navigation (the widget starts its requests in order), and none is.
  const sessions = [];
  page.on("request", (r) => new URL(r.url()).pathname === "/api/widget/session" && sessions.push(r.url()));
  const identify = page.waitForRequest((r) => new URL(r.url()).pathname === "/api/widget/identify");
  await page.evaluate(() => history.pushState({}, "", "/shop/jackets"));
  await page.evaluate(() => Quincer("identify", { name: "Ada" }));
  await identify;
  expect(sessions).toEqual([]);
  await expect(page.getByTestId("quincer-persona-name")).toHaveText("Sales");
  // The server recorded the persona the visitor saw.
  const agent = new Agent();
  const id = await conversationId(page);
  const sales = (await agent.call("GET", "/personas")).data.find((p) => p.name === "Sales");
  expect((await agent.conversation(id)).persona_id).toBe(sales.id);
});

test("a handoff through the API switches the live widget's persona, and null returns to the page's", async ({
  page,
}) => {
  const widget = new Widget(page);
  const agent = new Agent();
  await widget.goto(base() + "/docs/getting-started");
  await widget.open();
  await widget.ask("How do I wash my down jacket?");
  await expect(page.getByTestId("quincer-persona-name")).toHaveText("Docs helper");
  const id = await conversationId(page);
  const stylist = (await agent.call("GET", "/personas")).data.find((p) => p.name === "Stylist");

  await agent.call("POST", `/conversations/${id}/handoff`, { persona_id: stylist.id });
  await expect(page.getByTestId("quincer-persona-name")).toHaveText("Stylist");
  await expect(widget.launcher).toHaveCSS("background-color", "rgb(190, 24, 93)");
  await widget.ask("What is your return policy?");
  await expect(widget.messagesWithRole("assistant").last()).toContainText("60 days");

  await agent.call("POST", `/conversations/${id}/handoff`, { persona_id: null });
  await expect(page.getByTestId("quincer-persona-name")).toHaveText("Docs helper");
});
