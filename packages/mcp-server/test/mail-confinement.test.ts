/**
 * Mail confined to what the operator says (security review, round three, finding 3): each attack is made
 * for real against the simulator and its mail queue shows nothing left.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { type Stack, startStack, structured, toolError } from "@odoo-mcp/testkit/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** An order followed by every contact that has an address (a mailing list in disguise). */
async function crowdedOrder(stack: Stack): Promise<number> {
  const [order] = (await stack.odoo.admin.executeKw("sale.order", "search", [[]], { limit: 1 })) as number[];
  const everyone = (await stack.odoo.admin.executeKw("res.partner", "search", [[["email", "!=", false]]])) as number[];
  await stack.odoo.admin.executeKw("sale.order", "message_subscribe", [[order]], { partner_ids: everyone });
  expect(everyone.length).toBeGreaterThan(50);
  return order as number;
}

/** A chatter message to the order's followers (Odoo e-mails each), answered with the tool's refusal. */
async function messageFollowers(client: Client, order: number): Promise<string> {
  return toolError(
    await client.callTool({
      name: "odoo_post_message",
      arguments: { model: "sale.order", id: order, kind: "message", body: "Buy now!" },
    }),
  );
}

describe("ODOO_MAIL_RECIPIENTS=self", () => {
  let stack: Stack;
  let client: Client;
  beforeAll(async () => {
    stack = await startStack({ mcpEnv: { ODOO_MAIL_RECIPIENTS: "self", ODOO_MAIL_HOURLY_LIMIT: "3" } });
    client = await stack.connect(await stack.token());
  });
  afterAll(() => stack.close());

  it("refuses a chatter message that Odoo would e-mail to every follower", async () => {
    const order = await crowdedOrder(stack);
    const before = (await stack.odoo.mailQueue()).length;
    const refused = await messageFollowers(client, order);
    expect(refused).toMatch(/e-mailed to its followers.*ODOO_MAIL_RECIPIENTS=self.*kind "note"/);
    expect((await stack.odoo.mailQueue()).length).toBe(before);
    // A note to nobody else still goes on the chatter, and e-mails no one.
    expect(
      structured(
        await client.callTool({
          name: "odoo_post_message",
          arguments: { model: "sale.order", id: order, body: "Noted." },
        }),
      ),
    ).toMatchObject({ kind: "note", notified: [] });
    expect((await stack.odoo.mailQueue()).length).toBe(before);
  });

  it("keeps a subject on one line: CR and LF cannot add mail headers", async () => {
    const before = (await stack.odoo.mailQueue()).length;
    const sent = structured(
      await client.callTool({
        name: "odoo_send_email",
        arguments: { subject: "Inventory\r\nBcc: attacker@evil.example\r\n", body: "Totals" },
      }),
    );
    expect(sent.subject).toBe("Inventory Bcc: attacker@evil.example");
    const [mail] = (await stack.odoo.mailQueue()).slice(before);
    expect(mail?.subject).toBe("Inventory Bcc: attacker@evil.example");
    expect(mail?.subject).not.toMatch(/[\r\n]/);
  });

  it("caps the e-mails a person sends in an hour, refusing before anything is queued", async () => {
    const queued = async () => (await stack.odoo.mailQueue()).length;
    const send = () => client.callTool({ name: "odoo_send_email", arguments: { subject: "Report", body: "Again" } });
    // One went out in the test before: two more reach the limit of three.
    expect(structured(await send()).message_id).toEqual(expect.any(Number));
    expect(structured(await send()).message_id).toEqual(expect.any(Number));
    const before = await queued();
    expect(toolError(await send())).toMatch(/past the 3 you may send in an hour.*ODOO_MAIL_HOURLY_LIMIT/);
    expect(await queued()).toBe(before);
  });
});

describe("ODOO_MAIL_RECIPIENTS=partners", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ mcpEnv: { ODOO_MAIL_RECIPIENTS: "partners", ODOO_MAIL_HOURLY_LIMIT: "30" } });
  });
  afterAll(() => stack.close());

  it("counts every follower a message reaches against the hourly cap", async () => {
    const client = await stack.connect(await stack.token());
    const order = await crowdedOrder(stack);
    const before = (await stack.odoo.mailQueue()).length;
    const refused = await messageFollowers(client, order);
    expect(refused).toMatch(/This would send \d+ e-mails, past the 30 you may send in an hour/);
    expect((await stack.odoo.mailQueue()).length).toBe(before);
  });
});
