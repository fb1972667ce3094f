/**
 * Chatter, email, attachments and PDF reports (issue 19), through the real MCP SDK client against the
 * simulator, on Odoo 17.0 over XML-RPC and 19.0 over JSON-2 (and 19.0's web session for reports).
 */
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { DEMO_USERS } from "@odoo-mcp/odoo-sim";
import { type Stack, startStack, structured, toolError } from "@odoo-mcp/testkit/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** pdf-lib is the simulator's dependency: the test parses the PDFs with it. */
const { PDFDocument } = createRequire(new URL("../../odoo-sim/package.json", import.meta.url))("pdf-lib") as {
  PDFDocument: { load(bytes: Uint8Array): Promise<{ getPageCount(): number }> };
};

const adminApiKey = DEMO_USERS.find((user) => user.login === "admin")?.apiKey as string;
const TARGETS = [
  { name: "Odoo 17.0 over XML-RPC", simVersion: "17.0", mcpEnv: {}, reports: true },
  { name: "Odoo 19.0 over JSON-2", simVersion: "19.0", mcpEnv: { ODOO_PASSWORD: adminApiKey }, reports: false },
  // A password on 19.0: calls and reports share the web client's session.
  { name: "Odoo 19.0 over the web session", simVersion: "19.0", mcpEnv: {}, reports: true },
] as const;

type Rec = Record<string, unknown>;

/** A file server on loopback, for attachments added from a URL. */
async function fileServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    if (request.url === "/big.bin") {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      response.end(Buffer.alloc(2 * 1024 * 1024));
      return;
    }
    response.writeHead(200, { "content-type": "text/csv" }).end("product,qty\nLAP-LEN-X1,12\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe.each(TARGETS)("on $name", ({ simVersion, mcpEnv, reports }) => {
  let stack: Stack;
  let client: Client;
  let files: { url: string; server: Server };
  beforeAll(async () => {
    files = await fileServer();
    stack = await startStack({
      simVersion,
      mcpEnv: {
        ...mcpEnv,
        ODOO_MAIL_RECIPIENTS: "partners",
        MCP_DOWNLOAD_TTL: "3s",
        MCP_FETCH_PRIVATE_HOSTS: "127.0.0.1",
        MCP_FILE_MAX_BYTES: String(1024 * 1024),
      },
    });
    client = await stack.connect(await stack.token());
  });
  afterAll(async () => {
    await stack.close();
    files.server.close();
  });

  const call = (name: string, args: Rec) => client.callTool({ name, arguments: args });
  const ok = async (name: string, args: Rec) => structured(await call(name, args));
  const refused = async (name: string, args: Rec) => toolError(await call(name, args));
  const adminPartner = () => stack.sim.database.requireModel("res.users").rows.get(2)?.partner_id as number;
  const order = (id: number) => stack.sim.database.requireModel("sale.order").rows.get(id) as Rec;

  it("emails the inventory by location to the person who asked (the guide's fourth example)", async () => {
    // "muéstrame el inventario por ubicación y envíalo a mi email"
    const { groups } = await ok("odoo_aggregate_records", {
      model: "stock.quant",
      domain: [["location_id.usage", "=", "internal"]],
      groupby: ["location_id"],
      aggregates: ["quantity:sum"],
    });
    const rows = groups as { location_id: [number, string]; "quantity:sum": number }[];
    expect(rows.length).toBeGreaterThan(1);
    const table = `<table><tr><th>Ubicación</th><th>Cantidad</th></tr>${rows
      .map((row) => `<tr><td>${row.location_id[1]}</td><td>${row["quantity:sum"]}</td></tr>`)
      .join("")}</table>`;
    const before = stack.sim.mailQueue().length;
    const sent = await ok("odoo_send_email", { subject: "Inventario por ubicación", body: table, html: true });
    expect(sent).toMatchObject({
      message_id: expect.any(Number),
      to: [{ id: adminPartner(), name: "Mitchell Admin", email: "admin@miempresa.example" }],
    });
    const queued = stack.sim.mailQueue().slice(before);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({
      subject: "Inventario por ubicación",
      to: [{ partnerId: adminPartner(), email: "admin@miempresa.example" }],
    });
    for (const row of rows) {
      expect(queued[0]?.body).toContain(row.location_id[1]);
      expect(queued[0]?.body).toContain(`<td>${row["quantity:sum"]}</td>`);
    }
  });

  it("posts notes and messages with Odoo's notification rules, never notifying the author", async () => {
    const before = stack.sim.mailQueue().length;
    const note = await ok("odoo_post_message", { model: "sale.order", id: 1, body: "Called the customer." });
    expect(note.message_id).toEqual(expect.any(Number));
    // An internal note notifies nobody unless named.
    expect(stack.sim.mailQueue().length).toBe(before);
    const message = await ok("odoo_post_message", {
      model: "sale.order",
      id: 1,
      kind: "message",
      body: "Your order ships <tomorrow>.",
    });
    const [mail] = stack.sim.mailQueue().slice(before);
    const customer = order(1).partner_id as number;
    expect(mail?.to.map((to) => to.partnerId)).toEqual([customer]);
    expect(mail?.body).toContain("ships &lt;tomorrow&gt;.");
    expect(message.message_id).toBeGreaterThan(note.message_id as number);
  });

  it("sends a quotation with its template and PDF to its customer", async () => {
    const before = stack.sim.mailQueue().length;
    const customer = order(2).partner_id as number;
    const sent = await ok("odoo_send_email", { model: "sale.order", id: 2, partner_ids: [customer] });
    expect(sent.subject).toBe(`Mi Empresa S.L. Quotation (Ref ${order(2).name})`);
    const [mail] = stack.sim.mailQueue().slice(before);
    expect(mail?.to.map((to) => to.partnerId)).toEqual([customer]);
    expect(mail?.attachments).toEqual([
      { name: `${order(2).name}.pdf`, mimetype: "application/pdf", size: expect.any(Number) },
    ]);
  });

  it("refuses recipients who are neither followers nor the record's contact, and email to others without a record", async () => {
    const stranger = stack.sim.database.requireModel("res.users").rows.get(3)?.partner_id as number;
    expect(
      await refused("odoo_send_email", {
        model: "sale.order",
        id: 1,
        subject: "Hi",
        body: "x",
        partner_ids: [stranger],
      }),
    ).toMatch(/neither a follower nor the contact of S0000\d.*Add them as followers/);
    expect(await refused("odoo_send_email", { subject: "Hi", body: "x", partner_ids: [stranger] })).toMatch(
      /must be about a record they follow/,
    );
  });

  it("adds, lists and reads attachments; links serve them for their owner only, until they expire", async () => {
    const added = await ok("odoo_add_attachment", {
      model: "sale.order",
      id: 1,
      name: "notes.txt",
      text: "Deliver after 9:00.",
    });
    const fromUrl = await ok("odoo_add_attachment", { model: "sale.order", id: 1, url: `${files.url}/stock.csv` });
    expect(fromUrl).toMatchObject({ name: "stock.csv", size: 26 });
    expect(await refused("odoo_add_attachment", { model: "sale.order", id: 1, url: `${files.url}/big.bin` })).toMatch(
      /larger than 1 MB/,
    );
    const { attachments } = await ok("odoo_list_attachments", { model: "sale.order", id: 1 });
    expect((attachments as Rec[]).map((file) => file.name)).toEqual(expect.arrayContaining(["notes.txt", "stock.csv"]));
    expect(await ok("odoo_read_attachment", { id: added.id })).toMatchObject({ text: "Deliver after 9:00." });

    const link = String(added.download_url);
    const opened = await fetch(link);
    expect(opened.status).toBe(200);
    expect(opened.headers.get("content-disposition")).toContain('attachment; filename="notes.txt"');
    expect(await opened.text()).toBe("Deliver after 9:00.");
    // Its owner's bearer token is accepted; another person's is refused.
    expect((await fetch(link, { headers: { authorization: `Bearer ${await stack.token()}` } })).status).toBe(200);
    const demo = await stack.token("demo", "demo", "odoo:read");
    const other = await fetch(link, { headers: { authorization: `Bearer ${demo}` } });
    expect(other.status).toBe(403);
    expect(await other.json()).toEqual({ error: expect.stringMatching(/made for someone else/) });
    // A forged token is not a link; an expired one says so.
    expect((await fetch(`${link.slice(0, -3)}abc`)).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 3_100));
    const expired = await fetch(link);
    expect(expired.status).toBe(410);
    expect(await expired.json()).toEqual({ error: expect.stringMatching(/expired/) });
  });

  it("lists a record's attachment links in ChatGPT's fetch", async () => {
    await ok("odoo_add_attachment", { model: "sale.order", id: 3, name: "terms.txt", text: "Net 30." });
    const fetched = await ok("fetch", { id: "sale.order:3" });
    expect(fetched.text).toMatch(/Attachments.*\n- terms\.txt: http:\/\/127\.0\.0\.1:\d+\/downloads\//);
    const [file] = (fetched.metadata as { attachments: { url: string }[] }).attachments;
    expect(await (await fetch(file?.url as string)).text()).toBe("Net 30.");
  });

  // Odoo renders reports for a web session only: with a password they download, with an API key the tool says why.
  it(
    reports
      ? "downloads a quotation's PDF through its link, with the order's name in it"
      : "says why a report cannot be rendered with an API key",
    async () => {
      if (!reports) {
        expect(await refused("odoo_get_report", { model: "sale.order", ids: [1] })).toMatch(
          /web session, which needs a password.*API key/,
        );
        return;
      }
      const report = await ok("odoo_get_report", { model: "sale.order", ids: [1] });
      expect(report).toMatchObject({ report: "Quotation / Order", report_name: "sale.report_saleorder" });
      const response = await fetch(String(report.download_url));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/pdf");
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
      expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1);
      expect(bytes.toString("latin1")).toContain(`(${order(1).name})`);
      // Where the client takes it, the same PDF travels in the result as an embedded resource.
      const embedded = (await call("odoo_get_report", { model: "sale.order", ids: [1], embed: true })).content as {
        type: string;
        resource?: { mimeType: string; blob: string };
      }[];
      const resource = embedded.find((block) => block.type === "resource")?.resource;
      expect(resource?.mimeType).toBe("application/pdf");
      expect(Buffer.from(resource?.blob as string, "base64").toString("latin1")).toContain(`(${order(1).name})`);
      for (const [model, name] of [
        ["account.move", "INV/2025/00001"],
        ["stock.picking", "WH/OUT/"],
      ]) {
        const [id] = (await ok("odoo_search_records", { model, domain: [], limit: 1 })).ids as number[];
        const pdf = await fetch(String((await ok("odoo_get_report", { model, ids: [id] })).download_url));
        expect(Buffer.from(await pdf.arrayBuffer()).toString("latin1")).toContain(name);
      }
    },
  );

  it("refuses reports of models that have none", async () => {
    expect(await refused("odoo_get_report", { model: "res.partner", ids: [1] })).toMatch(
      /no PDF report for res.partner/,
    );
  });
});

describe.each(TARGETS)("with the default recipients (self) on $name", ({ simVersion, mcpEnv }) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ simVersion, mcpEnv });
  });
  afterAll(() => stack.close());

  it("refuses other partners, says what to change, and gives a read-only token no sending tools", async () => {
    const client = await stack.connect(await stack.token());
    const customer = stack.sim.database.requireModel("sale.order").rows.get(1)?.partner_id as number;
    const answer = toolError(
      await client.callTool({
        name: "odoo_send_email",
        arguments: { model: "sale.order", id: 1, subject: "Hi", body: "x", partner_ids: [customer] },
      }),
    );
    expect(answer).toMatch(/only to you .*ODOO_MAIL_RECIPIENTS=self.*leave partner_ids out/);
    // URLs on private addresses are refused unless the operator names the host (tests only).
    expect(
      toolError(
        await client.callTool({
          name: "odoo_add_attachment",
          arguments: { model: "sale.order", id: 1, url: "https://127.0.0.1/x.csv" },
        }),
      ),
    ).toMatch(/private, loopback or local network address/);
    expect(
      toolError(
        await client.callTool({
          name: "odoo_add_attachment",
          arguments: { model: "sale.order", id: 1, url: "http://example.com/x.csv" },
        }),
      ),
    ).toMatch(/Only https:\/\//);

    const reader = await stack.connect(await stack.token("demo", "demo", "odoo:read"));
    const names = (await reader.listTools()).tools.map((tool) => tool.name);
    for (const tool of ["odoo_send_email", "odoo_post_message", "odoo_add_attachment"])
      expect(names).not.toContain(tool);
    expect(names).toEqual(expect.arrayContaining(["odoo_list_attachments", "odoo_read_attachment", "odoo_get_report"]));
    const writer = await stack.connect(await stack.token());
    const sending = (await writer.listTools()).tools.filter((tool) => tool.name === "odoo_send_email");
    expect(sending[0]?.annotations).toMatchObject({ openWorldHint: true, readOnlyHint: false });
  });
});
