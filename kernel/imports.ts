/**
 * Cells import any npm package — ES-module-only ones (vega-lite 6, d3 7), `exports`-map and CommonJS ones —
 * with their types, resolved from the notebook's folder's node_modules upwards, plus Node built-ins and the
 * user's own `.ts`/`.js`/`.mjs` files beside the notebook.
 *
 * tslab 1.0.22 type-checks cells with `moduleResolution: node10` (no `exports` maps, so no types for vega-lite)
 * and runs them as CommonJS (`require`, which cannot load vega-lite). This module
 * - loads tslab's converter with a TypeScript whose watch host gets `moduleResolution: "bundler"` with the
 *   "node" condition (the resolution of `import` in Node, without demanding file extensions);
 * - wraps the converter's `convert` to rewrite the compiled cell (import-rewrite.ts) and to turn "Cannot find
 *   module 'd3'" into the command that installs it;
 * - installs the run-time loader those rewrites call (`globalThis.__tslabKerasImport__`).
 */
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type * as TS from "typescript";
import { installHint, isBareSpecifier, PackageNotInstalledError, resolveImport } from "./esm-resolve";
import {
  annotateDynamicImports,
  LOADER,
  originalOffset,
  preloadStatement,
  rewriteRequires,
  type Insertion,
  type IsEsModule,
} from "./import-rewrite";

interface Position {
  offset: number;
  line: number;
  character: number;
}
export interface CellDiagnostic {
  start: Position;
  end: Position;
  messageText: string;
  category: number;
  code: number;
  fileName?: string;
}
export interface ConvertResult {
  output?: string;
  declOutput?: string;
  diagnostics: CellDiagnostic[];
  hasToplevelAwait?: boolean;
  sideOutputs?: { path: string; data: string }[];
  lastExpressionVar?: string;
}
/** tslab's converter (tslab/dist/converter.js), with what this module uses. */
export interface TslabConverter {
  convert(prevDecl: string, src: string): ConvertResult;
  close(): void;
}
interface ConverterModule {
  createConverter(options: { isJS: boolean; isBrowser: boolean }): TslabConverter;
}

/** The checker's settings on top of tslab's (which keep `module: ESNext`, as "bundler" requires). */
function checkerOptions(ts: typeof TS, options: TS.CompilerOptions): TS.CompilerOptions {
  return {
    ...options,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    customConditions: ["node"],
    resolvePackageJsonExports: true,
    resolvePackageJsonImports: true,
  };
}

/**
 * A fresh instance of tslab's converter module whose `@tslab/typescript-for-tslab` is the same TypeScript with
 * `createWatchCompilerHost` adjusting the compiler options (tslab hard-codes them, and the TypeScript module's
 * exports are read-only getters, so the module is loaded as tslab's executor loads side modules).
 */
function loadConverterModule(ts: typeof TS): ConverterModule {
  const filename = require.resolve("tslab/dist/converter");
  const mod = new Module(filename, module);
  const internals = Module as unknown as { _nodeModulePaths(dir: string): string[] };
  mod.filename = filename;
  mod.paths = internals._nodeModulePaths(path.dirname(filename));
  const tsForTslab = Object.create(ts, {
    __esModule: { value: true },
    createWatchCompilerHost: {
      value: (rootFiles: string[], options: TS.CompilerOptions, ...rest: unknown[]) =>
        (ts.createWatchCompilerHost as (...args: unknown[]) => unknown)(
          rootFiles,
          checkerOptions(ts, options),
          ...rest,
        ),
    },
  }) as typeof TS;
  const requireFromTslab = mod.require.bind(mod);
  mod.require = ((id: string) =>
    id === "@tslab/typescript-for-tslab" ? tsForTslab : requireFromTslab(id)) as NodeJS.Require;
  (mod as unknown as { _compile(code: string, filename: string): void })._compile(
    fs.readFileSync(filename, "utf8"),
    filename,
  );
  return mod.exports as ConverterModule;
}

const isEsModule: IsEsModule = (specifier, fromDir) => {
  try {
    return resolveImport(specifier, fromDir).format === "esm";
  } catch {
    return false; // not installed: the checker has said so already, or `require` will
  }
};

/** "Cannot find module 'd3' …" for a package that is not installed → the same, with the command that installs it. */
function explainMissingPackage(d: CellDiagnostic, notebookDir: string): CellDiagnostic {
  const specifier = d.code === 2307 ? /^Cannot find module '([^']+)'/.exec(d.messageText)?.[1] : undefined;
  if (!specifier || !isBareSpecifier(specifier)) return d;
  const dir = d.fileName ? path.resolve(notebookDir, path.dirname(d.fileName)) : notebookDir;
  try {
    resolveImport(specifier, dir);
    return d; // installed: TypeScript's own message (types missing, or a subpath not exported) says more
  } catch (error) {
    if (!(error instanceof PackageNotInstalledError)) return d;
    return { ...d, messageText: `Cannot find module '${specifier}': ${installHint(error.packageName, dir)}` };
  }
}

/** A position in the annotated cell → in the cell as the user wrote it (the annotations add no lines). */
function toOriginalPosition(position: Position, original: string, insertions: Insertion[]): Position {
  const offset = originalOffset(position.offset, insertions);
  const lineStart = original.lastIndexOf("\n", offset - 1) + 1;
  return { offset, line: position.line, character: offset - lineStart };
}

/** tslab's convert, with ES modules imported at run time and missing packages explained. */
function withEsModuleImports(ts: typeof TS, converter: TslabConverter, dir: string): TslabConverter {
  const convert = converter.convert.bind(converter);
  const sidePreloads = new Map<string, [string, string]>();
  converter.convert = (prevDecl, src) => {
    const annotated = annotateDynamicImports(ts, src, isEsModule, dir);
    const result = convert(prevDecl, annotated.source);
    if (result.diagnostics.length > 0) {
      const diagnostics = result.diagnostics.map((d) => {
        const explained = explainMissingPackage(d, dir);
        if (d.fileName || annotated.insertions.length === 0) return explained;
        const start = toOriginalPosition(d.start, src, annotated.insertions);
        return { ...explained, start, end: toOriginalPosition(d.end, src, annotated.insertions) };
      });
      return { ...result, diagnostics };
    }
    // Local files tslab compiled: their ES modules are imported by every cell from now on (once each, then
    // cached), since a later cell may be the first to load them.
    const sideOutputs = result.sideOutputs?.map((side) => {
      const rewritten = rewriteRequires(ts, side.data, isEsModule, path.dirname(side.path), true);
      for (const p of rewritten.preloads) sidePreloads.set(p.join("\0"), p);
      return { ...side, data: rewritten.code };
    });
    if (!result.output) return { ...result, sideOutputs };
    const cell = rewriteRequires(ts, result.output, isEsModule, dir);
    const preload = sidePreloads.size > 0 ? preloadStatement([...sidePreloads.values()]) : "";
    const output = preload + cell.code;
    const hasToplevelAwait = result.hasToplevelAwait || cell.topLevelAwait || preload !== "";
    return { ...result, output, hasToplevelAwait, sideOutputs };
  };
  return converter;
}

/** An ES module namespace as TypeScript's CommonJS helpers expect one (`__esModule`, live bindings). */
const interopNamespaces = new WeakMap<object, object>();
function asInteropNamespace(namespace: Record<string, unknown>): object {
  let interop = interopNamespaces.get(namespace);
  if (interop) return interop;
  interop = Object.defineProperty({}, "__esModule", { value: true });
  for (const key of Object.keys(namespace)) {
    Object.defineProperty(interop, key, { enumerable: true, get: () => namespace[key] });
  }
  interopNamespaces.set(namespace, interop);
  return interop;
}

/** The loader the rewritten cells call: `import()` for ES modules, the cell's `require` for everything else. */
function installLoader(): void {
  const imported = new Map<string, object>(); // by file
  const importEsModule = async (specifier: string, fromDir: string, cellRequire: NodeJS.Require) => {
    const resolved = resolveImport(specifier, fromDir); // throws PackageNotInstalledError with the install command
    if (resolved.format !== "esm" || !resolved.file) return cellRequire(specifier) as unknown;
    let namespace = imported.get(resolved.file);
    if (!namespace) {
      namespace = asInteropNamespace((await import(pathToFileURL(resolved.file).href)) as Record<string, unknown>);
      imported.set(resolved.file, namespace);
    }
    return namespace;
  };
  const loader = Object.assign(importEsModule, {
    async preload(list: [string, string][]) {
      for (const [specifier, fromDir] of list) await importEsModule(specifier, fromDir, require);
    },
    preloaded(specifier: string, fromDir: string) {
      const file = resolveImport(specifier, fromDir).file;
      const namespace = file && imported.get(file);
      if (!namespace)
        throw new Error(`tslab-keras: the ES module '${specifier}' was not imported before this module ran`);
      return namespace;
    },
  });
  (globalThis as Record<string, unknown>)[LOADER] = loader;
}

/** Creates tslab converters whose cells import as described above; installs the run-time loader once. */
export function esModuleImports(ts: typeof TS, notebookDir: string) {
  installLoader();
  const converterModule = loadConverterModule(ts);
  return {
    createConverter(options: { isJS: boolean; isBrowser: boolean }): TslabConverter {
      return withEsModuleImports(ts, converterModule.createConverter(options), notebookDir);
    },
  };
}
