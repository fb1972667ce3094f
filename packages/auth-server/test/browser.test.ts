import { type AuthHarness, startAuth } from "@odoo-mcp/testkit/auth";
import { launchChromium, screenshotPath } from "@odoo-mcp/testkit/chromium";
import { CHATGPT_REDIRECT, chatgptClient, client, exchange } from "@odoo-mcp/testkit/oauth";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let h: AuthHarness;
let browser: Browser;
beforeAll(async () => {
  h = await startAuth();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/**
 * Opens the authorization URL in Chromium and stops at the redirect to the client (ChatGPT's host is
 * not reachable here, so the navigation there is intercepted and its URL kept).
 */
async function startAuthorization(locale: string) {
  const config = await chatgptClient(h.url, await h.chatgptSecret());
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: CHATGPT_REDIRECT,
    scope: "odoo:read odoo:write",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
  });
  const context = await browser.newContext({ locale, extraHTTPHeaders: { "accept-language": locale } });
  const page = await context.newPage();
  let landed: URL | undefined;
  await page.route("https://chatgpt.com/**", async (route) => {
    landed = new URL(route.request().url());
    await route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Back at the client</h1>" });
  });
  await page.goto(url.href);
  return { config, page, verifier, state, landed: () => landed, close: () => context.close() };
}

async function signIn(page: Page, login: string, password: string) {
  await page.getByLabel(/Login|Usuario/).fill(login);
  await page.getByLabel(/Password|Contraseña/).fill(password);
}

describe("the login and consent pages in Chromium", () => {
  it("a person types their Odoo login, clicks Allow, and the client gets a code that works", async () => {
    const run = await startAuthorization("en-US");
    try {
      await expect(run.page.getByRole("heading", { name: "Sign in with your Odoo account" }).isVisible()).resolves.toBe(
        true,
      );
      await signIn(run.page, "admin", "admin");
      await run.page.screenshot({ path: screenshotPath("login-filled") });
      await run.page.getByRole("button", { name: "Sign in" }).click();
      await run.page.getByRole("heading", { name: "Allow ChatGPT to use your Odoo account?" }).waitFor();
      // Reading is given (a line, not a checkbox); writing is a choice, ticked.
      expect(await run.page.getByRole("checkbox").count()).toBe(1);
      expect(await run.page.locator('li[data-scope="odoo:read"]').textContent()).toContain("Read your Odoo records");
      expect(await run.page.getByRole("checkbox", { name: "Create, change and delete Odoo records" }).isChecked()).toBe(
        true,
      );
      await run.page.screenshot({ path: screenshotPath("consent"), fullPage: true });
      await run.page.getByRole("button", { name: "Allow" }).click();
      await run.page.getByRole("heading", { name: "Back at the client" }).waitFor();
      const landed = run.landed() as URL;
      expect(landed.searchParams.get("state")).toBe(run.state);
      const tokens = await exchange(run.config, {
        callback: landed,
        verifier: run.verifier,
        state: run.state,
      } as never);
      expect(tokens.access_token).toBeTruthy();
    } finally {
      await run.close();
    }
  });

  it("Deny (in Spanish) sends access_denied back to the client", async () => {
    const run = await startAuthorization("es-ES");
    try {
      await expect(
        run.page.getByRole("heading", { name: "Inicia sesión con tu cuenta de Odoo" }).isVisible(),
      ).resolves.toBe(true);
      await signIn(run.page, "demo", "demo");
      await run.page.getByRole("button", { name: "Iniciar sesión" }).click();
      await run.page.getByRole("heading", { name: "¿Permitir que ChatGPT use tu cuenta de Odoo?" }).waitFor();
      // The read-only user is told that write access is withheld.
      expect(await run.page.getByRole("note").textContent()).toContain("solo podrá leerlos");
      await run.page.screenshot({ path: screenshotPath("consent-es-withheld"), fullPage: true });
      await run.page.getByRole("button", { name: "Denegar" }).click();
      await run.page.getByRole("heading", { name: "Back at the client" }).waitFor();
      expect(run.landed()?.searchParams.get("error")).toBe("access_denied");
    } finally {
      await run.close();
    }
  });

  it("shows a clear message for a wrong password, on the same page", async () => {
    const run = await startAuthorization("en-US");
    try {
      await signIn(run.page, "admin", "not-the-password");
      await run.page.getByRole("button", { name: "Sign in" }).click();
      const alert = run.page.getByRole("alert");
      await alert.waitFor();
      expect(await alert.textContent()).toContain("That login and password did not work");
      expect(await run.page.getByLabel("Login or email").inputValue()).toBe("admin");
      await run.page.screenshot({ path: screenshotPath("login-error") });
    } finally {
      await run.close();
    }
  });
});
