/**
 * In service mode every write runs as the service account (an administrator), whoever signed in: the
 * tools must not be a way around Odoo's own rules. Each attack below is made for real against the
 * simulator, and shown to stop at the MCP server — before any Odoo call where no field list is needed,
 * and always before anything is written (the MCP server's own count of Odoo calls by method, and the
 * simulator's records, say so).
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { odooTargets, type Stack, startStack, structured, toolError } from "@odoo-mcp/testkit/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const METRICS_TOKEN = "write-guards-scraper-0123456789";

/** One release over XML-RPC and one over JSON-2: the guards sit before the protocol. */
const TARGETS = odooTargets(["17.0 over XML-RPC", "19.0 over JSON-2"]);

/**
 * Fields real Odoo has and the simulator lacks, added to the running simulator so that its
 * fields_get lists them: credentials on res.users and res.partner, a partner's users, a user's groups.
 * A real Odoo has them already.
 */
function plantRealOdooFields(stack: Stack): void {
  if (stack.odoo.real) return;
  const users = stack.sim.database.requireModel("res.users");
  const partners = stack.sim.database.requireModel("res.partner");
  const add = (fields: typeof users.fields, name: string, def: Parameters<typeof users.fields.set>[1]) => {
    if (!fields.has(name)) fields.set(name, def);
  };
  add(users.fields, "password", { type: "char", string: "Password" });
  add(users.fields, "new_password", { type: "char", string: "Set Password" });
  add(users.fields, "totp_secret", { type: "char", string: "Totp Secret" });
  add(users.fields, "api_key_ids", {
    type: "one2many",
    string: "API Keys",
    relation: "res.users.apikeys",
    inverseName: "user_id",
  });
  // 17.0 and 18.0 call a user's groups groups_id (the simulator of 19.0 has group_ids already).
  if (stack.odoo.version < "19.0")
    add(users.fields, "groups_id", { type: "many2many", string: "Groups", relation: "res.groups" });
  add(partners.fields, "signup_token", { type: "char", string: "Signup Token" });
  add(partners.fields, "user_ids", {
    type: "one2many",
    string: "Users",
    relation: "res.users",
    inverseName: "partner_id",
  });
  // What a read of every field would hand out, if the tools let it through.
  for (const row of users.rows.values()) row.password = "hunter2";
  for (const row of partners.rows.values()) row.signup_token = "s3cr3t-signup-token";
}

/** The MCP server's Odoo calls so far, by method (odoo_call_duration_seconds_count). */
async function odooCalls(stack: Stack): Promise<Record<string, number>> {
  const response = await fetch(`${new URL(stack.mcpUrl).origin}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const counts: Record<string, number> = {};
  for (const line of (await response.text()).split("\n")) {
    const match = /^odoo_call_duration_seconds_count\{(.*)\} (\d+)$/.exec(line);
    const method = match && /method="([^"]+)"/.exec(match[1] as string)?.[1];
    if (method) counts[method] = (counts[method] ?? 0) + Number(match[2]);
  }
  return counts;
}

/** The models an attack below aims at: on a real Odoo, what changed is read back from them. */
const WATCHED = ["res.users", "res.partner", "res.groups", "res.company", "res.partner.category", "sale.order"];

/**
 * Every record of every model in the simulator, to show nothing was written; on a real Odoo, the count
 * and the newest write of each watched model, archived records included.
 */
async function snapshot(stack: Stack): Promise<string> {
  if (!stack.odoo.real)
    return JSON.stringify(
      [...stack.sim.database.models.values()].map((model) => [model.name, model.nextId, [...model.rows.values()]]),
    );
  const state = [];
  for (const model of WATCHED) {
    const context = { active_test: false };
    const count = await stack.odoo.admin.executeKw(model, "search_count", [[]], { context });
    const newest = await stack.odoo.admin.executeKw(model, "search_read", [[]], {
      fields: ["write_date"],
      order: "write_date desc, id desc",
      limit: 1,
      context,
    });
    state.push([model, count, newest]);
  }
  return JSON.stringify(state);
}

describe.each(TARGETS)("write guards on $name", (target) => {
  /** A user's groups: groups_id up to 18.0, group_ids from 19.0 (res_users.py). */
  const groups = target.version < "19.0" ? "groups_id" : "group_ids";
  let stack: Stack;
  let client: Client;
  /** The other internal user's id (the simulator's demo, a real Odoo's clerk). */
  let userId: number;
  beforeAll(async () => {
    stack = await startStack({ target, mcpEnv: { METRICS_TOKEN } });
    plantRealOdooFields(stack);
    client = await stack.connect(await stack.token());
    const [found] = (await stack.odoo.admin.executeKw("res.users", "search", [
      [["login", "=", stack.odoo.users.user.login]],
    ])) as number[];
    userId = found as number;
  });
  afterAll(() => stack.close());

  const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });

  /** The refusal of a call, and which Odoo methods the MCP server called meanwhile; nothing is written. */
  async function refused(name: string, args: Record<string, unknown>) {
    const before = await odooCalls(stack);
    const state = await snapshot(stack);
    const message = toolError(await call(name, args));
    const after = await odooCalls(stack);
    const methods = Object.keys(after).filter((method) => after[method] !== before[method]);
    expect(await snapshot(stack), `${name} changed the database`).toBe(state);
    return { message, methods };
  }

  describe("security-sensitive models can be read, not changed", () => {
    it("refuses to make the records that send by being made (scheduled messages, SMS, mailings, letters, composers)", async () => {
      const partner = { partner_ids: [[6, 0, [1]]], body: "Hi", subject: "Hi" };
      for (const [model, values] of [
        [
          "mail.scheduled.message",
          { ...partner, model: "res.partner", res_id: 1, scheduled_date: "2030-01-01 00:00:00" },
        ],
        ["mail.message.schedule", { scheduled_datetime: "2030-01-01 00:00:00" }],
        ["mail.compose.message", { ...partner, composition_mode: "comment" }],
        ["sms.sms", { number: "+34600000000", body: "Hi" }],
        ["sms.composer", { body: "Hi", recipient_single_number_itf: "+34600000000" }],
        ["mailing.mailing", { subject: "Hi", body_html: "Hi" }],
        ["snailmail.letter", { partner_id: 1, model: "res.partner", res_id: 1 }],
      ] as const) {
        const { message, methods } = await refused("odoo_create_record", { model, values });
        expect(message, model).toContain("can be read but not changed");
        expect(methods, model).toEqual([]);
      }
    });

    it("refuses to create, change or delete users, groups, companies and settings without calling Odoo", async () => {
      const attempts: [string, Record<string, unknown>][] = [
        ["odoo_create_record", { model: "res.users", values: { name: "Backdoor", login: "backdoor" } }],
        ["odoo_update_record", { model: "res.users", ids: [userId], values: { share: false, login: "demo2" } }],
        ["odoo_delete_record", { model: "res.users", ids: [userId] }],
        ["odoo_update_record", { model: "res.company", ids: [1], values: { name: "Pwned Inc.", email: "x@evil" } }],
        ["odoo_create_record", { model: "res.groups", values: { name: "Everything" } }],
        ["odoo_create_record", { model: "res.config.settings", values: { auth_signup_uninvited: "b2c" } }],
        ["odoo_create_record", { model: "base.automation", values: { name: "Exfiltrate" } }],
        ["odoo_update_record", { model: "payment.provider", ids: [1], values: { state: "enabled" } }],
        ["odoo_update_record", { model: "fetchmail.server", ids: [1], values: { server: "evil.example" } }],
        ["odoo_create_record", { model: "auth_totp.device", values: { name: "mine" } }],
        ["odoo_call_method", { model: "res.users", method: "action_reset_password", ids: [userId] }],
      ];
      for (const [tool, args] of attempts) {
        const { message, methods } = await refused(tool, args);
        expect(message, `${tool} ${args.model}`).toMatch(
          /can be read but not changed|not available through this server/,
        );
        expect(methods, `${tool} ${args.model}`).toEqual([]);
      }
      const company = await refused("odoo_update_record", { model: "res.company", ids: [1], values: { name: "X" } });
      expect(company.message).toContain("ODOO_MODELS_WRITE_DENIED");
      // Mail servers and the rest of ir.* stay out of reach entirely.
      const mail = await refused("odoo_create_record", { model: "ir.mail_server", values: { name: "relay" } });
      expect(mail.message).toContain("not available through this server");
    });

    it("still reads users and companies", async () => {
      const users = structured(
        await call("odoo_search_read_records", {
          model: "res.users",
          domain: [["login", "=", stack.odoo.users.user.login]],
          fields: ["login"],
        }),
      );
      expect(users.records).toEqual([{ id: userId, login: stack.odoo.users.user.login }]);
      const company = structured(await call("odoo_read_records", { model: "res.company", ids: [1], fields: ["name"] }));
      expect((company.records as { name: string }[])[0]?.name).toBeTruthy();
    });
  });

  describe("nested x2many commands are checked field by field", () => {
    it("refuses to create or link users through a partner's one2many", async () => {
      const create = await refused("odoo_create_record", {
        model: "res.partner",
        values: { name: "Trojan", user_ids: [[0, 0, { name: "Trojan", login: "trojan" }]] },
      });
      expect(create.message).toContain('Values "user_ids": res.partner.user_ids holds res.users records');
      expect(create.message).toContain("ODOO_MODELS_WRITE_DENIED");
      for (const commands of [[[4, 2]], [[6, 0, [2, 3]]], [[1, 3, { login: "taken" }]], [2, 3]]) {
        const { message, methods } = await refused("odoo_update_record", {
          model: "res.partner",
          ids: [1],
          values: { user_ids: commands },
        });
        expect(message, JSON.stringify(commands)).toContain("holds res.users records");
        expect(methods.filter((method) => method !== "fields_get")).toEqual([]);
      }
    });

    it("follows the commands into nested values, at every level", async () => {
      const deep = await refused("odoo_create_record", {
        model: "res.partner",
        values: { name: "Parent", child_ids: [[0, 0, { name: "Child", user_ids: [[4, 2]] }]] },
      });
      expect(deep.message).toContain('Values "child_ids[0].user_ids"');
      expect(deep.methods.filter((method) => method !== "fields_get")).toEqual([]);
      const unknown = await refused("odoo_create_record", {
        model: "sale.order",
        values: { partner_id: 1, order_line: [[0, 0, { product_id: 1, product_uom_qty: 1, bogus: 5 }]] },
      });
      expect(unknown.message).toContain('In "order_line[0]", sale.order.line has no field "bogus"');
      const secret = await refused("odoo_create_record", {
        model: "res.partner",
        values: { name: "Parent", child_ids: [[0, 0, { name: "Child", signup_token: "chosen" }]] },
      });
      expect(secret.message).toContain('Values "child_ids[0].signup_token"');
      expect(secret.methods).toEqual([]);
      const malformed = await refused("odoo_update_record", {
        model: "res.partner",
        ids: [1],
        values: { category_id: [[9, 0, 0]] },
      });
      expect(malformed.message).toContain("is not an x2many command; use [0, 0, {values}]");
      let nested: Record<string, unknown> = { name: "Leaf" };
      for (let level = 0; level < 4; level++) nested = { name: `Level ${level}`, child_ids: [[0, 0, nested]] };
      const tooDeep = await refused("odoo_create_record", { model: "res.partner", values: nested });
      expect(tooDeep.message).toContain("nest at most 3 levels");
      expect(tooDeep.methods).toEqual([]);
    });

    it("still creates lines, contacts and tags of allowed models", async () => {
      const created = structured(
        await call("odoo_create_record", {
          model: "res.partner",
          values: {
            name: "Guarded Co",
            is_company: true,
            child_ids: [[0, 0, { name: "Ann Guarded" }]],
            category_id: [[0, 0, { name: "Guarded tag" }]],
          },
        }),
      );
      const [partner] = structured(
        await call("odoo_read_records", {
          model: "res.partner",
          ids: [created.id],
          fields: ["child_ids", "category_id"],
        }),
      ).records as { child_ids: number[]; category_id: number[] }[];
      expect(partner?.child_ids).toHaveLength(1);
      expect(partner?.category_id).toHaveLength(1);
      const order = structured(
        await call("odoo_create_record", {
          model: "sale.order",
          values: { partner_id: created.id, order_line: [[0, 0, { product_id: 1, product_uom_qty: 2 }]] },
        }),
      );
      expect(order.created).toBe(true);
    });
  });

  describe("dotted paths are checked hop by hop", () => {
    it("refuses paths through credential fields before calling Odoo", async () => {
      for (const [model, domain] of [
        ["res.partner", [["user_id.password", "=", "hunter2"]]],
        ["sale.order", [["partner_id.user_ids.api_key_ids", "!=", false]]],
        ["res.partner", ["|", ["name", "=", "x"], ["user_ids", "any", [["totp_secret", "!=", false]]]]],
      ] as const) {
        for (const tool of ["odoo_search_records", "odoo_count_records", "odoo_search_read_records"]) {
          const { message, methods } = await refused(tool, { model, domain });
          expect(message, `${tool} ${JSON.stringify(domain)}`).toContain("names a credential field");
          expect(methods).toEqual([]);
        }
      }
    });

    it("refuses paths through models the server keeps out, and fields that do not exist", async () => {
      const throughGroups = await refused("odoo_search_records", {
        model: "res.partner",
        domain: [[`user_ids.${groups}.name`, "=", "Settings"]],
      });
      expect(throughGroups.message).toContain(
        `"user_ids.${groups}.name" goes through res.users.${groups} to res.groups`,
      );
      expect(throughGroups.message).toContain("not available through this server");
      expect(throughGroups.methods.filter((method) => method !== "fields_get")).toEqual([]);
      const typo = await refused("odoo_count_records", {
        model: "res.partner",
        domain: [["country_id.cod", "=", "ES"]],
      });
      expect(typo.message).toContain('res.country has no field "cod" (in "country_id.cod")');
      const notRelation = await refused("odoo_count_records", {
        model: "res.partner",
        domain: [["name.length", ">", 3]],
      });
      expect(notRelation.message).toContain("res.partner.name is a char field, not a relation");
      const anyOnDenied = await refused("odoo_count_records", {
        model: "res.partner",
        domain: [["user_ids", "any", [[groups, "any", [["name", "=", "Settings"]]]]]],
      });
      expect(anyOnDenied.message).toContain("in its sub-domain on res.users");
      expect(anyOnDenied.message).toContain("res.groups");
      // Paths through allowed models still work.
      const assigned = structured(
        await call("odoo_count_records", { model: "res.partner", domain: [["user_id.login", "=", "admin"]] }),
      );
      expect(assigned.count).toEqual(expect.any(Number));
    });

    it("checks field lists and group-bys the same way", async () => {
      const path = await refused("odoo_search_read_records", {
        model: "sale.order",
        fields: ["name", "partner_id.user_ids.login"],
      });
      expect(path.message).toContain('"partner_id.user_ids.login" follows relations');
      const denied = await refused("odoo_read_records", { model: "res.users", ids: [2], fields: [`${groups}.name`] });
      expect(denied.message).toContain(`goes through res.users.${groups} to res.groups`);
      const grouped = await refused("odoo_aggregate_records", {
        model: "res.users",
        groupby: ["password"],
        aggregates: [],
      });
      expect(grouped.message).toContain('Group-by: "password" names a credential field');
      expect(grouped.methods).toEqual([]);
    });
  });

  describe("credential fields are never read, searched, grouped, written or described", () => {
    it("leaves them out of the field list and of default reads", async () => {
      const described = structured(await call("odoo_get_model_fields", { model: "res.users" }));
      const names = Object.keys(described.fields as Record<string, unknown>);
      expect(names).toContain("login");
      for (const secret of ["password", "new_password", "totp_secret", "api_key_ids"])
        expect(names).not.toContain(secret);
      const asked = structured(
        await call("odoo_get_model_fields", { model: "res.users", fields: ["password", "login"] }),
      );
      expect(Object.keys(asked.fields as Record<string, unknown>)).toEqual(["login"]);
      const [user] = structured(await call("odoo_read_records", { model: "res.users", ids: [2] })).records as Record<
        string,
        unknown
      >[];
      expect(user?.login).toBe("admin");
      expect(JSON.stringify(user)).not.toContain("hunter2");
      const partners = structured(await call("odoo_search_read_records", { model: "res.partner", limit: 5 }));
      expect(JSON.stringify(partners)).not.toContain("s3cr3t-signup-token");
      const fetched = structured(await call("fetch", { id: "res.partner:1" }));
      expect(JSON.stringify(fetched)).not.toContain("s3cr3t-signup-token");
    });

    it("refuses to read, sort by or write them, before calling Odoo", async () => {
      const attempts: [string, Record<string, unknown>][] = [
        ["odoo_read_records", { model: "res.users", ids: [2], fields: ["login", "password"] }],
        ["odoo_search_read_records", { model: "res.partner", fields: ["signup_token"] }],
        ["odoo_search_read_records", { model: "res.users", fields: ["login"], order: "password asc" }],
        ["odoo_search_records", { model: "res.users", order: "totp_secret desc" }],
        ["odoo_aggregate_records", { model: "res.users", groupby: ["share"], orderby: "password desc" }],
        ["odoo_update_record", { model: "res.partner", ids: [1], values: { signup_token: "chosen" } }],
        ["odoo_create_record", { model: "res.partner", values: { name: "x", api_key: "chosen" } }],
      ];
      for (const [tool, args] of attempts) {
        const { message, methods } = await refused(tool, args);
        expect(message, tool).toContain("names a credential field");
        expect(methods, tool).toEqual([]);
      }
    });
  });
});
