import { AccessError } from "../faults.js";
import type { Model } from "./database.js";
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
