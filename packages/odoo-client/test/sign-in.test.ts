import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DEMO_USERS } from "@odoo-mcp/odoo-sim";
import { type OdooUnderTest, odooReleases, openOdoo, realRun } from "@odoo-mcp/testkit/odoo";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOdooSignIn } from "../src/sign-in.js";
import { useSims } from "./sims.js";

/** An API key no user has (Odoo's shape: 40 hexadecimal digits). */
const UNKNOWN_KEY = "0123456789abcdef0123456789abcdef01234567";

describe.each(odooReleases())("signing people in with their own Odoo credentials on $name", ({ version, kind }) => {
  let odoo: OdooUnderTest;
  let userId: number;
  let adminEmail: string;
  beforeAll(async () => {
    odoo = await openOdoo(version, kind);
    const found = (await odoo.admin.executeKw(
      "res.users",
      "search_read",
      [[["login", "in", [odoo.users.admin.login, odoo.users.user.login]]]],
      { fields: ["login", "email"] },
    )) as { id: number; login: string; email: string }[];
    userId = found.find((user) => user.login === odoo.users.user.login)?.id as number;
    adminEmail = found.find((user) => user.login === odoo.users.admin.login)?.email as string;
  });
  afterAll(() => odoo.close());

  const signIn = (options: { writeGroup?: string } = {}) =>
    createOdooSignIn({ url: odoo.url, db: odoo.db, writeCheckModel: "res.partner", timeoutMs: 60_000, ...options });

  it("a password and an API key, with the person's rights, and no deprecated call", async () => {
    const verify = signIn();
    const { admin, user } = odoo.users;
    for (const secret of [admin.password, admin.apiKey]) {
      expect(await verify(admin.login, secret)).toEqual({
        ok: true,
        identity: {
          db: odoo.db,
          uid: 2,
          login: admin.login,
          name: "Mitchell Admin",
          email: adminEmail,
          canWrite: true,
          isAdmin: true,
        },
      });
    }
    for (const secret of [user.password, user.apiKey]) {
      expect(await verify(user.login, secret)).toMatchObject({
        ok: true,
        identity: { uid: userId, canWrite: false, isAdmin: false },
      });
    }
    expect(odoo.deprecations()).toEqual([]);
  });

  it("one answer for wrong, archived, portal and borrowed credentials", async () => {
    const verify = signIn();
    const { admin, user, portal, former } = odoo.users;
    const refusals = await Promise.all([
      verify(admin.login, "wrong"),
      verify("nobody", admin.password),
      verify(former.login, former.password),
      verify(former.login, former.apiKey || UNKNOWN_KEY),
      verify(portal.login, portal.password),
      verify(portal.login, portal.apiKey || UNKNOWN_KEY),
      // An API key names its own user: it cannot sign in as someone else.
      verify(admin.login, user.apiKey),
      verify(admin.login, ""),
    ]);
    for (const outcome of refusals) expect(outcome).toEqual({ ok: false, reason: "rejected" });
  });

  // JSON-2 (Odoo 19+) takes API keys only: a secret kept to be used over it must be one (ODOO_PROTOCOL=json2).
  it.runIf(Number.parseFloat(version) >= 19)(
    "for a secret used over JSON-2 afterwards: an API key, checked over JSON-2; a password is told to be one",
    async () => {
      const verify = signIn();
      const { admin, user } = odoo.users;
      expect(await verify(admin.login, admin.apiKey, undefined, "json2")).toMatchObject({
        ok: true,
        identity: { uid: 2, login: admin.login, canWrite: true },
      });
      expect(await verify(admin.login, admin.password, undefined, "json2")).toEqual({
        ok: false,
        reason: "api_key_required",
      });
      for (const secret of [user.apiKey, UNKNOWN_KEY])
        expect(await verify(admin.login, secret, undefined, "json2")).toEqual({ ok: false, reason: "rejected" });
    },
  );

  it("Odoo's login cooldown pauses the address the guesses come from, not the person signing in elsewhere", async () => {
    const verify = signIn();
    const { user } = odoo.users;
    const guesser = "203.0.113.7";
    // Odoo counts web sign-ins per address: 10 failures (base.login_cooldown_after), then 60 s of refusals.
    for (let attempt = 0; attempt < 10; attempt++)
      expect(await verify(user.login, "wrong", guesser)).toEqual({ ok: false, reason: "rejected" });
    // The pause is said as such, even to the right password, and not routed around over XML-RPC.
    expect(await verify(user.login, user.password, guesser)).toEqual({ ok: false, reason: "paused" });
    // The person, from their own address, is not affected.
    expect(await verify(user.login, user.password, "198.51.100.2")).toMatchObject({ ok: true });
  });

  it("gives odoo:write to members of ODOO_WRITE_GROUP (implied groups count), whoever may create partners", async () => {
    const { admin, user } = odoo.users;
    const salesmen = signIn({ writeGroup: "sales_team.group_sale_salesman" });
    expect(await salesmen(user.login, user.password)).toMatchObject({ ok: true, identity: { canWrite: true } });
    const settings = signIn({ writeGroup: "base.group_system" });
    expect(await settings(user.login, user.password)).toMatchObject({ ok: true, identity: { canWrite: false } });
    expect(await settings(admin.login, admin.password)).toMatchObject({ ok: true, identity: { canWrite: true } });
  });
});

/** What only a simulator can be: an Odoo with XML-RPC turned off (as Odoo 22 is announced), and no Odoo at all. */
describe.skipIf(realRun())("signing in without XML-RPC, or without Odoo", () => {
  const key = (login: string) => DEMO_USERS.find((user) => user.login === login)?.apiKey as string;
  const sims = useSims({
    "17.0 without XML-RPC": { version: "17.0", xmlrpc: false },
    "19.0 without XML-RPC": { version: "19.0", xmlrpc: false },
    "20.0 without XML-RPC": { version: "20.0", xmlrpc: false },
  });
  const signIn = (sim: string) =>
    createOdooSignIn({ url: sims.sim(sim).url, db: "demo", writeCheckModel: "res.partner", timeoutMs: 5000 });

  it.each(["19.0", "20.0"])(
    "on %s with XML-RPC turned off: passwords through the web session, API keys over JSON-2",
    async (version) => {
      const verify = signIn(`${version} without XML-RPC`);
      expect(await verify("admin", "admin")).toMatchObject({ ok: true, identity: { uid: 2, isAdmin: true } });
      expect(await verify("demo", key("demo"))).toMatchObject({ ok: true, identity: { uid: 3, canWrite: false } });
      expect(await verify("demo", "wrong")).toEqual({ ok: false, reason: "rejected" });
    },
  );

  it("on 17.0 with XML-RPC turned off, a password still works (the web session)", async () => {
    expect(await signIn("17.0 without XML-RPC")("demo", "demo")).toMatchObject({ ok: true, identity: { uid: 3 } });
  });

  it("says Odoo is unavailable, not that the person is wrong, when Odoo does not answer", async () => {
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
      const verify = createOdooSignIn({ url, db: "demo", writeCheckModel: "res.partner", timeoutMs: 300 });
      expect(await verify("admin", "admin")).toMatchObject({ ok: false, reason: "unavailable" });
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
    const closed = createOdooSignIn({ url: "http://127.0.0.1:9", db: "demo", writeCheckModel: "res.partner" });
    expect(await closed("admin", "admin")).toMatchObject({ ok: false, reason: "unavailable" });
  });
});
