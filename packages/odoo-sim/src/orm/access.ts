import { AccessError } from "../faults.js";
import type { Model, Row } from "./database.js";
import type { Env } from "./env.js";
import type { FieldDef } from "./fields.js";

export type Operation = "read" | "write" | "create" | "unlink";

const VERB: Record<Operation, string> = { read: "access", write: "modify", create: "create", unlink: "delete" };

/**
 * Model access as the demo users have it (ir.model.access): the administrator may do everything,
 * internal users may read (or what the model's `userAccess` says), portal users reach nothing through
 * the external API.
 */
export function hasAccess(env: Env, operation: Operation, model?: Model): boolean {
  if (env.group === "admin") return true;
  return env.group === "user" && (model?.def.userAccess ?? ["read"]).includes(operation);
}

export function checkAccess(env: Env, model: Model, operation: Operation): void {
  if (hasAccess(env, operation, model)) return;
  const groups = (model.def.userAccess ?? ["read"]).includes(operation) ? "Internal User" : "Administration/Settings";
  throw new AccessError(
    `You are not allowed to ${VERB[operation]} '${model.def.description}' (${model.name}) records.\n\n` +
      `This operation is allowed for the following groups:\n\t- ${groups}\n\n` +
      "Contact your administrator to request access if necessary.",
  );
}

/** Whether the model's record rule keeps `row` from this user (administrators and the superuser pass). */
export const ruleHides = (env: Env, model: Model, row: Row): boolean =>
  Boolean(model.def.userRule) && env.group !== "admin" && env.uid !== 1 && !model.def.userRule?.allows(env, row);

/**
 * Record rules on records asked for by id: any the rule keeps out fails the whole call, in the words of
 * ir_rule.py `_make_access_error` outside debug mode (17.0 L202-223).
 */
export function checkRule(env: Env, model: Model, ids: readonly number[], operation: Operation): void {
  if (
    !ids.some((id) => {
      const row = model.rows.get(id);
      return row !== undefined && ruleHides(env, model, row);
    })
  )
    return;
  const user = env.db.users.find((candidate) => candidate.id === env.uid);
  throw new AccessError(
    "Uh-oh! Looks like you have stumbled upon some top-secret records.\n\n" +
      `Sorry, ${user?.name} (id=${env.uid}) doesn't have '${operation}' access to:\n` +
      `- ${model.def.description} (${model.name})\n\n` +
      "If you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies.",
  );
}

/** The Odoo groups (XML ids) each demo role holds, implied groups included. */
export const GROUPS_BY_ROLE: Record<Env["group"], readonly string[]> = {
  // With the groups the managers' groups imply (sales_team_security.xml, stock_security.xml).
  admin: [
    "base.group_user",
    "base.group_system",
    "base.group_erp_manager",
    "sales_team.group_sale_manager",
    "sales_team.group_sale_salesman",
    "stock.group_stock_manager",
    "stock.group_stock_user",
  ],
  user: ["base.group_user", "sales_team.group_sale_salesman", "stock.group_stock_user"],
  portal: ["base.group_portal"],
};

/** Whether this user may see a field restricted to groups (the superuser sees every field). */
export const mayUseField = (env: Env, def: FieldDef): boolean =>
  !def.groups || env.uid === 1 || def.groups.some((group) => GROUPS_BY_ROLE[env.group].includes(group));

/**
 * Reading fields restricted to groups the user lacks: 17.0 models.py `check_field_access_rights`
 * (L3436-3470), for a user without technical features.
 */
export function checkFieldAccess(env: Env, model: Model, names: readonly string[], operation: Operation): void {
  const denied = names.filter((name) => {
    const def = model.fields.get(name);
    return def !== undefined && !mayUseField(env, def);
  });
  if (denied.length === 0) return;
  throw new AccessError(
    `You do not have enough rights to access the fields "${denied.join(",")}" on ${model.def.description} ` +
      `(${model.name}). Please contact your system administrator.\n\n(Operation: ${operation})`,
  );
}
