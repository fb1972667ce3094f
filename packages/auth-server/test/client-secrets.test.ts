/**
 * Client secrets are stored as hashes (registered clients and chatgpt-odoo-mcp alike), client
 * authentication still works, plain secrets stored by an earlier version keep working and are rewritten;
 * and a refresh repeated within the grace period answers the rotation already made.
 */

import { tokenDigest } from "@odoo-mcp/shared";
import { ADMIN_TOKEN, type AuthHarness, startAuth, tempSqlitePath } from "@odoo-mcp/testkit/auth";
import { chatgptClient, client, codeFlow, discover, exchange, mcpIntrospector } from "@odoo-mcp/testkit/oauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStorage } from "../src/index.js";

const APP_REDIRECT = "https://app.example.com/cb";

let h: AuthHarness;
beforeAll(async () => {
  h = await startAuth({ env: { REFRESH_TOKEN_REUSE_GRACE: "0" } });
});
afterAll(() => h.close());

/** The ChatGPT client's secret as it was shown once, on the start that created it. */
const createdSecret = (harness: AuthHarness) => harness.auth.created.chatgptSecret as string;

async function register(metadata: Record<string, unknown>, base = h.url) {
  const response = await fetch(`${base}/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(metadata),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function tokenRequest(base: string, body: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(body).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`,
});

/** Everything the storage holds about clients and settings, as text, to look for secrets in. */
async function storedText(harness: AuthHarness) {
  const settings = await Promise.all(
    ["chatgpt_client_secret", "jwks", "cookie_keys"].map((key) => harness.storage.getSetting(key)),
  );
  return JSON.stringify([await harness.storage.list("Client"), settings]);
}

describe("registered clients' secrets", () => {
  it("are stored as hashes; client_secret_basic and client_secret_post still authenticate", async () => {
    for (const method of ["client_secret_basic", "client_secret_post"] as const) {
      const { status, body } = await register({ redirect_uris: [APP_REDIRECT], token_endpoint_auth_method: method });
      expect(status).toBe(201);
      const id = String(body.client_id);
      const secret = String(body.client_secret);
      expect(secret.length).toBeGreaterThanOrEqual(64);

      const stored = (await h.storage.adapter("Client").find(id)) as { client_secret: string };
      expect(stored.client_secret).toMatch(/^sha256:[\w-]{43}$/);
      expect(await storedText(h)).not.toContain(secret);

      const auth =
        method === "client_secret_basic" ? client.ClientSecretBasic(secret) : client.ClientSecretPost(secret);
      const config = await discover(h.url, id, auth);
      const tokens = await exchange(config, await codeFlow(config, { redirectUri: APP_REDIRECT }));
      expect(tokens.access_token).toBeTruthy();
      expect((await client.refreshTokenGrant(config, tokens.refresh_token as string)).access_token).toBeTruthy();

      // A wrong secret, and the stored hash itself, are refused.
      for (const wrong of [`${secret}x`, stored.client_secret]) {
        const refused =
          method === "client_secret_basic"
            ? await tokenRequest(h.url, { grant_type: "refresh_token", refresh_token: "x" }, basic(id, wrong))
            : await tokenRequest(h.url, {
                grant_type: "refresh_token",
                refresh_token: "x",
                client_id: id,
                client_secret: wrong,
              });
        expect(refused).toMatchObject({ status: 401, body: { error: "invalid_client" } });
      }
    }
  });

  it("are not read back (RFC 7592): the client's own read of its record carries no secret and no hash", async () => {
    const { body } = await register({
      redirect_uris: [APP_REDIRECT],
      token_endpoint_auth_method: "client_secret_post",
    });
    const read = await fetch(String(body.registration_client_uri), {
      headers: { authorization: `Bearer ${body.registration_access_token}` },
    });
    expect(read.status).toBe(200);
    const record = (await read.json()) as Record<string, unknown>;
    expect(record.client_id).toBe(body.client_id);
    expect(record).not.toHaveProperty("client_secret");
    expect(JSON.stringify(record)).not.toContain("sha256:");
  });

  it("stored in plain text by an earlier version keep working, and are rewritten as hashes when read", async () => {
    const { body } = await register({
      redirect_uris: [APP_REDIRECT],
      token_endpoint_auth_method: "client_secret_post",
    });
    const id = String(body.client_id);
    const legacy = "a-plain-secret-an-earlier-version-stored-0123456789abcdef";
    const adapter = h.storage.adapter("Client");
    await adapter.upsert(id, { ...(await adapter.find(id)), client_secret: legacy }, 0);

    const config = await discover(h.url, id, client.ClientSecretPost(legacy));
    const tokens = await exchange(config, await codeFlow(config, { redirectUri: APP_REDIRECT }));
    expect(tokens.access_token).toBeTruthy();
    expect(((await adapter.find(id)) as { client_secret: string }).client_secret).toMatch(/^sha256:/);
    expect(await storedText(h)).not.toContain(legacy);
    expect((await client.refreshTokenGrant(config, tokens.refresh_token as string)).access_token).toBeTruthy();
  });
});

describe("the ChatGPT client's secret", () => {
  it("is shown once when created, stored as a hash, and authenticates", async () => {
    const secret = createdSecret(h);
    expect(secret).toMatch(/^[\w-]{43}$/);
    expect(await h.storage.getSetting("chatgpt_client_secret")).toMatch(/^sha256:/);
    expect(
      ((await h.storage.adapter("Client").find("chatgpt-odoo-mcp")) as { client_secret: string }).client_secret,
    ).toBe(await h.storage.getSetting("chatgpt_client_secret"));
    expect(await storedText(h)).not.toContain(secret);
    const config = await chatgptClient(h.url, secret);
    expect((await exchange(config, await codeFlow(config))).access_token).toBeTruthy();
    // The operator endpoint cannot show it again.
    const credentials = await fetch(`${h.url}/oauth/credentials`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const shown = JSON.stringify(await credentials.json());
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain("sha256:");
  });

  it("is rotated to a new secret shown once; only its hash is stored and the old one stops working", async () => {
    const rotatedHarness = await startAuth({ sim: h.sim });
    try {
      const old = createdSecret(rotatedHarness);
      const response = await fetch(`${rotatedHarness.url}/oauth/rotate-secret`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      const { client_secret: fresh } = (await response.json()) as { client_secret: string };
      expect(fresh).toMatch(/^[\w-]{43}$/);
      expect(fresh).not.toBe(old);
      expect(await storedText(rotatedHarness)).not.toContain(fresh);
      const config = await chatgptClient(rotatedHarness.url, fresh);
      const tokens = await exchange(config, await codeFlow(config));
      const refusal = await tokenRequest(rotatedHarness.url, {
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token as string,
        client_id: "chatgpt-odoo-mcp",
        client_secret: old,
      });
      expect(refusal).toMatchObject({ status: 401, body: { error: "invalid_client" } });
      expect(rotatedHarness.logText()).not.toContain(fresh);
    } finally {
      await rotatedHarness.close();
    }
  });

  it("stored in plain text by an earlier version keeps working after an upgrade, stored as a hash", async () => {
    const sqlitePath = tempSqlitePath();
    const first = await startAuth({ sqlitePath, sim: h.sim });
    const registered = await register(
      { redirect_uris: [APP_REDIRECT], token_endpoint_auth_method: "client_secret_basic" },
      first.url,
    );
    await first.close();
    // What an earlier version left in the file: both secrets in plain text.
    const legacyChatgpt = "the-chatgpt-secret-an-earlier-version-printed-0123456789";
    const legacyRegistered = "the-registered-secret-an-earlier-version-stored-012345678";
    const old = openSqliteStorage(sqlitePath);
    await old.setSetting("chatgpt_client_secret", legacyChatgpt);
    const clientId = String(registered.body.client_id);
    const adapter = old.adapter("Client");
    await adapter.upsert(clientId, { ...(await adapter.find(clientId)), client_secret: legacyRegistered }, 0);
    await old.close();

    const upgraded = await startAuth({ sqlitePath, sim: h.sim });
    try {
      expect(upgraded.auth.created.chatgptSecret).toBeUndefined();
      expect(await upgraded.storage.getSetting("chatgpt_client_secret")).toMatch(/^sha256:/);
      const text = await storedText(upgraded);
      expect(text).not.toContain(legacyChatgpt);
      expect(text).not.toContain(legacyRegistered);
      const chatgpt = await chatgptClient(upgraded.url, legacyChatgpt);
      expect((await exchange(chatgpt, await codeFlow(chatgpt))).access_token).toBeTruthy();
      const app = await discover(upgraded.url, clientId, client.ClientSecretBasic(legacyRegistered));
      expect((await exchange(app, await codeFlow(app, { redirectUri: APP_REDIRECT }))).access_token).toBeTruthy();
    } finally {
      await upgraded.close();
    }
  });
});

describe("a refresh repeated within the grace period", () => {
  let graceful: AuthHarness;
  beforeAll(async () => {
    graceful = await startAuth({ env: { REFRESH_TOKEN_REUSE_GRACE: "30s" }, sim: h.sim });
  });
  afterAll(() => graceful.close());

  /** The ids (token digests) of every refresh token the storage holds (the grant is shared with earlier flows). */
  const refreshTokenIds = async (harness: AuthHarness) =>
    new Set((await harness.storage.list("RefreshToken")).map((token) => token.id));
  const issuedSince = async (harness: AuthHarness, before: Set<string>) =>
    [...(await refreshTokenIds(harness))].filter((id) => !before.has(id));

  async function grantOf(harness: AuthHarness, accessToken: string) {
    const introspection = await client.tokenIntrospection(await mcpIntrospector(harness.url), accessToken);
    return String(introspection.grant_id);
  }

  it("answers the same rotated pair, and no second chain starts", async () => {
    const config = await chatgptClient(graceful.url, createdSecret(graceful));
    const tokens = await exchange(config, await codeFlow(config));
    const before = await refreshTokenIds(graceful);
    const first = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    const repeated = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(repeated.access_token).toBe(first.access_token);
    expect(repeated.refresh_token).toBe(first.refresh_token);
    expect(repeated.scope).toBe(first.scope);
    expect(repeated.expires_in).toBeLessThanOrEqual(first.expires_in as number);
    expect(repeated.expires_in).toBeGreaterThan((first.expires_in as number) - 5);
    // Only the token the first refresh rotated into was issued.
    expect(await issuedSince(graceful, before)).toEqual([tokenDigest(first.refresh_token as string)]);
    expect(graceful.logs.some((line) => line.event === "oauth_token_refresh_repeated")).toBe(true);
    expect(graceful.logs.some((line) => line.event === "oauth_request_refused" && line.where === "grant")).toBe(false);
    // The chain goes on from the pair both answers gave.
    const next = await client.refreshTokenGrant(config, first.refresh_token as string);
    expect(next.access_token).not.toBe(first.access_token);
  });

  it("answers two concurrent refreshes with one pair", async () => {
    const config = await chatgptClient(graceful.url, createdSecret(graceful));
    const tokens = await exchange(config, await codeFlow(config));
    const before = await refreshTokenIds(graceful);
    const [a, b] = await Promise.all([
      client.refreshTokenGrant(config, tokens.refresh_token as string),
      client.refreshTokenGrant(config, tokens.refresh_token as string),
    ]);
    expect(b.access_token).toBe(a.access_token);
    expect(b.refresh_token).toBe(a.refresh_token);
    expect(await issuedSince(graceful, before)).toEqual([tokenDigest(a.refresh_token as string)]);
  });

  it("gives the same answer on another replica sharing the storage", async () => {
    const sqlitePath = tempSqlitePath();
    const one = await startAuth({ sqlitePath, sim: h.sim, env: { REFRESH_TOKEN_REUSE_GRACE: "30s" } });
    const two = await startAuth({ sqlitePath, sim: h.sim, env: { REFRESH_TOKEN_REUSE_GRACE: "30s" } });
    try {
      const secret = createdSecret(one);
      const config = await chatgptClient(one.url, secret);
      const tokens = await exchange(config, await codeFlow(config));
      const first = await client.refreshTokenGrant(config, tokens.refresh_token as string);
      const elsewhere = await client.refreshTokenGrant(
        await chatgptClient(two.url, secret),
        tokens.refresh_token as string,
      );
      expect(elsewhere.access_token).toBe(first.access_token);
      expect(elsewhere.refresh_token).toBe(first.refresh_token);
    } finally {
      await two.close();
      await one.close();
    }
  });

  it("still authenticates the client, and answers nothing once the grant is revoked", async () => {
    const secret = createdSecret(graceful);
    const config = await chatgptClient(graceful.url, secret);
    const tokens = await exchange(config, await codeFlow(config));
    const first = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    const base = { grant_type: "refresh_token", refresh_token: tokens.refresh_token as string };
    const stranger = await tokenRequest(graceful.url, { ...base, client_id: "chatgpt-odoo-mcp", client_secret: "x" });
    expect(stranger).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect(JSON.stringify(stranger.body)).not.toContain(first.access_token);

    const revoke = await fetch(`${graceful.url}/oauth/tokens/revoke`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ grant_id: await grantOf(graceful, first.access_token) }),
    });
    expect(revoke.status).toBe(200);
    const after = await tokenRequest(graceful.url, { ...base, client_id: "chatgpt-odoo-mcp", client_secret: secret });
    expect(after).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("is refused once the new refresh token was used: no second chain starts", async () => {
    const config = await chatgptClient(graceful.url, createdSecret(graceful));
    const tokens = await exchange(config, await codeFlow(config));
    const first = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    const second = await client.refreshTokenGrant(config, first.refresh_token as string);
    const before = await refreshTokenIds(graceful);
    await expect(client.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({
      error: "invalid_grant",
    });
    expect(await issuedSince(graceful, before)).toEqual([]);
    // The one chain goes on.
    expect((await client.refreshTokenGrant(config, second.refresh_token as string)).access_token).toBeTruthy();
  });

  it("is refused when it asks for another scope than the first refresh: the answer is the remembered pair or nothing", async () => {
    const config = await chatgptClient(graceful.url, createdSecret(graceful));
    const tokens = await exchange(config, await codeFlow(config));
    const first = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    const before = await refreshTokenIds(graceful);
    await expect(
      client.refreshTokenGrant(config, tokens.refresh_token as string, { scope: "odoo:read" }),
    ).rejects.toMatchObject({ error: "invalid_grant" });
    expect(await issuedSince(graceful, before)).toEqual([]);
    expect((await client.refreshTokenGrant(config, first.refresh_token as string)).access_token).toBeTruthy();
  });
});
