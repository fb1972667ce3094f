/**
 * Odoo domains, modelled on 17.0's odoo/osv/expression.py and used for every release the simulator is
 * (18.1 moved the code to odoo/orm/domains.py; its optimisations are not modelled): normalisation to
 * prefix notation with implicit AND,
 * leaf validation with Odoo's error messages, and evaluation against in-memory rows.
 */

import { AccessError, PythonError } from "../faults.js";
import { ruleHides } from "./access.js";
import type { Model, Row } from "./database.js";
import type { Env } from "./env.js";
import type { FieldDef } from "./fields.js";
import { isFalsy, leafRepr, pyRepr } from "./python.js";

const TERM_OPERATORS = new Set([
  "=",
  "!=",
  "<=",
  "<",
  ">",
  ">=",
  "=?",
  "=like",
  "=ilike",
  "like",
  "not like",
  "ilike",
  "not ilike",
  "in",
  "not in",
  "child_of",
  "parent_of",
  "any",
  "not any",
]);
const ARITY: Record<string, number> = { "&": 2, "|": 2, "!": 1 };
const NEGATIVE = new Set(["!=", "not like", "not ilike", "not in", "not any"]);

type Leaf = [string | number, string, unknown];
type Node = { op: "&" | "|"; left: Node; right: Node } | { op: "!"; child: Node } | { op: "leaf"; leaf: Leaf };
export type Predicate = (row: Row) => boolean;

/** `normalize_domain`: adds the implicit `&`s and checks that the operators balance. */
export function normalizeDomain(domain: unknown): unknown[] {
  if (!Array.isArray(domain)) throw new PythonError("ValueError", `Invalid domain ${pyRepr(domain)}`);
  if (domain.length === 0) return [];
  const result: unknown[] = [];
  let expected = 1;
  for (const token of domain) {
    if (expected === 0) {
      result.unshift("&");
      expected = 1;
    }
    if (Array.isArray(token)) expected -= 1;
    else expected += (typeof token === "string" ? (ARITY[token] ?? 0) : 0) - 1;
    result.push(token);
  }
  if (expected !== 0) throw new PythonError("ValueError", `Domain ${pyRepr(domain)} is syntactically not correct.`);
  return result;
}

function parseTree(tokens: unknown[]): Node {
  let position = 0;
  const next = (): Node => {
    const token = tokens[position++];
    if (token === "&" || token === "|") return { op: token, left: next(), right: next() };
    if (token === "!") return { op: "!", child: next() };
    return { op: "leaf", leaf: checkLeaf(token) };
  };
  return next();
}

function checkLeaf(token: unknown): Leaf {
  if (!Array.isArray(token) || token.length !== 3) throw new PythonError("ValueError", `Invalid leaf ${pyRepr(token)}`);
  let [left, operator, right] = token as [unknown, unknown, unknown];
  if (typeof operator === "string") operator = operator.toLowerCase();
  if (operator === "<>") operator = "!=";
  if (operator === "==") operator = "=";
  const isConstantLeaf = (left === 1 || left === 0) && operator === "=" && right === 1;
  if (!isConstantLeaf && (typeof left !== "string" || typeof operator !== "string" || !TERM_OPERATORS.has(operator))) {
    throw new PythonError("ValueError", `Invalid leaf ${leafRepr(token)}`);
  }
  return [left as string | number, operator as string, right];
}

/** True when the domain names `active` at its top level, which switches off the implicit active filter. */
function mentionsActive(domain: unknown[]): boolean {
  return domain.some((item) => Array.isArray(item) && item[0] === "active");
}

/**
 * Odoo's multi-company record rules: records of a company outside `env.companies` are not seen; records
 * with no company are shared. `env.companies` is the context's `allowed_company_ids`, each of which must
 * be one of the user's companies, or else all of the user's companies (17.0 api.py `Environment.companies`,
 * 19.0 orm/environments.py).
 */
function allowedCompanies(env: Env, model: Model): Set<number> | undefined {
  if (!model.fields.has("company_id") || model.name === "res.users" || env.uid === 1) return undefined;
  const user = env.db.model("res.users")?.rows.get(env.uid);
  const userCompanies = new Set((user?.company_ids as number[] | undefined) ?? [Number(user?.company_id ?? 1)]);
  const allowed = env.context.allowed_company_ids;
  if (!Array.isArray(allowed) || allowed.length === 0) return userCompanies;
  if (!allowed.every((id) => typeof id === "number" && userCompanies.has(id)))
    throw new AccessError("Access to unauthorized or invalid companies.");
  return new Set(allowed as number[]);
}

/** Rows of `model` matching `domain`, with Odoo's implicit `active = True` unless the context or domain says otherwise. */
export function searchRows(env: Env, model: Model, domain: unknown): Row[] {
  const given = normalizeDomain(domain);
  const normalized = model.def.searchDomain ? normalizeDomain(model.def.searchDomain(given)) : given;
  const predicate = compile(env, model, normalized);
  const filterActive = model.fields.has("active") && env.context.active_test !== false && !mentionsActive(normalized);
  const companies = allowedCompanies(env, model);
  const rows: Row[] = [];
  for (const row of model.rows.values()) {
    if (filterActive && env.db.value(model, row, "active") === false) continue;
    if (companies && typeof row.company_id === "number" && !companies.has(row.company_id)) continue;
    if (ruleHides(env, model, row)) continue;
    if (predicate(row)) rows.push(row);
  }
  return rows;
}

export function searchIds(env: Env, model: Model, domain: unknown): Set<number> {
  return new Set(searchRows(env, model, domain).map((row) => row.id));
}

/** Compiles a normalised domain to a predicate; relational sub-searches run once here, not per row. */
export function compile(env: Env, model: Model, normalized: unknown[]): Predicate {
  if (normalized.length === 0) return () => true;
  return compileNode(env, model, parseTree(normalized), normalized);
}

function compileNode(env: Env, model: Model, node: Node, domain: unknown[]): Predicate {
  switch (node.op) {
    case "&": {
      const [a, b] = [compileNode(env, model, node.left, domain), compileNode(env, model, node.right, domain)];
      return (row) => a(row) && b(row);
    }
    case "|": {
      const [a, b] = [compileNode(env, model, node.left, domain), compileNode(env, model, node.right, domain)];
      return (row) => a(row) || b(row);
    }
    case "!": {
      const child = compileNode(env, model, node.child, domain);
      return (row) => !child(row);
    }
    case "leaf":
      return compileLeaf(env, model, node.leaf);
  }
}

function compileLeaf(env: Env, model: Model, leaf: Leaf): Predicate {
  const [left, operator, right] = leaf;
  if (typeof left === "number") return left === 1 ? () => true : () => false;
  const [head, ...rest] = left.split(".");
  const def = model.fields.get(head as string);
  if (!def) throw new PythonError("ValueError", `Invalid field ${model.name}.${head} in leaf ${leafRepr(leaf)}`);
  const name = head as string;
  const { db } = env;
  const read = (row: Row) => db.value(model, row, name);

  if (rest.length > 0) {
    // A path through a relation becomes `any` on the comodel, as Odoo rewrites it.
    if (!def.relation)
      throw new PythonError("ValueError", `Invalid field ${model.name}.${left} in leaf ${leafRepr(leaf)}`);
    return relatedIn(env, def, read, [[rest.join("."), operator, right]], "any");
  }
  if (operator === "=?") {
    return right === false || right === null ? () => true : compileLeaf(env, model, [left, "=", right]);
  }
  if (operator === "any" || operator === "not any") {
    if (!def.relation) {
      throw new PythonError(
        "ValueError",
        `Binary operator ${pyRepr(operator)} requires a relational field: ${leafRepr(leaf)}`,
      );
    }
    return relatedIn(env, def, read, right, operator);
  }
  if (operator === "child_of" || operator === "parent_of")
    return hierarchyLeaf(env, model, def, name, operator, right, leaf);
  if (def.relation) return relationalLeaf(env, def, read, operator, right);
  return scalarLeaf(def, read, operator, right);
}

/** `field any domain` / `field not any domain`: some related record (or the many2one target) matches. */
function relatedIn(
  env: Env,
  def: FieldDef,
  read: (row: Row) => unknown,
  subdomain: unknown,
  operator: string,
): Predicate {
  const comodel = env.db.requireModel(def.relation as string);
  const matching = searchIds(env, comodel, subdomain);
  const hits = (row: Row) => relatedIds(read(row)).some((id) => matching.has(id));
  return operator === "any" ? hits : (row) => !hits(row);
}

function relatedIds(value: unknown): number[] {
  if (Array.isArray(value)) return value as number[];
  return typeof value === "number" ? [value] : [];
}

/** Relational fields compared with ids, names (resolved as name_search would) or False. */
function relationalLeaf(
  env: Env,
  def: FieldDef,
  read: (row: Row) => unknown,
  operator: string,
  right: unknown,
): Predicate {
  const values = Array.isArray(right) ? right : [right];
  const names = values.filter((value): value is string => typeof value === "string");
  const unset = (row: Row) => relatedIds(read(row)).length === 0;
  if (names.length > 0 || operator.includes("like")) {
    // Comparing with text: find the comodel records by name, then compare ids.
    const comodel = env.db.requireModel(def.relation as string);
    const positive = NEGATIVE.has(operator) ? positiveOf(operator) : operator === "in" ? "=" : operator;
    const nameLeaves = (names.length > 0 ? names : values).map((value) => [comodel.recName, positive, value]);
    const ids = searchIds(env, comodel, [...Array(Math.max(nameLeaves.length - 1, 0)).fill("|"), ...nameLeaves]);
    const hits = (row: Row) => relatedIds(read(row)).some((id) => ids.has(id));
    return NEGATIVE.has(operator) ? (row) => !hits(row) : hits;
  }
  if (["<", "<=", ">", ">="].includes(operator)) {
    const test = compare(operator);
    return (row) => relatedIds(read(row)).some((id) => test(id, right));
  }
  const wantsUnset = values.some((value) => value === false || value === null);
  const ids = new Set(values.filter((value): value is number => typeof value === "number"));
  const hits = (row: Row) => relatedIds(read(row)).some((id) => ids.has(id)) || (wantsUnset && unset(row));
  return NEGATIVE.has(operator) ? (row) => !hits(row) : hits;
}

function positiveOf(operator: string): string {
  return { "!=": "=", "not like": "like", "not ilike": "ilike", "not in": "=", "not any": "any" }[operator] ?? operator;
}

function hierarchyLeaf(
  env: Env,
  model: Model,
  def: FieldDef,
  name: string,
  operator: "child_of" | "parent_of",
  right: unknown,
  leaf: Leaf,
): Predicate {
  const target = name === "id" ? model : env.db.requireModel(def.relation ?? "");
  const parentField = target.parentName;
  if (!parentField) {
    throw new PythonError("ValueError", `Invalid domain: ${target.name} has no parent field for ${leafRepr(leaf)}`);
  }
  const values = Array.isArray(right) ? right : [right];
  const start = new Set<number>();
  for (const value of values) {
    if (typeof value === "number") start.add(value);
    else if (typeof value === "string")
      for (const id of searchIds(env, target, [[target.recName, "ilike", value]])) start.add(id);
  }
  const closure = new Set(start);
  if (operator === "child_of") {
    let grew = true;
    while (grew) {
      grew = false;
      for (const row of target.rows.values()) {
        const parent = row[parentField];
        if (typeof parent === "number" && closure.has(parent) && !closure.has(row.id)) {
          closure.add(row.id);
          grew = true;
        }
      }
    }
  } else {
    for (const id of start) {
      let parent = target.rows.get(id)?.[parentField];
      while (typeof parent === "number" && !closure.has(parent)) {
        closure.add(parent);
        parent = target.rows.get(parent)?.[parentField];
      }
    }
  }
  const read = (row: Row) => env.db.value(model, row, name);
  return (row) => relatedIds(read(row)).some((id) => closure.has(id));
}

function isUnset(def: FieldDef, value: unknown): boolean {
  if (value === false || value === null || value === undefined) return true;
  return (def.type === "char" || def.type === "text" || def.type === "html") && value === "";
}

function scalarLeaf(def: FieldDef, read: (row: Row) => unknown, operator: string, right: unknown): Predicate {
  if (def.type === "boolean") {
    const wanted = !isFalsy(right);
    if (operator === "=") return (row) => (read(row) === true) === wanted;
    if (operator === "!=") return (row) => (read(row) === true) !== wanted;
  }
  const comparable = (value: unknown) => (def.type === "boolean" ? value === true : value);
  switch (operator) {
    case "=":
      if (right === false || right === null) return (row) => isUnset(def, read(row));
      return (row) => !isUnset(def, read(row)) && looselyEqual(read(row), right);
    case "!=":
      if (right === false || right === null) return (row) => !isUnset(def, read(row));
      return (row) => isUnset(def, read(row)) || !looselyEqual(read(row), right);
    case "<":
    case "<=":
    case ">":
    case ">=": {
      const test = compare(operator);
      return (row) => {
        const value = read(row);
        return !isUnset(def, value) && right !== false && right !== null && test(value, right);
      };
    }
    case "in":
    case "not in": {
      const values = Array.isArray(right) ? right : [right];
      const wantsUnset = values.some((value) => value === false || value === null);
      const hits = (row: Row) => {
        const value = comparable(read(row));
        return isUnset(def, value) ? wantsUnset : values.some((candidate) => looselyEqual(value, candidate));
      };
      return operator === "in" ? hits : (row) => !hits(row);
    }
    default: {
      const pattern = likePattern(operator, right);
      const matches = (row: Row) => {
        const value = read(row);
        return !isUnset(def, value) && pattern.test(String(value));
      };
      return operator.startsWith("not ") ? (row) => !matches(row) : matches;
    }
  }
}

function looselyEqual(value: unknown, candidate: unknown): boolean {
  if (typeof value === "number" && typeof candidate === "string") return value === Number(candidate);
  return value === candidate;
}

function compare(operator: string): (a: unknown, b: unknown) => boolean {
  const order = (a: unknown, b: unknown) => {
    const [x, y] = typeof a === "number" ? [a, Number(b)] : [String(a), String(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  };
  switch (operator) {
    case "<":
      return (a, b) => order(a, b) < 0;
    case "<=":
      return (a, b) => order(a, b) <= 0;
    case ">":
      return (a, b) => order(a, b) > 0;
    default:
      return (a, b) => order(a, b) >= 0;
  }
}

/** SQL LIKE as Odoo builds it: `like`/`ilike` wrap the value in `%…%` (unescaped), `=like` takes it raw. */
function likePattern(operator: string, right: unknown): RegExp {
  const raw = right === false || right === null ? "" : String(right);
  const base = operator.replace(/^not /, "");
  const sqlPattern = base.startsWith("=") ? raw : `%${raw}%`;
  const source = sqlPattern
    .split("")
    .map((char) => (char === "%" ? ".*" : char === "_" ? "." : char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, base.includes("ilike") ? "is" : "s");
}
