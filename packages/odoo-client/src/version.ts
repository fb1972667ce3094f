/**
 * Odoo's version strings and what each version offers. Odoo reports `17.0`, `18.0+e`, `saas~18.4`,
 * `19.0`, `saas~19.1+e`, `20.0` or a pre-release such as `19.1a1` (odoo/release.py: `version_info`
 * becomes `serie` then `version`); the SaaS releases between two majors carry the next major's changes
 * early, so capabilities compare (major, minor), never the major alone.
 */
export interface OdooRelease {
  /** What Odoo said, e.g. `saas~19.1+e`. */
  version: string;
  major: number;
  minor: number;
  /** An Odoo Online (SaaS) intermediate release. */
  saas: boolean;
}

export function parseRelease(version: string): OdooRelease {
  const match = /^\s*(saas~)?(\d+)\.(\d+)/.exec(version);
  if (!match) throw new Error(`not an Odoo version: ${JSON.stringify(version)}`);
  return { version: version.trim(), major: Number(match[2]), minor: Number(match[3]), saas: Boolean(match[1]) };
}

/** Whether `release` is `major.minor` or later. */
export const atLeast = (release: OdooRelease, major: number, minor = 0): boolean =>
  release.major > major || (release.major === major && release.minor >= minor);

/**
 * What differs between versions, each decided here once (sources in docs/odoo-versions.md).
 * The names are the ORM's: the client adapts its calls to them.
 */
export interface OdooCapabilities {
  /** The External JSON-2 API (`/json/2/<model>/<method>`), 19.0 on. */
  json2: boolean;
  /** `name_search(name, domain, operator, limit)` from 19.0; `args` before. */
  nameSearchDomainKeyword: "args" | "domain";
  /** `read_group` exists (deprecated in 19.0, removed after it). */
  readGroup: boolean;
  /** `formatted_read_group(domain, groupby, aggregates, having, offset, limit, order)`, 19.0 on. */
  formattedReadGroup: boolean;
  /** Products are storable through `is_storable` (18.0 on) rather than `type = 'product'`. */
  storableFlag: boolean;
  /** `check_access_rights` is gone: `has_access(operation)` answers instead (19.0 on). */
  hasAccess: boolean;
}

export function capabilitiesOf(release: OdooRelease): OdooCapabilities {
  return {
    json2: atLeast(release, 19),
    nameSearchDomainKeyword: atLeast(release, 19) ? "domain" : "args",
    readGroup: !atLeast(release, 19, 1),
    formattedReadGroup: atLeast(release, 19),
    storableFlag: atLeast(release, 18),
    hasAccess: atLeast(release, 19),
  };
}
