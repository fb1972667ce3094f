import { DEFAULT_WRITE_DENIED_MODELS } from "../config.js";

/**
 * Which models the tools may touch: an optional allowlist, then a denylist; and, of those, which they
 * may change (write denylist). `*` matches any suffix.
 */
export interface ModelPolicy {
  /** Undefined when the model may be used at all (read), else a sentence saying why not. */
  refusal(model: string): string | undefined;
  /** Undefined when records of the model may be created, changed, deleted or acted on, else why not. */
  writeRefusal(model: string): string | undefined;
}

const matcher = (pattern: string) =>
  pattern.endsWith("*")
    ? (model: string) => model.startsWith(pattern.slice(0, -1))
    : (model: string) => model === pattern;

export function createModelPolicy(
  allowed: readonly string[],
  denied: readonly string[],
  writeDenied: readonly string[] = DEFAULT_WRITE_DENIED_MODELS.split(","),
): ModelPolicy {
  const allow = allowed.map(matcher);
  const deny = denied.map(matcher);
  const denyWrite = writeDenied.map(matcher);
  const refusal = (model: string) => {
    if (!/^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$/.test(model))
      return `"${model}" is not an Odoo model name (e.g. res.partner).`;
    if (deny.some((matches) => matches(model)))
      return `The model ${model} is not available through this server (internal or security-sensitive).`;
    if (allow.length > 0 && !allow.some((matches) => matches(model)))
      return `The model ${model} is not on this server's list of allowed models.`;
    return undefined;
  };
  return {
    refusal,
    writeRefusal(model) {
      const denied = refusal(model);
      if (denied) return denied;
      if (denyWrite.some((matches) => matches(model)))
        return (
          `The model ${model} can be read but not changed through this server (users, groups, companies, settings ` +
          `and credentials are security-sensitive): make this change in Odoo itself, or ask the operator to take ` +
          `${model} off ODOO_MODELS_WRITE_DENIED.`
        );
      return undefined;
    },
  };
}
