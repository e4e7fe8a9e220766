// In-chat lead capture: a persona that captures leads offers a name-and-email form after its first answer; the
// lead is created with the conversation linked, and the lead.created webhook fires.
import { createServer } from "node:http";
import { test, expect } from "@playwright/test";
import { LeadForm } from "./pages/lead-form.mjs";
import { Widget } from "./pages/widget.mjs";

const api = async (request, method, path, data) => {
  const res = await request.fetch(`${process.env.QUINCER_URL}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${process.env.QUINCER_DEV_KEY}` },
    data,
  });
  expect(res.status(), `${method} ${path}`).toBeLessThan(300);
  return res.json();
};

/** A webhook receiver on port 0 that collects JSON payloads. */
async function receiver() {
  const got = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      got.push({ event: req.headers["quincer-event"], payload: JSON.parse(body) });
      res.writeHead(200).end();
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}/hooks`, got, close: () => server.close() };
}

/** A widget of its own (so other specs never see its form), with lead capture on its default persona. */
async function capturingWidget(request) {
  const widget = await api(request, "POST", "/widgets", { brand: "Lead Test" });
  const personas = await api(request, "GET", `/personas?widget_id=${widget.id}`);
  const persona = await api(request, "POST", `/personas/${personas.data[0].id}`, { capture_leads: true });
  expect(persona.capture_leads).toBe(true);
  return widget;
}

async function embed(page, key) {
  const url = `${process.env.QUINCER_URL}/e2e/leads-${Math.random().toString(36).slice(2)}.html`;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><html><body><h1>Shop</h1><script async src="/quincer.js" data-widget-key="${key}"></script></body></html>`,
    }),
  );
  await page.goto(url);
  return url;
}

test("the lead form appears after the first answer, validates the email, creates the lead and fires the webhook", async ({ page, request }) => {
  const hooks = await receiver();
  const subscription = await api(request, "POST", "/webhooks", { url: hooks.url, events: ["lead.created"] });
  try {
    const widget = await capturingWidget(request);
    const url = await embed(page, widget.api_key);
    const chat = new Widget(page);
    await chat.open();
    const lead = new LeadForm(page);
    const form = lead.form;
    await expect(form).toHaveCount(0); // not before an answer
    await chat.ask("Hello there");
    await expect(chat.messagesWithRole("assistant")).toHaveCount(1);
    await expect(form).toBeVisible();

    // An address the server would refuse is refused in the widget, keeping what was typed.
    await lead.name.fill("Ada Lovelace");
    const email = lead.email;
    await email.fill("ada@example");
    await lead.submit.click();
    await expect(lead.error).toHaveText(/valid email address/);
    await expect(email).toHaveAttribute("aria-invalid", "true");
    await expect(email).toBeFocused();
    await expect(email).toHaveValue("ada@example");

    await email.fill("ada@example.com");
    await email.press("Enter");
    await expect(form).toHaveText("Thanks, Ada Lovelace! We'll be in touch at ada@example.com.");

    const leads = await api(request, "GET", `/leads?widget_id=${widget.id}`);
    expect(leads.data).toHaveLength(1);
    const conversations = await api(request, "GET", `/conversations?widget_id=${widget.id}`);
    expect(leads.data[0]).toMatchObject({
      object: "lead",
      email: "ada@example.com",
      name: "Ada Lovelace",
      source: "chat_form",
      conversation_id: conversations.data[0].id,
    });
    await expect.poll(() => hooks.got.length).toBe(1);
    expect(hooks.got[0].event).toBe("lead.created");
    expect(hooks.got[0].payload.lead.id).toBe(leads.data[0].id);

    // Done for this conversation: a reload restores it without the form, and more answers do not bring it back.
    await page.goto(url);
    await chat.open();
    await expect(chat.messagesWithRole("assistant")).toHaveCount(1);
    await chat.ask("One more question");
    await expect(chat.messagesWithRole("assistant")).toHaveCount(2);
    await expect(form).toHaveCount(0);
  } finally {
    await request.fetch(`${process.env.QUINCER_URL}/api/v1/webhooks/${subscription.id}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${process.env.QUINCER_DEV_KEY}` },
    });
    hooks.close();
  }
});

test("the visitor can decline the form, and personas that do not capture leads never show it", async ({ page, request }) => {
  const widget = await capturingWidget(request);
  await embed(page, widget.api_key);
  const chat = new Widget(page);
  await chat.open();
  const lead = new LeadForm(page);
  await chat.ask("Hello");
  await lead.skip.click();
  await expect(lead.form).toHaveCount(0);
  await chat.ask("Still there?");
  await expect(chat.messagesWithRole("assistant")).toHaveCount(2);
  await expect(lead.form).toHaveCount(0);
  expect((await api(request, "GET", `/leads?widget_id=${widget.id}`)).data).toHaveLength(0);

  // The demo's personas do not capture leads.
  await chat.goto();
  await chat.open();
  await chat.ask("How long does shipping take?");
  await expect(chat.messagesWithRole("assistant")).toContainText("business days");
  await expect(lead.form).toHaveCount(0);
});
