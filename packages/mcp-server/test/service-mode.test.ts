/**
 * Writes happen only as the person (security review, round three, finding 1). In service mode every
 * call runs as one service account, so the server would write what Odoo refuses the person: it is
 * read-only unless the operator opts in (ODOO_SERVICE_WRITES), and even then Odoo users' contacts and
 * every model Odoo reserves to its administrators are refused. Each attack is made for real against the
 * simulator and shown to change nothing.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { chatgptClient, codeFlow, exchange } from "@odoo-mcp/testkit/oauth";
import { type Stack, startStack, structured, toolError } from "@odoo-mcp/testkit/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Rec = Record<string, unknown>;
const serviceMode = (writes: boolean) => ({ ODOO_AUTH_MODE: "service", ODOO_SERVICE_WRITES: String(writes) });

/** The e-mail of the contact of the user `login`, and its id, read straight from the simulator. */
function contactOf(stack: Stack, login: string): { id: number; email: unknown } {
  const db = stack.sim.database;
  const user = [...db.requireModel("res.users").rows.values()].find((row) => row.login === login);
  const id = user?.partner_id as number;
  return { id, email: db.requireModel("res.partner").rows.get(id)?.email };
}

const writeTools = ["odoo_create_record", "odoo_update_record", "odoo_delete_record", "odoo_call_method"];

describe("service mode without ODOO_SERVICE_WRITES: the server changes nothing", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ authEnv: serviceMode(false), mcpEnv: serviceMode(false) });
  });
  afterAll(() => stack.close());

  it("offers no odoo:write at consent, says why, and leaves every write tool out", async () => {
    const config = await chatgptClient(stack.auth.url, await stack.auth.chatgptSecret());
    const flow = await codeFlow(config, { scope: "odoo:read odoo:write", resource: stack.mcpUrl });
    const consent = flow.pages.find((page) => page.kind === "consent")?.html ?? "";
    expect(consent).not.toContain('value="odoo:write"');
    expect(consent).toContain("This server lets apps read Odoo only");
    const tokens = await exchange(config, flow);
    expect(tokens.scope?.split(" ")).not.toContain("odoo:write");
    const client = await stack.connect(tokens.access_token);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    for (const tool of writeTools) expect(names).not.toContain(tool);
    expect(names).toContain("odoo_search_read_records");
  });

  it("refuses the attack of rewriting the administrator's e-mail, saying writes happen as the person", async () => {
    const client = await stack.connect(await stack.token());
    const admin = contactOf(stack, "admin");
    const refused = toolError(
      await client.callTool({
        name: "odoo_update_record",
        arguments: { model: "res.partner", ids: [admin.id], values: { email: "attacker@evil.example" } },
      }),
    );
    expect(refused).toContain("this server changes nothing in anyone's name");
    expect(contactOf(stack, "admin").email).toBe(admin.email);
  });
});

describe("the MCP server holds to a read-only service mode even when the authorization server grants odoo:write", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ authEnv: serviceMode(true), mcpEnv: serviceMode(false) });
  });
  afterAll(() => stack.close());

  it("takes odoo:write out of the token's scopes and refuses write tools", async () => {
    const client = await stack.connect(await stack.token());
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    for (const tool of writeTools) expect(names).not.toContain(tool);
    const before = stack.sim.database.requireModel("res.partner").nextId;
    const refused = toolError(
      await client.callTool({ name: "odoo_create_record", arguments: { model: "res.partner", values: { name: "X" } } }),
    );
    expect(refused).toContain("this server changes nothing in anyone's name");
    expect(stack.sim.database.requireModel("res.partner").nextId).toBe(before);
  });
});

describe("service mode with ODOO_SERVICE_WRITES: users' contacts and administrators' models stay out", () => {
  let stack: Stack;
  let client: Client;
  const call = (name: string, args: Rec) => client.callTool({ name, arguments: args });
  beforeAll(async () => {
    stack = await startStack({ authEnv: serviceMode(true), mcpEnv: serviceMode(true) });
    client = await stack.connect(await stack.token());
  });
  afterAll(() => stack.close());

  it("refuses to rewrite another user's contact, directly, through a company's contacts, or by deleting it", async () => {
    const demo = contactOf(stack, "demo");
    const partners = stack.sim.database.requireModel("res.partner");
    const [company] = [...partners.rows.values()].filter((row) => row.is_company && !row.user_ids);
    const attempts: [string, Rec][] = [
      ["odoo_update_record", { model: "res.partner", ids: [demo.id], values: { email: "attacker@evil.example" } }],
      [
        "odoo_update_record",
        {
          model: "res.partner",
          ids: [company?.id],
          values: { child_ids: [[1, demo.id, { email: "attacker@evil.example" }]] },
        },
      ],
      [
        "odoo_create_record",
        {
          model: "res.partner",
          values: { name: "Cover", child_ids: [[1, demo.id, { email: "attacker@evil.example" }]] },
        },
      ],
      ["odoo_update_record", { model: "res.partner", ids: [company?.id], values: { child_ids: [[2, demo.id]] } }],
      ["odoo_delete_record", { model: "res.partner", ids: [demo.id] }],
    ];
    const before = partners.nextId;
    for (const [tool, args] of attempts) {
      expect(toolError(await call(tool, args)), tool).toMatch(/belongs to an Odoo user/);
    }
    expect(contactOf(stack, "demo")).toEqual(demo);
    expect(partners.nextId).toBe(before);
    // A customer's contact is still the service account's to change.
    const customer = [...partners.rows.values()].find((row) => row.customer_rank && !row.is_company);
    expect(
      structured(
        await call("odoo_update_record", { model: "res.partner", ids: [customer?.id], values: { phone: "+34 1" } }),
      ),
    ).toMatchObject({ updated: true });
  });

  it("refuses models Odoo lets only its administrators change or read, asking Odoo which they are", async () => {
    const countries = stack.sim.database.requireModel("res.country");
    const [spain] = [...countries.rows.values()].filter((row) => row.code === "ES");
    // res.country: every group reads it, only Settings changes it (ir.model.access).
    expect(
      toolError(await call("odoo_update_record", { model: "res.country", ids: [spain?.id], values: { name: "X" } })),
    ).toContain("Odoo lets only its administrators change res.country records");
    expect(stack.sim.database.displayNameOf("res.country", spain?.id as number)).toBe("Spain");
    // mail.mail: only Settings reads the outgoing mail queue.
    expect(toolError(await call("odoo_search_read_records", { model: "mail.mail" }))).toContain(
      "Odoo lets only its administrators read mail.mail",
    );
    // A field Odoo restricts to Settings (mail.message.mail_ids, `groups="base.group_system"`) is neither
    // described, read nor searched through, though the service account may: recognised by that attribute.
    const fields = structured(await call("odoo_get_model_fields", { model: "mail.message" })).fields as Rec;
    expect(Object.keys(fields)).toContain("body");
    expect(Object.keys(fields)).not.toContain("mail_ids");
    expect(
      toolError(await call("odoo_search_read_records", { model: "mail.message", fields: ["body", "mail_ids"] })),
    ).toContain('mail.message has no field "mail_ids"');
    expect(
      toolError(
        await call("odoo_count_records", { model: "mail.message", domain: [["mail_ids.email_to", "ilike", "x"]] }),
      ),
    ).toContain('mail.message has no field "mail_ids"');
    // What sales managers may change, the service account still changes for people Odoo lets write.
    expect(
      structured(await call("odoo_create_record", { model: "product.template", values: { name: "Guarded product" } })),
    ).toMatchObject({ created: true });
  });
});
