/**
 * Scopes as choices (issue 20, item 3), in Chromium: a person who may write can allow reading only; a
 * person Odoo does not let write is not offered writing; /account takes writing back from an app. Each
 * time the tokens are checked by introspection, as the MCP server checks them, refreshes included.
 */
import { type AuthHarness, MCP_RESOURCE, startAuth } from "@odoo-mcp/testkit/auth";
import { launchChromium, screenshotPath } from "@odoo-mcp/testkit/chromium";
import { writeChoice } from "@odoo-mcp/testkit/mcp-oauth-client";
import { client, discover, mcpIntrospector } from "@odoo-mcp/testkit/oauth";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REDIRECT = "http://127.0.0.1:8976/callback";

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

/** A client of its own for each test (consent is remembered per person and client). */
async function registeredClient(name: string) {
  const response = await fetch(`${h.url}/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: name, redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" }),
  });
  const { client_id: clientId } = (await response.json()) as { client_id: string };
  return discover(h.url, clientId);
}

const scopeOf = async (token: string) => {
  const answer = await client.tokenIntrospection(await mcpIntrospector(h.url), token);
  return answer.active ? String(answer.scope).split(" ").sort().join(" ") : "inactive";
};

let context: BrowserContext | undefined;
/** Where the browser was last sent back to the client (never reached: the page is answered here). */
let landed: URL | undefined;
async function newPage() {
  await context?.close();
  context = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "accept-language": "en-US" } });
  await context.route("http://127.0.0.1:8976/**", async (route) => {
    landed = new URL(route.request().url());
    await route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Back at the client</h1>" });
  });
  return context.newPage();
}
afterAll(() => context?.close());

/** Whether the token says the person's Odoo rights allow writing (a new consent could then give it). */
const canWrite = async (token: string) =>
  (await client.tokenIntrospection(await mcpIntrospector(h.url), token)).odoo_can_write;

/** Opens an authorization request in the browser; `finish` waits for the redirect and exchanges the code. */
async function authorize(page: Page, config: client.Configuration, scope = "odoo:read odoo:write") {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  landed = undefined;
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope,
    resource: MCP_RESOURCE,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
  });
  await page.goto(url.href);
  return {
    finish: async () => {
      await page.getByRole("heading", { name: "Back at the client" }).waitFor();
      return client.authorizationCodeGrant(config, landed as URL, { pkceCodeVerifier: verifier, expectedState: state });
    },
  };
}

/**
 * An authorization request read with the browser's cookies but without navigating (Chromium does not let
 * the test answer a redirect that ends a navigation at once): whether a page was shown, else the tokens.
 */
async function silentAuthorization(page: Page, config: client.Configuration, scope: string | undefined) {
  const verifier = client.randomPKCECodeVerifier();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    ...(scope ? { scope } : {}),
    resource: MCP_RESOURCE,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  });
  const answer = await page.request.get(url.href, { maxRedirects: 0 });
  const callback = new URL(answer.headers().location as string, h.url);
  if (!callback.href.startsWith(REDIRECT)) return { shown: true };
  return {
    shown: false,
    tokens: await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier }),
  };
}

async function signIn(page: Page, login: string, password: string) {
  await page.getByLabel("Login or email").fill(login);
  await page.getByLabel("Password or API key").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Reading is given with any access: a line with a mark, not a checkbox the person could untick. */
const readLine = (page: Page) => page.locator('li[data-scope="odoo:read"]');

async function expectReadingGiven(page: Page) {
  expect(await readLine(page).textContent()).toContain("Read your Odoo records");
  expect(await readLine(page).getByRole("checkbox").count()).toBe(0);
  expect(await page.getByRole("checkbox", { name: /Read your Odoo records/ }).count()).toBe(0);
}

describe("the consent page offers each scope as a choice", () => {
  it("a person who may write unticks writing: the tokens read only, refreshed ones too", async () => {
    const config = await registeredClient("Reader App");
    const page = await newPage();
    const run = await authorize(page, config);
    await signIn(page, "admin", "admin");
    await page.getByRole("heading", { name: "Allow Reader App to use your Odoo account?" }).waitFor();
    await expectReadingGiven(page);
    expect(await writeChoice(page).isChecked()).toBe(true);
    expect(await page.locator("[data-step-up]").count()).toBe(0);
    await writeChoice(page).uncheck();
    await page.screenshot({ path: screenshotPath("consent-read-only-chosen"), fullPage: true });
    await page.getByRole("button", { name: "Allow" }).click();
    const tokens = await run.finish();

    expect(tokens.scope).toBe("odoo:read");
    expect(await scopeOf(tokens.access_token)).toBe("odoo:read");
    expect(await canWrite(tokens.access_token)).toBe(true);
    const line = h.logs.findLast((entry) => entry.event === "oauth_consent_granted");
    expect(line).toMatchObject({ scope: "odoo:read", declined: "odoo:write" });
    // Refreshing keeps to what the person allowed; asking for writing by name is refused (RFC 6749 §6).
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(await scopeOf(refreshed.access_token)).toBe("odoo:read");
    await expect(
      client.refreshTokenGrant(config, refreshed.refresh_token as string, { scope: "odoo:read odoo:write" }),
    ).rejects.toMatchObject({ error: "invalid_scope" });

    // A request that names no scope (ChatGPT reconnecting) is given what the person allowed, unasked.
    const reconnect = await silentAuthorization(page, config, undefined);
    expect(reconnect.shown).toBe(false);
    expect(await scopeOf((reconnect.tokens as client.TokenEndpointResponse).access_token)).toBe("odoo:read");

    // The client steps up (an MCP server answered 403 insufficient_scope, and it asks for odoo:write by
    // name): the person is asked again, told that the app already reads and now asks to change data, with
    // that choice ticked; Allow gives a token that writes.
    const stepUp = await authorize(page, config);
    await page.getByRole("heading", { name: "Allow Reader App to use your Odoo account?" }).waitFor();
    expect(await page.locator("[data-step-up]").textContent()).toBe(
      "Reader App can already read your Odoo records. It now asks to also create, change and delete them.",
    );
    await expectReadingGiven(page);
    expect(await writeChoice(page).isChecked()).toBe(true);
    await page.screenshot({ path: screenshotPath("consent-step-up"), fullPage: true });
    await page.getByRole("button", { name: "Allow" }).click();
    const writer = await stepUp.finish();
    expect(await scopeOf(writer.access_token)).toBe("odoo:read odoo:write");
    expect(h.logs.findLast((entry) => entry.event === "oauth_consent_granted")).toMatchObject({
      scope: "odoo:read odoo:write",
    });
  });

  it("a step-up the person declines again keeps reading only, and is asked with writing ticked next time", async () => {
    const config = await registeredClient("Twice Asked App");
    const page = await newPage();
    const first = await authorize(page, config);
    await signIn(page, "admin", "admin");
    await writeChoice(page).uncheck();
    await page.getByRole("button", { name: "Allow" }).click();
    expect(await scopeOf((await first.finish()).access_token)).toBe("odoo:read");
    for (let round = 0; round < 2; round++) {
      const stepUp = await authorize(page, config);
      await page.locator("[data-step-up]").waitFor();
      expect(await writeChoice(page).isChecked()).toBe(true);
      await writeChoice(page).uncheck();
      await page.getByRole("button", { name: "Allow" }).click();
      expect(await scopeOf((await stepUp.finish()).access_token)).toBe("odoo:read");
    }
  });

  it("a person Odoo does not let write is offered reading only, and told why", async () => {
    const config = await registeredClient("Demo App");
    const page = await newPage();
    const run = await authorize(page, config);
    await signIn(page, "demo", "demo");
    await page.getByRole("heading", { name: "Allow Demo App to use your Odoo account?" }).waitFor();
    expect(await page.getByRole("checkbox").count()).toBe(0);
    await expectReadingGiven(page);
    expect(await page.getByRole("note").textContent()).toContain(
      "Your Odoo user may not create, change or delete records, so Demo App will only be able to read them.",
    );
    await page.screenshot({ path: screenshotPath("consent-write-withheld"), fullPage: true });
    await page.getByRole("button", { name: "Allow" }).click();
    const tokens = await run.finish();
    expect(await scopeOf(tokens.access_token)).toBe("odoo:read");
    expect(await canWrite(tokens.access_token)).toBe(false);
    // Asking again changes nothing, and does not show the page again: only Odoo can change this.
    const again = await silentAuthorization(page, config, "odoo:read odoo:write");
    expect(again.shown).toBe(false);
    expect(await scopeOf((again.tokens as client.TokenEndpointResponse).access_token)).toBe("odoo:read");
  });

  it("reading cannot be left out, and writing posted for a person Odoo does not let write is not given", async () => {
    const config = await registeredClient("Forged App");
    const page = await newPage();
    await authorize(page, config);
    await signIn(page, "demo", "demo");
    await page.getByRole("heading", { name: "Allow Forged App to use your Odoo account?" }).waitFor();
    const action = (await page.locator("form[action$='/confirm']").getAttribute("action")) as string;
    const csrf = (await page.locator('input[name="csrf"]').first().getAttribute("value")) as string;
    const post = (body: string) =>
      page.request.post(`${h.url}${action}`, {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        data: `csrf=${encodeURIComponent(csrf)}&scope_choice=1&${body}`,
        maxRedirects: 0,
      });
    // A form without reading still gives reading (the only scope this person is offered), nothing more.
    const withoutRead = await post("scope=odoo:write");
    expect(withoutRead.status()).toBe(303);
    expect(h.logs.findLast((entry) => entry.event === "oauth_consent_granted")).toMatchObject({
      scope: "odoo:read",
      withheld: "odoo:write",
    });
    // The server decides what is offered: writing posted by a read-only person is not granted.
    const other = await registeredClient("Forged Again App");
    const run = await authorize(page, other);
    await page.getByRole("heading", { name: "Allow Forged Again App to use your Odoo account?" }).waitFor();
    await page.locator("form[action$='/confirm']").evaluate((form) => {
      form.insertAdjacentHTML("beforeend", '<input type="hidden" name="scope" value="odoo:write">');
    });
    await page.getByRole("button", { name: "Allow" }).click();
    expect(await scopeOf((await run.finish()).access_token)).toBe("odoo:read");
  });
});

describe("/account: an app can be made read-only, or allowed to change data too", () => {
  it("takes writing back: the old token stops, a refreshed one reads only, forged forms change nothing", async () => {
    const config = await registeredClient("Writer App");
    const page = await newPage();
    const run = await authorize(page, config);
    await signIn(page, "admin", "admin");
    await page.getByRole("button", { name: "Allow" }).click();
    const tokens = await run.finish();
    expect(await scopeOf(tokens.access_token)).toBe("odoo:read odoo:write");
    // Another app of the same person, signed in already: only the app made read-only changes.
    const otherConfig = await registeredClient("Other App");
    const other = await authorize(page, otherConfig);
    await page.getByRole("button", { name: "Allow" }).click();
    const otherTokens = await other.finish();

    await page.goto(`${h.url}/account`);
    await signIn(page, "admin", "admin");
    await page.getByRole("heading", { name: "Connected apps" }).waitFor();
    const app = page.locator("ul.apps > li", { has: page.locator(".client", { hasText: "Writer App" }) });
    const scopes = () =>
      app.locator("li[data-scope]").evaluateAll((items) => items.map((item) => item.getAttribute("data-scope")));
    expect(await scopes()).toEqual(["odoo:read", "odoo:write"]);
    const grantId = (await app.getAttribute("data-grant")) as string;

    // Forged: no session nor CSRF token (another site's form), then this session with a wrong token.
    const foreign = await fetch(`${h.url}/account/read-only`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_id: grantId }).toString(),
      redirect: "manual",
    });
    expect(foreign.status).toBe(303);
    const wrong = await page.request.post(`${h.url}/account/read-only`, {
      form: { csrf: "not-the-token", grant_id: grantId },
      maxRedirects: 0,
    });
    expect(wrong.status()).toBe(303);
    expect(await scopeOf(tokens.access_token)).toBe("odoo:read odoo:write");

    await app.getByRole("button", { name: "Let it only read" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toContain("Writer App can now only read");
    await page.screenshot({ path: screenshotPath("account-read-only"), fullPage: true });
    expect(await scopes()).toEqual(["odoo:read"]);
    expect(await app.locator("[data-declined]").textContent()).toContain("You allowed Writer App to read only");
    expect(await app.getByRole("button", { name: "Let it only read" }).count()).toBe(0);
    expect(h.logs.some((line) => line.event === "oauth_scope_withdrawn" && line.grant_id === grantId)).toBe(true);

    // The access token issued with writing has ended; the refresh token goes on, reading only.
    expect(await scopeOf(tokens.access_token)).toBe("inactive");
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(await scopeOf(refreshed.access_token)).toBe("odoo:read");
    expect(await scopeOf(otherTokens.access_token)).toBe("odoo:read odoo:write");
  });

  it("lets a reading app also change data: its next refresh writes, without a new authorization", async () => {
    const config = await registeredClient("Step App");
    const page = await newPage();
    const run = await authorize(page, config);
    await signIn(page, "admin", "admin");
    await writeChoice(page).uncheck();
    await page.getByRole("button", { name: "Allow" }).click();
    const tokens = await run.finish();
    expect(await scopeOf(tokens.access_token)).toBe("odoo:read");

    await page.goto(`${h.url}/account`);
    await signIn(page, "admin", "admin");
    const app = page.locator("ul.apps > li", { has: page.locator(".client", { hasText: "Step App" }) });
    const grantId = (await app.getAttribute("data-grant")) as string;
    expect(await app.locator("[data-declined]").textContent()).toContain(
      "To let it also create, change and delete records, use the button below.",
    );
    // Forged: a wrong CSRF token changes nothing (the refresh still reads only).
    const wrong = await page.request.post(`${h.url}/account/allow-write`, {
      form: { csrf: "not-the-token", grant_id: grantId },
      maxRedirects: 0,
    });
    expect(wrong.status()).toBe(303);
    const before = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(await scopeOf(before.access_token)).toBe("odoo:read");

    await app.getByRole("button", { name: "Let it also change and delete data" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toBe(
      "Step App may now also create, change and delete your Odoo records, from the next time it renews its access.",
    );
    await page.screenshot({ path: screenshotPath("account-allow-write"), fullPage: true });
    const scopes = await app
      .locator("li[data-scope]")
      .evaluateAll((items) => items.map((item) => item.getAttribute("data-scope")));
    expect(scopes).toEqual(["odoo:read", "odoo:write"]);
    expect(await app.getByRole("button", { name: "Let it also change and delete data" }).count()).toBe(0);
    expect(await app.getByRole("button", { name: "Let it only read" }).count()).toBe(1);
    expect(h.logs.some((line) => line.event === "oauth_scope_extended" && line.grant_id === grantId)).toBe(true);

    // What the app holds now is unchanged; its next refresh (no scope named, RFC 6749 §6) writes.
    expect(await scopeOf(before.access_token)).toBe("odoo:read");
    const after = await client.refreshTokenGrant(config, before.refresh_token as string);
    expect(after.scope).toBe("odoo:read odoo:write");
    expect(await scopeOf(after.access_token)).toBe("odoo:read odoo:write");
    const again = await client.refreshTokenGrant(config, after.refresh_token as string, { scope: "odoo:write" });
    expect(await scopeOf(again.access_token)).toBe("odoo:write");
  });

  it("does not offer a person Odoo does not let write to let an app change data, nor accept it forged", async () => {
    const config = await registeredClient("Demo Reader App");
    const page = await newPage();
    const run = await authorize(page, config);
    await signIn(page, "demo", "demo");
    await page.getByRole("button", { name: "Allow" }).click();
    const tokens = await run.finish();

    await page.goto(`${h.url}/account`);
    await signIn(page, "demo", "demo");
    const app = page.locator("ul.apps > li", { has: page.locator(".client", { hasText: "Demo Reader App" }) });
    await app.waitFor();
    expect(await app.getByRole("button", { name: "Let it also change and delete data" }).count()).toBe(0);
    const csrf = (await page.locator('input[name="csrf"]').first().getAttribute("value")) as string;
    const grantId = (await app.getAttribute("data-grant")) as string;
    const forged = await page.request.post(`${h.url}/account/allow-write`, { form: { csrf, grant_id: grantId } });
    expect(forged.status()).toBe(200);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(await scopeOf(refreshed.access_token)).toBe("odoo:read");
  });

  it("refuses to reduce another person's grant, even with a valid session and CSRF token", async () => {
    const config = await registeredClient("Admin Only App");
    const page = await newPage();
    const run = await authorize(page, config);
    await signIn(page, "admin", "admin");
    await page.getByRole("button", { name: "Allow" }).click();
    const tokens = await run.finish();
    const adminGrant = (await client.tokenIntrospection(await mcpIntrospector(h.url), tokens.access_token))
      .grant_id as string;

    await page.goto(`${h.url}/account`);
    await signIn(page, "demo", "demo");
    await page.getByRole("heading", { name: "Connected apps" }).waitFor();
    const csrf = (await page.locator('input[name="csrf"]').first().getAttribute("value")) as string;
    const forged = await page.request.post(`${h.url}/account/read-only`, { form: { csrf, grant_id: adminGrant } });
    expect(forged.status()).toBe(200);
    expect(await scopeOf(tokens.access_token)).toBe("odoo:read odoo:write");
  });
});
