/**
 * Where `import "<specifier>"` leads from a folder, and in which module format — Node's ESM resolution
 * (package `exports` with the "node"/"import" conditions, `main`, the `type` field), done synchronously so the
 * kernel can decide, while it compiles a cell, which imports must become `import()` at run time.
 *
 * Node has no public API for this from an arbitrary folder (`import.meta.resolve` resolves from its own module,
 * and its parent argument needs a flag), hence this small port of the algorithm in Node's docs (esm.md, "Resolution
 * Algorithm"), without the parts cells cannot reach (package `imports`, self-references, folder mappings).
 */
import * as fs from "node:fs";
import { isBuiltin } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export type ModuleFormat = "builtin" | "esm" | "commonjs" | "json" | "addon";

export interface ResolvedImport {
  format: ModuleFormat;
  /** The file, absolute (undefined for built-ins). */
  file?: string;
}

/** A bare specifier whose package is in no `node_modules` from the folder up. */
export class PackageNotInstalledError extends Error {
  constructor(
    readonly packageName: string,
    readonly fromDir: string,
  ) {
    super(`Cannot find package '${packageName}' from ${fromDir}: ${installHint(packageName, fromDir)}`);
    this.name = "PackageNotInstalledError";
  }
}

/** "the package 'd3' is not installed; install it with `npm install d3` in /project (…)". */
export function installHint(packageName: string, fromDir: string): string {
  const project = nearestPackageFolder(fromDir);
  const where = project
    ? `in ${project} (the folder of the package.json nearest to the notebook)`
    : `in ${fromDir} (no package.json above the notebook: npm creates node_modules there)`;
  return `the package '${packageName}' is not installed; install it with \`npm install ${packageName}\` ${where}, then run the cell again.`;
}

function nearestPackageFolder(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, "package.json"))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** Conditions Node's ESM loader matches in `exports` (plus "module-sync" where require(esm) exists). */
function importConditions(): Set<string> {
  const conditions = new Set(["node", "import", "default"]);
  if ((process.features as { require_module?: boolean }).require_module) conditions.add("module-sync");
  return conditions;
}

export function isBareSpecifier(specifier: string): boolean {
  return !/^(\.{1,2}(\/|$)|\/|[a-zA-Z][a-zA-Z0-9+.-]*:)/.test(specifier);
}

/** "vega-lite/build/x" → ["vega-lite", "./build/x"]; "@scope/pkg" → ["@scope/pkg", "."]. */
export function splitPackageSpecifier(specifier: string): [name: string, subpath: string] {
  const parts = specifier.split("/");
  const nameParts = specifier.startsWith("@") ? 2 : 1;
  const name = parts.slice(0, nameParts).join("/");
  const rest = parts.slice(nameParts).join("/");
  return [name, rest ? `./${rest}` : "."];
}

/** The format Node gives a file: by extension, and for `.js` by the nearest package.json's `type`. */
export function formatOfFile(file: string): ModuleFormat {
  const ext = path.extname(file);
  if (ext === ".mjs") return "esm";
  if (ext === ".json") return "json";
  if (ext === ".node") return "addon";
  if (ext !== ".js") return "commonjs";
  for (let d = path.dirname(file); ; d = path.dirname(d)) {
    const pkg = readPackageJson(d);
    if (pkg) return pkg.type === "module" ? "esm" : "commonjs";
    if (path.dirname(d) === d || path.basename(d) === "node_modules") return "commonjs";
  }
}

interface PackageJson {
  type?: string;
  main?: string;
  exports?: unknown;
}

function readPackageJson(dir: string): PackageJson | undefined {
  const file = path.join(dir, "package.json");
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson;
  } catch {
    return undefined;
  }
}

/**
 * Resolves `specifier` as `import` would from a module in `fromDir`. Relative specifiers are taken as written
 * (no extension search, as in ESM); a missing file resolves as "commonjs" so the caller leaves it to `require`,
 * which searches extensions and tslab's compiled `.ts` files. Throws PackageNotInstalledError.
 */
export function resolveImport(specifier: string, fromDir: string): ResolvedImport {
  if (specifier.startsWith("node:") || isBuiltin(specifier)) return { format: "builtin" };
  if (!isBareSpecifier(specifier)) {
    const file = specifier.startsWith("file:") ? fileURLToPath(specifier) : path.resolve(fromDir, specifier);
    return fs.existsSync(file) && fs.statSync(file).isFile()
      ? { format: formatOfFile(file), file }
      : { format: "commonjs" };
  }
  const [name, subpath] = splitPackageSpecifier(specifier);
  for (let d = path.resolve(fromDir); ; d = path.dirname(d)) {
    const packageDir = path.join(d, "node_modules", name);
    if (fs.existsSync(packageDir)) return resolveInPackage(packageDir, subpath);
    if (path.dirname(d) === d) throw new PackageNotInstalledError(name, fromDir);
  }
}

function resolveInPackage(packageDir: string, subpath: string): ResolvedImport {
  const pkg = readPackageJson(packageDir) ?? {};
  let target: string | undefined;
  if (pkg.exports !== undefined && pkg.exports !== null) {
    target = exportsTarget(pkg.exports, subpath, importConditions()) ?? undefined;
    // Not exported for `import`: leave it to `require` (it may export it for "require", or say why not).
    if (target === undefined) return { format: "commonjs" };
  } else if (subpath === ".") {
    target = legacyMain(packageDir, pkg.main);
  } else {
    target = subpath;
  }
  const file = target === undefined ? undefined : path.resolve(packageDir, target);
  if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) return { format: "commonjs" };
  return { format: formatOfFile(file), file };
}

/** Node's LEGACY_MAIN_RESOLVE: `main` as is, with .js/.json/.node, or its index.js; else index.js. */
function legacyMain(packageDir: string, main: string | undefined): string | undefined {
  const candidates = main
    ? [main, `${main}.js`, `${main}.json`, `${main}.node`, `${main}/index.js`, `${main}/index.json`, "index.js"]
    : ["index.js", "index.json", "index.node"];
  return candidates.find((c) => {
    const f = path.join(packageDir, c);
    return fs.existsSync(f) && fs.statSync(f).isFile();
  });
}

/**
 * PACKAGE_EXPORTS_RESOLVE: the target path ("./dist/x.js") for `subpath` ("." or "./x"), null when the package
 * explicitly hides it, undefined when nothing matches.
 */
export function exportsTarget(exports: unknown, subpath: string, conditions: Set<string>): string | null | undefined {
  const isSubpathMap =
    typeof exports === "object" &&
    exports !== null &&
    !Array.isArray(exports) &&
    Object.keys(exports).some((k) => k.startsWith("."));
  if (!isSubpathMap) return subpath === "." ? resolveTarget(exports, "", conditions) : undefined;
  const map = exports as Record<string, unknown>;
  if (!subpath.includes("*") && Object.hasOwn(map, subpath)) return resolveTarget(map[subpath], "", conditions);
  // Patterns ("./features/*.js"): the longest matching prefix wins.
  let best: { key: string; match: string } | undefined;
  for (const key of Object.keys(map)) {
    const star = key.indexOf("*");
    if (star < 0 || star !== key.lastIndexOf("*")) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.length < key.length || !subpath.startsWith(prefix) || !subpath.endsWith(suffix)) continue;
    if (!best || prefix.length > best.key.indexOf("*")) {
      best = { key, match: subpath.slice(prefix.length, subpath.length - suffix.length) };
    }
  }
  return best ? resolveTarget(map[best.key], best.match, conditions) : undefined;
}

function resolveTarget(target: unknown, patternMatch: string, conditions: Set<string>): string | null | undefined {
  if (typeof target === "string") {
    return target.startsWith("./") ? target.replaceAll("*", patternMatch) : undefined;
  }
  if (Array.isArray(target)) {
    for (const t of target) {
      const r = resolveTarget(t, patternMatch, conditions);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  if (target === null) return null;
  if (typeof target === "object") {
    for (const [condition, value] of Object.entries(target)) {
      if (condition !== "default" && !conditions.has(condition)) continue;
      const r = resolveTarget(value, patternMatch, conditions);
      if (r !== undefined) return r;
    }
  }
  return undefined;
}
