/**
 * MCP prompts: the Spanish guide's four tasks and a few common ones, in English or Spanish, each a user
 * message that tells the model which odoo_* tools to call and with which domains.
 */
import type { GetPromptResult, Prompt } from "@modelcontextprotocol/sdk/types.js";

/** What an argument holds: how it is checked here and what completions suggest for it. */
export type ArgumentKind =
  | "language"
  | "yes_no"
  | "country"
  | "product"
  | "location"
  | "model"
  | "field"
  | "month"
  | "number"
  | "count"
  | "text";

export const LANGUAGES = ["en", "es"] as const;
type Language = (typeof LANGUAGES)[number];
export const YES_NO = ["yes", "no"] as const;

interface ArgumentSpec {
  name: string;
  description: string;
  required: boolean;
  kind: ArgumentKind;
}

interface PromptSpec {
  name: string;
  title: string;
  description: string;
  arguments: ArgumentSpec[];
  /** The user message, from arguments already checked (optional ones may be absent). */
  text: Record<Language, (args: Record<string, string>) => string>;
}

/**
 * Every value a person gives goes into the text quoted as JSON, so it cannot end its quotes, start a line
 * of its own or pass for the prompt's instructions (JSON.stringify escapes quotes and control characters;
 * the two Unicode line separators it leaves are escaped too).
 */
const q = (value: string) =>
  JSON.stringify(value)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

/**
 * The longest argument value accepted (characters): names, references and search texts are short; a
 * longer value is refused (invalid params) rather than put into the conversation.
 */
export const ARGUMENT_MAX_LENGTH = 200;

const languageArg: ArgumentSpec = {
  name: "language",
  description: "Language of the conversation: en (default) or es",
  required: false,
  kind: "language",
};

/** "ES" is a country code; anything longer is a name to look up first. */
const isCountryCode = (value: string) => /^[A-Za-z]{2}$/.test(value);

/** The current month as YYYY-MM, and the first day of it and of the next month. */
function monthBounds(month: string): { from: string; to: string } {
  const [year, number] = month.split("-").map(Number) as [number, number];
  const next = number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, "0")}`;
  return { from: `${month}-01`, to: `${next}-01` };
}
export const currentMonth = () => new Date().toISOString().slice(0, 7);

const SPECS: PromptSpec[] = [
  {
    name: "count_customers_by_country",
    title: "Count customers by country",
    description: "How many customers there are in a country («¿Cuántos clientes tengo de España?»).",
    arguments: [
      { name: "country", description: "Country name or ISO code, e.g. Spain or ES", required: true, kind: "country" },
      languageArg,
    ],
    text: {
      en: ({ country = "" }) =>
        isCountryCode(country)
          ? `How many customers do I have in ${country.toUpperCase()}? Count them with odoo_count_records on model "res.partner", ` +
            `domain [["country_id.code", "=", ${q(country.toUpperCase())}], ["customer_rank", ">", 0]]. Answer with the number.`
          : `How many customers do I have in ${q(country)}? First find the country with odoo_name_search on model "res.country" ` +
            `(name ${q(country)}); then count with odoo_count_records on model "res.partner", domain ` +
            `[["country_id", "=", <the country's id>], ["customer_rank", ">", 0]]. Answer with the number.`,
      es: ({ country = "" }) =>
        isCountryCode(country)
          ? `¿Cuántos clientes tengo de ${country.toUpperCase()}? Cuéntalos con odoo_count_records en el modelo "res.partner", ` +
            `dominio [["country_id.code", "=", ${q(country.toUpperCase())}], ["customer_rank", ">", 0]]. Responde con el número.`
          : `¿Cuántos clientes tengo de ${q(country)}? Busca primero el país con odoo_name_search en el modelo "res.country" ` +
            `(name ${q(country)}, context {"lang": "es_ES"}; si no aparece, prueba con su nombre en inglés o su código ISO); después cuenta con odoo_count_records en el modelo "res.partner", dominio ` +
            `[["country_id", "=", <id del país>], ["customer_rank", ">", 0]]. Responde con el número.`,
    },
  },
  {
    name: "create_product",
    title: "Create a product",
    description: "Create a product with a sales price and an internal reference («Crea un producto: Laptop Dell…»).",
    arguments: [
      { name: "name", description: "Product name, e.g. Laptop Dell", required: true, kind: "text" },
      { name: "price", description: "Sales price, e.g. 899", required: true, kind: "number" },
      { name: "code", description: "Internal reference, e.g. LAP-DELL-001", required: false, kind: "text" },
      languageArg,
    ],
    text: {
      en: ({ name = "", price = "", code }) =>
        `Create a product ${q(name)} priced ${price}${code ? `, internal reference ${q(code)}` : ""}. ` +
        (code
          ? `First check that no product has that reference: odoo_count_records on model "product.product", domain [["default_code", "=", ${q(code)}]]; if one does, tell me instead of creating another. `
          : "") +
        `Then call odoo_create_record on model "product.template" with values {"name": ${q(name)}, "list_price": ${price}` +
        `${code ? `, "default_code": ${q(code)}` : ""}}. Tell me the new product's id and name.`,
      es: ({ name = "", price = "", code }) =>
        `Crea un producto ${q(name)} con precio ${price}${code ? ` y referencia interna ${q(code)}` : ""}. ` +
        (code
          ? `Comprueba antes que ningún producto tenga esa referencia: odoo_count_records en el modelo "product.product", dominio [["default_code", "=", ${q(code)}]]; si existe, dímelo en vez de crear otro. `
          : "") +
        `Después llama a odoo_create_record en el modelo "product.template" con values {"name": ${q(name)}, "list_price": ${price}` +
        `${code ? `, "default_code": ${q(code)}` : ""}}. Dime el id y el nombre del producto creado.`,
    },
  },
  {
    name: "transfer_stock",
    title: "Transfer stock between locations",
    description: "Move a quantity of a product from one location or warehouse to another («Transfiere 10 laptops…»).",
    arguments: [
      { name: "product", description: "Product name or internal reference", required: true, kind: "product" },
      { name: "quantity", description: "How many units, e.g. 10", required: true, kind: "number" },
      { name: "source", description: "Location or warehouse to take them from", required: true, kind: "location" },
      { name: "destination", description: "Location or warehouse to bring them to", required: true, kind: "location" },
      languageArg,
    ],
    text: {
      en: ({ product = "", quantity = "", source = "", destination = "" }) =>
        `Transfer ${quantity} units of ${q(product)} from ${q(source)} to ${q(destination)}.\n` +
        `1. Find the product with odoo_name_search on model "product.product" (name ${q(product)}; a leading [reference] is its default_code: search by that reference).\n` +
        `2. Find both locations with odoo_name_search on model "stock.location"; for a warehouse, read its stock location (lot_stock_id) with odoo_search_read_records on model "stock.warehouse", domain [["name", "ilike", <warehouse>]].\n` +
        `3. Check the stock at the source with odoo_aggregate_records on model "stock.quant", domain [["product_id", "=", <product id>], ["location_id", "child_of", <source id>]], groupby ["location_id"], aggregates ["quantity:sum"].\n` +
        `4. Find the internal operation type with odoo_search_read_records on model "stock.picking.type", domain [["code", "=", "internal"]] (of the source's warehouse when there are several).\n` +
        `5. Create the transfer with odoo_create_record on model "stock.picking", values {"picking_type_id": <type id>, "location_id": <source id>, "location_dest_id": <destination id>, "move_ids": [[0, 0, {"product_id": <product id>, "product_uom_qty": ${quantity}}]]}.\n` +
        `6. Confirm it with odoo_call_method (model "stock.picking", method "action_confirm"); ask me before validating it with method "button_validate".\n` +
        "Tell me the transfer's reference and state.",
      es: ({ product = "", quantity = "", source = "", destination = "" }) =>
        `Transfiere ${quantity} unidades de ${q(product)} de ${q(source)} a ${q(destination)}.\n` +
        `1. Busca el producto con odoo_name_search en el modelo "product.product" (name ${q(product)}; una [referencia] al principio es su default_code: busca por esa referencia).\n` +
        `2. Busca las dos ubicaciones con odoo_name_search en el modelo "stock.location"; para un almacén, lee su ubicación de existencias (lot_stock_id) con odoo_search_read_records en el modelo "stock.warehouse", dominio [["name", "ilike", <almacén>]].\n` +
        `3. Comprueba las existencias en el origen con odoo_aggregate_records en el modelo "stock.quant", dominio [["product_id", "=", <id del producto>], ["location_id", "child_of", <id del origen>]], groupby ["location_id"], aggregates ["quantity:sum"].\n` +
        `4. Busca el tipo de operación interna con odoo_search_read_records en el modelo "stock.picking.type", dominio [["code", "=", "internal"]] (el del almacén de origen si hay varios).\n` +
        `5. Crea la transferencia con odoo_create_record en el modelo "stock.picking", values {"picking_type_id": <id del tipo>, "location_id": <id del origen>, "location_dest_id": <id del destino>, "move_ids": [[0, 0, {"product_id": <id del producto>, "product_uom_qty": ${quantity}}]]}.\n` +
        `6. Confírmala con odoo_call_method (modelo "stock.picking", método "action_confirm"); pregúntame antes de validarla con el método "button_validate".\n` +
        "Dime la referencia y el estado de la transferencia.",
    },
  },
  {
    name: "inventory_by_location",
    title: "Inventory by location",
    description:
      "Stock on hand grouped by location, optionally emailed to you («Muéstrame el inventario por ubicaciones…»).",
    arguments: [
      {
        name: "location",
        description: "Only this location (and those inside it); all internal ones when left out",
        required: false,
        kind: "location",
      },
      {
        name: "email",
        description: "yes to send the table to your email too; no (default) to show it only",
        required: false,
        kind: "yes_no",
      },
      languageArg,
    ],
    text: {
      en: ({ location, email }) =>
        'Show me the inventory by location. Use odoo_aggregate_records on model "stock.quant", domain ' +
        (location
          ? `[["location_id.usage", "=", "internal"], ["location_id.complete_name", "ilike", ${q(location)}]]`
          : '[["location_id.usage", "=", "internal"]]') +
        ', groupby ["location_id", "product_id"], aggregates ["quantity:sum"], orderby "location_id asc". ' +
        "Show a table per location with each product and its quantity." +
        (email === "yes"
          ? ' Then send that table to me with odoo_send_email (subject "Inventory by location", the table as the body, html true); it goes to my own address.'
          : ""),
      es: ({ location, email }) =>
        'Muéstrame el inventario por ubicaciones. Usa odoo_aggregate_records en el modelo "stock.quant", dominio ' +
        (location
          ? `[["location_id.usage", "=", "internal"], ["location_id.complete_name", "ilike", ${q(location)}]]`
          : '[["location_id.usage", "=", "internal"]]') +
        ', groupby ["location_id", "product_id"], aggregates ["quantity:sum"], orderby "location_id asc". ' +
        "Muestra una tabla por ubicación con cada producto y su cantidad." +
        (email === "yes"
          ? ' Después envíame esa tabla con odoo_send_email (subject "Inventario por ubicaciones", la tabla como body, html true); va a mi propia dirección.'
          : ""),
    },
  },
  {
    name: "find_record",
    title: "Find a record",
    description: "Find records of a model by name (or by another field) and show them.",
    arguments: [
      { name: "model", description: "Technical model name, e.g. res.partner", required: true, kind: "model" },
      { name: "text", description: "What to look for, e.g. Deco Addict", required: true, kind: "text" },
      {
        name: "field",
        description: "Field to search in; the record's name when left out",
        required: false,
        kind: "field",
      },
      languageArg,
    ],
    text: {
      en: ({ model = "", text = "", field }) =>
        (field
          ? `Find the ${model} records whose ${field} contains ${q(text)}: odoo_search_read_records on model ${q(model)}, domain [[${q(field)}, "ilike", ${q(text)}]], limit 10.`
          : `Find the ${model} records named like ${q(text)}: odoo_name_search on model ${q(model)}, name ${q(text)}; then read the ones found with odoo_read_records.`) +
        " If you are unsure of the fields, look at them first with odoo_get_model_fields. Show the main fields of each record.",
      es: ({ model = "", text = "", field }) =>
        (field
          ? `Busca los registros de ${model} cuyo campo ${field} contiene ${q(text)}: odoo_search_read_records en el modelo ${q(model)}, dominio [[${q(field)}, "ilike", ${q(text)}]], limit 10.`
          : `Busca los registros de ${model} con un nombre como ${q(text)}: odoo_name_search en el modelo ${q(model)}, name ${q(text)}; después lee los encontrados con odoo_read_records.`) +
        " Si no conoces los campos, míralos antes con odoo_get_model_fields. Muestra los campos principales de cada registro.",
    },
  },
  {
    name: "sales_by_salesperson",
    title: "Sales this month by salesperson",
    description: "Confirmed sales of a month (this month by default), totalled per salesperson.",
    arguments: [
      { name: "month", description: "Month as YYYY-MM; this month when left out", required: false, kind: "month" },
      languageArg,
    ],
    text: {
      en: ({ month = currentMonth() }) => {
        const { from, to } = monthBounds(month);
        return (
          `Show the sales of ${month} by salesperson: odoo_aggregate_records on model "sale.order", domain ` +
          `[["state", "=", "sale"], ["date_order", ">=", "${from} 00:00:00"], ["date_order", "<", "${to} 00:00:00"]], ` +
          'groupby ["user_id"], aggregates ["amount_total:sum"], orderby "amount_total:sum desc". ' +
          "Show a table with each salesperson, the number of orders and the total, and the grand total."
        );
      },
      es: ({ month = currentMonth() }) => {
        const { from, to } = monthBounds(month);
        return (
          `Muestra las ventas de ${month} por comercial: odoo_aggregate_records en el modelo "sale.order", dominio ` +
          `[["state", "=", "sale"], ["date_order", ">=", "${from} 00:00:00"], ["date_order", "<", "${to} 00:00:00"]], ` +
          'groupby ["user_id"], aggregates ["amount_total:sum"], orderby "amount_total:sum desc". ' +
          "Muestra una tabla con cada comercial, el número de pedidos y el total, y el total general."
        );
      },
    },
  },
  {
    name: "top_customers",
    title: "Top customers",
    description: "The customers with the largest confirmed sales.",
    arguments: [
      { name: "limit", description: "How many customers, 1 to 100 (default 10)", required: false, kind: "count" },
      languageArg,
    ],
    text: {
      en: ({ limit = "10" }) =>
        `Who are my top ${limit} customers? Use odoo_aggregate_records on model "sale.order", domain [["state", "=", "sale"]], ` +
        `groupby ["partner_id"], aggregates ["amount_total:sum"], orderby "amount_total:sum desc", limit ${limit}. ` +
        "Show them ranked with their number of orders and total.",
      es: ({ limit = "10" }) =>
        `¿Cuáles son mis ${limit} mejores clientes? Usa odoo_aggregate_records en el modelo "sale.order", dominio [["state", "=", "sale"]], ` +
        `groupby ["partner_id"], aggregates ["amount_total:sum"], orderby "amount_total:sum desc", limit ${limit}. ` +
        "Muéstralos en orden con su número de pedidos y su total.",
    },
  },
];

const BY_NAME = new Map(SPECS.map((spec) => [spec.name, spec]));

/** The prompts as prompts/list shows them. */
export const PROMPTS: Prompt[] = SPECS.map(({ name, title, description, arguments: args }) => ({
  name,
  title,
  description,
  arguments: args.map(({ name, description, required }) => ({ name, description, required })),
}));

export class UnknownPrompt extends Error {
  override name = "UnknownPrompt";

  constructor(readonly prompt: string) {
    super(`There is no prompt named "${prompt}"; the prompts are ${SPECS.map((spec) => spec.name).join(", ")}.`);
  }
}

export class InvalidPromptArguments extends Error {
  override name = "InvalidPromptArguments";
}

/** What an argument of a prompt holds, for completions; undefined when there is no such argument. */
export function promptArgumentKind(prompt: string, argument: string): ArgumentKind | undefined {
  return BY_NAME.get(prompt)?.arguments.find((spec) => spec.name === argument)?.kind;
}

/** Why a value does not fit its kind, as the end of a sentence; undefined when it fits. */
function kindProblem(kind: ArgumentKind, value: string): string | undefined {
  switch (kind) {
    case "language":
      return (LANGUAGES as readonly string[]).includes(value) ? undefined : "must be en or es";
    case "yes_no":
      return (YES_NO as readonly string[]).includes(value) ? undefined : "must be yes or no";
    case "number":
      return /^\d+(\.\d+)?$/.test(value) && Number(value) > 0 ? undefined : "must be a positive number such as 899";
    case "count":
      return /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 100
        ? undefined
        : "must be a whole number from 1 to 100";
    case "month":
      return /^\d{4}-(0[1-9]|1[0-2])$/.test(value) ? undefined : "must be a month as YYYY-MM, e.g. 2025-03";
    case "model":
      return /^[a-z][a-z0-9_.]*$/.test(value) ? undefined : "must be a technical model name such as res.partner";
    case "field":
      return /^[a-z_][a-z0-9_]*$/.test(value) ? undefined : "must be a field name such as name or email";
    default:
      return undefined;
  }
}

export function getPrompt(name: string, args: Record<string, string>): GetPromptResult {
  const spec = BY_NAME.get(name);
  if (!spec) throw new UnknownPrompt(name);
  const given: Record<string, string> = {};
  const problems: string[] = [];
  for (const argument of spec.arguments) {
    const value = args[argument.name]?.trim() ?? "";
    if (value.length > ARGUMENT_MAX_LENGTH) {
      problems.push(`"${argument.name}" is longer than ${ARGUMENT_MAX_LENGTH} characters`);
      continue;
    }
    if (value === "") {
      if (argument.required) problems.push(`"${argument.name}" is required (${argument.description})`);
      continue;
    }
    const problem = kindProblem(argument.kind, value);
    if (problem) problems.push(`"${argument.name}" ${problem}`);
    else given[argument.name] = value;
  }
  if (problems.length > 0) throw new InvalidPromptArguments(`Prompt ${name}: ${problems.join("; ")}.`);
  const language = (given.language ?? "en") as Language;
  return {
    description: spec.description,
    messages: [{ role: "user", content: { type: "text", text: spec.text[language](given) } }],
  };
}
