/**
 * The real Odoo releases the suites run against, from the minimal source trees in `../shared/odoo/`
 * (its README says where each comes from), and how each one is started.
 */
export const REAL_ODOO_VERSIONS = ["17.0", "18.0", "19.0"] as const;
export type RealOdooVersion = (typeof REAL_ODOO_VERSIONS)[number];

export const isRealOdooVersion = (value: string): value is RealOdooVersion =>
  (REAL_ODOO_VERSIONS as readonly string[]).includes(value);

/** What `-i` installs: the modules the guide's questions touch (and their dependencies). */
export const MODULES = "sale_management,stock,mail,contacts";

export interface RealOdooRelease {
  version: RealOdooVersion;
  tarball: string;
  /** The interpreter's arguments that run Odoo's command line from the tree's root. */
  launcher: string[];
  /** 17.0 and 18.0 load demo data by default; 19.0 only when asked. */
  demoFlags: string[];
}

export function realOdooRelease(version: RealOdooVersion): RealOdooRelease {
  const major = Number.parseInt(version, 10);
  return {
    version,
    tarball: `odoo-${version}-min.tar.gz`,
    // 19.0 ships no odoo-bin: the package runs as a module.
    launcher: major >= 19 ? ["-m", "odoo"] : ["odoo-bin"],
    demoFlags: major >= 19 ? ["--with-demo"] : [],
  };
}

/**
 * Debian's interpreter: Odoo's dependencies are bookworm's python3-* packages, and a python3 earlier on
 * PATH (pyenv, say) may lack them.
 */
export const PYTHON = process.env.ODOO_PYTHON ?? "/usr/bin/python3";
