/** Debian's Chromium driven by playwright-core: never a downloaded browser. */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Where tests leave screenshots for people to look at (kept by CI as artifacts). */
const SCREENSHOT_DIR = fileURLToPath(new URL("../../../test-results/screenshots/", import.meta.url));

export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Root in CI and a closed network: no sandbox, and nothing that phones home.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export const screenshotPath = (name: string) => `${SCREENSHOT_DIR}${name}.png`;
