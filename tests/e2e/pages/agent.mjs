// The "outside agent": drives the developer API the way a support backend or an OpenClaw agent would.
export class Agent {
  constructor(baseUrl = process.env.QUINCER_URL, devKey = process.env.QUINCER_DEV_KEY) {
    this.baseUrl = baseUrl;
    this.devKey = devKey;
  }

  async call(method, path, body) {
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.devKey}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${json.error}`);
    return json;
  }

  takeover(id, actorName) {
    return this.call("POST", `/conversations/${id}/takeover`, { actor_name: actorName });
  }

  reply(id, text) {
    return this.call("POST", `/conversations/${id}/reply`, { text });
  }

  handback(id) {
    return this.call("POST", `/conversations/${id}/handback`);
  }

  conversation(id) {
    return this.call("GET", `/conversations/${id}`);
  }
}

/** The conversation id the widget on `page` stored for its key. */
export async function conversationId(page, widgetKey = process.env.QUINCER_WIDGET_KEY) {
  return page.evaluate((key) => localStorage.getItem(`quincer:${key}:conversation_id`), widgetKey);
}
