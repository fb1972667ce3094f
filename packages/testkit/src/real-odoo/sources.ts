/**
 * The source tarballs of real Odoo (`../shared/odoo/` beside the project), unpacked once into a cache
 * folder keyed by each tarball's checksum, so a new tarball is a new tree and an old one is never reused.
 */

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type RealOdooRelease, type RealOdooVersion, realOdooRelease } from "./releases.js";

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

/** Where the tarballs may be: ODOO_SOURCES_DIR, then `shared/odoo` beside the project or the workplace's copy. */
export function sourcesDirectory(): string {
  const candidates = [
    process.env.ODOO_SOURCES_DIR,
    resolve(repositoryRoot, "../shared/odoo"),
    "/work/shared/odoo",
  ].filter((dir): dir is string => Boolean(dir));
  const found = candidates.find((dir) => existsSync(join(dir, realOdooRelease("17.0").tarball)));
  if (!found)
    throw new Error(
      `The real Odoo source tarballs (odoo-<version>-min.tar.gz) are not in ${candidates.join(" or ")}: set ODOO_SOURCES_DIR to their folder.`,
    );
  return found;
}

/** The cache of unpacked trees and built databases: ODOO_MCP_CACHE_DIR, or ~/.cache/odoo-mcp. */
export const cacheDirectory = () => process.env.ODOO_MCP_CACHE_DIR ?? join(homedir(), ".cache", "odoo-mcp");

async function sha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export interface OdooTree {
  release: RealOdooRelease;
  /** The tarball's sha256: what the tree and its database are cached under. */
  checksum: string;
  /** The unpacked tree's root (odoo/, odoo-bin or the package). */
  root: string;
  addonsPath: string;
  /** The cache folder of this tarball: the tree, the database dump, its filestore. */
  cache: string;
}

/** The tree of `version`, unpacked into the cache the first time (into a temporary folder, then renamed). */
export async function unpackedTree(version: RealOdooVersion): Promise<OdooTree> {
  const release = realOdooRelease(version);
  const tarball = join(sourcesDirectory(), release.tarball);
  const checksum = await sha256(tarball);
  const cache = join(cacheDirectory(), "real-odoo", `${version}-${checksum.slice(0, 16)}`);
  const tree = join(cache, "tree");
  if (!existsSync(tree)) {
    mkdirSync(cache, { recursive: true });
    const unpacking = mkdtempSync(join(cache, "unpacking-"));
    execFileSync("tar", ["-xzf", tarball, "-C", unpacking]);
    try {
      renameSync(join(unpacking, version), tree);
    } catch (error) {
      if (!existsSync(tree)) throw error; // another process unpacked it first
    } finally {
      rmSync(unpacking, { recursive: true, force: true });
    }
  }
  return { release, checksum, root: tree, addonsPath: join(tree, "odoo", "addons"), cache };
}
