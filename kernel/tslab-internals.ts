/**
 * tslab's kernel building blocks. tslab exports startKernel, but not a way to change how a cell's last
 * value is shown, so the launcher assembles the same pieces itself (as startKernel does in
 * tslab/dist/main.js). Typed here with just what the launcher uses.
 */
import { createRequire } from "node:module";
import type * as TS from "typescript";
import type { ConverterLike } from "./patches/cell-run";

export interface Converter extends ConverterLike {
  close(): void;
}
export interface Executor {
  execute(src: string): Promise<boolean>;
  interrupt(): void;
}
export interface TslabJupyter {
  lastWriteDisplayData?: (content: Record<string, unknown>, update: boolean) => void;
  ZmqServer: new (handler: unknown, configPath: string) => { init(): Promise<void>; iopub?: unknown };
  JupyterHandlerImpl: new (executor: Executor, isJs: boolean) => unknown;
}

export function tslabInternals() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const converter = require("tslab/dist/converter") as {
    createConverter(options: { isJS: boolean; isBrowser: boolean }): Converter;
  };
  const executor = require("tslab/dist/executor") as {
    createExecutor(
      rootDir: string,
      converters: { node: Converter; browser: Converter; close(): void },
      console: { log: (...args: unknown[]) => void; error: (...args: unknown[]) => void },
    ): Executor;
  };
  const jupyter = require("tslab/dist/jupyter") as TslabJupyter;
  // The TypeScript that tslab itself compiles cells with (a dependency of tslab, not of this project).
  const fromTslab = createRequire(require.resolve("tslab/package.json"));
  const typescript = fromTslab("@tslab/typescript-for-tslab") as typeof TS;
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { converter, executor, jupyter, typescript };
}
