/**
 * Security review, round three, on every storage engine (SQLite, PostgreSQL, Redis), each with two
 * replicas sharing it:
 * - item 2: parallel refreshes with one refresh token fork no chain;
 * - item 9: what storage holds about tokens does not work as a token.
 */
import { randomBytes } from "node:crypto";
import { startOdooSim } from "@odoo-mcp/odoo-sim";
import { tokenDigest } from "@odoo-mcp/shared";
import { type AuthHarness, MCP_CLIENT, startAuth, tempSqlitePath } from "@odoo-mcp/testkit/auth";
import { chatgptClient, codeFlow, exchange } from "@odoo-mcp/testkit/oauth";
import { useRedisAndPostgres } from "@odoo-mcp/testkit/services";
import Database from "better-sqlite3";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IndexedStorage } from "../src/storage/contract.js";
import { openPostgresStorage } from "../src/storage/postgres.js";
import { openRedisStorage } from "../src/storage/redis.js";
import { openSqliteStorage } from "../src/storage/sqlite.js";

const services = useRedisAndPostgres();

interface Engine {
  name: string;
  /** A fresh store: a way to open it (once per replica) and to read everything it holds, raw. */
  create(): Promise<{ open(): Promise<IndexedStorage>; rawStrings(): Promise<string[]> }>;
}

/** Every string in a raw value: itself, and, for JSON, every key and string inside. */
function stringsIn(value: unknown, into: string[] = []): string[] {
  if (typeof value === "string") {
    into.push(value);
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === "object" && parsed !== null) stringsIn(parsed, into);
    } catch {}
  } else if (Array.isArray(value)) for (const item of value) stringsIn(item, into);
  else if (typeof value === "object" && value !== null)
    for (const [key, item] of Object.entries(value)) stringsIn([key, item], into);
  return into;
}

const engines: Engine[] = [
  {
    name: "SQLite",
    async create() {
      const path = tempSqlitePath();
      return {
        open: async () => openSqliteStorage(path),
        async rawStrings() {
          const db = new Database(path, { readonly: true });
          try {
            return stringsIn([
              db.prepare("SELECT * FROM oidc_payloads").all(),
              db.prepare("SELECT * FROM settings").all(),
            ]);
          } finally {
            db.close();
          }
        },
      };
    },
  },
  {
    name: "PostgreSQL",
    async create() {
      const name = `t_${randomBytes(6).toString("hex")}`;
      const admin = new pg.Client({ connectionString: services.postgres.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = services.postgres.url.replace(/\/postgres$/, `/${name}`);
      return {
        open: () => openPostgresStorage(url),
        async rawStrings() {
          const reader = new pg.Client({ connectionString: url });
          await reader.connect();
          try {
            const tables = await Promise.all(
              ["oidc_payloads", "settings"].map(async (table) => (await reader.query(`SELECT * FROM ${table}`)).rows),
            );
            return stringsIn(tables);
          } finally {
            await reader.end();
          }
        },
      };
    },
  },
  {
    name: "Redis",
    async create() {
      const flusher = new Redis(services.redis.url);
      await flusher.flushall();
      flusher.disconnect();
      return {
        open: () => openRedisStorage(services.redis.url),
        async rawStrings() {
          const reader = new Redis(services.redis.url);
          try {
            const found: unknown[] = [];
            for (const key of await reader.keys("*")) {
              const type = await reader.type(key);
              found.push(
                key,
                type === "string"
                  ? await reader.get(key)
                  : type === "set"
                    ? await reader.smembers(key)
                    : type === "hash"
                      ? await reader.hgetall(key)
                      : null,
              );
            }
            return stringsIn(found);
          } finally {
            reader.disconnect();
          }
        },
      };
    },
  },
];

async function post(base: string, path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const introspector = {
  authorization: `Basic ${Buffer.from(`${MCP_CLIENT.id}:${MCP_CLIENT.secret}`).toString("base64")}`,
};

describe.each(engines)("$name, two replicas", (engine) => {
  let replicas: [AuthHarness, AuthHarness];
  /** The first replica's storage, read through the server's own queries. */
  let storage: IndexedStorage;
  let rawStrings: () => Promise<string[]>;
  beforeAll(async () => {
    const store = await engine.create();
    rawStrings = store.rawStrings;
    storage = await store.open();
    const one = await startAuth({ storage });
    replicas = [one, await startAuth({ storage: await store.open(), sim: one.sim })];
  }, 60_000);
  afterAll(async () => {
    await replicas?.[1].close();
    await replicas?.[0].close();
  });

  /** A person's authorization through the first replica: its tokens and the ChatGPT client's secret. */
  async function authorize() {
    const secret = await replicas[0].chatgptSecret();
    const tokens = await exchange(
      await chatgptClient(replicas[0].url, secret),
      await codeFlow(await chatgptClient(replicas[0].url, secret)),
    );
    const introspection = await post(
      replicas[0].url,
      "/oauth/introspect",
      { token: tokens.access_token },
      introspector,
    );
    return { secret, tokens, grantId: String(introspection.body.grant_id) };
  }

  it("item 2: 20 parallel refreshes with one refresh token leave exactly one live chain", async () => {
    const { secret, tokens, grantId } = await authorize();
    const refresh = (base: string, refreshToken: string, scope?: string) =>
      post(base, "/oauth/token", {
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        client_id: "chatgpt-odoo-mcp",
        client_secret: secret,
        ...(scope ? { scope } : {}),
      });
    // Spread over both replicas; one in four asks for a narrower scope (a repeat that is not the same).
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        refresh(
          (index % 2 ? replicas[1] : replicas[0]).url,
          tokens.refresh_token as string,
          index % 4 === 3 ? "odoo:read" : undefined,
        ),
      ),
    );
    // One refresh token of the grant is unused: one chain lives on.
    const live = (await storage.listByGrantId("RefreshToken", grantId)).filter((token) => !token.consumed);
    expect(live).toHaveLength(1);
    // Every answer is the one remembered pair, or a refusal.
    const issued = answers.filter((answer) => answer.status === 200);
    const refused = answers.filter((answer) => answer.status !== 200);
    expect(new Set(issued.map((answer) => answer.body.refresh_token)).size).toBe(1);
    expect(new Set(issued.map((answer) => answer.body.access_token)).size).toBe(1);
    for (const answer of refused) expect(answer).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const pair = issued[0]?.body as { access_token: string; refresh_token: string };
    expect(live[0]?.id).toBe(tokenDigest(pair.refresh_token));
    // And the chain goes on from it.
    expect((await refresh(replicas[1].url, pair.refresh_token)).status).toBe(200);
  }, 60_000);

  it("item 9: no value read from storage works as a bearer or refresh token, or equals one", async () => {
    const { secret, tokens } = await authorize();
    const issued = [tokens.access_token, tokens.refresh_token as string];
    const stored = [...new Set(await rawStrings())];
    for (const token of issued) expect(stored.some((value) => value.includes(token))).toBe(false);
    // The digests are there: that is what the rows are keyed by.
    expect(stored.some((value) => value.includes(tokenDigest(tokens.access_token)))).toBe(true);
    for (const value of stored.filter((candidate) => candidate.length >= 16 && candidate.length <= 512)) {
      const introspection = await post(replicas[0].url, "/oauth/introspect", { token: value }, introspector);
      expect(introspection.body.active, value).toBe(false);
      const refresh = await post(replicas[1].url, "/oauth/token", {
        grant_type: "refresh_token",
        refresh_token: value,
        client_id: "chatgpt-odoo-mcp",
        client_secret: secret,
      });
      expect(refresh.status, value).toBe(400);
    }
    // While the tokens themselves work.
    expect(
      (await post(replicas[0].url, "/oauth/introspect", { token: tokens.access_token }, introspector)).body.active,
    ).toBe(true);
  }, 120_000);
});

describe("tokens stored in plain text by an earlier version", () => {
  it("are moved under their digests at start-up, and keep working", async () => {
    const path = tempSqlitePath();
    const sim = await startOdooSim();
    const first = await startAuth({ sqlitePath: path, sim });
    const secret = await first.chatgptSecret();
    const config = await chatgptClient(first.url, secret);
    const tokens = await exchange(config, await codeFlow(config));
    // As an earlier version kept them: under the token itself, with the token in the payload.
    const storage = openSqliteStorage(path);
    for (const [model, token] of [
      ["AccessToken", tokens.access_token],
      ["RefreshToken", tokens.refresh_token as string],
    ] as const) {
      const [row] = (await storage.list(model)).filter((stored) => stored.id === tokenDigest(token));
      const { id: _digest, ...payload } = row as { id: string };
      await storage.adapter(model).upsert(token, { ...payload, jti: token }, 3600);
      await storage.adapter(model).destroy(tokenDigest(token));
    }
    await storage.setSetting("token_ids_hashed", "");
    await storage.close();
    await first.close();

    const upgraded = await startAuth({ sqlitePath: path, sim });
    try {
      const introspection = await post(upgraded.url, "/oauth/introspect", { token: tokens.access_token }, introspector);
      expect(introspection.body.active).toBe(true);
      const ids = (await upgraded.storage.list("AccessToken")).map((stored) => stored.id);
      expect(ids).toContain(tokenDigest(tokens.access_token));
      expect(ids).not.toContain(tokens.access_token);
      const refreshed = await post(upgraded.url, "/oauth/token", {
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token as string,
        client_id: "chatgpt-odoo-mcp",
        client_secret: await upgraded.chatgptSecret(),
      });
      expect(refreshed.status).toBe(200);
    } finally {
      await upgraded.close();
      await sim.close();
    }
  }, 60_000);
});
