/**
 * Every page a person sees (sign-in, sign-in after a wrong password, consent, /account, /admin, the error
 * page, the sign-out page), in Chromium at a desktop's width (1280 px) and a phone's (390 px), in English
 * and Spanish. Screenshots are kept for people to look at; the assertions read element boxes: nothing is
 * wider than the window, and no text lies over other text. Then what issue 26 found wrong, one by one: the
 * ✓ drawn over each permission, one card per registration of a client that registers again, /admin's
 * order and words, "Deny" on the sign-in page, the cursor after a wrong password, app names nobody
 * verified, error pages that showed raw OAuth codes and never named the refused address.
 */
import { ADMIN_TOKEN, type AuthHarness, MCP_RESOURCE, startAuth } from "@odoo-mcp/testkit/auth";
import { launchChromium, screenshotPath } from "@odoo-mcp/testkit/chromium";
import { chatgptClient, client, codeFlow, discover, exchange, mcpIntrospector } from "@odoo-mcp/testkit/oauth";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** mcp-remote's callback: every new mcp-remote folder registers again with it. */
const PROXY_REDIRECT = "http://127.0.0.1:33418/oauth/callback";
const DEMO_REDIRECT = "https://demo.example/oauth/callback";
const REFUSED_REDIRECT = "https://not-registered.example/steal";
const CIMD_ID = "https://mcp-client.example.com/oauth/client.json";
const CIMD_REDIRECT = "https://mcp-client.example.com/oauth/callback";

/** The metadata document host, served from memory (oidc-provider fetches with its SSRF-safe dispatcher otherwise). */
const documentFetch: typeof fetch = async (input) =>
  String(input instanceof Request ? input.url : input) === CIMD_ID
    ? Response.json({
        client_id: CIMD_ID,
        client_name: "Example MCP Client",
        redirect_uris: [CIMD_REDIRECT],
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
      })
    : new Response("not found", { status: 404 });

let h: AuthHarness;
let browser: Browser;
/** The three registrations of "MCP CLI Proxy" and the tokens each got: admin's by each, demo's by the first. */
let proxyIds: string[];
let proxyTokens: string[];
let demoProxyToken: string;
let chatgptToken: string;
let demoAppId: string;

async function register(name: string, redirect: string): Promise<string> {
  const response = await fetch(`${h.url}/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: name, redirect_uris: [redirect], token_endpoint_auth_method: "none" }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { client_id: string }).client_id;
}

/** An app connected as a person: sign-in, consent, code exchange; its access token. */
async function connect(clientId: string, redirectUri: string, login: string, password: string, scope?: string) {
  const config = await discover(h.url, clientId);
  const flow = await codeFlow(config, { redirectUri, login, password, ...(scope ? { scope } : {}) });
  return (await exchange(config, flow)).access_token;
}

const active = async (token: string) => (await client.tokenIntrospection(await mcpIntrospector(h.url), token)).active;

beforeAll(async () => {
  h = await startAuth({ metadataDocumentFetch: documentFetch });
  browser = await launchChromium();
  const chatgpt = await chatgptClient(h.url, await h.chatgptSecret());
  chatgptToken = (await exchange(chatgpt, await codeFlow(chatgpt, { login: "admin", password: "admin" }))).access_token;
  // mcp-remote run from three folders: three registrations, same name, same callback.
  proxyIds = [];
  proxyTokens = [];
  for (let run = 0; run < 3; run++) {
    const id = await register("MCP CLI Proxy", PROXY_REDIRECT);
    proxyIds.push(id);
    proxyTokens.push(await connect(id, PROXY_REDIRECT, "admin", "admin"));
  }
  demoProxyToken = await connect(proxyIds[0] as string, PROXY_REDIRECT, "demo", "demo", "odoo:read");
  // Anyone may register any name.
  demoAppId = await register("ChatGPT (demo)", DEMO_REDIRECT);
  await connect(demoAppId, DEMO_REDIRECT, "admin", "admin");
  await connect(CIMD_ID, CIMD_REDIRECT, "admin", "admin");
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

interface LayoutReport {
  viewport: number;
  scrollWidth: number;
  /** Text-bearing elements reaching past the window's sides. */
  outside: string[];
  /** Pairs of text-bearing elements, neither inside the other, whose boxes overlap. */
  overlaps: string[];
}

/**
 * Reads the page's boxes: the document's width against the window's, and every visible element with
 * text of its own (or a form control) against every other one. An element inside another is not an
 * overlap (a paragraph holds its link); a shared edge (under a pixel) is not either.
 * (The functions run in the page; they reach its document through the root element, since the tests
 * compile without the DOM's types.)
 */
function readLayout(page: Page): Promise<LayoutReport> {
  return page.locator("html").evaluate((root) => {
    const document = root.ownerDocument;
    const window = document.defaultView;
    const viewport: number = root.clientWidth;
    const bearers = [...document.body.querySelectorAll("*")].filter((element) => {
      const style = window.getComputedStyle(element);
      const box = element.getBoundingClientRect();
      if (style.visibility === "hidden" || style.display === "none" || box.width === 0 || box.height === 0)
        return false;
      if (element.matches("input:not([type=hidden]), button, select, textarea")) return true;
      return [...element.childNodes].some(
        (node) => node.nodeType === window.Node.TEXT_NODE && node.textContent?.trim(),
      );
    });
    const boxes = bearers.map((element) => ({
      element,
      box: element.getBoundingClientRect(),
      label: `<${element.tagName.toLowerCase()}> "${(element.textContent || element.value || "").trim().slice(0, 40)}"`,
    }));
    const outside = boxes
      .filter(({ box }) => box.left < -0.5 || box.right > viewport + 0.5)
      .map(({ label, box }) => `${label} spans ${Math.round(box.left)}–${Math.round(box.right)}`);
    const overlaps: string[] = [];
    for (const [index, a] of boxes.entries()) {
      for (const b of boxes.slice(index + 1)) {
        if (a.element.contains(b.element) || b.element.contains(a.element)) continue;
        const width = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
        const height = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
        if (width > 1 && height > 1) overlaps.push(`${a.label} × ${b.label}`);
      }
    }
    return { viewport, scrollWidth: root.scrollWidth as number, outside, overlaps };
  });
}

/** Keeps a screenshot and asserts the page fits its window with no text over other text. */
async function expectTidy(page: Page, name: string) {
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
  const layout = await readLayout(page);
  expect(layout.scrollWidth, `${name}: no horizontal overflow`).toBeLessThanOrEqual(layout.viewport);
  expect(layout.outside, `${name}: text inside the window`).toEqual([]);
  expect(layout.overlaps, `${name}: no overlapping text`).toEqual([]);
}

/**
 * The permissions listed with a ✓ (drawn by CSS before each item): where each ✓ ends and where the
 * item's text starts; the ✓ must end before its text begins.
 */
function ticksAndTexts(page: Page): Promise<{ tickEnd: number; textStart: number; tickWidth: number }[]> {
  return page.locator("ul.scopes > li[data-scope]:not(.choice)").evaluateAll((items) =>
    items.map((item) => {
      const document = item.ownerDocument;
      const tick = document.defaultView.getComputedStyle(item, "::before");
      const probe = document.createElement("span");
      probe.textContent = tick.content.replace(/^"|"$/g, "");
      probe.style.font = tick.font;
      probe.style.position = "absolute";
      document.body.append(probe);
      const tickWidth = probe.getBoundingClientRect().width;
      probe.remove();
      const text = document.createRange();
      text.selectNodeContents(item);
      const tickLeft = item.getBoundingClientRect().left + Number.parseFloat(tick.left);
      return { tickEnd: tickLeft + tickWidth, textStart: text.getClientRects()[0]?.left ?? 0, tickWidth };
    }),
  );
}

const VIEWS = [
  { lang: "en", locale: "en-US", width: 1280 },
  { lang: "en", locale: "en-US", width: 390 },
  { lang: "es", locale: "es-ES", width: 1280 },
  { lang: "es", locale: "es-ES", width: 390 },
] as const;

const WORDS = {
  en: {
    signIn: "Sign in",
    cancel: "Cancel",
    login: "Login or email",
    password: "Password or API key",
    consent: "Allow ChatGPT (demo) to use your Odoo account?",
    rejected: "did not work",
    unverified: "unverified",
    apps: "Connected apps",
    registeredItself: "registered itself",
    admin: "odoo-mcp administration",
    adminToken: "Admin token",
    openWithToken: "Open with the admin token",
    clients: "Clients",
    errorTitle: "Something went wrong",
    refused: "has not registered here",
    signOut: "Sign out of odoo-mcp?",
  },
  es: {
    signIn: "Iniciar sesión",
    cancel: "Cancelar",
    login: "Usuario o correo electrónico",
    password: "Contraseña o clave API",
    consent: "¿Permitir que ChatGPT (demo) use tu cuenta de Odoo?",
    rejected: "no han funcionado",
    unverified: "sin verificar",
    apps: "Aplicaciones conectadas",
    registeredItself: "se registró sola",
    admin: "Administración de odoo-mcp",
    adminToken: "Token de administración",
    openWithToken: "Entrar con el token de administración",
    clients: "Clientes",
    errorTitle: "Algo ha fallado",
    refused: "no ha registrado aquí",
    signOut: "¿Cerrar sesión en odoo-mcp?",
  },
} as const;

describe.each(VIEWS)("every page at $width px in $lang", ({ lang, locale, width }) => {
  const words = WORDS[lang];
  const shot = (name: string) => `pages-${name}-${lang}-${width}`;
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await browser.newContext({
      viewport: { width, height: 900 },
      locale,
      extraHTTPHeaders: { "accept-language": locale },
    });
    page = await context.newPage();
  });
  afterAll(() => context?.close());

  it("sign-in: Cancel, the app's name marked unverified; after a wrong password the cursor is in the password field", async () => {
    const config = await discover(h.url, demoAppId);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: DEMO_REDIRECT,
      scope: "odoo:read odoo:write",
      resource: MCP_RESOURCE,
      // Consent is remembered from the app's first connection: asked again, as a client may.
      prompt: "consent",
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: "S256",
      state: client.randomState(),
    });
    await page.goto(url.href);
    await page.getByRole("button", { name: words.signIn }).waitFor();
    expect(await page.getByRole("button", { name: words.cancel, exact: true }).count()).toBe(1);
    expect(await page.getByRole("button", { name: /Deny|Denegar/ }).count()).toBe(0);
    expect(await page.locator('[data-vouched="nobody"]').textContent()).toContain(words.unverified);
    await expectTidy(page, shot("sign-in"));

    await page.getByLabel(words.login).fill("admin");
    await page.getByLabel(words.password).fill("not-the-password");
    await page.getByRole("button", { name: words.signIn }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain(words.rejected);
    expect(await page.getByLabel(words.login).inputValue()).toBe("admin");
    expect(await page.getByLabel(words.password).evaluate((input) => input === input.ownerDocument.activeElement)).toBe(
      true,
    );
    await expectTidy(page, shot("sign-in-error"));

    // The cursor is where the person types next: the password alone completes the sign-in.
    await page.keyboard.type("admin");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: words.consent }).waitFor();
    expect(await page.locator('.app [data-vouched="nobody"]').count()).toBe(1);
    await expectTidy(page, shot("consent"));
  });

  it("/account: one card per app however often it registered, each ✓ beside its permission, not over it", async () => {
    await page.goto(`${h.url}/account`);
    await page.getByLabel(words.login).fill("admin");
    await page.getByLabel(words.password).fill("admin");
    await page.getByRole("button", { name: words.signIn }).click();
    await page.getByRole("heading", { name: words.apps }).waitFor();
    const cards = page.locator("ul.apps > li");
    const names = await cards.locator(".client").allTextContents();
    expect(names.sort()).toEqual(["ChatGPT", "ChatGPT (demo)", "Example MCP Client", "MCP CLI Proxy"]);
    const proxy = cards.filter({ has: page.locator(".client", { hasText: "MCP CLI Proxy" }) });
    expect(await proxy.locator("[data-registrations]").getAttribute("data-registrations")).toBe("3");
    // Who stands behind each name: the app itself (unverified), a verified address, the operator.
    const mark = (name: string) =>
      cards.filter({ has: page.locator(".client", { hasText: name }) }).locator("[data-vouched]");
    expect(await mark("ChatGPT (demo)").getAttribute("data-vouched")).toBe("nobody");
    expect(await mark("Example MCP Client").textContent()).toContain("mcp-client.example.com");
    expect(
      await cards
        .filter({ has: page.locator(".client", { hasText: /^ChatGPT$/ }) })
        .locator("[data-vouched]")
        .count(),
    ).toBe(0);

    const ticks = await ticksAndTexts(page);
    expect(ticks.length).toBeGreaterThanOrEqual(8);
    for (const { tickEnd, textStart, tickWidth } of ticks) {
      expect(tickWidth).toBeGreaterThan(0);
      expect(textStart).toBeGreaterThanOrEqual(tickEnd);
    }
    await expectTidy(page, shot("account"));
  });

  it("/admin: fits the window, apps sorted by name, one row and one Revoke per app, no jargon", async () => {
    await page.goto(`${h.url}/admin`);
    await page.getByLabel(words.adminToken).fill(ADMIN_TOKEN);
    await page.getByRole("button", { name: words.openWithToken }).click();
    await page.getByRole("heading", { name: words.clients }).waitFor();
    const rows = page.locator("tr[data-client]");
    const names = await rows.locator(".client").allTextContents();
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    const proxy = rows.filter({ has: page.locator(".client", { hasText: "MCP CLI Proxy" }) });
    expect(await proxy.count()).toBe(1);
    expect(await proxy.getAttribute("data-registrations")).toBe("3");
    expect(await proxy.locator("[data-grants]").textContent()).toBe("4");
    expect(await proxy.textContent()).toContain(words.registeredItself);
    expect(await proxy.locator('[data-vouched="nobody"]').count()).toBe(1);
    expect(await page.locator("body").textContent()).not.toContain("RFC");
    // One action per app, within reach: on the phone too, each Revoke lies inside the window.
    for (const row of await rows.all()) expect(await row.getByRole("button").count()).toBeLessThanOrEqual(1);
    const revoke = proxy.getByRole("button");
    const box = await revoke.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= width).toBe(true);
    // A client id is cut to fit; the whole id stays in its title.
    const shownId = proxy.locator("code").first();
    expect(proxyIds).toContain(await shownId.getAttribute("title"));
    expect(((await shownId.textContent()) as string).length).toBeLessThanOrEqual(22);
    await expectTidy(page, shot("admin"));
  });

  it("error page: a sentence in the person's language naming the refused address; the code only as small print", async () => {
    const config = await discover(h.url, demoAppId);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REFUSED_REDIRECT,
      scope: "odoo:read",
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: "S256",
    });
    const response = await page.goto(url.href);
    expect(response?.status()).toBe(400);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(words.errorTitle);
    const alert = (await page.getByRole("alert").textContent()) as string;
    expect(alert).toContain(REFUSED_REDIRECT);
    expect(alert).toContain(words.refused);
    expect(alert).not.toContain("invalid_redirect_uri");
    expect(await page.locator("small.detail code").textContent()).toBe("invalid_redirect_uri");
    await expectTidy(page, shot("error"));
  });

  it("sign-out page: asks first, and marks the unverified name of the app that asks", async () => {
    await page.goto(`${h.url}/oauth/logout?${new URLSearchParams({ client_id: demoAppId })}`);
    await page.getByRole("heading", { name: words.signOut }).waitFor();
    expect(await page.locator('[data-vouched="nobody"]').count()).toBe(1);
    await expectTidy(page, shot("sign-out"));
  });
});

describe("one app, however often it registered", () => {
  it("/account: Revoke on the app ends the grants of all its registrations, and only the person's", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${h.url}/account`);
      await page.getByLabel("Login or email").fill("admin");
      await page.getByLabel("Password or API key").fill("admin");
      await page.getByRole("button", { name: "Sign in" }).click();
      const proxy = page.locator("ul.apps > li").filter({ has: page.locator(".client", { hasText: "MCP CLI Proxy" }) });
      await proxy.getByRole("button", { name: "Revoke" }).click();
      await expect(page.getByRole("status").textContent()).resolves.toContain("MCP CLI Proxy can no longer use");
      expect(await proxy.count()).toBe(0);
      expect(await Promise.all(proxyTokens.map(active))).toEqual([false, false, false]);
      expect(await active(chatgptToken)).toBe(true);
      expect(await active(demoProxyToken)).toBe(true);
    } finally {
      await context.close();
    }
  });

  it("/admin: Revoke on the app ends every grant of every registration and unregisters them all", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${h.url}/admin`);
      await page.getByLabel("Admin token").fill(ADMIN_TOKEN);
      await page.getByRole("button", { name: "Open with the admin token" }).click();
      const proxy = page
        .locator("tr[data-client]")
        .filter({ has: page.locator(".client", { hasText: "MCP CLI Proxy" }) });
      await proxy.getByRole("button", { name: "Revoke", exact: true }).click();
      await expect(page.getByRole("status").textContent()).resolves.toContain("1 grant revoked");
      expect(await proxy.count()).toBe(0);
      expect(await active(demoProxyToken)).toBe(false);
      for (const id of proxyIds) expect(await h.storage.adapter("Client").find(id)).toBeUndefined();
      expect(await active(chatgptToken)).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe("after a wrong password on /account and /admin", () => {
  it("keeps the login and puts the cursor in the password field", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      for (const path of ["/account", "/admin"]) {
        await page.goto(`${h.url}${path}`);
        await page.getByLabel("Login or email").fill("demo");
        await page.getByLabel("Password or API key").fill("not-the-password");
        await page.getByRole("button", { name: "Sign in" }).click();
        await expect(page.getByRole("alert").textContent()).resolves.toContain("did not work");
        expect(await page.getByLabel("Login or email").inputValue()).toBe("demo");
        const password = page.getByLabel("Password or API key");
        expect(await password.evaluate((input) => input === input.ownerDocument.activeElement), path).toBe(true);
      }
    } finally {
      await context.close();
    }
  });
});
