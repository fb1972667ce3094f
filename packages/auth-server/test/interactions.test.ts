import { startOdooSim } from "@odoo-mcp/odoo-sim";
import { type AuthHarness, startAuth } from "@odoo-mcp/testkit/auth";
import { FormBrowser } from "@odoo-mcp/testkit/browser";
import { CHATGPT_REDIRECT, chatgptClient, client, codeFlow, exchange } from "@odoo-mcp/testkit/oauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let h: AuthHarness;
beforeAll(async () => {
  h = await startAuth();
});
afterAll(() => h.close());

/** Starts an authorization and returns the browser on the login page, with the page's form fields. */
async function openLogin(browser = new FormBrowser()) {
  const config = await chatgptClient(h.url, await h.chatgptSecret());
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: CHATGPT_REDIRECT,
    scope: "odoo:read odoo:write",
    code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
    code_challenge_method: "S256",
  });
  const redirect = await browser.request(url);
  const pageUrl = new URL(redirect.headers.get("location") as string, h.url);
  const page = await browser.request(pageUrl);
  const html = await page.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] as string;
  return { browser, page, html, csrf, pageUrl };
}

describe("the login and consent pages", () => {
  it("are served with a strict CSP, no framing, no sniffing and no caching", async () => {
    const { page } = await openLogin();
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy") as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/style-src 'nonce-[^']+'/);
    expect(csp).toContain("form-action 'self' https://chatgpt.com");
    expect(csp).not.toContain("script-src");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("cache-control")).toBe("no-store");
  });

  it("speak Spanish when the browser prefers it", async () => {
    const { html } = await openLogin(new FormBrowser("es-ES,es;q=0.9,en;q=0.5"));
    expect(html).toContain('<html lang="es">');
    expect(html).toContain("Inicia sesión con tu cuenta de Odoo");
    const english = await openLogin(new FormBrowser("en-GB,en;q=0.9,es;q=0.1"));
    expect(english.html).toContain("Sign in with your Odoo account");
  });

  it("escape everything they show", async () => {
    const registered = await fetch(`${h.url}/oauth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_name: '<script>alert("x")</script>',
        redirect_uris: ["http://127.0.0.1:9/cb"],
        token_endpoint_auth_method: "none",
      }),
    });
    const { client_id: clientId } = (await registered.json()) as { client_id: string };
    const url = new URL(`${h.url}/oauth/authorize`);
    url.search = new URLSearchParams({
      client_id: clientId,
      response_type: "code",
      redirect_uri: "http://127.0.0.1:9/cb",
      scope: "odoo:read",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
    }).toString();
    const browser = new FormBrowser();
    const redirect = await browser.request(url);
    const html = await (await browser.request(new URL(redirect.headers.get("location") as string, h.url))).text();
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).not.toContain("<script>");
  });

  it("refuse a form without the CSRF token, or without the interaction cookie", async () => {
    const { browser, pageUrl, csrf } = await openLogin();
    const forged = await browser.postForm(`${pageUrl.href}/login`, {
      csrf: "forged",
      login: "admin",
      password: "admin",
    });
    expect(forged.status).toBe(400);
    const stranger = new FormBrowser();
    const noCookie = await stranger.postForm(`${pageUrl.href}/login`, { csrf, login: "admin", password: "admin" });
    expect(noCookie.status).toBe(400);
    const ok = await browser.postForm(`${pageUrl.href}/login`, { csrf, login: "admin", password: "admin" });
    expect(ok.status).toBe(303);
  });

  it("throttle failed sign-ins per login and say when to try again", async () => {
    const attempts: number[] = [];
    const { browser, pageUrl, csrf } = await openLogin();
    for (let i = 0; i < 7; i++) {
      const response = await browser.postForm(`${pageUrl.href}/login`, { csrf, login: "demo", password: `wrong-${i}` });
      attempts.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(await response.text()).toContain("Too many failed attempts");
      }
    }
    expect(attempts).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // Even the right password waits until the window passes.
    expect((await browser.postForm(`${pageUrl.href}/login`, { csrf, login: "demo", password: "demo" })).status).toBe(
      429,
    );
    // Another login from another address is not affected.
    const other = await openLogin();
    expect(
      (
        await other.browser.postForm(`${other.pageUrl.href}/login`, {
          csrf: other.csrf,
          login: "admin",
          password: "admin",
        })
      ).status,
    ).toBe(303);
  });

  it("say so clearly when Odoo cannot be reached, without counting it as a failure", async () => {
    const down = await startAuth({ env: { ODOO_URL: "http://127.0.0.1:9" }, sim: h.sim });
    try {
      const config = await chatgptClient(down.url, await down.chatgptSecret());
      const failure = await codeFlow(config).catch((error: { pages: { status: number; html: string }[] }) => error);
      const page = failure.pages.at(-1);
      expect(page?.status).toBe(503);
      // The page names the address it tried, so the person (or whoever runs the server) knows what to check.
      expect(page?.html).toContain("This server cannot reach Odoo at http://127.0.0.1:9");
      expect(down.logs.some((line) => line.event === "oauth_login_failed" && line.reason === "odoo_unavailable")).toBe(
        true,
      );
    } finally {
      await down.close();
    }
  });
});

describe("who may get odoo:write", () => {
  it("follows ODOO_WRITE_GROUP when it is configured", async () => {
    const grouped = await startAuth({ env: { ODOO_WRITE_GROUP: "base.group_system" }, sim: h.sim });
    try {
      const config = await chatgptClient(grouped.url, await grouped.chatgptSecret());
      const admin = await exchange(config, await codeFlow(config, { login: "admin", password: "admin" }));
      expect(admin.scope?.split(" ").sort()).toEqual(["odoo:read", "odoo:write"]);
      const demo = await exchange(config, await codeFlow(config, { login: "demo", password: "demo" }));
      expect(demo.scope).toBe("odoo:read");
    } finally {
      await grouped.close();
    }
  });
});

describe("sign-in throttling per address", () => {
  it("locks an address out after 20 failures, whatever logins it tries", async () => {
    // An Odoo whose own cooldown is off (base.login_cooldown_after = 0): this server's limit stands alone.
    const sim = await startOdooSim({ loginCooldown: { after: 0, durationSeconds: 60 } });
    const fresh = await startAuth({ sim });
    try {
      const config = await chatgptClient(fresh.url, await fresh.chatgptSecret());
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: CHATGPT_REDIRECT,
        scope: "odoo:read",
        code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
        code_challenge_method: "S256",
      });
      const browser = new FormBrowser();
      const pageUrl = new URL((await browser.request(url)).headers.get("location") as string, fresh.url);
      const csrf = /name="csrf" value="([^"]+)"/.exec(await (await browser.request(pageUrl)).text())?.[1] as string;
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) {
        statuses.push(
          (await browser.postForm(`${pageUrl.href}/login`, { csrf, login: `user${i}`, password: "x" })).status,
        );
      }
      expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
      expect(statuses[20]).toBe(429);
    } finally {
      await fresh.close();
      await sim.close();
    }
  });
});
