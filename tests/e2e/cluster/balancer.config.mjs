// The chat-and-takeover journey through HAProxy in front of two quincer-server nodes on PostgreSQL
// (deploy/cluster.sh): the same browser settings as the main suite, another setup, only `*.cluster.mjs` files.
import { defineConfig } from "@playwright/test";
import base from "../playwright.config.mjs";

export default defineConfig({
  ...base,
  testDir: ".",
  testMatch: "*.cluster.mjs",
  globalSetup: "./cluster-setup.mjs",
  workers: 1,
});
