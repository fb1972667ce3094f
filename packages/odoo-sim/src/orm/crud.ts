/** create / write / unlink with Odoo's semantics: defaults, `_inherits`, x2many commands, constraints. */
import { MissingError, PythonError, UserError, ValidationError } from "../faults.js";
import type { Model, Row } from "./database.js";
import type { Env } from "./env.js";
import { emptyValue, type FieldDef, isX2many } from "./fields.js";
import { idsRepr, pyRepr } from "./python.js";
import { storeValue, type X2manyCommand, x2manyCommands } from "./values.js";

const MAGIC = new Set(["id", "display_name", "create_uid", "create_date", "write_uid", "write_date"]);

function notNullViolation(model: Model, name: string, def: FieldDef): ValidationError {
  return new ValidationError(
    "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n" +
      "- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n" +
      `Model: ${model.def.description} (${model.name})\nField: ${def.string} (${name})\n`,
  );
}

function foreignKeyViolation(model: Model, name: string): ValidationError {
  return new ValidationError(
    "The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\n" +
      `Model: ${model.def.description} (${model.name})\nConstraint: ${model.name.replace(/\./g, "_")}_${name}_fkey\n`,
  );
}

export function missingRecords(env: Env, model: Model, ids: readonly number[]): MissingError {
  return new MissingError(
    `Record does not exist or has been deleted.\n(Record: ${model.name}${idsRepr([...ids])}, User: ${env.uid})`,
  );
}

function isEmpty(def: FieldDef, value: unknown): boolean {
  return value === false || value === null || value === undefined || (isX2many(def) ? false : value === "");
}

/** Splits values into this model's own fields, values per `_inherits` parent, and x2many commands. */
function splitValues(model: Model, values: Record<string, unknown>) {
  const own: Record<string, unknown> = {};
  const delegated = new Map<string, Record<string, unknown>>();
  const x2many: [string, FieldDef, X2manyCommand[]][] = [];
  for (const [name, value] of Object.entries(values)) {
    const def = model.fields.get(name);
    if (!def) throw invalidField(model, name);
    if (MAGIC.has(name) || (def.compute && !def.delegatedThrough)) continue;
    if (def.delegatedThrough) {
      const bucket = delegated.get(def.delegatedThrough) ?? {};
      bucket[name] = value;
      delegated.set(def.delegatedThrough, bucket);
    } else if (isX2many(def)) {
      x2many.push([name, def, x2manyCommands(model, name, value)]);
    } else {
      own[name] = storeValue(model, name, def, value);
    }
  }
  return { own, delegated, x2many };
}

function checkTargets(env: Env, model: Model, values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) {
    const def = model.fields.get(name);
    if (def?.type === "many2one" && typeof value === "number") {
      if (!env.db.requireModel(def.relation as string).rows.has(value)) throw foreignKeyViolation(model, name);
    }
  }
}

/**
 * `_check_company` on the many2one fields marked `check_company`: a target of another company than the
 * record's is refused, in each release's words (odoo/models.py 17.0 L4016-4090, 18.0 L4319-4400; 19.0
 * odoo/orm/models.py L4010-4095; at most five lines).
 */
function checkCompany(env: Env, model: Model, rows: Row[]): void {
  const { db } = env;
  const companyOf = (modelName: string, row: Row | undefined) =>
    row ? db.value(db.requireModel(modelName), row, "company_id") : false;
  const lines: string[] = [];
  for (const row of rows) {
    const company = row.company_id;
    if (typeof company !== "number") continue;
    for (const [name, def] of model.fields) {
      const target = row[name];
      if (!def.checkCompany || typeof target !== "number") continue;
      const theirs = companyOf(def.relation as string, db.requireModel(def.relation as string).rows.get(target));
      if (typeof theirs !== "number" || theirs === company) continue;
      const record = db.displayNameOf(model.name, row.id);
      const companyName = db.displayNameOf("res.company", company);
      const values = pyRepr(db.displayNameOf(def.relation as string, target));
      lines.push(
        db.release.major < 18
          ? `- ${pyRepr(record)} belongs to company ${pyRepr(companyName)} and ${pyRepr(def.string)} (${name}: ${values}) belongs to another company.`
          : `- “${record}” belongs to company “${companyName}” ${db.release.major < 19 ? "and" : "while"} “${def.string}” (${name}: ${values}) belongs to another company.`,
      );
    }
  }
  if (lines.length === 0) return;
  const [head, foot] =
    db.release.major < 19
      ? ["Incompatible companies on records:", []]
      : ["Uh-oh! You’ve got some company inconsistencies here:", ["To avoid a mess, no company crossover is allowed!"]];
  throw new UserError([head, ...lines.slice(0, 5), ...foot].join("\n"));
}

export function createRecord(env: Env, model: Model, values: Record<string, unknown>, asParentOf?: string): number {
  const { db } = env;
  const { own, delegated, x2many } = splitValues(model, values);
  for (const [parentName, through] of Object.entries(model.def.inherits ?? {})) {
    const parentValues = delegated.get(through) ?? {};
    if (typeof own[through] === "number")
      writeRecords(env, db.requireModel(parentName), [own[through] as number], parentValues);
    else own[through] = createRecord(env, db.requireModel(parentName), parentValues, model.name);
  }
  for (const [name, def] of Object.entries(model.def.fields)) {
    // models.py default_get: a `default_<field>` context key wins over the field's own default.
    const fromContext = env.context[`default_${name}`];
    if (!(name in own) && !def.compute && fromContext !== undefined && !isX2many(def)) {
      own[name] = storeValue(model, name, def, fromContext);
      continue;
    }
    if (name in own || def.compute || isX2many(def) || def.default === undefined) continue;
    const fallback = typeof def.default === "function" ? def.default(db, { ...values, ...own }) : def.default;
    own[name] = storeValue(model, name, def, fallback);
  }
  model.def.beforeCreate?.(own, db, env);
  for (const [name, def] of Object.entries(model.def.fields)) {
    if (def.required && !def.compute && !isX2many(def) && isEmpty(def, own[name])) {
      throw notNullViolation(model, name, def);
    }
  }
  checkTargets(env, model, own);
  const now = db.now();
  const row: Row = { id: model.nextId++ };
  for (const [name, def] of Object.entries(model.def.fields)) {
    if (def.compute || def.type === "one2many") continue;
    row[name] = name in own ? own[name] : emptyValue(def) === 0 ? false : emptyValue(def);
  }
  Object.assign(row, { create_uid: env.uid, create_date: now, write_uid: env.uid, write_date: now });
  model.rows.set(row.id, row);
  try {
    checkCompany(env, model, [row]);
  } catch (error) {
    model.rows.delete(row.id);
    throw error;
  }
  for (const [name, def, commands] of x2many) applyX2many(env, model, row, name, def, commands);
  model.def.afterCreate?.(env, row.id, asParentOf);
  return row.id;
}

export function writeRecords(env: Env, model: Model, ids: readonly number[], values: Record<string, unknown>): void {
  // Writing fetches the records first: the first missing one fails as a read does (fields.py `__get__`,
  // 17.0 L1187-1190, 19.0 orm/fields.py L1713; real Odoo 17.0 to 19.0 answered this for an unknown id).
  const missing = ids.find((id) => !model.rows.has(id));
  if (missing !== undefined) throw missingRecords(env, model, [missing]);
  const { own, delegated, x2many } = splitValues(model, values);
  for (const [name, value] of Object.entries(own)) {
    const def = model.fields.get(name) as FieldDef;
    if (def.required && isEmpty(def, value)) throw notNullViolation(model, name, def);
  }
  checkTargets(env, model, own);
  checkCompany(
    env,
    model,
    ids.map((id) => ({ ...(model.rows.get(id) as Row), ...own })),
  );
  const now = env.db.now();
  for (const id of ids) {
    const row = model.rows.get(id) as Row;
    for (const [through, parentValues] of delegated) {
      const parent = env.db.requireModel(model.fields.get(through)?.relation as string);
      writeRecords(env, parent, [row[through] as number], parentValues);
    }
    const translated = Object.fromEntries(
      Object.entries(own)
        .filter(([name]) => model.fields.get(name)?.translate)
        .map(([name, value]) => [name, env.db.translatedWrite(row[name], value)]),
    );
    Object.assign(row, own, translated, { write_uid: env.uid, write_date: now });
    for (const [name, def, commands] of x2many) applyX2many(env, model, row, name, def, commands);
  }
}

/** Deletes records, applying each many2one's `ondelete` on the records that point at them. */
export function unlinkRecords(env: Env, model: Model, ids: readonly number[]): void {
  const missing = ids.filter((id) => !model.rows.has(id));
  if (missing.length > 0) throw missingRecords(env, model, missing);
  const doomed = new Set(ids);
  for (const other of env.db.models.values()) {
    for (const [name, def] of Object.entries(other.def.fields)) {
      if (def.relation !== model.name || def.compute) continue;
      if (def.type === "many2many") {
        for (const row of other.rows.values()) {
          const linked = row[name] as number[];
          if (linked.some((id) => doomed.has(id))) row[name] = linked.filter((id) => !doomed.has(id));
        }
        continue;
      }
      if (def.type !== "many2one") continue;
      const dependants = [...other.rows.values()].filter((row) => doomed.has(row[name] as number));
      if (dependants.length === 0) continue;
      if (def.ondelete === "restrict" || (def.required && def.ondelete !== "cascade")) {
        throw foreignKeyViolation(other, name);
      }
      if (def.ondelete === "cascade")
        unlinkRecords(
          env,
          other,
          dependants.map((row) => row.id).filter((id) => other.rows.has(id)),
        );
      else for (const row of dependants) row[name] = false;
    }
  }
  for (const id of ids) model.rows.delete(id);
}

function applyX2many(env: Env, model: Model, row: Row, name: string, def: FieldDef, commands: X2manyCommand[]): void {
  const comodel = env.db.requireModel(def.relation as string);
  if (def.type === "one2many") {
    const inverse = def.inverseName as string;
    const inverseDef = comodel.fields.get(inverse) as FieldDef;
    const detach = (id: number) => {
      if (!comodel.rows.has(id)) return;
      if (inverseDef.required) unlinkRecords(env, comodel, [id]);
      else writeRecords(env, comodel, [id], { [inverse]: false });
    };
    const current = () => env.db.value(model, row, name) as number[];
    for (const [code, id, payload] of commands) {
      if (code === 0) createRecord(env, comodel, { ...(payload as Record<string, unknown>), [inverse]: row.id });
      else if (code === 1) writeRecords(env, comodel, [id], payload as Record<string, unknown>);
      else if (code === 2) unlinkRecords(env, comodel, [id]);
      else if (code === 3) detach(id);
      else if (code === 4) writeRecords(env, comodel, [id], { [inverse]: row.id });
      else if (code === 5) for (const child of current()) detach(child);
      else if (code === 6) {
        const wanted = new Set(payload as number[]);
        for (const child of current()) if (!wanted.has(child)) detach(child);
        writeRecords(env, comodel, [...wanted], { [inverse]: row.id });
      }
    }
    return;
  }
  let linked = [...((row[name] as number[] | undefined) ?? [])];
  for (const [code, id, payload] of commands) {
    if (code === 0) linked.push(createRecord(env, comodel, payload as Record<string, unknown>));
    else if (code === 1) writeRecords(env, comodel, [id], payload as Record<string, unknown>);
    else if (code === 2) {
      unlinkRecords(env, comodel, [id]);
      linked = linked.filter((other) => other !== id);
    } else if (code === 3) linked = linked.filter((other) => other !== id);
    else if (code === 4) linked.push(id);
    else if (code === 5) linked = [];
    else if (code === 6) linked = [...(payload as number[])];
  }
  const missing = linked.filter((id) => !comodel.rows.has(id));
  if (missing.length > 0) throw foreignKeyViolation(model, name);
  row[name] = [...new Set(linked)];
}

/** A value for a field the model does not have: create and write refuse it (models.py, each release's words). */
export function invalidField(model: Model, name: string): PythonError {
  return new PythonError(
    "ValueError",
    model.release.major < 19
      ? `Invalid field '${name}' on model '${model.name}'`
      : `Invalid field '${name}' in '${model.name}'`,
  );
}
