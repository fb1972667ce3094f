import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DEMO_USERS, SIM_VERSIONS } from "@odoo-mcp/odoo-sim";
import { describe, expect, it } from "vitest";
import { createOdooSignIn } from "../src/sign-in.js";
import { useSims } from "./sims.js";

const key = (login: string) => DEMO_USERS.find((user) => user.login === login)?.apiKey as string;
const sims = useSims({
  "17.0 without XML-RPC": { version: "17.0", xmlrpc: false },
  "19.0 without XML-RPC": { version: "19.0", xmlrpc: false },
  "20.0 without XML-RPC": { version: "20.0", xmlrpc: false },
});

const signIn = (sim: string, options: { writeGroup?: string } = {}) =>
  createOdooSignIn({
    url: sims.sim(sim).url,
    db: "demo",
    writeCheckModel: "res.partner",
    timeoutMs: 5000,
    ...options,
  });

describe("signing people in with their own Odoo credentials", () => {
  it.each(SIM_VERSIONS)(
    "on %s: a password and an API key, with the person's rights, and no deprecated call",
    async (version) => {
      const verify = signIn(version);
      for (const secret of ["admin", key("admin")]) {
        expect(await verify("admin", secret)).toEqual({
          ok: true,
          identity: {
            db: "demo",
            uid: 2,
            login: "admin",
            name: "Mitchell Admin",
            email: "admin@miempresa.example",
            canWrite: true,
            isAdmin: true,
          },
        });
      }
      for (const secret of ["demo", key("demo")]) {
        expect(await verify("demo", secret)).toMatchObject({
          ok: true,
          identity: { uid: 3, canWrite: false, isAdmin: false },
        });
      }
      expect(sims.sim(version).database.warnings).toEqual([]);
    },
  );

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

  it.each(SIM_VERSIONS)("on %s: one answer for wrong, archived, portal and borrowed credentials", async (version) => {
    const verify = signIn(version);
    const refusals = await Promise.all([
      verify("admin", "wrong"),
      verify("nobody", "admin"),
      verify("former", "former"),
      verify("former", key("former")),
      verify("portal", "portal"),
      verify("portal", key("portal")),
      // An API key names its own user: it cannot sign in as someone else.
      verify("admin", key("demo")),
      verify("admin", ""),
    ]);
    for (const outcome of refusals) expect(outcome).toEqual({ ok: false, reason: "rejected" });
  });

  it("gives odoo:write to members of ODOO_WRITE_GROUP, whoever may create partners", async () => {
    for (const version of ["17.0", "19.0"]) {
      const verify = signIn(version, { writeGroup: "sales_team.group_sale_salesman" });
      expect(await verify("demo", "demo")).toMatchObject({ ok: true, identity: { canWrite: true } });
      expect(await verify("admin", "admin")).toMatchObject({ ok: true, identity: { canWrite: false } });
    }
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
