/** Python's repr() of the JSON-like values Odoo puts into its error messages, e.g. `('foo', '=', 1)`. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
      .join(", ")}}`;
  }
  return String(value);
}

/** repr() of a domain leaf, which Odoo prints as a tuple. */
export function leafRepr(leaf: readonly unknown[]): string {
  return `(${leaf.map(pyRepr).join(", ")})`;
}

/** repr() of a tuple of ids, `(7,)` or `(7, 8)`. */
export function idsRepr(ids: readonly number[]): string {
  return ids.length === 1 ? `(${ids[0]},)` : `(${ids.join(", ")})`;
}

/** Python truthiness, which Odoo applies to values arriving over XML-RPC. */
export function isFalsy(value: unknown): boolean {
  return (
    value === false ||
    value === null ||
    value === undefined ||
    value === 0 ||
    value === "" ||
    (Array.isArray(value) && value.length === 0)
  );
}
