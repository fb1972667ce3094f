/**
 * What a real Odoo needs from Debian (`../shared/odoo/debian-packages.txt`): bookworm's python3-* packages
 * for Odoo's Python dependencies (PyPI is not reachable), wkhtmltopdf for reports, PostgreSQL and fonts.
 * A missing package is named in one line with the command that installs it.
 */
import { execFileSync } from "node:child_process";

export const DEBIAN_PACKAGES = [
  "postgresql",
  "postgresql-client",
  "python3-asn1crypto",
  "python3-babel",
  "python3-cbor2",
  "python3-chardet",
  "python3-cryptography",
  "python3-decorator",
  "python3-docutils",
  "python3-freezegun",
  "python3-geoip2",
  "python3-gevent",
  "python3-greenlet",
  "python3-idna",
  "python3-jinja2",
  "python3-libsass",
  "python3-lxml",
  "python3-markupsafe",
  "python3-num2words",
  "python3-ofxparse",
  "python3-openpyxl",
  "python3-passlib",
  "python3-pil",
  "python3-polib",
  "python3-psutil",
  "python3-psycopg2",
  "python3-pydot",
  "python3-openssl",
  "python3-pypdf2",
  "python3-serial",
  "python3-dateutil",
  "python3-magic",
  "python3-ldap",
  "python3-stdnum",
  "python3-tz",
  "python3-usb",
  "python3-qrcode",
  "python3-reportlab",
  "python3-requests",
  "python3-rjsmin",
  "python3-urllib3",
  "python3-vobject",
  "python3-werkzeug",
  "python3-xlrd",
  "python3-xlsxwriter",
  "python3-xlwt",
  "python3-zeep",
  "python3-renderpm",
  "python3-setuptools",
  "wkhtmltopdf",
  "fonts-dejavu-core",
  "fonts-noto-core",
] as const;

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
