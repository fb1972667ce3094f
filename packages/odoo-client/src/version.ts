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
 * What differs between versions, each decided here once (sources in docs/odoo-versions.md). The
 * SaaS releases change things between majors: where the source dates a change (the ORM changelog),
 * the boundary is that release; where it does not, the next major is, and the method adapts when an
 * intermediate release answers otherwise (methods.ts).
 */
export interface OdooCapabilities {
  /** The External JSON-2 API (`/json/2/<model>/<method>`), 19.0 on. */
  json2: boolean;
  /** `name_search(name, domain, operator, limit)` from 19.0; `args` before. */
  nameSearchDomainKeyword: "args" | "domain";
  /** `formatted_read_group(domain, groupby, aggregates, having, offset, limit, order)`: the public grouped read from 18.2. */
  formattedReadGroup: boolean;
  /** Products are storable through `is_storable` (18.0 on) rather than `type = 'product'`. */
  storableFlag: boolean;
  /** `has_access(operation)` (18.0 on) rather than `check_access_rights` (deprecated in 18.0, gone in 20.0). */
  hasAccess: boolean;
  /** `res.users.has_group` runs on the user's record (18.0 on); before, it is @api.model for the caller. */
  hasGroupOnRecords: boolean;
  /** stock.move has a required `name` (up to 18.0; the product names moves from 19.0). */
  stockMoveName: boolean;
  /** A stock move computes its locations from its transfer (18.0 on); in 17.0 it needs its own. */
  stockMoveLocationsComputed: boolean;
  /** A user's groups, implied ones included: `groups_id` up to 18.0, `all_group_ids` from 19.0. */
  userGroupsField: "groups_id" | "all_group_ids";
  /**
   * The web client opens a record at `/odoo/<model>/<id>` (its router from saas~17.2, in 18.0's
   * web/static/src/core/browser/router.js and the `/odoo/<path:subpath>` route of web/controllers/home.py);
   * 17.0 only knows `/web#id=<id>&model=<model>&view_type=form`.
   */
  odooPaths: boolean;
}

export function capabilitiesOf(release: OdooRelease): OdooCapabilities {
  return {
    json2: atLeast(release, 19),
    nameSearchDomainKeyword: atLeast(release, 19) ? "domain" : "args",
    formattedReadGroup: atLeast(release, 18, 2),
    storableFlag: atLeast(release, 18),
    hasAccess: atLeast(release, 18),
    hasGroupOnRecords: atLeast(release, 18),
    stockMoveName: !atLeast(release, 19),
    stockMoveLocationsComputed: atLeast(release, 18),
    userGroupsField: atLeast(release, 19) ? "all_group_ids" : "groups_id",
    odooPaths: atLeast(release, 17, 2),
  };
}
