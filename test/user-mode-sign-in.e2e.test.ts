/**
 * Signing in under `pnpm start` in user mode, as a person meets it in their first hour (issue 26): a second
 * app allowed in the same browser works like the first; consent offers writing only to people Odoo lets
 * write; with ODOO_PROTOCOL=json2 a password gets no token, the page asks for an API key instead.
 */
import { DEMO_USERS } from "@odoo-mcp/odoo-sim";
import { FormBrowser } from "@odoo-mcp/testkit/browser";
import { launchChromium, screenshotPath } from "@odoo-mcp/testkit/chromium";
import { callTool } from "@odoo-mcp/testkit/mcp";
import { CHATGPT_REDIRECT, chatgptClient, client, codeFlow, discover, exchange } from "@odoo-mcp/testkit/oauth";
import { startTestSystem, type TestSystem } from "@odoo-mcp/testkit/system";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const APP_REDIRECT = "http://127.0.0.1:8977/callback";

/** A tools/call's JSON-RPC result, or the HTTP status when the MCP server refused the request. */
async function toolResult(system: TestSystem, token: string, name: string, args: Record<string, unknown>) {
  const response = await callTool(system.mcpUrl, token, name, args);
  if (!response.ok) return { status: response.status };
  return ((await response.json()) as { result: { isError?: boolean; structuredContent?: unknown } }).result;
}

const countCountries = (system: TestSystem, token: string) =>
  toolResult(system, token, "odoo_count_records", { model: "res.country" });

async function registerApp(system: TestSystem, name: string) {
  const response = await fetch(`${system.issuer}/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: name, redirect_uris: [APP_REDIRECT], token_endpoint_auth_method: "none" }),
  });
  return discover(system.issuer, ((await response.json()) as { client_id: string }).client_id);
}

describe("user mode: a second app in the same browser", () => {
  let system: TestSystem;
  let browser: Browser;
  beforeAll(async () => {
    system = await startTestSystem({ ODOO_AUTH_MODE: "user" });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  it("gets the person's Odoo credentials without a new sign-in, so both apps' MCP calls work", async () => {
    const context = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "accept-language": "en-US" } });
    const landed: URL[] = [];
    for (const pattern of [`${CHATGPT_REDIRECT}**`, "http://127.0.0.1:8977/**"])
      await context.route(pattern, async (route) => {
        landed.push(new URL(route.request().url()));
        await route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Back at the app</h1>" });
      });
    const page = await context.newPage();
    /** One app's authorization in this browser; `signIn` when the sign-in page is expected. */
    const authorize = async (config: client.Configuration, redirectUri: string, signIn: boolean) => {
      const verifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: "odoo:read odoo:write",
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
      });
      await page.goto(url.href);
      if (signIn) await signInAs(page, "admin", "admin");
      await page.getByRole("button", { name: "Allow" }).click();
      await page.getByRole("heading", { name: "Back at the app" }).waitFor();
      return client.authorizationCodeGrant(config, landed.at(-1) as URL, { pkceCodeVerifier: verifier });
    };
    try {
      const chatgpt = await chatgptClient(system.issuer, system.chatgpt.clientSecret);
      const first = await authorize(chatgpt, CHATGPT_REDIRECT, true);
      // The second app: the person is signed in already, so the consent page comes at once.
      const claude = await registerApp(system, "Claude");
      const verifier = client.randomPKCECodeVerifier();
      await page.goto(
        client.buildAuthorizationUrl(claude, {
          redirect_uri: APP_REDIRECT,
          scope: "odoo:read odoo:write",
          code_challenge: await client.calculatePKCECodeChallenge(verifier),
          code_challenge_method: "S256",
        }).href,
      );
      await page.getByRole("heading", { name: "Allow Claude to use your Odoo account?" }).waitFor();
      expect(await page.getByLabel("Password or API key").count()).toBe(0);
      await page.screenshot({ path: screenshotPath("user-mode-second-app-consent"), fullPage: true });
      await page.getByRole("button", { name: "Allow" }).click();
      await page.getByRole("heading", { name: "Back at the app" }).waitFor();
      const second = await client.authorizationCodeGrant(claude, landed.at(-1) as URL, { pkceCodeVerifier: verifier });

      for (const tokens of [first, second])
        expect(await countCountries(system, tokens.access_token)).toMatchObject({
          structuredContent: { model: "res.country", count: 12 },
        });
      // Each grant holds the person's sealed credentials, as the first app's does.
      expect((await system.storage.list("OdooCredential")).length).toBe(2);

      // A browser session that has no credentials kept (one from before they were kept, say): the next
      // app is sent to the sign-in page again instead of being given a token the MCP server refuses.
      for (const { id } of await system.storage.list("OdooSessionCredential"))
        await system.storage.adapter("OdooSessionCredential").destroy(id);
      const third = await authorize(await registerApp(system, "Third App"), APP_REDIRECT, true);
      expect(await countCountries(system, third.access_token)).toMatchObject({
        structuredContent: { model: "res.country", count: 12 },
      });
    } finally {
      await context.close();
    }
  });

  it("offers writing only to people Odoo lets create records, and says why to the others", async () => {
    const demo = await codeFlow(await chatgptClient(system.issuer, system.chatgpt.clientSecret), {
      login: "demo",
      password: "demo",
      resource: null,
    });
    const consent = demo.pages.find((page) => page.kind === "consent")?.html ?? "";
    expect(consent).not.toContain('type="checkbox"');
    expect(consent).toContain("Your Odoo user may not create, change or delete records");
    const config = await chatgptClient(system.issuer, system.chatgpt.clientSecret);
    const tokens = await exchange(config, demo);
    expect(tokens.scope).toBe("odoo:read");
    // A writer is offered writing, ticked (an app of their own: consent is remembered per person and app).
    const admin = await codeFlow(await registerApp(system, "Writer's App"), {
      redirectUri: APP_REDIRECT,
      resource: null,
    });
    expect(admin.pages.find((page) => page.kind === "consent")?.html).toMatch(
      /<input type="checkbox" name="scope" value="odoo:write" checked>/,
    );
  });
});

async function signInAs(page: Page, login: string, password: string) {
  await page.getByLabel(/Login or email|Usuario/).fill(login);
  await page.getByLabel(/Password or API key|Contraseña/).fill(password);
  await page.getByRole("button", { name: /Sign in|Iniciar sesión/ }).click();
}

describe("user mode with ODOO_PROTOCOL=json2 (Odoo 19+: JSON-2 takes API keys only)", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({ ODOO_AUTH_MODE: "user", ODOO_SIM_VERSION: "19.0", ODOO_PROTOCOL: "json2" });
  });
  afterAll(() => system?.close());

  it("issues no token for a password: the page asks for an API key and says where to make one", async () => {
    const config = await chatgptClient(system.issuer, system.chatgpt.clientSecret);
    for (const [language, lead, advice] of [
      ["en", "This server works with Odoo through API keys", "Preferences → Account Security → New API Key"],
      [
        "es",
        "Este servidor trabaja con Odoo mediante claves API",
        "Preferencias → Seguridad de la cuenta → Nueva clave API",
      ],
    ] as const) {
      const failure = (await codeFlow(config, {
        browser: new FormBrowser(language),
        login: "admin",
        password: "admin",
        resource: null,
      }).catch((error: unknown) => error)) as { pages?: { status: number; html: string }[] };
      const [before, after] = failure.pages ?? [];
      // Said before anything is typed, and again, as the error, after a password.
      expect(before?.html).toContain(lead);
      expect(after?.status).toBe(400);
      expect(after?.html).toMatch(/role="alert">[^<]*API/);
      expect(after?.html).toContain(advice);
    }
    expect(system.logs.filter((line) => line.event === "oauth_token_issued")).toHaveLength(0);
    expect(system.logs.some((line) => line.event === "oauth_login_failed" && line.reason === "api_key_required")).toBe(
      true,
    );
  });

  it("signs the person in with their API key, checked over JSON-2, and the MCP calls work", async () => {
    const config = await chatgptClient(system.issuer, system.chatgpt.clientSecret);
    const apiKey = DEMO_USERS.find((user) => user.login === "admin")?.apiKey as string;
    const tokens = await exchange(config, await codeFlow(config, { login: "admin", password: apiKey, resource: null }));
    expect(await countCountries(system, tokens.access_token)).toMatchObject({
      structuredContent: { model: "res.country", count: 12 },
    });
    // Another person's key with this login is refused: JSON-2 names the key's own user.
    const demoKey = DEMO_USERS.find((user) => user.login === "demo")?.apiKey as string;
    const other = (await codeFlow(config, { login: "admin", password: demoKey, resource: null }).catch(
      (error: unknown) => error,
    )) as { pages?: { status: number; html: string }[] };
    expect(other.pages?.at(-1)?.status).toBe(401);
  });
});
