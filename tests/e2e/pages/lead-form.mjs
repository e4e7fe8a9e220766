// Page object for the inline lead form (src/ui/lead_form.rs): its locators pierce the shadow root.
export class LeadForm {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.form = page.getByTestId("quincer-lead-form");
    this.name = this.form.getByLabel("Name (optional)");
    this.email = this.form.getByLabel("Email");
    this.error = this.form.getByRole("alert");
    this.submit = page.getByTestId("quincer-lead-submit");
    this.skip = page.getByTestId("quincer-lead-skip");
  }
}
