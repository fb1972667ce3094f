/**
 * Checks that a domain is a valid Odoo domain before it reaches Odoo, so the model gets a precise
 * message: prefix operators balance, each term is [field, operator, value] with a known operator, and
 * the first field of each path exists on the model.
 */
const TERM_OPERATORS = new Set([
  "=",
  "!=",
  "<>",
  "<",
  "<=",
  ">",
  ">=",
  "=?",
  "like",
  "not like",
  "ilike",
  "not ilike",
  "=like",
  "=ilike",
  "in",
  "not in",
  "child_of",
  "parent_of",
  "any",
  "not any",
]);
const ARITY: Record<string, number> = { "&": 2, "|": 2, "!": 1 };

export function domainProblem(domain: unknown, fields: ReadonlySet<string>, model: string): string | undefined {
  if (!Array.isArray(domain)) return 'The domain must be a list, e.g. [["is_company", "=", true]].';
  let expected = 1;
  for (const [index, token] of domain.entries()) {
    if (expected === 0) expected = 1; // implicit AND between consecutive terms
    if (typeof token === "string") {
      const arity = ARITY[token];
      if (arity === undefined)
        return `Item ${index} ("${token}") is not an operator: use "&", "|" or "!", or a [field, operator, value] term.`;
      expected += arity - 1;
      continue;
    }
    if (!Array.isArray(token) || token.length !== 3) {
      return `Item ${index} must be a [field, operator, value] term, got ${JSON.stringify(token)}.`;
    }
    const [field, operator, value] = token as [unknown, unknown, unknown];
    if (typeof field !== "string" || field === "")
      return `Item ${index}: the field must be a name such as "name" or "partner_id.country_id.code".`;
    if (typeof operator !== "string" || !TERM_OPERATORS.has(operator.toLowerCase())) {
      return `Item ${index}: unknown operator ${JSON.stringify(operator)}; use one of ${[...TERM_OPERATORS].join(", ")}.`;
    }
    const head = field.split(".")[0] as string;
    if (!fields.has(head))
      return `Item ${index}: ${model} has no field "${head}". Use odoo_get_model_fields to see its fields.`;
    if (["in", "not in"].includes(operator.toLowerCase()) && !Array.isArray(value)) {
      return `Item ${index}: the "${operator}" operator needs a list value.`;
    }
    expected -= 1;
  }
  if (expected > 0 && domain.length > 0)
    return 'The domain\'s operators are unbalanced: each "&" and "|" needs two terms after it, "!" one.';
  return undefined;
}
