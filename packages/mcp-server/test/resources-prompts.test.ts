/**
 * Resources, prompts and completions on Odoo 17.0 over XML-RPC and 19.0 over JSON-2 (simulated, and real
 * under `pnpm test:odoo`), through a ToolContext built as the server builds one for the service account.
 */
import type { GetPromptResult } from "@modelcontextprotocol/sdk/types.js";
import { createOdooClient, type OdooClient } from "@odoo-mcp/odoo-client";
import { createLogger } from "@odoo-mcp/shared";
import { type OdooUnderTest, openOdoo, serviceAccountEnv } from "@odoo-mcp/testkit/odoo";
import { odooTargets } from "@odoo-mcp/testkit/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DENIED_MODELS } from "../src/config.js";
import { complete } from "../src/mcp/completions.js";
import { getPrompt, InvalidPromptArguments, PROMPTS, UnknownPrompt } from "../src/mcp/prompts.js";
import { listResources, RESOURCE_TEMPLATES, ResourceNotFound, readResource } from "../src/mcp/resources.js";
import { FieldCatalog, isSecretField } from "../src/odoo/fields.js";
import { createModelPolicy } from "../src/odoo/model-policy.js";
import type { ToolContext } from "../src/tools/index.js";

const TARGETS = odooTargets(["17.0 over XML-RPC", "19.0 over JSON-2"]);

/** The calls a context made to Odoo, as `model.method`. */
function counted(odoo: OdooClient): { odoo: OdooClient; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    odoo: {
      ...odoo,
      executeKw: (model, method, args, kwargs) => {
        calls.push(`${model}.${method}`);
        return odoo.executeKw(model, method, args, kwargs);
      },
    },
  };
}

/** The text of a prompt's one message. */
function textOf(result: GetPromptResult): string {
  const content = result.messages[0]?.content;
  return content?.type === "text" ? content.text : "";
}

/** Valid values for each prompt argument, by name. */
const SAMPLES: Record<string, string> = {
  country: "ES",
  name: "Laptop Dell",
  price: "899",
  code: "LAP-DELL-001",
  product: "Laptop Lenovo ThinkPad X1 Carbon",
  quantity: "10",
  source: "CEN/Stock",
  destination: "NOR/Stock",
  location: "Stock",
  email: "yes",
  model: "res.partner",
  text: "Deco Addict",
  field: "email",
  month: "2025-03",
  limit: "5",
};

describe.each(TARGETS)("on $name", (target) => {
  let odooUnderTest: OdooUnderTest;
  let client: OdooClient;
  /** A context of its own (fresh caches), counting the Odoo calls it makes. */
  const contextFor = () => {
    const { odoo, calls } = counted(client);
    const context: ToolContext = {
      odoo,
      fields: new FieldCatalog(odoo),
      policy: createModelPolicy([], DEFAULT_DENIED_MODELS.split(",")),
      limits: { defaultLimit: 20, maxRecords: 100 },
      webUrl: odooUnderTest.url,
      accountUrl: "http://127.0.0.1:1/account",
      searchModels: [],
      allowedMethods: new Set(),
      defaultContext: {},
      caller: { sub: "2", clientId: "test", scopes: new Set(["odoo:read"]) },
      logger: createLogger({ name: "resources-test", level: "silent" }),
      adaptations: [],
    };
    return { context, calls };
  };
  let context: ToolContext;
  beforeAll(async () => {
    odooUnderTest = await openOdoo(target.version, target.kind);
    const env = serviceAccountEnv(target, odooUnderTest);
    client = createOdooClient({
      url: odooUnderTest.url,
      db: odooUnderTest.db,
      username: env.ODOO_USERNAME as string,
      secret: env.ODOO_PASSWORD as string,
      timeoutMs: 60_000,
      rejectedMessage: "refused",
      protocol: "auto",
    });
    context = contextFor().context;
  });
  afterAll(() => odooUnderTest.close());

  const partnerId = async (name: string) =>
    ((await client.executeKw("res.partner", "search", [[["name", "=", name]]])) as number[])[0] as number;
  const json = (result: Awaited<ReturnType<typeof readResource>>) => {
    const [content] = result.contents;
    expect(content?.mimeType).toBe("application/json");
    return JSON.parse((content as { text: string }).text) as Record<string, unknown>;
  };
  const notFound = async (uri: string) => {
    const error = await readResource(context, uri).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error, uri).toBeInstanceOf(ResourceNotFound);
    expect((error as ResourceNotFound).uri).toBe(uri);
    return (error as ResourceNotFound).message;
  };

  describe("resources", () => {
    it("offers the record and model templates and the common models, as JSON", async () => {
      expect(RESOURCE_TEMPLATES.map((template) => template.uriTemplate)).toEqual([
        "odoo://{model}/{id}",
        "odoo://{model}",
      ]);
      for (const template of RESOURCE_TEMPLATES) {
        expect(template).toMatchObject({ mimeType: "application/json" });
        expect(template.title && template.description).toBeTruthy();
      }
      const listed = await listResources(context);
      expect(listed.map((resource) => resource.uri)).toContain("odoo://res.partner");
      expect(listed.every((resource) => resource.mimeType === "application/json" && resource.title)).toBe(true);
      const denying = await listResources({ ...context, policy: createModelPolicy(["res.partner"], []) });
      expect(denying.map((resource) => resource.uri)).toEqual(["odoo://res.partner"]);
    });

    it("reads a partner by URI: its name, many2one and many2many as [id, name], never a credential or binary field", async () => {
      const id = await partnerId("Deco Addict");
      const uri = `odoo://res.partner/${id}`;
      const result = await readResource(context, uri);
      expect(result.contents[0]?.uri).toBe(uri);
      const record = json(result);
      expect(record).toMatchObject({ id, name: "Deco Addict", country_id: [expect.any(Number), "United States"] });
      const fields = await context.fields.describe("res.partner");
      for (const [name, value] of Object.entries(record)) {
        expect(isSecretField(name), name).toBe(false);
        expect(fields[name]?.type, name).not.toBe("binary");
        if (fields[name]?.type === "many2many")
          for (const pair of value as unknown[]) expect(pair).toEqual([expect.any(Number), expect.any(String)]);
      }
    });

    it("reads a user without any credential field", async () => {
      const record = json(await readResource(context, "odoo://res.users/2"));
      expect(record.login).toBe("admin");
      expect(Object.keys(record).filter(isSecretField)).toEqual([]);
    });

    it("describes a model by its catalog fields", async () => {
      const described = json(await readResource(context, "odoo://res.partner"));
      const fields = described.fields as Record<string, { type: string }>;
      expect(described.model).toBe("res.partner");
      expect(fields.name?.type).toBe("char");
      expect(Object.keys(fields).filter(isSecretField)).toEqual([]);
    });

    it("refuses denied models, missing records and malformed URIs as not found", async () => {
      for (const uri of ["odoo://ir.config_parameter/1", "odoo://res.users.apikeys/1", "odoo://res.groups"])
        expect(await notFound(uri)).toMatch(/not available through this server/);
      expect(await notFound("odoo://res.partner/999999")).toBe("res.partner has no record 999999 (or it was deleted).");
      for (const uri of [
        "odoo://res.partner/0",
        "odoo://res.partner/-1",
        "odoo://res.partner/abc",
        "odoo://res.partner/1/",
        "odoo://res.partner/1?fields=password",
        "odoo://Res.Partner/1",
        "odoo://res.partner/99999999999",
        "odoo://",
        "http://res.partner/1",
      ])
        expect(await notFound(uri)).toMatch(/is not an Odoo resource: use odoo:\/\/<model>/);
    });
  });

  describe("completions", () => {
    const values = async (
      ref: Parameters<typeof complete>[1],
      name: string,
      value: string,
      contextArguments?: Record<string, string>,
    ) => (await complete(context, ref, { name, value }, contextArguments)).values;
    const recordTemplate = { type: "ref/resource", uri: "odoo://{model}/{id}" } as const;
    const prompt = (name: string) => ({ type: "ref/prompt", name }) as const;

    it("completes model names from ir.model, prefix matches first, never a denied model", async () => {
      const models = await values(recordTemplate, "model", "res.p");
      expect(models).toContain("res.partner");
      expect(models.every((model) => model.startsWith("res.p"))).toBe(true);
      expect(models.filter((model) => context.policy.refusal(model))).toEqual([]);
      expect(await values(recordTemplate, "model", "ir.")).toEqual([]);
      expect(await values({ type: "ref/resource", uri: "odoo://{model}" }, "model", "RES.USERS")).not.toContain(
        "res.users.apikeys",
      );
      // A word of the model's human name finds it too.
      expect(await values(recordTemplate, "model", "Contact")).toContain("res.partner");
    });

    it("completes record ids by name for the model given", async () => {
      const id = await partnerId("Deco Addict");
      expect(await values(recordTemplate, "id", "Deco", { model: "res.partner" })).toContain(String(id));
      expect(await values(recordTemplate, "id", "Deco")).toEqual([]);
      expect(await values(recordTemplate, "id", "x", { model: "res.users.apikeys" })).toEqual([]);
    });

    it("completes the prompts' arguments: languages, products, locations, countries, fields, yes/no", async () => {
      expect(await values(prompt("top_customers"), "language", "")).toEqual(["en", "es"]);
      expect(await values(prompt("top_customers"), "language", "E")).toEqual(["en", "es"]);
      expect(await values(prompt("top_customers"), "language", "s")).toEqual(["es"]);
      const laptops = await values(prompt("transfer_stock"), "product", "lenovo");
      expect(laptops.some((name) => name.includes("Laptop Lenovo ThinkPad X1 Carbon"))).toBe(true);
      const locations = await values(prompt("transfer_stock"), "destination", "stock");
      expect(locations.length).toBeGreaterThan(1);
      expect(locations.every((name) => /stock/i.test(name))).toBe(true);
      expect(await values(prompt("count_customers_by_country"), "country", "spa")).toContain("Spain");
      expect((await values(prompt("count_customers_by_country"), "country", "es"))[0]).toBe("ES");
      expect(await values(prompt("find_record"), "field", "ema", { model: "res.partner" })).toContain("email");
      expect(await values(prompt("inventory_by_location"), "email", "")).toEqual(["yes", "no"]);
      expect((await values(prompt("sales_by_salesperson"), "month", "")).length).toBe(12);
    });

    it("completes countries in the person's language as Odoo has them, and by code", async () => {
      const country = (value: string, language?: string) =>
        values(prompt("count_customers_by_country"), "country", value, language ? { language } : {});
      // Real Odoo has every country; Spanish names only for the guide's (as loading Spanish gives them).
      expect(await country("Esp", "es")).toEqual(["España"]);
      const byCode = await country("ES", "es");
      expect(byCode.slice(0, 2)).toEqual(["ES", "España"]);
      expect(byCode).toContain("Estados Unidos");
      expect(await country("ale", "es")).toContain("Alemania");
      expect(await country("ale", "es")).not.toContain("Germany");
      // The service account's own language (en_US) when the prompt names none.
      expect(await country("Spa")).toEqual(["Spain"]);
      expect((await country("es"))[0]).toBe("ES");
      expect(await country("ES")).toContain("Spain");
    });

    it("completes locations by their warehouse's name too", async () => {
      const location = (value: string) => values(prompt("transfer_stock"), "source", value);
      const central = await location("cen");
      expect(central).toEqual(expect.arrayContaining(["WH/Stock", "WH/Stock/Shelf A"]));
      expect(central.every((name) => name.startsWith("WH/"))).toBe(true);
      expect(await location("nor")).toEqual(["TN/Stock"]);
      // Odoo's own path still works, prefix matches first.
      expect((await location("TN"))[0]).toBe("TN/Stock");
    });

    it("orders record ids most relevant first: the exact name, then those starting with it, then Odoo's order", async () => {
      // Odoo orders partners by name: "Azure Interior" before "Interior Studio", and both hold "interior".
      const azure = await partnerId("Azure Interior");
      const studio = (await client.executeKw("res.partner", "create", [{ name: "Interior Studio" }])) as number;
      const exact = (await client.executeKw("res.partner", "create", [{ name: "Interior" }])) as number;
      try {
        const ids = await values(recordTemplate, "id", "interior", { model: "res.partner" });
        expect(ids.slice(0, 2)).toEqual([String(exact), String(studio)]);
        expect(ids.indexOf(String(azure))).toBeGreaterThan(1);
      } finally {
        await client.executeKw("res.partner", "unlink", [[studio, exact]]);
      }
    });

    it("answers no values for an unknown prompt, template or argument", async () => {
      expect(await values(prompt("no_such_prompt"), "language", "")).toEqual([]);
      expect(await values(prompt("top_customers"), "no_such_argument", "")).toEqual([]);
      expect(await values({ type: "ref/resource", uri: "odoo://{model}/{id}/{field}" }, "model", "res")).toEqual([]);
      expect(await values(prompt("find_record"), "field", "", { model: "no.such.model" })).toEqual([]);
    });

    it("caps at 100 values and says there are more", async () => {
      const all = await complete(context, recordTemplate, { name: "model", value: "" });
      expect(all.values.length).toBeLessThanOrEqual(100);
      expect(all.hasMore).toBe((all.total as number) > 100);
    });

    it("reads ir.model once per Odoo user for a few minutes", async () => {
      const { context: fresh, calls } = contextFor();
      await complete(fresh, recordTemplate, { name: "model", value: "res" });
      await complete(fresh, recordTemplate, { name: "model", value: "sale" });
      expect(calls.filter((call) => call === "ir.model.search_read")).toEqual(["ir.model.search_read"]);
      // Another Odoo user (another catalog) asks Odoo for its own list.
      const other = contextFor();
      await complete(other.context, recordTemplate, { name: "model", value: "res" });
      expect(other.calls).toEqual(["ir.model.search_read"]);
    });
  });
});

describe("prompts", () => {
  it("have stable snake_case names, descriptions and a language argument", () => {
    expect(PROMPTS.map((prompt) => prompt.name)).toEqual([
      "count_customers_by_country",
      "create_product",
      "transfer_stock",
      "inventory_by_location",
      "find_record",
      "sales_by_salesperson",
      "top_customers",
    ]);
    for (const prompt of PROMPTS) {
      expect(prompt.name).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(prompt.description).toBeTruthy();
      expect(prompt.arguments?.find((argument) => argument.name === "language")).toMatchObject({ required: false });
      for (const argument of prompt.arguments ?? [])
        expect(Object.keys(argument).sort()).toEqual(["description", "name", "required"]);
    }
  });

  it.each(PROMPTS.map((prompt) => prompt.name))("%s renders in English and Spanish", (name) => {
    const prompt = PROMPTS.find((candidate) => candidate.name === name);
    const args = Object.fromEntries(
      (prompt?.arguments ?? [])
        .filter((argument) => argument.name !== "language")
        .map((argument) => [argument.name, SAMPLES[argument.name] as string]),
    );
    const text = (language?: string) => {
      const result = getPrompt(name, language ? { ...args, language } : args);
      expect(result.messages).toHaveLength(1);
      expect(result.messages[0]?.role).toBe("user");
      return textOf(result);
    };
    const [english, spanish] = [text("en"), text("es")];
    expect(text()).toBe(english);
    expect(english).toMatch(/odoo_[a-z_]+/);
    expect(spanish).toMatch(/odoo_[a-z_]+/);
    expect(spanish).not.toBe(english);
    // The same tools, whichever the language.
    expect(spanish.match(/odoo_[a-z_]+/g)).toEqual(english.match(/odoo_[a-z_]+/g));
  });

  it.each(
    PROMPTS.filter((prompt) => prompt.arguments?.some((argument) => argument.required)).map((prompt) => prompt.name),
  )("%s refuses a missing required argument, naming it", (name) => {
    const required = PROMPTS.find((prompt) => prompt.name === name)?.arguments?.find((argument) => argument.required);
    expect(() => getPrompt(name, { language: "es" })).toThrow(InvalidPromptArguments);
    expect(() => getPrompt(name, { language: "es" })).toThrow(`"${required?.name}" is required`);
  });

  it("tells the model the guide's domain for customers of a country", () => {
    const text = textOf(getPrompt("count_customers_by_country", { country: "es", language: "es" }));
    expect(text).toContain('odoo_count_records en el modelo "res.partner"');
    expect(text).toContain('[["country_id.code", "=", "ES"], ["customer_rank", ">", 0]]');
    const byName = textOf(getPrompt("count_customers_by_country", { country: "Spain" }));
    expect(byName).toContain('odoo_name_search on model "res.country"');
  });

  it("mentions odoo_send_email only when the inventory is to be emailed", () => {
    const text = (email?: string) => textOf(getPrompt("inventory_by_location", email ? { email } : {}));
    expect(text("yes")).toContain("odoo_send_email");
    expect(text("no")).not.toContain("odoo_send_email");
    expect(text()).not.toContain("odoo_send_email");
  });

  it("refuses unknown prompts and values that do not fit", () => {
    expect(() => getPrompt("no_such_prompt", {})).toThrow(UnknownPrompt);
    expect(() => getPrompt("no_such_prompt", {})).toThrow(/the prompts are count_customers_by_country, /);
    expect(() => getPrompt("top_customers", { language: "fr" })).toThrow('"language" must be en or es');
    expect(() => getPrompt("create_product", { name: "X", price: "cheap" })).toThrow(InvalidPromptArguments);
    expect(() => getPrompt("top_customers", { limit: "1000" })).toThrow("from 1 to 100");
    expect(() => getPrompt("sales_by_salesperson", { month: "2025-13" })).toThrow("YYYY-MM");
  });

  it("quotes values into domains as JSON, so quotes cannot break them", () => {
    const text = textOf(getPrompt("find_record", { model: "res.partner", text: 'O"Brien', field: "name" }));
    expect(text).toContain('[["name", "ilike", "O\\"Brien"]]');
  });
});
