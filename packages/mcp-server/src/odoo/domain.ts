/**
 * Checks that a domain is a valid Odoo domain before it reaches Odoo, so the model gets a precise
 * message: prefix operators balance, each term is [field, operator, value] with a known operator, no
 * field path names a credential field, and `any` / `not any` take a sub-domain (checked the same way).
 * That each segment of each path exists, and that each model a path reaches may be used, needs the
 * models' fields: see `checkedDomain` in the tools, which walks `domainTerms`.
 */
import { secretFieldProblem } from "./fields.js";

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

/** Sub-domains (`any`, `not any`) nest at most this deep. */
export const MAX_SUBDOMAIN_DEPTH = 3;
/** Operators whose value is a domain on the field's comodel. */
export const SUBDOMAIN_OPERATORS = new Set(["any", "not any"]);

export interface DomainTerm {
  /** Position in the domain list. */
  index: number;
  /** The field path, e.g. "partner_id.country_id.code". */
  path: string;
  /** Lower case. */
  operator: string;
  value: unknown;
}

export function domainProblem(domain: unknown, depth = 0): string | undefined {
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
    const secret = secretFieldProblem(field);
    if (secret) return `Item ${index}: ${secret}`;
    if (["in", "not in"].includes(operator.toLowerCase()) && !Array.isArray(value)) {
      return `Item ${index}: the "${operator}" operator needs a list value.`;
    }
    if (SUBDOMAIN_OPERATORS.has(operator.toLowerCase())) {
      if (!Array.isArray(value))
        return `Item ${index}: the "${operator}" operator needs a domain on the related model, e.g. [["name", "ilike", "x"]].`;
      if (depth + 1 > MAX_SUBDOMAIN_DEPTH)
        return `Item ${index}: "${operator}" sub-domains nest at most ${MAX_SUBDOMAIN_DEPTH} deep; split the search.`;
      const inner = domainProblem(value, depth + 1);
      if (inner) return `Item ${index}, in its "${operator}" sub-domain: ${inner}`;
    }
    expected -= 1;
  }
  if (expected > 0 && domain.length > 0)
    return 'The domain\'s operators are unbalanced: each "&" and "|" needs two terms after it, "!" one.';
  return undefined;
}

/** The [field, operator, value] terms of a domain `domainProblem` accepted. */
export function domainTerms(domain: readonly unknown[]): DomainTerm[] {
  return domain.flatMap((token, index) =>
    Array.isArray(token)
      ? [{ index, path: token[0] as string, operator: (token[1] as string).toLowerCase(), value: token[2] }]
      : [],
  );
}
