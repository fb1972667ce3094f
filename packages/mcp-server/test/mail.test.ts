/**
 * Chatter, email, attachments and PDF reports (issue 19), through the real MCP SDK client, on Odoo 17.0
 * over XML-RPC, 19.0 over JSON-2 and 19.0's web session (reports need a password): simulated, and real
 * under `pnpm test:odoo`. What Odoo queued is read back from mail.mail by its administrator.
 */
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { guideFixtures } from "@odoo-mcp/odoo-sim";
import { odooTargets, type Stack, startStack, structured, toolError } from "@odoo-mcp/testkit/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** pdf-lib is the simulator's dependency: the test parses the PDFs with it. */
const { PDFDocument } = createRequire(new URL("../../odoo-sim/package.json", import.meta.url))("pdf-lib") as {
  PDFDocument: { load(bytes: Uint8Array): Promise<{ getPageCount(): number }> };
};

const TARGETS = odooTargets(["17.0 over XML-RPC", "19.0 over JSON-2", "19.0 over the web session"]);
/** Odoo renders reports for a web session only, which takes a password, not an API key. */
const rendersReports = (target: (typeof TARGETS)[number]) => target.over !== "JSON-2";

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

describe.each(TARGETS)("on $name", (target) => {
  const reports = rendersReports(target);
  let stack: Stack;
  let client: Client;
  let files: { url: string; server: Server };
  beforeAll(async () => {
    files = await fileServer();
    stack = await startStack({
      target,
      mcpEnv: {
        ODOO_MAIL_RECIPIENTS: "partners",
        MCP_DOWNLOAD_TTL: "5s",
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
  const admin = () => stack.odoo.admin;
  const partnerOf = async (login: string) => {
    const [user] = (await admin().executeKw("res.users", "search_read", [[["login", "=", login]]], {
      fields: ["partner_id"],
    })) as { partner_id: [number, string] }[];
    const [partner] = (await admin().executeKw("res.partner", "read", [[user?.partner_id[0]], ["name", "email"]])) as {
      id: number;
      name: string;
      email: string;
    }[];
    return partner as { id: number; name: string; email: string };
  };
  /** An order of the demo data, the n-th by id, in the given state when named. */
  const order = async (n = 0, state?: string) => {
    const orders = (await admin().executeKw("sale.order", "search_read", [state ? [["state", "=", state]] : []], {
      fields: ["name", "partner_id", "state"],
      order: "id",
    })) as { id: number; name: string; partner_id: [number, string] }[];
    const found = orders[n];
    if (!found) throw new Error(`no sale order #${n}${state ? ` in state ${state}` : ""}`);
    return { id: found.id, name: found.name, customer: found.partner_id[0] };
  };

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
    const me = await partnerOf(stack.odoo.users.admin.login);
    const before = (await stack.odoo.mailQueue()).length;
    const sent = await ok("odoo_send_email", { subject: "Inventario por ubicación", body: table, html: true });
    expect(sent).toMatchObject({
      message_id: expect.any(Number),
      to: [{ id: me.id, name: "Mitchell Admin", email: me.email }],
      // Odoo escapes the body of a direct email (message_notify): the table travels as its text.
      body_sent_as: "text",
    });
    const queued = (await stack.odoo.mailQueue()).slice(before);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({
      subject: "Inventario por ubicación",
      to: [{ partnerId: me.id, email: me.email }],
    });
    expect(queued[0]?.body).toContain("Ubicación | Cantidad");
    for (const row of rows) expect(queued[0]?.body).toContain(`${row.location_id[1]} | ${row["quantity:sum"]}`);
  });

  it("posts notes and messages with Odoo's notification rules, never notifying the author", async () => {
    const first = await order();
    const before = (await stack.odoo.mailQueue()).length;
    const note = await ok("odoo_post_message", { model: "sale.order", id: first.id, body: "Called the customer." });
    expect(note.message_id).toEqual(expect.any(Number));
    // An internal note notifies nobody unless named.
    expect((await stack.odoo.mailQueue()).length).toBe(before);
    const message = await ok("odoo_post_message", {
      model: "sale.order",
      id: first.id,
      kind: "message",
      body: "Your order ships <tomorrow>.",
    });
    const mails = (await stack.odoo.mailQueue()).slice(before);
    // The followers with an email address get it, never the author.
    const me = await partnerOf(stack.odoo.users.admin.login);
    const followers = (await admin().executeKw(
      "mail.followers",
      "search_read",
      [
        [
          ["res_model", "=", "sale.order"],
          ["res_id", "=", first.id],
          ["partner_id.email", "!=", false],
        ],
      ],
      { fields: ["partner_id"] },
    )) as { partner_id: [number, string] }[];
    const expected = followers.map((follower) => follower.partner_id[0]).filter((id) => id !== me.id);
    expect(expected.length).toBeGreaterThan(0);
    const recipients = mails.flatMap((mail) => mail.to.map((to) => to.partnerId));
    expect(new Set(recipients)).toEqual(new Set(expected));
    expect(mails[0]?.body).toContain("ships &lt;tomorrow&gt;.");
    expect(message.message_id).toBeGreaterThan(note.message_id as number);
  });

  it("sends a quotation with its template and PDF to its customer, as its Send button does", async () => {
    const quotation = await order(0, "draft");
    const before = (await stack.odoo.mailQueue()).length;
    const sent = await ok("odoo_send_email", {
      model: "sale.order",
      id: quotation.id,
      partner_ids: [quotation.customer],
    });
    expect(sent.subject).toBe(`${guideFixtures.MAIN_COMPANY.name} Quotation (Ref ${quotation.name})`);
    const mails = (await stack.odoo.mailQueue()).slice(before);
    const toCustomer = mails.find((mail) => mail.to.some((to) => to.partnerId === quotation.customer));
    expect(toCustomer?.subject).toBe(sent.subject);
    expect(toCustomer?.attachments).toEqual([
      {
        name: expect.stringMatching(new RegExp(`${quotation.name}\\.pdf$`)),
        mimetype: "application/pdf",
        size: expect.any(Number),
      },
    ]);
    // Odoo's own hook ran: the quotation is marked sent.
    const [after] = (await admin().executeKw("sale.order", "read", [[quotation.id], ["state"]])) as { state: string }[];
    expect(after?.state).toBe("sent");
  });

  it("refuses recipients who are neither followers nor the record's contact, and email to others without a record", async () => {
    const first = await order();
    const stranger = (await partnerOf(stack.odoo.users.user.login)).id;
    expect(
      await refused("odoo_send_email", {
        model: "sale.order",
        id: first.id,
        subject: "Hi",
        body: "x",
        partner_ids: [stranger],
      }),
    ).toMatch(new RegExp(`neither a follower nor the contact of ${first.name}.*Add them as followers`));
    expect(await refused("odoo_send_email", { subject: "Hi", body: "x", partner_ids: [stranger] })).toMatch(
      /must be about a record they follow/,
    );
  });

  it("adds, lists and reads attachments; links serve them for their owner only, until they expire", async () => {
    // Both people's tokens first: a link lives MCP_DOWNLOAD_TTL, and a sign-in on a loaded machine can outlast it.
    const ownersToken = await stack.token();
    const { user } = stack.odoo.users;
    const someoneElse = await stack.token(user.login, user.password, "odoo:read");
    const { id } = await order();
    const added = await ok("odoo_add_attachment", {
      model: "sale.order",
      id,
      name: "notes.txt",
      text: "Deliver after 9:00.",
    });
    const fromUrl = await ok("odoo_add_attachment", { model: "sale.order", id, url: `${files.url}/stock.csv` });
    expect(fromUrl).toMatchObject({ name: "stock.csv", size: 26 });
    expect(await refused("odoo_add_attachment", { model: "sale.order", id, url: `${files.url}/big.bin` })).toMatch(
      /larger than 1 MB/,
    );
    const { attachments } = await ok("odoo_list_attachments", { model: "sale.order", id });
    expect((attachments as Rec[]).map((file) => file.name)).toEqual(expect.arrayContaining(["notes.txt", "stock.csv"]));
    expect(await ok("odoo_read_attachment", { id: added.id })).toMatchObject({ text: "Deliver after 9:00." });

    const link = String(added.download_url);
    const opened = await fetch(link);
    expect(opened.status).toBe(200);
    expect(opened.headers.get("content-disposition")).toContain('attachment; filename="notes.txt"');
    expect(await opened.text()).toBe("Deliver after 9:00.");
    // Its owner's bearer token is accepted; another person's is refused.
    expect((await fetch(link, { headers: { authorization: `Bearer ${ownersToken}` } })).status).toBe(200);
    const other = await fetch(link, { headers: { authorization: `Bearer ${someoneElse}` } });
    expect(other.status).toBe(403);
    expect(await other.json()).toEqual({ error: expect.stringMatching(/made for someone else/) });
    // A forged token is not a link; an expired one says so.
    expect((await fetch(`${link.slice(0, -3)}abc`)).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    const expired = await fetch(link);
    expect(expired.status).toBe(410);
    expect(await expired.json()).toEqual({ error: expect.stringMatching(/expired/) });
  });

  it("does not hand out a binary field's value that Odoo keeps as an attachment (an image, a key)", async () => {
    const [field] = (await admin().executeKw(
      "ir.attachment",
      "search_read",
      [
        [
          ["res_field", "!=", false],
          ["res_model", "=", "res.partner"],
        ],
      ],
      { fields: ["res_model", "res_id", "res_field"], limit: 1 },
    )) as { id: number; res_model: string; res_id: number; res_field: string }[];
    expect(field?.res_field).toBeTruthy();
    expect(await refused("odoo_read_attachment", { id: field?.id })).toContain(
      `holds the value of a field of a res.partner record, not a file`,
    );
    const { attachments } = await ok("odoo_list_attachments", { model: "res.partner", id: field?.res_id });
    expect((attachments as Rec[]).map((file) => file.id)).not.toContain(field?.id);
    expect(
      await refused("odoo_send_email", { subject: "Key", body: "Here", attachment_ids: [field?.id as number] }),
    ).toContain("holds the value of a field");
  });

  it("lists a record's attachment links in ChatGPT's fetch", async () => {
    const { id } = await order(1);
    await ok("odoo_add_attachment", { model: "sale.order", id, name: "terms.txt", text: "Net 30." });
    const fetched = await ok("fetch", { id: `sale.order:${id}` });
    expect(fetched.text).toMatch(/Attachments.*\n- terms\.txt: http:\/\/127\.0\.0\.1:\d+\/downloads\//);
    const [file] = (fetched.metadata as { attachments: { url: string }[] }).attachments;
    expect(await (await fetch(file?.url as string)).text()).toBe("Net 30.");
  });

  /**
   * A report's PDF: `%PDF-`, its pages, and where the text can be read (the simulator's; Debian's
   * wkhtmltopdf draws text as shapes) the record's name in it.
   */
  const expectPdf = async (bytes: Buffer, name: string) => {
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect((await PDFDocument.load(bytes)).getPageCount()).toBeGreaterThanOrEqual(1);
    if (!stack.odoo.real) expect(bytes.toString("latin1")).toContain(name);
  };

  // Odoo renders reports for a web session only: with a password they download, with an API key the tool says why.
  it(
    reports
      ? "downloads a quotation's PDF through its link, with the order's name in it"
      : "says why a report cannot be rendered with an API key",
    async () => {
      const first = await order();
      if (!reports) {
        expect(await refused("odoo_get_report", { model: "sale.order", ids: [first.id] })).toMatch(
          /web session, which needs a password.*API key/,
        );
        return;
      }
      const report = await ok("odoo_get_report", { model: "sale.order", ids: [first.id] });
      // Its name is the data's: "Quotation / Order", or "PDF Quote" where sale_pdf_quote_builder renames it.
      expect(report).toMatchObject({ report: expect.any(String), report_name: "sale.report_saleorder" });
      const response = await fetch(String(report.download_url));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/pdf");
      await expectPdf(Buffer.from(await response.arrayBuffer()), `(${first.name})`);
      // Where the client takes it, the same PDF travels in the result as an embedded resource.
      const embedded = (await call("odoo_get_report", { model: "sale.order", ids: [first.id], embed: true }))
        .content as {
        type: string;
        resource?: { mimeType: string; blob: string };
      }[];
      const resource = embedded.find((block) => block.type === "resource")?.resource;
      expect(resource?.mimeType).toBe("application/pdf");
      await expectPdf(Buffer.from(resource?.blob as string, "base64"), `(${first.name})`);
      for (const [model, domain] of [
        [
          "account.move",
          [
            ["move_type", "=", "out_invoice"],
            ["state", "=", "posted"],
          ],
        ],
        ["stock.picking", [["picking_type_code", "=", "outgoing"]]],
      ] as const) {
        const { records } = await ok("odoo_search_read_records", { model, domain, fields: ["name"], limit: 1 });
        const [record] = records as { id: number; name: string }[];
        const pdf = await fetch(String((await ok("odoo_get_report", { model, ids: [record?.id] })).download_url));
        await expectPdf(Buffer.from(await pdf.arrayBuffer()), String(record?.name));
      }
    },
  );

  it("refuses reports of models that have none", async () => {
    expect(await refused("odoo_get_report", { model: "res.partner", ids: [1] })).toMatch(
      /no PDF report for res.partner/,
    );
  });
});

describe.each(TARGETS)("with the default recipients (self) on $name", (target) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ target });
  });
  afterAll(() => stack.close());

  it("refuses other partners, says what to change, and gives a read-only token no sending tools", async () => {
    const client = await stack.connect(await stack.token());
    const [order] = (await stack.odoo.admin.executeKw("sale.order", "search_read", [[]], {
      fields: ["partner_id"],
      order: "id",
      limit: 1,
    })) as { id: number; partner_id: [number, string] }[];
    const id = order?.id as number;
    const answer = toolError(
      await client.callTool({
        name: "odoo_send_email",
        arguments: { model: "sale.order", id, subject: "Hi", body: "x", partner_ids: [order?.partner_id[0]] },
      }),
    );
    expect(answer).toMatch(/only to you .*ODOO_MAIL_RECIPIENTS=self.*leave partner_ids out/);
    // URLs on private addresses are refused unless the operator names the host (tests only).
    expect(
      toolError(
        await client.callTool({
          name: "odoo_add_attachment",
          arguments: { model: "sale.order", id, url: "https://127.0.0.1/x.csv" },
        }),
      ),
    ).toMatch(/not on the public internet/);
    expect(
      toolError(
        await client.callTool({
          name: "odoo_add_attachment",
          arguments: { model: "sale.order", id, url: "http://example.com/x.csv" },
        }),
      ),
    ).toMatch(/Only https:\/\//);

    const { user } = stack.odoo.users;
    const reader = await stack.connect(await stack.token(user.login, user.password, "odoo:read"));
    const names = (await reader.listTools()).tools.map((tool) => tool.name);
    for (const tool of ["odoo_send_email", "odoo_post_message", "odoo_add_attachment"])
      expect(names).not.toContain(tool);
    expect(names).toEqual(expect.arrayContaining(["odoo_list_attachments", "odoo_read_attachment", "odoo_get_report"]));
    const writer = await stack.connect(await stack.token());
    const sending = (await writer.listTools()).tools.filter((tool) => tool.name === "odoo_send_email");
    expect(sending[0]?.annotations).toMatchObject({ openWorldHint: true, readOnlyHint: false });
  });
});
