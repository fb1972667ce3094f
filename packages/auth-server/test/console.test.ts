/** The admin console in Chromium: who may open it, what it shows, and that its buttons take access away. */
import { ADMIN_TOKEN, type AuthHarness, startAuth } from "@odoo-mcp/testkit/auth";
import { launchChromium, screenshotPath } from "@odoo-mcp/testkit/chromium";
import { chatgptClient, client, codeFlow, exchange, mcpIntrospector } from "@odoo-mcp/testkit/oauth";
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

async function tokensFor(login: string, password: string, scope = "odoo:read odoo:write") {
  const config = await chatgptClient(h.url, await h.chatgptSecret());
  return exchange(config, await codeFlow(config, { login, password, scope }));
}

async function active(token: string): Promise<boolean> {
  const introspected = await client.tokenIntrospection(await mcpIntrospector(h.url), token);
  return introspected.active;
}

async function openConsole(locale = "en-US") {
  const context = await browser.newContext({ locale, extraHTTPHeaders: { "accept-language": locale } });
  const page = await context.newPage();
  await page.goto(`${h.url}/admin`);
  return { page, close: () => context.close() };
}

async function signIn(page: Page, login: string, password: string) {
  await page.getByLabel("Login or email").fill(login);
  await page.getByLabel("Password or API key").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

describe("the admin console", () => {
  it("opens for Odoo administrators only, shows clients, people and failures, and revokes", async () => {
    const admin = await tokensFor("admin", "admin");
    const demo = await tokensFor("demo", "demo", "odoo:read");
    const { page, close } = await openConsole();
    try {
      await page.getByRole("heading", { name: "odoo-mcp administration" }).waitFor();
      await signIn(page, "demo", "demo");
      await expect(page.getByRole("alert").textContent()).resolves.toContain("Only Odoo administrators");
      await signIn(page, "admin", "not-the-password");
      await expect(page.getByRole("alert").textContent()).resolves.toContain("did not work");
      await signIn(page, "admin", "admin");
      await page.getByRole("heading", { name: "Clients" }).waitFor();
      await page.screenshot({ path: screenshotPath("admin-console"), fullPage: true });

      const chatgpt = page.locator('tr[data-client="chatgpt-odoo-mcp"]');
      expect(await chatgpt.textContent()).toContain("preconfigured");
      expect(await chatgpt.locator("td").nth(4).textContent()).toBe("2");
      expect(await page.locator('tr[data-client="mcp-resource-server"]').textContent()).toContain("static");
      expect(await page.locator("tr[data-sub]").count()).toBe(2);
      const failures = await page.locator("tr.failure").allTextContents();
      expect(failures).toHaveLength(2);
      expect(failures.join("\n")).toMatch(/demo.*rejected.*admin/);
      expect(await page.locator("body").textContent()).toMatch(/Active tokens: \d+ access, \d+ refresh/);

      // Take one person's access: only their token stops.
      const demoRow = page.locator("tr[data-sub]").filter({ hasText: "demo" });
      await demoRow.getByRole("button", { name: "Revoke", exact: true }).click();
      await expect(page.getByRole("status").textContent()).resolves.toContain("1 grant revoked");
      expect(await active(demo.access_token)).toBe(false);
      expect(await active(admin.access_token)).toBe(true);

      // A new ChatGPT secret, shown once; the old one no longer works.
      const oldSecret = await h.chatgptSecret();
      await page.getByRole("button", { name: "Rotate the ChatGPT client secret" }).click();
      const newSecret = (await page.locator("code[data-secret]").textContent()) as string;
      expect(newSecret).toMatch(/^[\w-]{40,}$/);
      expect(newSecret).not.toBe(oldSecret);
      const withOld = await fetch(`${h.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: admin.refresh_token ?? "x",
          client_id: "chatgpt-odoo-mcp",
          client_secret: oldSecret,
        }),
      });
      expect(withOld.status).toBe(401);

      await page.getByRole("button", { name: "Revoke every grant and token" }).click();
      await expect(page.getByRole("status").textContent()).resolves.toContain("grant");
      expect(await active(admin.access_token)).toBe(false);
      expect(await page.locator("tr[data-sub]").count()).toBe(0);

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("button", { name: "Open with the admin token" }).waitFor();
    } finally {
      await close();
    }
  });

  it("opens with the operator's admin token, in Spanish too", async () => {
    const { page, close } = await openConsole("es-ES");
    try {
      await page.getByRole("heading", { name: "Administración de odoo-mcp" }).waitFor();
      await page.getByLabel("Token de administración").fill(ADMIN_TOKEN);
      await page.getByRole("button", { name: "Entrar con el token de administración" }).click();
      await page.getByRole("heading", { name: "Clientes" }).waitFor();
    } finally {
      await close();
    }
  });

  it("refuses forged forms and wrong tokens, with the pages' security headers", async () => {
    const page = await fetch(`${h.url}/admin`);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    const forged = await fetch(`${h.url}/admin/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: ADMIN_TOKEN, csrf: "forged" }),
      redirect: "manual",
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.get("set-cookie") ?? "").not.toMatch(/odoo_mcp_admin=[^;]/);
    const revokeAll = await fetch(`${h.url}/admin/revoke-all`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "csrf=forged",
      redirect: "manual",
    });
    expect(revokeAll.status).toBe(303);
    expect(revokeAll.headers.get("location")).toBe("/admin");
  });
});
