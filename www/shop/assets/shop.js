// The demo store's pages: the product grid, the product page with its variant picker, and the cart count.
// Everything from the catalog is untrusted text: it goes in with textContent and attributes, never innerHTML.
(() => {
  "use strict";
  const root = (window.Shopify && window.Shopify.routes && window.Shopify.routes.root) || "/shop/";
  const currency = (window.Shopify && window.Shopify.currency && window.Shopify.currency.active) || "USD";
  const money = new Intl.NumberFormat(undefined, { style: "currency", currency });
  const price = (s) => money.format(Number(s));
  const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
  const el = (tag, props = {}, children = []) => {
    const node = Object.assign(document.createElement(tag), props);
    for (const child of children) node.append(child);
    return node;
  };

  // The cart count in the header: on load, after our own adds, and when the Quincer widget adds to the cart.
  async function refreshCount() {
    try {
      const cart = await (await fetch(`${root}cart.js`, { headers: { Accept: "application/json" } })).json();
      $("cart-count").textContent = String(cart.item_count);
    } catch {
      // The count is decoration: a failed refresh leaves the last one.
    }
  }
  window.addEventListener("quincer:add_to_cart", refreshCount);

  const status = (text) => {
    $("catalog-status").textContent = text;
  };

  // The home page: every page of products.json (the demo serves 25 per page) in one grid.
  async function home() {
    const grid = $("product-grid");
    let count = 0;
    for (let page = 1; page < 100; page++) {
      const feed = await (await fetch(`${root}products.json?limit=250&page=${page}`)).json();
      if (!feed.products.length) break;
      for (const product of feed.products) grid.append(card(product));
      count += feed.products.length;
    }
    status(count ? "" : "No products yet.");
  }

  function card(product) {
    const variants = product.variants;
    const available = variants.some((v) => v.available);
    const onSale = variants.some((v) => v.compare_at_price && Number(v.compare_at_price) > Number(v.price));
    const min = Math.min(...variants.map((v) => Number(v.price)));
    const image = product.images[0];
    const media = image
      ? el("img", { src: image.src, alt: image.alt || product.title, width: image.width, height: image.height, loading: "lazy" })
      : el("div", { className: "no-image", textContent: "No image" });
    const badge = el("span", {
      className: available ? "badge" : "badge sold-out",
      textContent: available ? (onSale ? "Sale" : "") : "Sold out",
    });
    const link = el("a", { className: "card product-card", href: `${root}products/${encodeURIComponent(product.handle)}` }, [
      media,
      el("div", { className: "body" }, [
        el("h3", { textContent: product.title }),
        el("p", { className: "type", textContent: product.product_type }),
        el("p", { className: "price" }, [`${variants.length > 1 ? "From " : ""}${price(min)} `, badge]),
      ]),
    ]);
    link.dataset.testid = "product-card";
    link.dataset.productId = String(product.id);
    return link;
  }

  // The product page: the product from /products/<handle>.json, one select per option, add to cart.
  async function product() {
    const handle = decodeURIComponent(location.pathname.split("/products/")[1] || "").replace(/\/$/, "");
    const resp = await fetch(`${root}products/${encodeURIComponent(handle)}.json`);
    if (!resp.ok) {
      status("We could not find that product.");
      return;
    }
    const p = (await resp.json()).product;
    document.title = `${p.title} — Northwind Outfitters`;
    $("product-title").textContent = p.title;
    $("product-vendor").textContent = p.vendor;
    // body_html is parsed in an inert document (no scripts run, nothing loads) and shown as text.
    $("product-description").textContent = new DOMParser().parseFromString(p.body_html || "", "text/html").body.textContent;

    const hasOptions = !(p.variants.length === 1 && p.variants[0].title === "Default Title");
    const selects = [];
    const options = document.querySelector(".options");
    if (hasOptions) {
      p.options.forEach((option, i) => {
        const select = el("select", { name: `option${i + 1}` }, option.values.map((v) => el("option", { value: v, textContent: v })));
        select.dataset.testid = "variant-option";
        const id = `option-${i + 1}`;
        select.id = id;
        options.append(el("label", { htmlFor: id, textContent: option.name }), select);
        selects.push(select);
      });
    }
    const wanted = Number(new URLSearchParams(location.search).get("variant"));
    let variant = p.variants.find((v) => v.id === wanted) || p.variants.find((v) => v.available) || p.variants[0];
    selects.forEach((s, i) => (s.value = variant[`option${i + 1}`]));

    const button = $("add-to-cart");
    const show = () => {
      $("product-price").textContent = price(variant.price);
      const sale = variant.compare_at_price && Number(variant.compare_at_price) > Number(variant.price);
      $("product-compare-at").textContent = sale ? price(variant.compare_at_price) : "";
      const badge = $("product-badge");
      badge.textContent = variant.available ? (sale ? "Sale" : "") : "Sold out";
      badge.className = variant.available ? "badge" : "badge sold-out";
      button.disabled = !variant.available;
      button.textContent = variant.available ? "Add to cart" : "Sold out";
      button.dataset.variantId = String(variant.id);
      const image = (variant.featured_image || p.images[0]);
      const img = $("product-image");
      img.hidden = !image;
      if (image) {
        img.src = image.src;
        img.alt = image.alt || p.title;
      }
    };
    for (const select of selects) {
      select.addEventListener("change", () => {
        const values = selects.map((s) => s.value);
        variant = p.variants.find((v) => values.every((value, i) => v[`option${i + 1}`] === value)) || variant;
        $("cart-message").textContent = "";
        show();
      });
    }
    $("variant-picker").addEventListener("submit", async (event) => {
      event.preventDefault();
      button.disabled = true;
      try {
        const resp = await fetch(`${root}cart/add.js`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ items: [{ id: variant.id, quantity: 1 }] }),
        });
        const body = await resp.json();
        $("cart-message").textContent = resp.ok ? `Added ${body.items[0].title} to your cart.` : body.description;
      } catch {
        $("cart-message").textContent = "Could not reach the cart. Try again.";
      }
      await refreshCount();
      show();
    });
    show();
    status("");
    $("product").hidden = false;
  }

  refreshCount();
  const page = document.body.dataset.page;
  (page === "product" ? product() : home()).catch(() => status("The catalog could not be loaded."));
})();
