// One quincer-server for the whole run; tests read its address and keys from the environment.
import { startServer } from "../support/server.mjs";

export default async function globalSetup() {
  const server = await startServer({ replyPaceMs: 40 });
  process.env.QUINCER_URL = server.url;
  process.env.QUINCER_DEMO_URL = server.demoUrl;
  process.env.QUINCER_WIDGET_KEY = server.widgetKey;
  process.env.QUINCER_WIDGET_ID = server.widgetId;
  process.env.QUINCER_DEV_KEY = server.devKey;
  process.env.QUINCER_ORG_ID = server.orgId;
  process.env.QUINCER_DATA_DIR = server.data;
  return server.stop;
}
