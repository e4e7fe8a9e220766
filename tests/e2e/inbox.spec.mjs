// The live inbox (/inbox/) in Chromium against the real server: a team member created with `quincer-server members
// create` signs in, sees a visitor on the demo site arrive live, takes over (the visitor's widget shows their name),
// chats both ways, hands back; a second member is refused naming the holder; sign-out ends access. Keyboard and
// axe (light and dark) on the sign-in form and the signed-in inbox.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { test, expect } from "@playwright/test";
import { AgentBar } from "./pages/agent-bar.mjs";
import { conversationId } from "./pages/agent.mjs";
import { Inbox, expectPageAccessible } from "./pages/inbox.mjs";
import { Widget } from "./pages/widget.mjs";

const root = resolve(import.meta.dirname, "../..");

/** A new team member (role agent unless given) of the demo organisation, with its one-time password. */
function createMember(name, role = "agent") {
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${randomBytes(4).toString("hex")}@example.com`;
  const bin = process.env.QUINCER_SERVER_BIN || join(root, "target/debug/quincer-server");
  // The test server's database, whatever the environment names.
  const { QUINCER_DATA, QUINCER_DATABASE_URL, ...env } = process.env;
  const out = execFileSync(bin, [
    "members", "create", "--org", process.env.QUINCER_ORG_ID, "--email", email, "--name", name, "--role", role,
    "--data", process.env.QUINCER_DATA_DIR,
  ], { encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"] });
  const value = (key) => out.match(new RegExp(`^${key}=(.*)$`, "m"))?.[1];
  const password = value("QUINCER_MEMBER_PASSWORD");
  expect(password, `members create printed no password:\n${out}`).toBeTruthy();
  return { name, email, password };
}

/** A visitor on the demo site who asked `question`; returns the widget and the conversation id. */
async function visitor(browser, question) {
  const page = await (await browser.newContext()).newPage();
  const widget = new Widget(page);
  await widget.goto();
  await widget.open();
  await widget.ask(question);
  return { page, widget, id: await conversationId(page) };
}

/** A member signed in to the inbox in a context of their own. */
async function signedIn(browser, member) {
  const inbox = new Inbox(await (await browser.newContext()).newPage());
  await inbox.signIn(member.email, member.password);
  return inbox;
}

for (const scheme of ["light", "dark"]) {
  test(`a signed-out visitor sees the sign-in form, accessible (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const inbox = new Inbox(page);
    const response = await inbox.goto();
    expect(response.headers()["cache-control"]).toBe("no-cache");
    await expect(inbox.form).toBeVisible();
    await expect(inbox.email).toBeFocused();
    await expect(inbox.list).toHaveCount(0);
    await expectPageAccessible(page, `sign-in form (${scheme})`);
  });
}

test("a wrong password is refused on the form", async ({ page }) => {
  const member = createMember("Wrong Pass");
  const inbox = new Inbox(page);
  await inbox.goto();
  await inbox.email.fill(member.email);
  await inbox.password.fill(`${member.password}x`);
  await inbox.password.press("Enter");
  await expect(inbox.signInError).toHaveText("wrong email or password");
  await expect(inbox.me).toHaveCount(0);
  await expectPageAccessible(page, "sign-in error");
});

test("an agent sees a visitor arrive live, takes over, chats both ways, hands back, and signs out", async ({ browser }) => {
  const member = createMember("Priya Live");
  const inbox = await signedIn(browser, member);
  const { page: shopper, widget, id } = await visitor(browser, "Do you ship to Canada?");

  // The new conversation appears without a reload (the org event stream).
  await expect(inbox.row(id)).toBeVisible();
  await inbox.row(id).click();
  await expect(inbox.transcript).toContainText("Do you ship to Canada?");

  // `t` takes over; the visitor's widget names the member.
  await inbox.page.keyboard.press("t");
  await expect(inbox.holder).toHaveText("Held by Priya Live");
  await expect(new AgentBar(shopper).name).toHaveText("Priya Live");
  await expect(new AgentBar(shopper).humanBadge).toBeVisible();
  await expect(inbox.row(id)).toContainText("Held by Priya Live");

  // A visitor's message arriving while the member types keeps the draft and the focus.
  await inbox.composer.fill("Hi, Priya here. Where in Canada?");
  await widget.ask("Hello? Anyone there?");
  await expect(inbox.messages("user").last()).toHaveText("Hello? Anyone there?");
  await expect(inbox.composer).toHaveValue("Hi, Priya here. Where in Canada?");
  await expect(inbox.composer).toBeFocused();
  await inbox.page.keyboard.press("Enter");
  await expect(widget.messagesWithRole("agent").last()).toContainText("Hi, Priya here. Where in Canada?");
  await expect(inbox.composer).toHaveValue("");

  await widget.ask("Toronto, please");
  await expect(inbox.messages("user").last()).toHaveText("Toronto, please");

  await inbox.handBack.click();
  await expect(shopper.getByTestId("quincer-notice").last()).toHaveText(/back to help you/);
  await expect(new AgentBar(shopper).humanBadge).toBeHidden();
  await expect(inbox.holder).toHaveText("The AI is answering");

  // Sign-out ends access: the form again, and the session's cookie no longer opens the API.
  await inbox.signOut.click();
  await expect(inbox.form).toBeVisible();
  const status = await inbox.page.evaluate(() => fetch("/api/v1/conversations").then((r) => r.status));
  expect(status).toBe(401);
  await inbox.page.reload();
  await expect(inbox.form).toBeVisible();
});

test("a second agent is refused, naming who holds the conversation", async ({ browser }) => {
  const first = createMember("Ana Holder");
  const second = createMember("Ben Second");
  const { id } = await visitor(browser, "Can I talk to a person?");
  const a = await signedIn(browser, first);
  const b = await signedIn(browser, second);

  await a.row(id).click();
  await a.takeOver.click();
  await expect(a.holder).toHaveText("Held by Ana Holder");

  await b.row(id).click();
  await expect(b.holder).toHaveText("Held by Ana Holder");
  await expect(b.takeOver).toBeHidden();
  // `t` still asks the server, which refuses, naming the holder; the message is shown as the server words it.
  await b.page.keyboard.press("t");
  await expect(b.error).toHaveText("the conversation is already taken over by Ana Holder; it must be handed back first");
  await expect(b.holder).toHaveText("Held by Ana Holder");
  await expect(b.composer).toBeDisabled();
  await expect(b.page.getByText("Ana Holder holds this conversation; only they can reply.")).toBeVisible();
});

test("a member replaces the one-time password and signs in with the new one", async ({ browser }) => {
  const member = createMember("Noa Password");
  const inbox = await signedIn(browser, member);
  const { page } = inbox;
  await page.getByText("Change password").click();
  await page.getByLabel("Current password").fill(member.password);
  await page.getByLabel("New password").fill("a much longer passphrase 42");
  await page.getByRole("button", { name: "Change", exact: true }).click();
  await expect(page.getByTestId("password-message")).toHaveText(/Password changed/);
  await expectPageAccessible(page, "password changed");

  const again = new Inbox(await (await browser.newContext()).newPage());
  await again.goto();
  await again.email.fill(member.email);
  await again.password.fill(member.password);
  await again.password.press("Enter");
  await expect(again.signInError).toHaveText("wrong email or password");
  await again.signIn(member.email, "a much longer passphrase 42");
});

for (const scheme of ["light", "dark"]) {
  test(`the signed-in inbox works by keyboard and passes axe (${scheme})`, async ({ browser }) => {
    const member = createMember(`Kim Keys ${scheme}`);
    const { id } = await visitor(browser, "Do you have a waterproof jacket under $150?");
    const inbox = await signedIn(browser, member);
    const { page } = inbox;
    await page.emulateMedia({ colorScheme: scheme });
    await expect(inbox.row(id)).toBeVisible();
    await expectPageAccessible(page, `list (${scheme})`);

    // j/k move the cursor (aria-activedescendant), Enter opens, Esc closes.
    await inbox.list.focus();
    await page.keyboard.press("j");
    const first = await inbox.list.getAttribute("aria-activedescendant");
    expect(first).toMatch(/^c-/);
    await page.keyboard.press("j");
    await page.keyboard.press("k");
    await expect(inbox.list).toHaveAttribute("aria-activedescendant", first);
    await page.keyboard.press("Enter");
    await expect(page.locator(`#${first}`)).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("Escape");
    await expect(page.locator('[role="option"][aria-selected="true"]')).toHaveCount(0);

    // The visitor's conversation, with its product cards, taken over, the composer focused.
    await inbox.row(id).click();
    await expect(page.getByTestId("product-card").first()).toBeVisible();
    await page.keyboard.press("t");
    await expect(inbox.holder).toHaveText(`Held by Kim Keys ${scheme}`);
    await inbox.composer.focus();
    await expectPageAccessible(page, `conversation taken over (${scheme})`);
    // Esc leaves the composer for the list.
    await page.keyboard.press("Escape");
    await expect(inbox.list).toBeFocused();
  });
}

test("an admin connects OpenClaw from the inbox, and its key acts as OpenClaw", async ({ browser }) => {
  const inbox = await signedIn(browser, createMember("Ola Admin", "admin"));
  const { page } = inbox;
  await page.locator("summary", { hasText: "Connect OpenClaw" }).click();
  await page.getByTestId("openclaw-connect").click();
  const key = page.getByTestId("openclaw-key");
  await expect(key).toHaveValue(/^cw_dev_/);
  await expect(page.getByRole("link", { name: "SKILL.md" })).toHaveAttribute("href", /\/integrations\/openclaw\/SKILL\.md$/);
  await expectPageAccessible(page, "OpenClaw connected");

  // The key, as an OpenClaw agent uses it: its takeover shows in the inbox under OpenClaw's name.
  const { id } = await visitor(browser, "Is a person around?");
  const agentApi = (await browser.newContext()).request;
  const origin = new URL(page.url()).origin;
  const takeover = await agentApi.post(`${origin}/api/v1/conversations/${id}/takeover`, {
    headers: { Authorization: `Bearer ${await key.inputValue()}` },
    data: {},
  });
  expect(takeover.status(), await takeover.text()).toBe(200);
  await inbox.row(id).click();
  await expect(inbox.holder).toHaveText("Held by OpenClaw");

  // Agents do not manage the team, so they have no such action.
  const agent = await signedIn(browser, createMember("Abe Agent"));
  await expect(agent.page.locator("summary", { hasText: "Connect OpenClaw" })).toHaveCount(0);
});
