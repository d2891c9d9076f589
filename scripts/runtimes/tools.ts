// Vite, webpack and playwright-core, loaded without their type declarations: those are about 100k lines, and
// would make the whole project's typecheck (`npm run typecheck`, the generate pipeline, spec:update) about a third
// slower for the few calls the harness makes. The interfaces below describe just those calls; esbuild's own
// declarations are small and are used as they are.

/** Imports a package by a name TypeScript does not resolve (so it reads none of its declarations). */
const load = (name: string): Promise<unknown> => import(name);

export interface ViteLogger {
  warn(msg: string): void;
  warnOnce(msg: string): void;
}

export interface Vite {
  version: string;
  build(config: Record<string, unknown>): Promise<unknown>;
  createLogger(level: 'warn'): ViteLogger;
}

export const vite = (): Promise<Vite> => load('vite') as Promise<Vite>;

export interface WebpackStats {
  toJson(options: Record<string, boolean>): {
    errors?: { message: string }[];
    warnings?: { message: string }[];
  };
}

export interface Webpack {
  (config: Record<string, unknown>, done: (err: Error | null, stats?: WebpackStats) => void): void;
  version: string;
}

export const webpack = async (): Promise<Webpack> =>
  ((await load('webpack')) as { default: Webpack }).default;

export interface Page {
  on(event: 'pageerror', listener: (err: Error) => void): void;
  on(event: 'console', listener: (msg: { type(): string; text(): string }) => void): void;
  goto(url: string): Promise<unknown>;
  waitForFunction(fn: () => boolean, arg: undefined, options: { timeout: number }): Promise<unknown>;
  evaluate<T>(fn: () => T | Promise<T>, arg: undefined): Promise<T>;
}

export interface BrowserContext {
  pages(): Page[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface Chromium {
  launchPersistentContext(
    userDataDir: string,
    options: { executablePath: string; headless: boolean; args: string[]; timeout: number },
  ): Promise<BrowserContext>;
}

export const chromium = async (): Promise<Chromium> =>
  ((await load('playwright-core')) as { chromium: Chromium }).chromium;
