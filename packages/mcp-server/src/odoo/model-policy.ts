/** Which models the tools may touch: an optional allowlist, then a denylist; `*` matches any suffix. */
export interface ModelPolicy {
  /** Undefined when allowed, else a sentence saying why not. */
  refusal(model: string): string | undefined;
}

const matcher = (pattern: string) =>
  pattern.endsWith("*")
    ? (model: string) => model.startsWith(pattern.slice(0, -1))
    : (model: string) => model === pattern;

export function createModelPolicy(allowed: readonly string[], denied: readonly string[]): ModelPolicy {
  const allow = allowed.map(matcher);
  const deny = denied.map(matcher);
  return {
    refusal(model) {
      if (!/^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$/.test(model))
        return `"${model}" is not an Odoo model name (e.g. res.partner).`;
      if (deny.some((matches) => matches(model)))
        return `The model ${model} is not available through this server (internal or security-sensitive).`;
      if (allow.length > 0 && !allow.some((matches) => matches(model)))
        return `The model ${model} is not on this server's list of allowed models.`;
      return undefined;
    },
  };
}
