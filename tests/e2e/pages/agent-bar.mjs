// Page object for the panel header's agent bar: who is speaking (persona or human agent) and the human badge.
export class AgentBar {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.name = page.getByTestId("quincer-persona-name");
    this.humanBadge = page.getByTestId("quincer-human-badge");
  }
}
