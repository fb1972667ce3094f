/**
 * The Confirm view (ui://odoo/confirm) in real Chromium, inside a sandboxed iframe driven by ext-apps'
 * AppBridge: a host that renders views (a 2026-07-28 request declaring MCP Apps) asks for a delete or a
 * workflow button, the server answers a pending change, and Odoo changes only when the person clicks —
 * read back from Odoo — while Cancel changes nothing; the model is told either way. A client without the
 * extension still changes Odoo at once, and the app-only tool runs nothing without a valid confirmation.
 */
import { systemOdoo } from "@odoo-mcp/testkit/system";
import {
  callMcpToolFromViewHost,
  checkView,
  type ShowViewOptions,
  showView,
  startViewTestbed,
  type ToolCaller,
  VIEW_APPEARANCES,
  type ViewTestbed,
  viewAppearance,
} from "@odoo-mcp/testkit/views";
import { CONFIRM_META_KEY, type ConfirmMeta, type PendingChangeResult } from "@odoo-mcp/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let bed: ViewTestbed;

beforeAll(async () => {
  bed = await startViewTestbed("ui://odoo/confirm", { ODOO_SERVICE_WRITES: "true", ...(await systemOdoo()).env });
});
afterAll(() => bed?.close());

const call: ToolCaller = (name, args) => bed.call(name, args);
const structured = (result: Record<string, unknown>) => result.structuredContent as Record<string, unknown>;
const errorText = (result: Record<string, unknown>) => {
  expect(result.isError).toBe(true);
  return (result.content as { text: string }[]).map((block) => block.text).join("\n");
};

/** A new contact, made at once by a plain call (no view involved). */
async function newContact(name: string): Promise<number> {
  return structured(await call("odoo_create_record", { model: "res.partner", values: { name } })).id as number;
}

/**
 * A ready transfer of 2 laptops from the central warehouse to the north store, made and confirmed by plain
 * calls as in the guide's example (Odoo reserves them: each move's quantity is its demand).
 */
async function readyTransfer(label: string) {
  const read = async (model: string, domain: unknown[], fields: string[]) =>
    structured(await call("odoo_search_read_records", { model, domain, fields })).records as Record<string, unknown>[];
  const stockOf = (warehouses: Record<string, unknown>[], name: string) =>
    (warehouses.find((warehouse) => String(warehouse.name).includes(name))?.lot_stock_id as [number, string])?.[0];
  const warehouses = await read("stock.warehouse", [], ["name", "lot_stock_id"]);
  const [type] = await read(
    "stock.picking.type",
    [
      ["code", "=", "internal"],
      ["warehouse_id.name", "ilike", "central"],
    ],
    ["name"],
  );
  const [product] = await read("product.product", [["default_code", "=", "LAP-LEN-X1"]], ["name"]);
  const created = structured(
    await call("odoo_create_record", {
      model: "stock.picking",
      values: {
        picking_type_id: type?.id,
        location_id: stockOf(warehouses, "Central"),
        location_dest_id: stockOf(warehouses, "Norte"),
        move_ids: [[0, 0, { product_id: product?.id, product_uom_qty: 2, name: label }]],
      },
    }),
  );
  const id = created.id as number;
  await call("odoo_call_method", { model: "stock.picking", method: "action_confirm", ids: [id] });
  const state = async () => (await read("stock.picking", [["id", "=", id]], ["state"]))[0]?.state;
  const [{ name } = {}] = await read("stock.picking", [["id", "=", id]], ["name"]);
  return { id, name: String(name), state };
}

const contactExists = async (id: number) =>
  structured(await call("odoo_count_records", { model: "res.partner", domain: [["id", "=", id]] })).count === 1;

const fromViewHost: ToolCaller = (name, args) => callMcpToolFromViewHost(bed.system.mcpUrl, bed.token, name, args);
/** The model's call through a host that renders views, and the Confirm view shown for its result. */
const ask = (tool: string, args: Record<string, unknown>, options: Partial<ShowViewOptions> = {}) =>
  showView(bed.browser, { view: bed.view, tool, args, call: fromViewHost, forward: call, ...options });

describe.each(VIEW_APPEARANCES)("at %i px, %s theme, %s", (width, theme, locale) => {
  it("shows what a delete will do and on which records, and Odoo changes only on the click", async () => {
    const id = await newContact(`Confirm me ${width} ${theme} ${locale}`);
    const shown = await ask("odoo_delete_record", { model: "res.partner", ids: [id] }, { width, theme, locale });
    await checkView(shown, async () => {
      const pending = structured(shown.toolResult) as unknown as PendingChangeResult;
      expect(pending).toMatchObject({
        status: "awaiting_confirmation",
        action: "delete",
        model: "res.partner",
        records: [{ id, name: `Confirm me ${width} ${theme} ${locale}` }],
      });
      // The token is for the view only: in _meta, never in what the model reads.
      const meta = (shown.toolResult._meta as Record<string, ConfirmMeta>)[CONFIRM_META_KEY] as ConfirmMeta;
      expect(meta.confirmTool).toBe("odoo_confirm_change");
      expect(JSON.stringify(shown.toolResult.content)).not.toContain(meta.token);
      expect(await contactExists(id)).toBe(true);

      const spanish = locale.startsWith("es");
      await expect
        .poll(() => shown.frame.locator("h1").textContent())
        .toBe(spanish ? "¿Eliminar 1 registro(s) de Contact?" : "Delete 1 Contact record(s)?");
      await expect
        .poll(() => shown.frame.locator(".records li").allInnerTexts())
        .toEqual([`Confirm me ${width} ${theme} ${locale}`]);
      expect(await viewAppearance(shown.frame)).toMatchObject({ dark: theme === "dark", fits: true });
      await shown.screenshot(`views-confirm-${width}-${theme}-${locale}`);

      await shown.frame.getByRole("button", { name: spanish ? "Eliminar" : "Delete" }).click();
      await expect.poll(() => shown.calls.length).toBe(1);
      expect(shown.calls[0]).toMatchObject({ name: "odoo_confirm_change", arguments: { confirmation: meta.token } });
      expect(structured(shown.calls[0]?.result as Record<string, unknown>)).toMatchObject({
        confirmed: true,
        outcome: { model: "res.partner", ids: [id], deleted: true },
      });
      expect(await contactExists(id)).toBe(false);
      await expect
        .poll(() => shown.frame.locator(".outcome").textContent())
        .toBe(spanish ? "Hecho: 1 registro(s) eliminado(s)." : "Done: 1 record(s) deleted.");
      await expect.poll(() => shown.toldModel.length).toBe(1);
      expect(shown.toldModel[0]?.method).toBe("ui/update-model-context");
      expect(shown.toldModel[0]?.text).toContain(`The person confirmed deleting res.partner records`);
      await shown.screenshot(`views-confirm-done-${width}-${theme}-${locale}`);
    });
  });
});

describe("working the Confirm view", () => {
  it("Cancel (here from the keyboard) changes nothing, and the model is told", async () => {
    const id = await newContact("Keep me");
    const shown = await ask("odoo_delete_record", { model: "res.partner", ids: [id] });
    await checkView(shown, async () => {
      const cancel = shown.frame.getByRole("button", { name: "Cancel" });
      await cancel.focus();
      await shown.page.keyboard.press("Enter");
      await expect
        .poll(() => shown.frame.locator(".outcome").textContent())
        .toBe("Cancelled: nothing was changed in Odoo.");
      await expect.poll(() => shown.toldModel.length).toBe(1);
      expect(shown.toldModel[0]?.text).toContain("The person cancelled deleting res.partner records");
      expect(shown.calls).toEqual([]);
      expect(await contactExists(id)).toBe(true);
    });
  });

  it("validates a transfer only when the person clicks the button", async () => {
    const transfer = await readyTransfer("Confirm view: validated");
    const shown = await ask("odoo_call_method", {
      model: "stock.picking",
      method: "button_validate",
      ids: [transfer.id],
    });
    await checkView(shown, async () => {
      await expect
        .poll(() => shown.frame.locator("h1").textContent())
        .toMatch(/^Run “Validate” on 1 .+ record\(s\)\?$/);
      await expect.poll(() => shown.frame.locator(".records li").allInnerTexts()).toEqual([transfer.name]);
      expect(await transfer.state()).toBe("assigned");
      await shown.frame.getByRole("button", { name: "Run “Validate”" }).click();
      await expect
        .poll(() => shown.frame.locator(".outcome").textContent())
        .toBe("Done: “Validate” ran on 1 record(s).");
      expect(await transfer.state()).toBe("done");
      await expect.poll(() => shown.toldModel.length).toBe(1);
      expect(shown.toldModel[0]?.text).toContain("stock.picking.button_validate");
      expect(shown.toldModel[0]?.text).toContain("it is done");
      await shown.screenshot("views-confirm-validated-1280-light-en-US");
    });
  });

  it("says a validation is not finished when Odoo answers with its backorder wizard", async () => {
    const transfer = await readyTransfer("Confirm view: a backorder to decide");
    // Only 1 of the 2 picked: validating asks a person whether to make a backorder, in Odoo's web client.
    const { records: moves } = structured(
      await call("odoo_search_read_records", {
        model: "stock.move",
        domain: [["picking_id", "=", transfer.id]],
        fields: ["quantity"],
      }),
    ) as { records: { id: number }[] };
    await call("odoo_update_record", {
      model: "stock.move",
      ids: moves.map((move) => move.id),
      values: { quantity: 1 },
    });
    const shown = await ask(
      "odoo_call_method",
      { model: "stock.picking", method: "button_validate", ids: [transfer.id] },
      { locale: "es-ES", theme: "dark" },
    );
    await checkView(shown, async () => {
      await shown.frame.getByRole("button", { name: "Ejecutar «Validate»" }).click();
      await expect
        .poll(() => shown.frame.locator(".outcome").textContent())
        .toBe(
          "Sin terminar: Odoo pregunta «Create Backorder?», y solo su cliente web puede responder. Nada ha avanzado.",
        );
      expect(await transfer.state()).toBe("assigned");
      // The state as Odoo names it (in the server's language), not its code.
      await expect.poll(() => shown.frame.getByText(/^Estado ahora:/).textContent()).toBe("Estado ahora: Ready");
      // The way to finish it: the transfer, opening in Odoo through the host.
      const link = shown.frame.locator(".records a");
      await expect.poll(() => link.allInnerTexts()).toEqual([transfer.name]);
      await link.click();
      await expect.poll(() => shown.openedLinks).toEqual([expect.stringContaining(String(transfer.id))]);
      await expect.poll(() => shown.toldModel.length).toBe(1);
      expect(shown.toldModel[0]?.text).toContain("but Odoo did not finish it: it asks for “Create Backorder?”");
      await shown.screenshot("views-confirm-unfinished-1280-dark-es-ES");
    });
  });
});

describe("a change the server refuses", () => {
  it("shows the refusal and no button, and nothing runs", async () => {
    const id = await newContact("Not by this method");
    const shown = await ask("odoo_call_method", { model: "res.partner", method: "toggle_active", ids: [id] });
    await checkView(shown, async () => {
      expect(shown.toolResult.isError).toBe(true);
      await expect
        .poll(() => shown.frame.getByRole("alert").textContent())
        .toMatch(/^Odoo did not answer this request: res\.partner\.toggle_active is not allowed through this server\./);
      expect(await shown.frame.getByRole("button").count()).toBe(0);
      expect(shown.calls).toEqual([]);
      expect(await contactExists(id)).toBe(true);
    });
  });
});

describe("without a view, and without a confirmation", () => {
  it("a client that does not render views deletes at once, as before", async () => {
    const id = await newContact("Delete me at once");
    expect(structured(await call("odoo_delete_record", { model: "res.partner", ids: [id] }))).toEqual({
      model: "res.partner",
      ids: [id],
      deleted: true,
    });
    expect(await contactExists(id)).toBe(false);
  });

  it("the app-only tool runs nothing without a valid confirmation, and a confirmation runs once", async () => {
    const id = await newContact("Not without the person");
    expect(errorText(await call("odoo_confirm_change", { confirmation: "made.up" }))).toBe(
      "This confirmation is not valid; ask for the change again.",
    );
    const pending = await fromViewHost("odoo_delete_record", {
      model: "res.partner",
      ids: [id],
    });
    const meta = (pending._meta as Record<string, ConfirmMeta>)[CONFIRM_META_KEY] as ConfirmMeta;
    // A token altered to name another record fails its signature.
    const [body, signature] = meta.token.split(".");
    const payload = JSON.parse(Buffer.from(body as string, "base64url").toString("utf8"));
    payload.p.args.ids = [1];
    const forged = `${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${signature}`;
    expect(errorText(await call("odoo_confirm_change", { confirmation: forged }))).toContain("not valid");
    expect(await contactExists(id)).toBe(true);
    expect(structured(await call("odoo_confirm_change", { confirmation: meta.token }))).toMatchObject({
      confirmed: true,
    });
    expect(await contactExists(id)).toBe(false);
    expect(errorText(await call("odoo_confirm_change", { confirmation: meta.token }))).toBe(
      "This change was already confirmed; it runs only once.",
    );
  });
});
