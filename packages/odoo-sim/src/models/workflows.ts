/**
 * The workflow buttons the guide's examples press, with Odoo's state transitions and UserErrors per
 * release (addons/stock/models/stock_picking.py, addons/sale/models/sale_order.py):
 * stock.picking (draft → confirmed/assigned → done, quants moved at validation; cancel) and
 * sale.order (quotation → sales order; cancel, through a wizard in 17.0 and 18.0; back to quotation).
 */
import { PythonError, UserError } from "../faults.js";
import { checkAccess } from "../orm/access.js";
import { createRecord, missingRecords } from "../orm/crud.js";
import type { Model, Row } from "../orm/database.js";
import type { Env } from "../orm/env.js";
import type { RecordMethod } from "../orm/model.js";
import { xmlIdRef } from "./mail.js";

function recordsOf(env: Env, model: Model, ids: number[]): Row[] {
  checkAccess(env, model, "write");
  return ids.map((id) => {
    const row = model.rows.get(id);
    if (!row)
      throw new UserError(
        `Record does not exist or has been deleted.\n(Record: ${model.name}(${id},), User: ${env.uid})`,
      );
    return row;
  });
}

const movesOf = (env: Env, picking: Row) =>
  [...env.db.requireModel("stock.move").rows.values()].filter((move) => move.picking_id === picking.id);

/** Quantity of a product on hand in a location (its quants). */
function onHand(env: Env, productId: number, locationId: number): number {
  let total = 0;
  for (const quant of env.db.requireModel("stock.quant").rows.values()) {
    if (quant.product_id === productId && quant.location_id === locationId) total += Number(quant.quantity) || 0;
  }
  return total;
}

const isInternal = (env: Env, locationId: number) =>
  env.db.requireModel("stock.location").rows.get(locationId)?.usage === "internal";

function available(env: Env, picking: Row): boolean {
  return movesOf(env, picking).every(
    (move) =>
      !isInternal(env, move.location_id as number) ||
      onHand(env, move.product_id as number, move.location_id as number) >= Number(move.product_uom_qty),
  );
}

function setState(env: Env, picking: Row, state: string): void {
  picking.state = state;
  for (const move of movesOf(env, picking)) move.state = state;
  picking.write_date = env.db.now();
  picking.write_uid = env.uid;
}

function confirm(env: Env, picking: Row): void {
  if (movesOf(env, picking).length === 0) throw new UserError("Please add some items to move.");
  if (available(env, picking)) reserve(env, picking);
  else setState(env, picking, "confirmed");
}

/** Reserving a transfer sets each move's quantity to its demand (`_action_assign`); this stock is never partial. */
function reserve(env: Env, picking: Row): void {
  setState(env, picking, "assigned");
  for (const move of movesOf(env, picking)) move.quantity = move.product_uom_qty;
}

/** `_pre_action_done_hook`: moves with quantities of which none is picked are all picked (stock_picking.py 17.0 L1177, 19.0 L1464). */
function pickWhenNonePicked(env: Env, picking: Row): void {
  const moves = movesOf(env, picking);
  if (moves.some((move) => Number(move.quantity)) && !moves.some((move) => move.picked))
    for (const move of moves) move.picked = true;
}

/**
 * `_check_backorder` (17.0 L1232, 18.0 L1528, 19.0 L1524): with its operation type's "ask", a transfer
 * whose picked quantity falls short of a move's demand is not validated: a person decides on a backorder.
 */
function asksForBackorder(env: Env, picking: Row): boolean {
  const type = env.db.requireModel("stock.picking.type").rows.get(picking.picking_type_id as number);
  if (type?.create_backorder !== "ask") return false;
  return movesOf(env, picking)
    .filter((move) => move.state !== "cancel")
    .some((move) => {
      const demand = Number(move.product_uom_qty);
      return (demand && !move.picked) || (move.picked ? Number(move.quantity) : 0) < demand;
    });
}

/** `_action_generate_backorder_wizard` (17.0 L1214, 18.0 L1510, 19.0 L1506); the simulator has no form views. */
const backorderWizard = (env: Env, pickings: Row[], showTransfers: boolean) => ({
  name: "Create Backorder?",
  type: "ir.actions.act_window",
  view_mode: "form",
  res_model: "stock.backorder.confirmation",
  views: [[false, "form"]],
  view_id: false,
  target: "new",
  context: {
    ...env.context,
    default_show_transfers: showTransfers,
    default_pick_ids: pickings.map((picking) => [4, picking.id]),
  },
});

/** Adds quantity to the quant of (product, location), creating it when needed. */
function adjustQuant(env: Env, productId: number, locationId: number, delta: number): void {
  const quants = env.db.requireModel("stock.quant");
  const quant = [...quants.rows.values()].find((row) => row.product_id === productId && row.location_id === locationId);
  if (quant) quant.quantity = (Number(quant.quantity) || 0) + delta;
  else
    createRecord({ ...env, group: "admin" }, quants, {
      product_id: productId,
      location_id: locationId,
      quantity: delta,
    });
}

export const pickingMethods: Record<string, RecordMethod> = {
  // Confirms the draft ones; the others are left as they are (`move_ids.filtered(state == 'draft')`).
  action_confirm: (env, ids) => {
    for (const picking of recordsOf(env, env.db.requireModel("stock.picking"), ids))
      if (picking.state === "draft") confirm(env, picking);
    return true;
  },
  action_assign: (env, ids) => {
    for (const picking of recordsOf(env, env.db.requireModel("stock.picking"), ids)) {
      if (picking.state === "draft") confirm(env, picking);
      else if (["confirmed", "waiting"].includes(String(picking.state)) && available(env, picking))
        reserve(env, picking);
      else if (["done", "cancel"].includes(String(picking.state)))
        throw new UserError(
          env.db.release.major < 20 ? "Nothing to check the availability for." : "There is nothing to reserve.",
        );
    }
    return true;
  },
  button_validate: (env, ids) => {
    // A done transfer: 18.0 on leaves it out (`self.filtered(lambda p: p.state != 'done')`, stock_picking.py
    // 18.0 L1399, 19.0 L1390); in 17.0 `_sanity_check` finds no move left with a quantity and refuses (L1073-1100).
    const pickings = recordsOf(env, env.db.requireModel("stock.picking"), ids).filter(
      (picking) => !(picking.state === "done" && env.db.release.major >= 18),
    );
    for (const picking of pickings) {
      if (picking.state === "done")
        throw new UserError(
          "You cannot validate a transfer if no quantities are reserved. To force the transfer, encode quantities.",
        );
      if (picking.state === "cancel")
        throw new UserError(`The transfer ${picking.name} is cancelled: it cannot be validated.`);
      if (picking.state === "draft") confirm(env, picking);
      if (!available(env, picking)) {
        const short = movesOf(env, picking)
          .filter(
            (move) =>
              isInternal(env, move.location_id as number) &&
              onHand(env, move.product_id as number, move.location_id as number) < Number(move.product_uom_qty),
          )
          .map((move) => env.db.displayNameOf("product.product", move.product_id as number));
        throw new UserError(`It is not possible to reserve more products than you have in stock: ${short.join(", ")}.`);
      }
    }
    const backorders = pickings.filter((picking) => {
      pickWhenNonePicked(env, picking);
      return asksForBackorder(env, picking);
    });
    if (backorders.length > 0)
      return backorderWizard(
        { ...env, context: { ...env.context, button_validate_picking_ids: pickings.map((picking) => picking.id) } },
        backorders,
        pickings.length > 1,
      );
    for (const picking of pickings) {
      for (const move of movesOf(env, picking)) {
        const quantity = Number(move.quantity);
        if (isInternal(env, move.location_id as number))
          adjustQuant(env, move.product_id as number, move.location_id as number, -quantity);
        if (isInternal(env, move.location_dest_id as number))
          adjustQuant(env, move.product_id as number, move.location_dest_id as number, quantity);
      }
      setState(env, picking, "done");
      picking.date_done = env.db.now();
    }
    return true;
  },
  action_cancel: (env, ids) => {
    for (const picking of recordsOf(env, env.db.requireModel("stock.picking"), ids)) {
      if (picking.state === "done") throw new UserError(`You cannot cancel the transfer ${picking.name}: it is done.`);
      setState(env, picking, "cancel");
    }
    return true;
  },
};

export const saleOrderMethods: Record<string, RecordMethod> = {
  /**
   * The "Send by Email" button (sale_order.py `action_quotation_send`): the composer's window action,
   * its context naming the model, the orders (`default_res_ids`), comment mode and the quotation
   * template. 17.0 works on one order (ensure_one); from 18.0 several orders mean mass mailing.
   */
  action_quotation_send: (env, ids) => {
    const orders = env.db.requireModel("sale.order");
    if (env.db.release.major < 18 && ids.length !== 1)
      throw new PythonError("ValueError", `Expected singleton: sale.order(${ids.join(", ")})`);
    const missing = ids.filter((id) => !orders.rows.has(id));
    if (missing.length > 0) throw missingRecords(env, orders, missing);
    const template = xmlIdRef(env.db, "sale.email_template_edi_sale");
    const several = ids.length > 1;
    return {
      type: "ir.actions.act_window",
      view_mode: "form",
      res_model: "mail.compose.message",
      views: [[false, "form"]],
      view_id: false,
      target: "new",
      context: {
        default_model: "sale.order",
        default_res_ids: ids,
        default_composition_mode: several ? "mass_mail" : "comment",
        default_email_layout_xmlid: "mail.mail_notification_layout_with_responsible_signature",
        ...(env.db.release.major < 18 || !several ? { default_template_id: template ?? false } : {}),
        mark_so_as_sent: true,
        force_email: true,
        model_description: "Quotation",
      },
    };
  },
  action_confirm: (env, ids) => {
    const rows = recordsOf(env, env.db.requireModel("sale.order"), ids);
    const wrong = rows.filter((order) => !["draft", "sent"].includes(String(order.state)));
    if (wrong.length > 0) {
      throw new UserError(
        env.db.release.major < 18
          ? `The following orders are not in a state requiring confirmation: ${wrong.map((order) => order.name).join(", ")}`
          : "Some orders are not in a state requiring confirmation.",
      );
    }
    for (const order of rows) Object.assign(order, { state: "sale", write_date: env.db.now(), write_uid: env.uid });
    return true;
  },
  action_cancel: (env, ids) => {
    const rows = recordsOf(env, env.db.requireModel("sale.order"), ids);
    if (rows.some((order) => order.locked))
      throw new UserError("You cannot cancel a locked order. Please unlock it first.");
    // 17.0 and 18.0 ask a person to confirm in the sale.order.cancel wizard unless every order is a draft.
    if (
      env.db.release.major < 19 &&
      !env.context.disable_cancel_warning &&
      rows.some((order) => order.state !== "draft")
    ) {
      return {
        name: "Cancel Sales Order",
        view_mode: "form",
        res_model: "sale.order.cancel",
        view_id: false,
        type: "ir.actions.act_window",
        context: { default_order_id: rows[0]?.id },
        target: "new",
      };
    }
    for (const order of rows) Object.assign(order, { state: "cancel", write_date: env.db.now(), write_uid: env.uid });
    return true;
  },
  // Quotations sent or cancelled go back to draft; the others are left as they are.
  action_draft: (env, ids) => {
    const rows = recordsOf(env, env.db.requireModel("sale.order"), ids);
    for (const order of rows.filter((row) => ["cancel", "sent"].includes(String(row.state))))
      Object.assign(order, { state: "draft", write_date: env.db.now(), write_uid: env.uid });
    return true;
  },
};
