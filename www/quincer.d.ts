/**
 * TypeScript declarations for the Quincer host page API: `window.Quincer(...)` and the `quincer:*` events on
 * `window`. They are the specification that `quincer.js` (the loader) follows.
 *
 * Use them in a TypeScript project in one of two ways:
 *   - reference this file: `/// <reference path="path/to/quincer.d.ts" />`, or
 *   - copy it into your project, anywhere the compiler's `include` reaches.
 * Then `window.Quincer("open")` and `addEventListener("quincer:add_to_cart", (e) => e.detail.variant_id)` are
 * typed, and a misspelt command or event is a compile error. The file only augments the global scope; there is
 * nothing to import.
 *
 * Commands are queued until the widget has mounted, and run in order then. Commands given before the loader has run
 * need the stub shown in docs/EMBED.md ("Host page API"), which this declaration types too:
 *
 *     window.Quincer = window.Quincer || function () { (window.Quincer.q = window.Quincer.q || []).push(arguments); };
 *
 * Each event reaches the page in two ways: as a `CustomEvent` named `quincer:<name>` dispatched on `window` (its
 * `detail` is the payload), and as a call to each handler registered with `Quincer("on", name, handler)` (which
 * receives the payload itself).
 * Payload field names are snake_case, as on the wire; ids are strings.
 */

export {};

declare global {
  /** Who the visitor is, as the host page knows it (a logged-in customer). */
  interface QuincerIdentity {
    /** `null` clears a value given earlier; a missing field leaves it as it was. */
    email?: string | null;
    name?: string | null;
    phone?: string | null;
    /** The host's own id for this person, e.g. the shop's customer id as a decimal string. */
    external_id?: string | null;
    /** Any other trait (`plan: "gold"`, `orders: 3`, `vip: true`): flat values only, `null` clears. */
    [trait: string]: string | number | boolean | null | undefined;
  }

  /**
   * `ready`: the widget has loaded, the server accepted the widget key and the widget is drawn. Fires at most once
   * per page (again after `shutdown`). The widget loads when needed (the visitor reaches for the launcher, a
   * command, a returning visitor's conversation): on a page where none of that happens, it never fires.
   */
  interface QuincerReadyDetail {
    /** The widget's id (`wgt_…`), as the developer API names it. */
    widget_id: string;
  }

  /** `open` and `close`: the chat panel opened or closed, by the visitor or by a command. No fields yet. */
  type QuincerOpenDetail = Record<string, never>;
  type QuincerCloseDetail = Record<string, never>;

  /**
   * `message`: a message to the visitor arrived complete (once per message, after streaming, never per chunk).
   * The visitor's own messages do not fire it.
   */
  interface QuincerMessageDetail {
    id: string;
    /** `assistant`: the AI (under its persona); `agent`: a human agent during a takeover. */
    role: "assistant" | "agent";
    /** The message as plain markdown text, as the transcript stores it. */
    text: string;
    /** The name shown above the message (the persona's or the agent's), when there is one. */
    speaker_name?: string;
  }

  /** `takeover`: a human agent took the conversation over; the AI stays quiet until `handback`. */
  interface QuincerTakeoverDetail {
    agent: {
      name: string;
      avatar_url?: string | null;
    };
  }

  /** `handback`: the human agent handed the conversation back to the AI. */
  interface QuincerHandbackDetail {
    /** The persona answering from now on; `null` or absent when the widget does not know it yet. */
    persona?: { id: string; name: string } | null;
  }

  /** `add_to_cart`: a product card's "Add to cart" succeeded. Ids are decimal strings (they never round). */
  interface QuincerAddToCartDetail {
    product_id: string;
    variant_id: string;
    quantity: number;
  }

  /** `unread`: the number of messages the visitor has not seen changed (0 once the panel opens). */
  interface QuincerUnreadDetail {
    count: number;
  }

  /** Event name (without the `quincer:` prefix) → payload. */
  interface QuincerEventMap {
    ready: QuincerReadyDetail;
    open: QuincerOpenDetail;
    close: QuincerCloseDetail;
    message: QuincerMessageDetail;
    takeover: QuincerTakeoverDetail;
    handback: QuincerHandbackDetail;
    add_to_cart: QuincerAddToCartDetail;
    unread: QuincerUnreadDetail;
  }

  type QuincerEventName = keyof QuincerEventMap;

  /** `window.Quincer`. Every command returns nothing; an unknown command logs a console warning. */
  interface QuincerApi {
    /**
     * - `open`, `close`, `toggle`: the chat panel.
     * - `hide`: hide the whole widget, launcher included, keeping the conversation; `show` brings it back.
     * - `shutdown`: forget the visitor on this browser, e.g. when a customer logs out on a shared device: the
     *   widget ends its connections, deletes its `localStorage` entries and starts over as a new, anonymous visitor
     *   (a fresh widget, closed, with an empty conversation; `ready` fires again).
     */
    (command: "open" | "close" | "toggle" | "show" | "hide" | "shutdown"): void;
    /** Tell the widget who the visitor is. Calls merge: each one updates only the fields it names. */
    (command: "identify", identity: QuincerIdentity): void;
    /** Send `text` as if the visitor had typed it, opening the panel. Blank text is ignored with a warning. */
    (command: "sendMessage", text: string): void;
    /** Switch the widget's language (a BCP 47 tag such as `fr-CA`) for this page view, over the widget's `locale`. */
    (command: "setLocale", tag: string): void;
    /**
     * Register (`on`) or remove (`off`) a handler for an event; `off` needs the same function that `on` was given.
     * Handlers registered before `ready` stay registered and see `ready` too.
     */
    <E extends QuincerEventName>(command: "on" | "off", event: E, handler: (detail: QuincerEventMap[E]) => void): void;
  }

  interface Window {
    /**
     * The host page API. Defined by the loader, or earlier by the stub of docs/EMBED.md; its `q` holds the calls the stub
     * queued, which the loader picks up and runs once the widget has mounted.
     */
    Quincer: QuincerApi & { q?: IArguments[] };
  }

  interface WindowEventMap {
    "quincer:ready": CustomEvent<QuincerReadyDetail>;
    "quincer:open": CustomEvent<QuincerOpenDetail>;
    "quincer:close": CustomEvent<QuincerCloseDetail>;
    "quincer:message": CustomEvent<QuincerMessageDetail>;
    "quincer:takeover": CustomEvent<QuincerTakeoverDetail>;
    "quincer:handback": CustomEvent<QuincerHandbackDetail>;
    "quincer:add_to_cart": CustomEvent<QuincerAddToCartDetail>;
    "quincer:unread": CustomEvent<QuincerUnreadDetail>;
  }
}
