// Page objects for the product panel (src/ui/product_panel.rs): the cards under an answer, and one card's parts.

export class ProductPanel {
  /** @param {import('@playwright/test').Locator} scope the message (or page) whose cards to find */
  constructor(scope) {
    this.cards = scope.getByTestId("quincer-product-card");
  }

  /** The first card whose text contains `title`. */
  card(title) {
    return new ProductCard(this.cards.filter({ hasText: title }).first());
  }
}

export class ProductCard {
  /** @param {import('@playwright/test').Locator} root one card (or several: then each part matches on all of them) */
  constructor(root) {
    this.root = root;
    this.price = root.getByTestId("quincer-product-price");
    this.options = root.getByTestId("quincer-product-option");
    this.addToCart = root.getByTestId("quincer-add-to-cart");
    this.cartStatus = root.getByTestId("quincer-cart-status");
    this.view = root.getByTestId("quincer-product-view");
  }
}
