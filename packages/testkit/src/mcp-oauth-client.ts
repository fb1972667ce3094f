/**
 * An MCP client application's side of OAuth for the official SDK client: its OAuth state as a desktop app
 * keeps it, the loopback page its authorization redirects land on, and a suite's whole setup (the system,
 * a person's Chromium, that page).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { OAuthClientProvider, OAuthDiscoveryState } from "@modelcontextprotocol/sdk/client/auth.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium } from "./chromium.js";
import { startTestSystem, type TestSystem } from "./system.js";

/** The page a browser lands on after an authorization: it reads "Signed in. You can close this window." */
export const SIGNED_IN_HEADING = "Signed in. You can close this window.";

export type LoopbackCallback = Awaited<ReturnType<typeof loopbackCallback>>;

/** A loopback redirect URI that records the authorization codes it receives. */
export async function loopbackCallback() {
  const codes: string[] = [];
  const server = createServer((request, response) => {
    const code = new URL(request.url ?? "/", "http://127.0.0.1").searchParams.get("code");
    if (code) codes.push(code);
    response.writeHead(200, { "content-type": "text/html" }).end(`<h1>${SIGNED_IN_HEADING}</h1>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`,
    codes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface AppOptions {
  clientName?: string;
  /** What the app registers; without `refresh_token` it gets no refresh tokens and authorizes again instead. */
  grantTypes?: string[];
}

/** The SDK's OAuthClientProvider as an app implements it: the browser part is left to the test. */
export class AppOAuthProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = "";
  discovery?: OAuthDiscoveryState;
  /** Each authorization URL the SDK asked the app to open, in order. */
  authorizationUrls: URL[] = [];
  /** Tokens saved after the first ones: refreshes, in a run that does not authorize again. */
  refreshes = 0;

  constructor(
    readonly callback: string,
    readonly options: AppOptions = {},
  ) {}

  get redirectUrl() {
    return this.callback;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.options.clientName ?? "E2E MCP Client",
      redirect_uris: [this.callback],
      grant_types: this.options.grantTypes ?? ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    if (this.saved) this.refreshes++;
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrls.push(url);
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
}

/** The consent page's choice to let the app change data (English pages). */
export const writeChoice = (page: Page) =>
  page.getByRole("checkbox", { name: "Create, change and delete Odoo records" });

/**
 * The person's part of one authorization in their browser (English pages): open the URL, sign in as
 * `admin` when the page asks, `decide` on the consent page, then Allow. Waiting for where the browser
 * lands is the caller's: each app has its own callback.
 */
export async function personAllows(page: Page, url: URL, decide: (page: Page) => Promise<void> = async () => {}) {
  await page.goto(url.href);
  if (await page.getByLabel("Password or API key").count()) {
    await page.getByLabel("Login or email").fill("admin");
    await page.getByLabel("Password or API key").fill("admin");
    await page.getByRole("button", { name: "Sign in" }).click();
  }
  await page.getByRole("button", { name: "Allow" }).waitFor();
  await decide(page);
  await page.getByRole("button", { name: "Allow" }).click();
}

/** For the calling suite: the system as `pnpm start` runs it (with `env`), Chromium, and a loopback callback. */
export function useSdkAppSuite(env: Record<string, string> = {}): {
  readonly system: TestSystem;
  readonly browser: Browser;
  readonly callback: LoopbackCallback;
} {
  const suite = {} as { system: TestSystem; browser: Browser; callback: LoopbackCallback };
  beforeAll(async () => {
    [suite.system, suite.browser, suite.callback] = await Promise.all([
      startTestSystem(env),
      launchChromium(),
      loopbackCallback(),
    ]);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.callback?.close();
    await suite.system?.close();
  });
  return suite;
}
