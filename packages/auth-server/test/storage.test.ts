import { randomBytes } from "node:crypto";
import { tempSqlitePath } from "@odoo-mcp/testkit/auth";
import { useRedisAndPostgres } from "@odoo-mcp/testkit/services";
import { describe, expect, it } from "vitest";
import { withRefreshReuseGrace } from "../src/provider/refresh-grace.js";
import type { IndexedStorage } from "../src/storage/contract.js";
import { openPostgresStorage } from "../src/storage/postgres.js";
import { openRedisStorage } from "../src/storage/redis.js";
import { openSqliteStorage } from "../src/storage/sqlite.js";

const services = useRedisAndPostgres();

interface Engine {
  name: string;
  /** A fresh, empty store; `reopen` opens the same one again. */
  open(): Promise<{ storage: IndexedStorage; reopen: () => Promise<IndexedStorage> }>;
  /** Whether sweep() deletes rows (Redis expires keys itself). */
  sweeps: boolean;
}

const engines: Engine[] = [
  {
    name: "SQLite",
    sweeps: true,
    async open() {
      const path = tempSqlitePath();
      return { storage: openSqliteStorage(path), reopen: async () => openSqliteStorage(path) };
    },
  },
  {
    name: "PostgreSQL",
    sweeps: true,
    async open() {
      // A database per test keeps them apart.
      const name = `t_${randomBytes(6).toString("hex")}`;
      const admin = await openPostgresStorage(services.postgres.url);
      await admin.pool.query(`CREATE DATABASE ${name}`);
      await admin.close();
      const url = services.postgres.url.replace(/\/postgres$/, `/${name}`);
      return { storage: await openPostgresStorage(url), reopen: () => openPostgresStorage(url) };
    },
  },
  {
    name: "Redis",
    sweeps: false,
    async open() {
      const storage = await openRedisStorage(services.redis.url);
      await storage.redis.flushall();
      return { storage, reopen: () => openRedisStorage(services.redis.url) };
    },
  },
];

/** The adapter contract every storage engine keeps: the same suite against SQLite, PostgreSQL and Redis. */
describe.each(engines)("$name storage", (engine) => {
  const storage = async () => (await engine.open()).storage;

  it("upserts, finds, and finds by uid and user code", async () => {
    const s = await storage();
    const adapter = s.adapter("Session");
    await adapter.upsert("s1", { uid: "u1", accountId: "demo:2" }, 60);
    expect(await adapter.find("s1")).toEqual({ uid: "u1", accountId: "demo:2" });
    expect(await adapter.findByUid("u1")).toEqual({ uid: "u1", accountId: "demo:2" });
    await adapter.upsert("s1", { uid: "u2", accountId: "demo:3" }, 60);
    expect(await adapter.findByUid("u1")).toBeUndefined();
    expect(await adapter.find("s1")).toMatchObject({ accountId: "demo:3" });
    await s.adapter("DeviceCode").upsert("d1", { userCode: "ABCD-EFGH" }, 60);
    expect(await s.adapter("DeviceCode").findByUserCode("ABCD-EFGH")).toEqual({ userCode: "ABCD-EFGH" });
    expect(await s.adapter("AccessToken").find("s1")).toBeUndefined();
    await s.close();
  });

  it("never returns an expired payload, and sweeps expired rows", async () => {
    const s = await storage();
    const adapter = s.adapter("AuthorizationCode");
    await adapter.upsert("short", { grantId: "g" }, 1);
    await adapter.upsert("forever", { grantId: "g" }, 0);
    expect(await adapter.find("short")).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await adapter.find("short")).toBeUndefined();
    expect(await s.sweep()).toBe(engine.sweeps ? 1 : 0);
    expect(await adapter.find("forever")).toBeDefined();
    await s.close();
  });

  it("consume records the first consumption time and keeps it", async () => {
    const s = await storage();
    const adapter = s.adapter("RefreshToken");
    await adapter.upsert("rt", { grantId: "g" }, 60);
    await adapter.consume("rt");
    const first = (await adapter.find("rt"))?.consumed as number;
    expect(first).toBeGreaterThan(Date.now() / 1000 - 5);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await adapter.consume("rt");
    expect((await adapter.find("rt"))?.consumed).toBe(first);
    await s.close();
  });

  it("claim: of 20 concurrent claims exactly one wins, and it is consume's first time", async () => {
    const s = await storage();
    const adapter = s.adapter("RefreshToken");
    await adapter.upsert("rt", { grantId: "g" }, 60);
    const won = await Promise.all(Array.from({ length: 20 }, () => adapter.claim("rt")));
    expect(won.filter(Boolean)).toHaveLength(1);
    const consumed = (await adapter.find("rt"))?.consumed;
    expect(consumed).toBeGreaterThan(Date.now() / 1000 - 5);
    await adapter.consume("rt");
    expect((await adapter.find("rt"))?.consumed).toBe(consumed);
    expect(await adapter.claim("rt")).toBe(false);
    expect(await adapter.claim("missing")).toBe(false);
    await s.close();
  });

  it("destroy removes one payload; revokeByGrantId removes the grant's payloads of that model only", async () => {
    const s = await storage();
    const tokens = s.adapter("AccessToken");
    await tokens.upsert("a1", { grantId: "g1" }, 60);
    await tokens.upsert("a2", { grantId: "g1" }, 60);
    await tokens.upsert("a3", { grantId: "g2" }, 60);
    await s.adapter("RefreshToken").upsert("r1", { grantId: "g1" }, 60);
    await tokens.destroy("a3");
    expect(await tokens.find("a3")).toBeUndefined();
    await tokens.revokeByGrantId("g1");
    expect(await tokens.find("a1")).toBeUndefined();
    expect(await tokens.find("a2")).toBeUndefined();
    expect(await s.adapter("RefreshToken").find("r1")).toBeDefined();
    await s.close();
  });

  it("lists unexpired payloads with their ids, and keeps settings with first-writer-wins", async () => {
    const s = await storage();
    await s.adapter("Grant").upsert("g1", { clientId: "c", accountId: "demo:2" }, 60);
    expect(await s.list("Grant")).toEqual([{ id: "g1", clientId: "c", accountId: "demo:2" }]);
    expect(await s.setSettingIfAbsent("k", "first")).toBe("first");
    expect(await s.setSettingIfAbsent("k", "second")).toBe("first");
    await s.setSetting("k", "third");
    expect(await s.getSetting("k")).toBe("third");
    expect(await s.getSetting("missing")).toBeUndefined();
    await s.check();
    await s.close();
  });

  it("finds a person's and a client's grants, and what a grant issued, without listing the model", async () => {
    const s = await storage();
    const grants = s.adapter("Grant");
    await grants.upsert("g1", { clientId: "c1", accountId: "demo:2" }, 60);
    await grants.upsert("g2", { clientId: "c2", accountId: "demo:2" }, 60);
    await grants.upsert("g3", { clientId: "c1", accountId: "demo:7" }, 60);
    await grants.upsert("gone", { clientId: "c1", accountId: "demo:2" }, 1);
    await s.adapter("AccessToken").upsert("a1", { grantId: "g1", clientId: "c1", accountId: "demo:2" }, 60);
    await s.adapter("AccessToken").upsert("a2", { grantId: "g2", clientId: "c2", accountId: "demo:2" }, 60);
    await s.adapter("RefreshToken").upsert("r1", { grantId: "g1", clientId: "c1", accountId: "demo:2" }, 60);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const ids = (payloads: { id: string }[]) => payloads.map((payload) => payload.id).sort();
    expect(ids(await s.grantsOfAccount("demo:2"))).toEqual(["g1", "g2"]);
    expect(await s.grantsOfAccount("demo:2")).toContainEqual({ id: "g1", clientId: "c1", accountId: "demo:2" });
    expect(ids(await s.grantsOfClient("c1"))).toEqual(["g1", "g3"]);
    expect(ids(await s.listByGrantId("AccessToken", "g1"))).toEqual(["a1"]);
    expect(ids(await s.listByGrantId("RefreshToken", "g1"))).toEqual(["r1"]);
    expect(await s.grantsOfAccount("nobody")).toEqual([]);
    // Kept up to date through destroy, revokeByGrantId and a change of owner.
    await grants.destroy("g1");
    await s.adapter("AccessToken").revokeByGrantId("g1");
    await grants.upsert("g2", { clientId: "c2", accountId: "demo:9" }, 60);
    expect(ids(await s.grantsOfAccount("demo:2"))).toEqual([]);
    expect(ids(await s.grantsOfAccount("demo:9"))).toEqual(["g2"]);
    expect(ids(await s.grantsOfClient("c1"))).toEqual(["g3"]);
    expect(await s.listByGrantId("AccessToken", "g1")).toEqual([]);
    expect(ids(await s.listByGrantId("RefreshToken", "g1"))).toEqual(["r1"]);
    await s.close();
  });

  it("survives reopening: data and schema version stay", async () => {
    const { storage: first, reopen } = await engine.open();
    await first.adapter("Client").upsert("c1", { client_id: "c1" }, 0);
    await first.close();
    const second = await reopen();
    expect(await second.adapter("Client").find("c1")).toEqual({ client_id: "c1" });
    await second.close();
  });

  it("refresh-token grace: a consumed token looks unused only within the grace period", async () => {
    const s = await storage();
    const graceful = withRefreshReuseGrace(s.adapter("RefreshToken"), 1);
    await graceful.upsert("rt", { grantId: "g" }, 60);
    await graceful.consume("rt");
    expect(await graceful.find("rt")).not.toHaveProperty("consumed");
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(await graceful.find("rt")).toHaveProperty("consumed");
    await s.close();
  });
});
