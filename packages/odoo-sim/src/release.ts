/**
 * The Odoo releases the simulator can be, and what each serves on the wire. Everything that differs
 * between them (signatures, fields, protocols) is decided from `major` here or in orm/signatures.ts,
 * each difference cited in docs/odoo-versions.md.
 */
export const SIM_VERSIONS = ["17.0", "18.0", "19.0", "20.0"] as const;
export type OdooVersion = (typeof SIM_VERSIONS)[number];

export interface SimRelease {
  version: OdooVersion;
  major: number;
  /** `/xmlrpc/2/*`: every release here serves it (deprecated from 19.0); a test can turn it off, as Odoo 22 will. */
  xmlrpc: boolean;
  /** `/json/2/<model>/<method>`: 19.0 on. */
  json2: boolean;
}

export function simRelease(version: OdooVersion = "17.0", options: { xmlrpc?: boolean } = {}): SimRelease {
  const major = Number(version.split(".")[0]);
  return { version, major, xmlrpc: options.xmlrpc ?? true, json2: major >= 19 };
}

/** `common.version()` and `/web/version`, as odoo/release.py and odoo/service/common.py build them. */
export function versionInfo(release: Pick<SimRelease, "version">) {
  const major = Number(release.version.split(".")[0]);
  return {
    server_version: release.version,
    server_version_info: [major, 0, 0, "final", 0, ""],
    server_serie: release.version,
    protocol_version: 1,
  };
}
