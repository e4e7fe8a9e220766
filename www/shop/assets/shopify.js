// What Shopify themes expose to scripts on the page, read by the Quincer widget (cart root, currency).
// An external file, not inline, so pages can run under a strict Content-Security-Policy.
window.Shopify = window.Shopify || {
  shop: "northwind-demo.myshopify.com",
  routes: { root: "/shop/" },
  currency: { active: "USD" },
};
