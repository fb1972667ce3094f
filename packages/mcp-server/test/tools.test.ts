import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { odooTargets, type Stack, startStack, structured, toolError } from "@odoo-mcp/testkit/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** Every tool test runs on every Odoo release over every protocol it speaks, simulated and real. */
describe.each(odooTargets())("on $name", (target) => {
  let stack: Stack;
  let client: Client;
  beforeAll(async () => {
    stack = await startStack({ target, mcpEnv: { ODOO_MAX_RECORDS: "50" } });
    client = await stack.connect(await stack.token());
  });
  afterAll(() => stack.close());

  type Rec = Record<string, unknown>;
  const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });

  describe("tools/list", () => {
    it("lists every tool with explicit annotations, a title and the scope it needs", async () => {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(
        [
          "fetch",
          "odoo_aggregate_records",
          "odoo_call_method",
          "odoo_count_records",
          "odoo_create_record",
          "odoo_delete_record",
          "odoo_confirm_change",
          "odoo_get_model_fields",
          "odoo_list_models",
          "odoo_name_search",
          "odoo_read_records",
          "odoo_search_read_records",
          "odoo_search_records",
          "odoo_update_record",
          "odoo_post_message",
          "odoo_send_email",
          "odoo_list_attachments",
          "odoo_read_attachment",
          "odoo_add_attachment",
          "odoo_get_report",
          "odoo_get_report_preview",
          "search",
        ].sort(),
      );
      for (const tool of tools) {
        expect(tool.title, tool.name).toBeTruthy();
        for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
          expect(typeof tool.annotations?.[hint], `${tool.name}.${hint}`).toBe("boolean");
        }
        expect(tool._meta?.securitySchemes).toEqual([
          { type: "oauth2", scopes: [tool.annotations?.readOnlyHint ? "odoo:read" : "odoo:write"] },
        ]);
        expect(tool.inputSchema.type).toBe("object");
      }
      // The SDK client keeps only the fields it knows; ChatGPT reads securitySchemes off the wire.
      const wire = await fetch(stack.mcpUrl, {
        method: "POST",
        headers: {
          authorization: `Bearer ${await stack.token()}`,
          "content-type": "application/json",
          accept: "application/json",
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
      });
      const listed = (
        (await wire.json()) as {
          result: { tools: { name: string; securitySchemes: unknown; _meta: { securitySchemes: unknown } }[] };
        }
      ).result.tools;
      for (const tool of listed) expect(tool.securitySchemes, tool.name).toEqual(tool._meta.securitySchemes);
      const del = tools.find((tool) => tool.name === "odoo_delete_record");
      expect(del?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: true });
      const callMethod = tools.find((tool) => tool.name === "odoo_call_method");
      expect(callMethod?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
      const create = tools.find((tool) => tool.name === "odoo_create_record");
      expect(create?.annotations).toMatchObject({ destructiveHint: false, idempotentHint: false });
    });
  });

  describe("read tools", () => {
    it("finds the first 5 active customers", async () => {
      const result = structured(
        await call("odoo_search_read_records", {
          model: "res.partner",
          domain: [["customer_rank", ">", 0]],
          fields: ["name", "email", "country_id"],
          limit: 5,
        }),
      );
      expect(result).toMatchObject({ model: "res.partner", count: 5, offset: 0, limit: 5, has_more: true });
      const records = result.records as Rec[];
      expect(records).toHaveLength(5);
      expect(records[0]).toEqual({
        id: expect.any(Number),
        name: expect.any(String),
        email: expect.any(String),
        country_id: [expect.any(Number), expect.any(String)],
      });
      expect(
        structured(await call("odoo_count_records", { model: "res.partner", domain: [["customer_rank", ">", 0]] }))
          .count,
      ).toBeGreaterThan(20);
    });

    it("follows dotted paths and pages with offset", async () => {
      const domain = [
        ["customer_rank", ">", 0],
        ["country_id.code", "=", "ES"],
      ];
      const count = structured(await call("odoo_count_records", { model: "res.partner", domain })).count as number;
      expect(count).toBeGreaterThanOrEqual(10);
      const first = structured(
        await call("odoo_search_read_records", {
          model: "res.partner",
          domain,
          fields: ["name"],
          limit: 10,
          order: "name asc",
        }),
      );
      const second = structured(
        await call("odoo_search_read_records", {
          model: "res.partner",
          domain,
          fields: ["name"],
          limit: 10,
          offset: 10,
          order: "name asc",
        }),
      );
      const ids = [...(first.records as Rec[]), ...(second.records as Rec[])].map((record) => record.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(first.has_more).toBe(count > 10);
      expect(second.has_more).toBe(count > 20);
      const search = structured(await call("odoo_search_records", { model: "res.partner", domain, limit: 3 }));
      expect(search).toMatchObject({ count: 3, ids: expect.any(Array) });
    });

    it("caps the number of records per call and says so", async () => {
      const result = structured(
        await call("odoo_search_read_records", { model: "res.partner", fields: ["name"], limit: 100_000 }),
      );
      expect(result.limit).toBe(50);
      expect(result.count).toBe(50);
      expect(result.note).toContain("50");
    });

    it("reads by id, listing ids that do not exist", async () => {
      const [spain] = structured(
        await call("odoo_search_records", { model: "res.country", domain: [["code", "=", "ES"]] }),
      ).ids as number[];
      const result = structured(
        await call("odoo_read_records", { model: "res.country", ids: [spain, 99999], fields: ["name", "code"] }),
      );
      expect(result).toMatchObject({ records: [{ id: spain, name: "Spain", code: "ES" }], missing_ids: [99999] });
    });

    it("describes fields, lists models (without internals) and finds records by name", async () => {
      const fields = structured(
        await call("odoo_get_model_fields", { model: "product.template", fields: ["list_price", "type"] }),
      );
      expect(fields.fields).toMatchObject({
        list_price: { type: "float" },
        type: { type: "selection", selection: expect.any(Array) },
      });
      const models = structured(await call("odoo_list_models", {})).models as { model: string }[];
      expect(models.map((m) => m.model)).toEqual(
        expect.arrayContaining(["res.partner", "sale.order", "stock.picking"]),
      );
      expect(models.some((m) => m.model.startsWith("ir."))).toBe(false);
      const stock = structured(await call("odoo_list_models", { query: "stock" })).models as { model: string }[];
      expect(stock.every((m) => m.model.includes("stock") || m.model.includes("picking"))).toBe(true);
      const matches = structured(await call("odoo_name_search", { model: "stock.location", name: "Stock" }))
        .matches as {
        name: string;
      }[];
      expect(matches.map((m) => m.name)).toEqual(expect.arrayContaining(["WH/Stock", "TN/Stock"]));
    });

    it("leaves binary fields out of default reads and keeps many2one values readable", async () => {
      const result = structured(await call("odoo_search_read_records", { model: "sale.order", limit: 1 }));
      const [order] = result.records as Rec[];
      expect(order?.partner_id).toEqual([expect.any(Number), expect.any(String)]);
      expect(Object.keys(order ?? {})).not.toContain("order_line"); // one2many left out by default
    });
  });

  describe("write tools", () => {
    it("creates a product, reads it back, updates it and deletes it", async () => {
      const created = structured(
        await call("odoo_create_record", {
          model: "product.template",
          values: { name: "Laptop Dell", list_price: 899, default_code: "LAP-DELL-001" },
        }),
      );
      expect(created).toMatchObject({
        model: "product.template",
        id: expect.any(Number),
        display_name: "[LAP-DELL-001] Laptop Dell",
        created: true,
      });
      const id = created.id as number;
      const read = structured(
        await call("odoo_read_records", {
          model: "product.template",
          ids: id,
          fields: ["name", "list_price", "default_code"],
        }),
      );
      expect(read.records).toEqual([{ id, name: "Laptop Dell", list_price: 899, default_code: "LAP-DELL-001" }]);
      expect(
        structured(
          await call("odoo_update_record", { model: "product.template", ids: [id], values: { list_price: 849 } }),
        ),
      ).toMatchObject({ updated: true });
      const after = structured(
        await call("odoo_read_records", { model: "product.template", ids: [id], fields: ["list_price"] }),
      );
      expect((after.records as Rec[])[0]?.list_price).toBe(849);
      expect(structured(await call("odoo_delete_record", { model: "product.template", ids: id }))).toMatchObject({
        deleted: true,
      });
      expect(structured(await call("odoo_read_records", { model: "product.template", ids: [id] })).missing_ids).toEqual(
        [id],
      );
    });

    it("refuses unknown fields instead of letting Odoo drop them", async () => {
      const message = toolError(
        await call("odoo_create_record", { model: "product.template", values: { name: "X", price: 10 } }),
      );
      expect(message).toContain('product.template has no field "price"');
    });
  });

  describe("errors the model can act on", () => {
    it("rejects an invalid domain and says why", async () => {
      expect(
        toolError(await call("odoo_search_records", { model: "res.partner", domain: [["name", "resembles", "x"]] })),
      ).toMatch(/unknown operator "resembles"/);
      expect(
        toolError(await call("odoo_search_records", { model: "res.partner", domain: [["nmae", "=", "x"]] })),
      ).toContain('res.partner has no field "nmae"');
      expect(
        toolError(await call("odoo_search_records", { model: "res.partner", domain: ["|", ["name", "=", "x"]] })),
      ).toContain("unbalanced");
      expect(
        toolError(await call("odoo_search_records", { model: "res.partner", domain: ["name", "=", "x"] })),
      ).toContain("Item 0");
    });

    it("keeps internal and security models out", async () => {
      for (const model of ["ir.config_parameter", "res.users.apikeys", "res.groups"]) {
        expect(toolError(await call("odoo_search_read_records", { model }))).toContain(
          "not available through this server",
        );
      }
    });

    it("turns Odoo faults into tool errors with Odoo's message and no traceback", async () => {
      const unknownModel = toolError(await call("odoo_count_records", { model: "foo.bar" }));
      expect(unknownModel).toMatch(
        /^Odoo rejected the request: (Object foo\.bar doesn't exist|the model 'foo\.bar' does not exist|'foo\.bar')$/,
      );
      const deleted = toolError(
        await call("odoo_update_record", { model: "res.partner", ids: [999999], values: { name: "x" } }),
      );
      expect(deleted).toContain("Record does not exist or has been deleted.");
      expect(deleted).not.toContain("Traceback");
      const invalid = toolError(
        await call("odoo_create_record", { model: "res.partner", values: { name: "x", type: "alien" } }),
      );
      expect(invalid).toBe("Odoo rejected the request: Wrong value for res.partner.type: 'alien'");
    });

    it("answers invalid arguments with an isError result naming the problem", async () => {
      const message = toolError(await call("odoo_search_read_records", { model: 42, limit: -1 }));
      expect(message).toContain("Invalid arguments for odoo_search_read_records");
      expect(message).toContain("model");
      expect(message).toContain("limit");
    });

    it("logs each call as mcp_tool_called with tool, model, duration, outcome, sub and client_id", async () => {
      await call("odoo_count_records", { model: "res.country" });
      const line = stack.logs
        .filter((entry) => entry.event === "mcp_tool_called" && entry.model === "res.country")
        .at(-1);
      expect(line).toMatchObject({
        tool: "odoo_count_records",
        outcome: "ok",
        sub: `${stack.odoo.db}:2`,
        client_id: "chatgpt-odoo-mcp",
        duration_ms: expect.any(Number),
      });
    });
  });

  describe("ChatGPT's search and fetch", () => {
    it("search returns results with ids, titles and citable urls", async () => {
      const { results } = structured(await call("search", { query: "laptop" })) as {
        results: { id: string; title: string; url: string }[];
      };
      expect(results.length).toBeGreaterThan(3);
      for (const result of results) {
        expect(result.id).toMatch(/^(res\.partner|product\.product|sale\.order):\d+$/);
        expect(result.title).toBeTruthy();
        expect(result.url).toMatch(new RegExp(`^${stack.odoo.url}/web#id=\\d+&model=`));
      }
      const content = (await call("search", { query: "Azure" })) as { content: { type: string; text: string }[] };
      expect(JSON.parse(content.content[0]?.text ?? "")).toEqual({ results: expect.any(Array) });
    });

    it("fetch returns the record as text with its url and metadata", async () => {
      const { results } = structured(await call("search", { query: "Azure Interior" })) as {
        results: { id: string }[];
      };
      const document = structured(await call("fetch", { id: results[0]?.id }));
      expect(document).toMatchObject({
        id: results[0]?.id,
        title: "Azure Interior",
        url: expect.stringContaining("model=res.partner"),
        metadata: { model: "res.partner" },
      });
      expect(document.text).toContain("Azure Interior");
      expect(document.text).toContain("Country: United States");
      expect(toolError(await call("fetch", { id: "res.partner:999999" }))).toContain("does not exist");
      expect(toolError(await call("fetch", { id: "ir.config_parameter:1" }))).toContain("fetch covers");
      expect(toolError(await call("fetch", { id: "not an id" }))).toContain("not a result id");
    });
  });
});
