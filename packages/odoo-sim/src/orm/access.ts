import { AccessError } from "../faults.js";
import type { Model, Row } from "./database.js";
import type { Env } from "./env.js";

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
