/**
 * Sign-out through /oauth/logout (RP-initiated logout). The attack: a link signs the person out and sends
 * them to any site, and in user mode deletes every sealed Odoo credential of theirs. Now the post-logout
 * URI must pass the redirect policy, nothing happens without a click on our own page (no script, strict
 * CSP), and signing out ends the browser session only.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CREDENTIAL_CLAIM, CREDENTIAL_JWE } from "@odoo-mcp/shared";
import { type AuthHarness, startAuth } from "@odoo-mcp/testkit/auth";
import { FormBrowser } from "@odoo-mcp/testkit/browser";
import { launchChromium, screenshotPath } from "@odoo-mcp/testkit/chromium";
import { chatgptClient, client, codeFlow, discover, exchange, mcpIntrospector } from "@odoo-mcp/testkit/oauth";
import { exportJWK, generateKeyPair } from "jose";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const APP = "https://app.example.com";
const SIGNED_OUT = `${APP}/signed-out`;

let h: AuthHarness;
let appId: string;
beforeAll(async () => {
  h = await startAuth();
  appId = (await register({ post_logout_redirect_uris: [SIGNED_OUT] })).body.client_id as string;
});
afterAll(() => h.close());

async function register(metadata: Record<string, unknown>, base = h.url) {
  const response = await fetch(`${base}/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_name: "Example App",
      redirect_uris: [`${APP}/cb`],
      token_endpoint_auth_method: "none",
      ...metadata,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The link an attacker would send: sign out, then go to `target`. */
const logoutLink = (target: string, clientId = appId, base = h.url) =>
  `${base}/oauth/logout?${new URLSearchParams({ client_id: clientId, post_logout_redirect_uri: target, state: "s" })}`;

/** A person signed in in `browser` (a session cookie), through ChatGPT's authorization. */
async function signedIn(browser = new FormBrowser(), harness = h) {
  const config = await chatgptClient(harness.url, harness.auth.created.chatgptSecret as string);
  await codeFlow(config, { browser });
  return browser;
}

/** Whether the browser's sign-in still stands: a new authorization asks for no login. */
async function stillSignedIn(browser: FormBrowser) {
  const config = await chatgptClient(h.url, h.auth.created.chatgptSecret as string);
  const flow = await codeFlow(config, { browser });
  return !flow.pages.some((page) => page.kind === "login");
}

function expectOurPage(response: Response, html: string) {
  expect(response.status).toBe(200);
  const csp = response.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("script-src");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(html).not.toMatch(/<script/i);
  expect(html).toContain('class="brand"');
}

describe("post-logout redirect URIs", () => {
  it("are held to the redirect policy when a client registers", async () => {
    for (const target of ["http://evil.example/", "javascript:alert(1)", "myapp:/signed-out", "not a uri"]) {
      const refused = await register({ post_logout_redirect_uris: [target] });
      expect(refused.status, target).toBe(400);
      expect(refused.body.error).toBe("invalid_client_metadata");
    }
    expect((await register({ post_logout_redirect_uris: ["http://127.0.0.1:9/out"] })).status).toBe(201);
    const strict = await startAuth({ env: { DCR_ALLOWED_REDIRECT_HOSTS: "app.example.com" }, sim: h.sim });
    try {
      const offList = await register(
        { post_logout_redirect_uris: ["https://evil.example/"], redirect_uris: [`${APP}/cb`] },
        strict.url,
      );
      expect(offList).toMatchObject({ status: 400, body: { error: "invalid_client_metadata" } });
      expect((await register({ post_logout_redirect_uris: [SIGNED_OUT] }, strict.url)).status).toBe(201);
    } finally {
      await strict.close();
    }
  });

  it("must be one the client registered: anything else is an error page, never a redirect", async () => {
    const browser = await signedIn();
    const response = await browser.request(logoutLink("https://evil.example/"));
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain("post_logout_redirect_uri not registered");
    expect(await stillSignedIn(browser)).toBe(true);
  });
});

describe("following a sign-out link", () => {
  it("shows our page and signs nobody out; Sign out, clicked, ends the sign-in and returns to the client", async () => {
    const browser = await signedIn();
    const response = await browser.request(logoutLink(SIGNED_OUT));
    const html = await response.text();
    expectOurPage(response, html);
    expect(response.headers.get("content-security-policy")).toContain(`form-action 'self' ${APP}`);
    expect(html).toContain("Sign out of odoo-mcp?");
    expect(html).toContain("Example App asks to sign you out.");
    expect(html).toContain("app.example.com");
    expect(html).toContain("The apps you allowed keep their access");
    expect(await stillSignedIn(browser)).toBe(true);

    // Only the person's click on the page's own form does it.
    const page = await (await browser.request(logoutLink(SIGNED_OUT))).text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1] as string;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1] as string;
    expect(action).toBe(`${h.url}/oauth/logout/confirm`);
    const forged = await browser.postForm(new URL(action, h.url), { xsrf: "guessed", logout: "yes" });
    expect(forged.status).toBe(400);
    expect(await stillSignedIn(browser)).toBe(true);

    const clicked = await browser.postForm(new URL(action, h.url), { xsrf, logout: "yes" });
    expect(clicked.status).toBe(303);
    expect(clicked.headers.get("location")).toBe(`${SIGNED_OUT}?state=s`);
    expect(await stillSignedIn(browser)).toBe(false);
  });

  it("speaks Spanish to a Spanish browser, and shows our page after a sign-out with no URI to return to", async () => {
    const browser = await signedIn(new FormBrowser("es-ES,es;q=0.9"));
    const response = await browser.request(`${h.url}/oauth/logout?client_id=${appId}`);
    const html = await response.text();
    expectOurPage(response, html);
    expect(html).toContain("¿Cerrar sesión en odoo-mcp?");
    expect(html).toContain("Example App pide cerrar tu sesión.");
    expect(html).toContain("Mantener la sesión");
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] as string;
    const done = await browser.postForm(new URL("/oauth/logout/confirm", h.url), { xsrf, logout: "yes" });
    expect(done.headers.get("location")).toBe(`${h.url}/oauth/logout/success`);
    const success = await browser.request(done.headers.get("location") as string);
    const successHtml = await success.text();
    expectOurPage(success, successHtml);
    expect(successHtml).toContain("Has cerrado la sesión");
  });

  it("Stay signed in keeps the sign-in; without a client asking, Sign out is the only button", async () => {
    const browser = await signedIn();
    const page = await (await browser.request(`${h.url}/oauth/logout?client_id=${appId}`)).text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1] as string;
    const stayed = await browser.postForm(new URL("/oauth/logout/confirm", h.url), { xsrf });
    expect(stayed.headers.get("location")).toBe(`${h.url}/oauth/logout/success?client_id=${appId}`);
    const after = await (await browser.request(stayed.headers.get("location") as string)).text();
    expect(after).toContain("You are still signed in");
    expect(after).toContain("Example App no longer uses your sign-in in this browser.");
    expect(await stillSignedIn(browser)).toBe(true);

    const alone = await (await browser.request(`${h.url}/oauth/logout`)).text();
    expect(alone).toContain("Sign out of odoo-mcp?");
    expect(alone).not.toContain("Stay signed in");
    expect(alone).not.toContain("asks to sign you out");
  });

  it("nobody signed in: the page no longer submits itself; a click continues to the registered URI", async () => {
    const browser = new FormBrowser();
    const response = await browser.request(logoutLink(SIGNED_OUT));
    const html = await response.text();
    expectOurPage(response, html);
    expect(html).toContain("You are not signed in");
    expect(html).toContain("Continue to app.example.com");
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] as string;
    const clicked = await browser.postForm(new URL("/oauth/logout/confirm", h.url), { xsrf, logout: "yes" });
    expect(clicked.status).toBe(303);
    expect(clicked.headers.get("location")).toBe(`${SIGNED_OUT}?state=s`);
  });
});

describe("in Chromium", () => {
  let chromium: Browser;
  beforeAll(async () => {
    chromium = await launchChromium();
  });
  afterAll(() => chromium?.close());

  it("opening the link neither signs the person out nor leaves the page; clicking Sign out does both", async () => {
    const context = await chromium.newContext({ locale: "en-US" });
    const page = await context.newPage();
    const landed: string[] = [];
    await page.route(`${APP}/**`, async (route) => {
      landed.push(route.request().url());
      await route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Back at the app</h1>" });
    });
    await page.route("https://chatgpt.com/**", (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Back at ChatGPT</h1>" }),
    );
    try {
      // Signed in through an authorization in this browser.
      const config = await chatgptClient(h.url, h.auth.created.chatgptSecret as string);
      const authorize = client.buildAuthorizationUrl(config, {
        redirect_uri: "https://chatgpt.com/connector_platform_oauth_redirect",
        scope: "odoo:read",
        code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
        code_challenge_method: "S256",
      });
      await page.goto(authorize.href);
      // demo has allowed nothing yet on this server, so the consent page shows.
      await page.getByLabel("Login or email").fill("demo");
      await page.getByLabel("Password or API key").fill("demo");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("button", { name: "Allow" }).click();
      await page.getByRole("heading", { name: "Back at ChatGPT" }).waitFor();

      await page.goto(logoutLink(SIGNED_OUT));
      await page.getByRole("heading", { name: "Sign out of odoo-mcp?" }).waitFor();
      await page.waitForTimeout(1000);
      expect(new URL(page.url()).origin).toBe(h.url);
      expect(landed).toEqual([]);
      await page.screenshot({ path: screenshotPath("sign-out"), fullPage: true });

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Back at the app" }).waitFor();
      expect(landed).toEqual([`${SIGNED_OUT}?state=s`]);

      // Signed out now: the same link only offers to continue.
      await page.goto(logoutLink(SIGNED_OUT));
      await page.getByRole("heading", { name: "You are not signed in" }).waitFor();
      await page.waitForTimeout(1000);
      expect(new URL(page.url()).origin).toBe(h.url);
      expect(landed).toHaveLength(1);
    } finally {
      await context.close();
    }
  });
});

describe("signing out in user mode (ODOO_AUTH_MODE=user)", () => {
  let jwks: Server;
  let user: AuthHarness;
  beforeAll(async () => {
    // The MCP server's encryption key, as it publishes it.
    const { publicKey } = await generateKeyPair(CREDENTIAL_JWE.alg);
    const key = { ...(await exportJWK(publicKey)), kid: "test-enc", use: "enc", alg: CREDENTIAL_JWE.alg };
    jwks = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [key] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", () => resolve()));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    user = await startAuth({ env: { ODOO_AUTH_MODE: "user", MCP_JWKS_URL: jwksUrl }, sim: h.sim });
  });
  afterAll(async () => {
    await user?.close();
    jwks?.close();
  });

  it("keeps every app's sealed Odoo credentials: the other apps go on working", async () => {
    // Two apps of one person, each allowed in its own browser.
    const chatgpt = await chatgptClient(user.url, user.auth.created.chatgptSecret as string);
    const firstBrowser = new FormBrowser();
    const chatgptTokens = await exchange(
      chatgpt,
      await codeFlow(chatgpt, { browser: firstBrowser, login: "demo", password: "demo" }),
    );
    const registered = await register({ redirect_uris: ["http://127.0.0.1:8976/callback"] }, user.url);
    const app = await discover(user.url, registered.body.client_id as string);
    const appTokens = await exchange(
      app,
      await codeFlow(app, { redirectUri: "http://127.0.0.1:8976/callback", login: "demo", password: "demo" }),
    );
    const sealed = async () => (await user.storage.list("OdooCredential")).length;
    expect(await sealed()).toBe(2);

    // The person signs out in the first browser, with a click.
    const page = await (await firstBrowser.request(`${user.url}/oauth/logout`)).text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1] as string;
    const done = await firstBrowser.postForm(new URL("/oauth/logout/confirm", user.url), { xsrf, logout: "yes" });
    expect(done.status).toBe(303);

    expect(await sealed()).toBe(2);
    const introspector = await mcpIntrospector(user.url);
    for (const token of [chatgptTokens.access_token, appTokens.access_token]) {
      const introspection = await client.tokenIntrospection(introspector, token);
      expect(introspection.active).toBe(true);
      expect(introspection[CREDENTIAL_CLAIM]).toEqual(expect.any(String));
    }
  });
});
