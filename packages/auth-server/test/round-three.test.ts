/**
 * Security review, round three: each attack reproduced against the real authorization server, and shown
 * to fail. Refresh rotation and token storage, which run on every storage engine, are in
 * token-storage.test.ts.
 */
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { ADMIN_TOKEN, type AuthHarness, MCP_CLIENT, startAuth, tempSqlitePath } from "@odoo-mcp/testkit/auth";
import { FormBrowser, postSignInForms } from "@odoo-mcp/testkit/browser";
import { CHATGPT_REDIRECT, chatgptClient, client, codeFlow, exchange } from "@odoo-mcp/testkit/oauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressKey } from "../src/throttle.js";

/** A server that takes the client's address from `X-Forwarded-For`, so one test speaks from many. */
let h: AuthHarness;
beforeAll(async () => {
  h = await startAuth({ env: { TRUST_PROXY: "true" } });
});
afterAll(() => h.close());

const from = (address: string) => ({ "x-forwarded-for": address });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the auth server's own entry point until it exits or writes `until` (20 s at most); answers what it printed. */
function runAuthServer(env: Record<string, string>, until?: string) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "packages/auth-server/src/main.ts"], {
      env: { ...process.env, AUTH_PORT: "0", AUTH_SQLITE_PATH: tempSqlitePath(), ...env },
    });
    let [stdout, stderr] = ["", ""];
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (until && stdout.includes(until)) child.kill("SIGTERM");
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("exit", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe("configuration errors keep keys and passwords to themselves (item 10)", () => {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" });
  const privateMembers = [jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi] as string[];

  it("names what is wrong with a malformed AUTH_JWKS in one line, without any key material", async () => {
    for (const keys of [
      // oidc-provider refuses a key missing members by attaching the whole key, private members included.
      [{ kty: "RSA", n: jwk.n, e: jwk.e, d: jwk.d, p: jwk.p, q: jwk.q }],
      [{ ...jwk, n: "AQAB" }],
      [{ kty: "oct", k: jwk.d }],
      [jwk.d],
    ]) {
      const { status, stderr } = await runAuthServer({
        AUTH_JWKS: JSON.stringify({ keys }),
        ODOO_URL: "http://admin:hunter2-in-odoo-url@127.0.0.1:1",
      });
      expect(status).toBe(78);
      const lines = stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^auth-server: configuration error: AUTH_JWKS: (key 1|expected)/);
      for (const secret of [...privateMembers, "hunter2"]) expect(stderr).not.toContain(secret.slice(0, 16));
    }
  }, 60_000);

  it("never shows the password of a URL with user:pass@, neither refused nor in the logs", async () => {
    const refused = await runAuthServer({ AUTH_ISSUER: "https://operator:hunter2-in-issuer@auth.example.com/x" });
    expect(refused.status).toBe(78);
    expect(refused.stderr.trim()).toBe(
      'auth-server: configuration error: AUTH_ISSUER: expected the public origin with no path, e.g. https://auth.example.com (got "https://***@auth.example.com/x")',
    );
    const started = await runAuthServer(
      { ODOO_URL: "http://admin:hunter2-in-odoo-url@127.0.0.1:1", LOG_LEVEL: "debug" },
      "auth_server_started",
    );
    expect(started.stdout).toContain('"odoo":"http://***@127.0.0.1:1"');
    expect(started.stdout + started.stderr).not.toContain("hunter2");
  }, 60_000);
});

describe("dynamic registration cannot be filled from one network (item 5)", () => {
  const register = (base: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/oauth/register`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ redirect_uris: ["http://127.0.0.1:8976/callback"], token_endpoint_auth_method: "none" }),
    });

  it("keys every per-address limit by the IPv4 address or the IPv6 /64", () => {
    expect(addressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0DB8:0001:0002:ffff:1:2:3")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressKey("2001:db8:1:2::192.0.2.1")).toBe("2001:db8:1:2::/64");
  });

  it("counts an IPv6 client by its /64: fresh addresses in the same network get no more registrations", async () => {
    const local = await startAuth({ env: { TRUST_PROXY: "true", REGISTRATION_RATE_LIMIT: "2" }, sim: h.sim });
    try {
      const statuses: number[] = [];
      for (const address of ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3", "2001:db8:1:2:a:b:c:d"])
        statuses.push((await register(local.url, from(address))).status);
      expect(statuses).toEqual([201, 201, 429, 429]);
      // Another network is another client.
      expect((await register(local.url, from("2001:db8:1:3::1"))).status).toBe(201);
    } finally {
      await local.close();
    }
  });

  it("deletes clients that never got a token after DCR_UNUSED_CLIENT_TTL, so a filled cap frees itself; used clients stay", async () => {
    const local = await startAuth({ env: { DCR_MAX_CLIENTS: "2", DCR_UNUSED_CLIENT_TTL: "5s" }, sim: h.sim });
    try {
      // A real client registers and gets its tokens.
      const real = await client.dynamicClientRegistration(
        new URL(local.url),
        { redirect_uris: ["http://127.0.0.1:1/callback"], token_endpoint_auth_method: "none" },
        client.None(),
        { execute: [client.allowInsecureRequests] },
      );
      expect(
        (await exchange(real, await codeFlow(real, { redirectUri: "http://127.0.0.1:1/callback" }))).access_token,
      ).toBeTruthy();
      // Someone fills the cap with clients that never get a token; the next client is refused.
      expect((await register(local.url)).status).toBe(201);
      expect((await register(local.url)).status).toBe(503);
      await sleep(5200);
      expect((await register(local.url)).status).toBe(201);
      expect(await local.auth.provider.Client.find(real.clientMetadata().client_id)).toBeDefined();
    } finally {
      await local.close();
    }
  }, 30_000);
});

describe("the sign-in lockout cannot be turned against the person (item 14)", () => {
  const wrong = (count: number, login = "demo") =>
    Array.from({ length: count }, (_, index) => ({ login, password: `wrong-${index}` }));

  it("an attacker from one address cannot lock out the person signing in from another", async () => {
    const attacker = from("203.0.113.7");
    expect(await postSignInForms(h.url, "/account", "/login", wrong(8), attacker)).toEqual(
      expect.arrayContaining([401, 429]),
    );
    const [person] = await postSignInForms(
      h.url,
      "/account",
      "/login",
      [{ login: "demo", password: "demo" }],
      from("198.51.100.20"),
    );
    expect(person).toBe(303); // signed in, sent to the connected-apps page
  });

  it("still stops guessing: five tries per login from an address, an IPv6 /64 counting as one address", async () => {
    const statuses: number[] = [];
    for (let index = 1; index <= 7; index++) {
      statuses.push(
        ...(await postSignInForms(h.url, "/account", "/login", wrong(1, "admin"), from(`2001:db8:9:9::${index}`))),
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // The right password waits too, from anywhere in that network.
    const [right] = await postSignInForms(
      h.url,
      "/account",
      "/login",
      [{ login: "admin", password: "admin" }],
      from("2001:db8:9:9:1234::1"),
    );
    expect(right).toBe(429);
  });

  it("Odoo's own cooldown pauses the guesser's address, not every sign-in this server makes (real-Odoo check)", async () => {
    const guesser = from("203.0.113.60");
    // Ten failures reach Odoo from one address, within this server's budget (five per login from an address).
    expect(
      await postSignInForms(h.url, "/account", "/login", [...wrong(5, "demo"), ...wrong(5, "admin")], guesser),
    ).toEqual(Array(10).fill(401));
    // Odoo now refuses that address for 60 s (it knows it: the sign-in forwards it); the page says so.
    const browser = new FormBrowser();
    const form = await (await browser.request(`${h.url}/account`, { headers: guesser })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(form)?.[1] as string;
    const paused = await browser.request(`${h.url}/account/login`, {
      method: "POST",
      headers: { ...guesser, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf, login: "former", password: "former" }).toString(),
    });
    expect(paused.status).toBe(429);
    expect(paused.headers.get("retry-after")).toBe("60");
    expect(await paused.text()).toContain("Odoo is pausing sign-ins from your network");
    // Everyone else signs in: Odoo counted the guesser's address, not this server's.
    const [person] = await postSignInForms(
      h.url,
      "/account",
      "/login",
      [{ login: "demo", password: "demo" }],
      from("198.51.100.21"),
    );
    expect(person).toBe(303);
  });

  it("answers a malformed Basic header on /oauth/revocations with 401 invalid_client, not 500", async () => {
    const basic = (text: string) => `Basic ${Buffer.from(text).toString("base64")}`;
    for (const authorization of [
      basic(`${MCP_CLIENT.id}:%E0%A4%A`), // a broken percent escape
      basic("%zz:%"),
      basic("no-colon-at-all"),
      "Basic ***",
      "Bearer something",
    ]) {
      const response = await fetch(`${h.url}/oauth/revocations`, { headers: { authorization } });
      expect(response.status, authorization).toBe(401);
      expect(await response.json()).toMatchObject({ error: "invalid_client" });
      expect(response.headers.get("www-authenticate")).toContain("Basic");
    }
  });
});

describe("authorization requests cannot fill the storage (item 4)", () => {
  /** The query of a valid authorization request of the ChatGPT client. */
  async function authorizationUrl(base: string, extra: Record<string, string> = {}) {
    const config = await chatgptClient(base, await h.chatgptSecret());
    return client.buildAuthorizationUrl(config, {
      redirect_uri: CHATGPT_REDIRECT,
      scope: "odoo:read",
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: "S256",
      ...extra,
    });
  }
  const interactions = async () => (await h.storage.list("Interaction")).length;

  it("answers /oauth/authorize past the per-address limit with 429 and Retry-After, storing nothing more", async () => {
    const url = await authorizationUrl(h.url);
    const before = await interactions();
    const attacker = from("2001:db8:4:4::1");
    const statuses: number[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, index) => {
          // Any spelling oidc-provider routes there, and any address of the same /64.
          const path = index % 2 ? "/OAUTH/Authorize/" : "/oauth/authorize";
          return fetch(`${h.url}${path}${url.search}`, {
            redirect: "manual",
            headers: from(`2001:db8:4:4::${batch}:${index}`),
          });
        }),
      );
      for (const response of responses) {
        statuses.push(response.status);
        await response.body?.cancel();
      }
    }
    expect(statuses.filter((status) => status === 303)).toHaveLength(60);
    expect(statuses.filter((status) => status === 429)).toHaveLength(40);
    expect((await interactions()) - before).toBe(60);
    const refused = await fetch(url, { redirect: "manual", headers: attacker });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.text()).toContain("temporarily_unavailable");
    // Someone else is served.
    const other = await fetch(url, { redirect: "manual", headers: from("198.51.100.44") });
    expect(other.status).toBe(303);
    expect(other.headers.get("location")).toMatch(/^\/interaction\//);
  });

  it("answers /oauth/par past the per-address limit with 429 temporarily_unavailable and Retry-After", async () => {
    const secret = await h.chatgptSecret();
    const push = (address: string) =>
      fetch(`${h.url}/oauth/par`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...from(address) },
        body: new URLSearchParams({
          client_id: "chatgpt-odoo-mcp",
          client_secret: secret,
          response_type: "code",
          redirect_uri: CHATGPT_REDIRECT,
          scope: "odoo:read",
          code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
          code_challenge_method: "S256",
        }).toString(),
      });
    const statuses: number[] = [];
    for (let index = 0; index < 61; index++) {
      const response = await push("203.0.113.60");
      statuses.push(response.status);
      if (index < 60) await response.body?.cancel();
      else {
        expect(await response.json()).toMatchObject({ error: "temporarily_unavailable" });
        expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      }
    }
    expect(statuses.slice(0, 60).every((status) => status === 201)).toBe(true);
    expect(statuses[60]).toBe(429);
    expect((await push("203.0.113.61")).status).toBe(201);
  });

  it("refuses oversized parameters before storing anything: 414 at /oauth/authorize, 413 at /oauth/par", async () => {
    const before = await interactions();
    const huge = await authorizationUrl(h.url, { state: "x".repeat(5000) });
    const page = await fetch(huge, { redirect: "manual", headers: from("203.0.113.70") });
    expect(page.status).toBe(414);
    expect(await page.text()).toContain("invalid_request");
    expect(await interactions()).toBe(before);
    const pushed = await fetch(`${h.url}/oauth/par`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...from("203.0.113.70") },
      body: new URLSearchParams({ client_id: "chatgpt-odoo-mcp", state: "x".repeat(5000) }).toString(),
    });
    expect(pushed.status).toBe(413);
    expect(await pushed.json()).toMatchObject({ error: "invalid_request" });
  });

  it("keeps a request that never reaches sign-in for 10 minutes, not an hour", async () => {
    const response = await fetch(await authorizationUrl(h.url), { redirect: "manual", headers: from("203.0.113.80") });
    const uid = String(response.headers.get("location")).split("/").pop() as string;
    const stored = await h.storage.adapter("Interaction").find(uid);
    expect((stored?.exp as number) - (stored?.iat as number)).toBe(600);
    // A whole authorization still goes through.
    const config = await chatgptClient(h.url, await h.chatgptSecret());
    expect((await exchange(config, await codeFlow(config))).access_token).toBeTruthy();
  });
});

describe("/account and /admin sessions end on the server at sign-out (item 16)", () => {
  const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] as string;

  /** A browser signed in to a page: with the password form (/account) or the admin token (/admin). */
  async function signedIn(page: "/account" | "/admin", browser = new FormBrowser()) {
    const csrf = csrfOf(await (await browser.request(`${h.url}${page}`)).text());
    const fields: Record<string, string> =
      page === "/account" ? { login: "demo", password: "demo" } : { token: ADMIN_TOKEN };
    const response = await browser.postForm(`${h.url}${page}/${page === "/account" ? "login" : "token"}`, {
      csrf,
      ...fields,
    });
    expect(response.status).toBe(303);
    const html = await (await browser.request(`${h.url}${page}`)).text();
    expect(html).toContain(`action="${page}/logout"`);
    return { browser, csrf: csrfOf(html) };
  }

  /** Someone else's browser holding a copy of the cookies. */
  function copyOf(browser: FormBrowser): FormBrowser {
    const thief = new FormBrowser();
    for (const [name, value] of browser.cookies) thief.cookies.set(name, value);
    return thief;
  }

  for (const page of ["/account", "/admin"] as const) {
    it(`${page}: a session cookie copied before sign-out is refused after it`, async () => {
      const { browser, csrf } = await signedIn(page);
      const thief = copyOf(browser);
      expect(await (await thief.request(`${h.url}${page}`)).text()).toContain(`action="${page}/logout"`);
      expect((await browser.postForm(`${h.url}${page}/logout`, { csrf })).status).toBe(303);
      // The copy now gets the sign-in form, and its forms are turned away.
      const replayed = await (await thief.request(`${h.url}${page}`)).text();
      expect(replayed).not.toContain(`action="${page}/logout"`);
      expect(replayed).toContain(`action="${page}/login"`);
      const form = await thief.postForm(`${h.url}${page}/${page === "/account" ? "revoke" : "revoke-all"}`, {
        csrf,
        grant_id: "any",
      });
      expect(form.status).toBe(303);
      expect(form.headers.get("location")).toBe(page);
    });
  }

  it("/oauth/logout ends the person's /account session too", async () => {
    const { browser } = await signedIn("/account");
    const config = await chatgptClient(h.url, await h.chatgptSecret());
    await codeFlow(config, { browser, login: "demo", password: "demo" });
    const thief = copyOf(browser);
    expect(await (await thief.request(`${h.url}/account`)).text()).toContain('action="/account/logout"');
    const page = await (await browser.request(`${h.url}/oauth/logout`)).text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1] as string;
    expect((await browser.postForm(`${h.url}/oauth/logout/confirm`, { xsrf, logout: "yes" })).status).toBe(303);
    expect(await (await thief.request(`${h.url}/account`)).text()).not.toContain('action="/account/logout"');
  });
});
