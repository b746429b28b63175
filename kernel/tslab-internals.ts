/**
 * tslab's kernel building blocks. tslab exports startKernel, but not a way to change how a cell's last
 * value is shown, so the launcher assembles the same pieces itself (as startKernel does in
 * tslab/dist/main.js). Typed here with just what the launcher uses.
 */
export interface Converter {
  close(): void;
}
export interface Executor {
  interrupt(): void;
}
export interface TslabJupyter {
  lastWriteDisplayData?: (content: Record<string, unknown>, update: boolean) => void;
  ZmqServer: new (handler: unknown, configPath: string) => { init(): Promise<void> };
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
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { converter, executor, jupyter };
}
