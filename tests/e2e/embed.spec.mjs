import { createServer } from "node:http";
import { test, expect } from "@playwright/test";
import { Widget } from "./pages/widget.mjs";

/** A real second web server: the "customer's site", on another origin than quincer-server. */
async function hostSite(html) {
  const site = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(html));
  await new Promise((ok) => site.listen(0, "localhost", ok));
  return { url: `http://localhost:${site.address().port}/`, close: () => new Promise((ok) => site.close(ok)) };
}

test("a page on another origin embeds the widget with one script tag and chats", async ({ page }) => {
  const server = new URL(process.env.QUINCER_URL);
  const site = await hostSite(`<!doctype html><html><head><title>Other shop</title></head><body><h1>Another site</h1>
    <script async src="${server.origin}/quincer.js" data-widget-key="${process.env.QUINCER_WIDGET_KEY}"></script>
    </body></html>`);
  try {
    const errors = [];
    page.on("console", (msg) => msg.type() === "error" && errors.push(msg.text()));
    const widget = new Widget(page);
    await widget.goto(site.url);
    expect(new URL(page.url()).origin).not.toBe(server.origin);
    await widget.open();
    await widget.ask("Do you have gift cards?");
    await expect(widget.messagesWithRole("assistant")).toContainText("never expire");
    expect(errors).toEqual([]);
  } finally {
    await site.close();
  }
});
