import type { SimRelease } from "../release.js";
import type { SimUser } from "./env.js";
import { type FieldDef, field } from "./fields.js";
import type { ModelDef } from "./model.js";

/** A stored record: stored fields only, many2one as an id or false, many2many as an id list. */
export type Row = { id: number } & Record<string, unknown>;

export interface Model {
  def: ModelDef;
  name: string;
  /** Every field, including the magic ones and those delegated through `_inherits`. */
  fields: Map<string, FieldDef>;
  rows: Map<number, Row>;
  nextId: number;
  recName: string;
  parentName: string | undefined;
  /** The release of the database the model belongs to. */
  release: SimRelease;
}

const MAGIC_FIELDS: Record<string, FieldDef> = {
  id: field.integer("ID", { readonly: true, aggregator: undefined }),
  display_name: field.char("Display Name", { readonly: true }),
  create_uid: field.many2one("Created by", "res.users", { readonly: true }),
  create_date: field.datetime("Created on", { readonly: true }),
  write_uid: field.many2one("Last Updated by", "res.users", { readonly: true }),
  write_date: field.datetime("Last Updated on", { readonly: true }),
};

/** Odoo's datetime wire format, in UTC. */
export function formatDatetime(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

type Translations = { en_US: unknown } & Record<string, unknown>;
const isTranslations = (raw: unknown): raw is Translations =>
  typeof raw === "object" && raw !== null && !Array.isArray(raw) && "en_US" in raw;

/** A translated field's value in `lang`: its translation there, else the en_US source (Odoo's COALESCE). */
function inLanguage(raw: unknown, lang: string | undefined): unknown {
  if (!isTranslations(raw)) return raw;
  const translated = lang ? raw[lang] : undefined;
  return translated === undefined || translated === false ? raw.en_US : translated;
}

/** One Odoo database held in memory: the models, their records, users and sequences. */
export class Database {
  readonly models = new Map<string, Model>();
  private readonly sequences = new Map<string, number>();
  /** This database's own copy of the users: passwords can change. */
  readonly users: SimUser[];
  /** Deprecation warnings Odoo's server would log for the calls made (newest last, at most 100). */
  readonly warnings: string[] = [];

  /** Records a server-side warning (a deprecated method was called): the caller sees nothing. */
  warn(message: string): void {
    this.warnings.push(message);
    if (this.warnings.length > 100) this.warnings.shift();
  }

  constructor(
    readonly name: string,
    defs: readonly ModelDef[],
    users: readonly SimUser[],
    /** The Odoo release this database belongs to: its method signatures and fields. */
    readonly release: SimRelease,
  ) {
    this.users = users.map((user) => ({ ...user }));
    for (const def of defs) {
      const fields = new Map<string, FieldDef>(Object.entries({ ...MAGIC_FIELDS, ...def.fields }));
      this.models.set(def.name, {
        def,
        name: def.name,
        fields,
        rows: new Map(),
        nextId: 1,
        recName: def.recName ?? "name",
        release,
        parentName: def.parentName ?? (fields.has("parent_id") ? "parent_id" : undefined),
      });
    }
    for (const model of this.models.values()) this.addDelegatedFields(model);
  }

  /** `_inherits`: the parent's fields are readable and writable on the child, stored on the parent. */
  private addDelegatedFields(model: Model): void {
    for (const [parentName, through] of Object.entries(model.def.inherits ?? {})) {
      const parent = this.models.get(parentName);
      if (!parent) throw new Error(`${model.name} inherits unknown model ${parentName}`);
      for (const [name, def] of Object.entries(parent.def.fields)) {
        if (!model.fields.has(name)) model.fields.set(name, { ...def, delegatedThrough: through });
      }
    }
  }

  model(name: string): Model | undefined {
    return this.models.get(name);
  }

  requireModel(name: string): Model {
    const model = this.models.get(name);
    if (!model) throw new Error(`unknown model ${name}`);
    return model;
  }

  /** The raw value of a field on a row, following delegation, one2many inverses and computes. */
  value(model: Model, row: Row, name: string): unknown {
    if (name === "id") return row.id;
    if (name === "display_name") return this.displayName(model, row);
    const def = model.fields.get(name);
    if (!def) return undefined;
    if (def.delegatedThrough) {
      const parent = this.requireModel(model.fields.get(def.delegatedThrough)?.relation as string);
      const parentRow = parent.rows.get(row[def.delegatedThrough] as number);
      return parentRow ? this.value(parent, parentRow, name) : false;
    }
    if (def.compute) return def.compute(row, this);
    if (def.type === "one2many") return this.inverseIds(def, row.id);
    if (def.translate) return inLanguage(row[name], this.lang);
    return row[name];
  }

  /**
   * The language of the call running now (its context's `lang`): translated fields are read, searched,
   * sorted and written in it. Calls run one at a time, so it is set for one call (`inLanguage`).
   */
  private lang: string | undefined;

  /** Runs one ORM call in the context's language. */
  withLanguage<T>(lang: unknown, call: () => T): T {
    const outer = this.lang;
    this.lang = typeof lang === "string" && lang !== "" ? lang : undefined;
    try {
      return call();
    } finally {
      this.lang = outer;
    }
  }

  /**
   * What a translated field stores once `value` is written in the call's language: that language's
   * value replaced, the others kept; en_US (or no lang) writes the source value (Odoo 16+ `_update_cache`).
   */
  translatedWrite(previous: unknown, value: unknown): unknown {
    const lang = this.lang ?? "en_US";
    const translations = isTranslations(previous) ? previous : undefined;
    if (lang === "en_US") return translations ? { ...translations, en_US: value } : value;
    return { en_US: translations ? translations.en_US : previous, ...translations, [lang]: value };
  }

  /** Ids of the active comodel records whose inverse many2one points at `id`, in the comodel's order. */
  private inverseIds(def: FieldDef, id: number): number[] {
    const comodel = this.requireModel(def.relation as string);
    const ids: number[] = [];
    for (const row of comodel.rows.values()) {
      if (row[def.inverseName as string] === id && row.active !== false) ids.push(row.id);
    }
    return ids;
  }

  displayName(model: Model, row: Row): string {
    if (model.def.displayName) return model.def.displayName(row, this);
    const name = this.value(model, row, model.recName);
    return typeof name === "string" ? name : `${model.name},${row.id}`;
  }

  displayNameOf(modelName: string, id: number): string {
    const model = this.requireModel(modelName);
    const row = model.rows.get(id);
    return row ? this.displayName(model, row) : "";
  }

  /** Next value of a named sequence, formatted as Odoo's ir.sequence does (`WH/INT/00001`). */
  nextSequence(code: string, prefix: string, padding: number): string {
    const next = (this.sequences.get(code) ?? 0) + 1;
    this.sequences.set(code, next);
    return `${prefix}${String(next).padStart(padding, "0")}`;
  }

  /** When set, `now()` answers this instant (the demo data is loaded at a fixed time). */
  frozenNow: string | undefined;

  now(): string {
    return this.frozenNow ?? formatDatetime(new Date());
  }
}
