/**
 * What a real Odoo needs from Debian (debian-packages.txt, as `../shared/odoo/debian-packages.txt` lists): bookworm's python3-* packages
 * for Odoo's Python dependencies (PyPI is not reachable), wkhtmltopdf for reports, PostgreSQL and fonts.
 * A missing package is named in one line with the command that installs it.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** One package a line: read by this module and by `.ci/run`, which installs them. */
export const DEBIAN_PACKAGES = readFileSync(new URL("debian-packages.txt", import.meta.url), "utf8")
  .split("\n")
  .map((line) => line.trim())
  .filter(Boolean);

/** The packages of `DEBIAN_PACKAGES` that dpkg does not list as installed. */
export function missingDebianPackages(): string[] {
  let listed = "";
  try {
    // dpkg-query's own format fields, not template placeholders.
    const format = ["-f=$", "{Package} $", "{db:Status-Status}\\n"].join("");
    listed = execFileSync("dpkg-query", ["-W", format, ...DEBIAN_PACKAGES], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch (error) {
    // dpkg-query exits 1 when some package is unknown, and still prints the known ones.
    listed = String((error as { stdout?: unknown }).stdout ?? "");
  }
  const installed = new Set(
    listed
      .split("\n")
      .filter((line) => line.endsWith(" installed"))
      .map((line) => line.split(" ")[0]),
  );
  return DEBIAN_PACKAGES.filter((name) => !installed.has(name));
}

export class MissingPackagesError extends Error {
  constructor(readonly packages: string[]) {
    super(
      `Real Odoo needs Debian packages that are not installed: apt-get install -y --no-install-recommends ${packages.join(" ")}`,
    );
  }
}

export function assertDebianPackages(): void {
  const missing = missingDebianPackages();
  if (missing.length > 0) throw new MissingPackagesError(missing);
}
