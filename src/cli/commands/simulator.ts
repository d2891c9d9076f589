// `hwocr simulator`: the stateful simulator (handwriting-ocr/testing) as a server of its own, for people trying
// the CLI and for other teams' CI in any language. Serves until SIGINT or SIGTERM, then exits 0.
import type { Context } from '../context.js';
import { CommandFailure } from '../io.js';

/** The port `hwocr simulator` listens on unless told otherwise (`--port 0` picks a free one). */
export const SIMULATOR_PORT = 4780;
/** The token `hwocr simulator` accepts unless told otherwise: a test token, not a secret. */
export const SIMULATOR_TOKEN = 'hwocr-simulator-token';
/** How long a document takes from upload to processed, unless told otherwise: long enough to watch. */
export const SIMULATOR_PROCESSING_MS = 1000;
/** The page credits the simulated account starts with, unless told otherwise. */
export const SIMULATOR_CREDITS = 1000;

/** Options of `hwocr simulator`, as commander parsed them. */
export interface SimulatorCommandOptions {
  port: number;
  host: string;
  processingMs: number;
  token: string;
  credits: number;
}

/** Runs `hwocr simulator`. */
export async function simulator(options: SimulatorCommandOptions, ctx: Context): Promise<void> {
  // Loaded here: no other command needs the simulator.
  const { startSimulator } = await import('../../testing/simulator.js');
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  try {
    sim = await startSimulator({
      port: options.port,
      host: options.host,
      processingMs: options.processingMs,
      token: options.token,
      credits: options.credits,
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new CommandFailure(
        `port ${options.port} on ${options.host} is in use: choose another with --port N, or --port 0 for a free one`,
      );
    }
    throw new CommandFailure(`cannot listen on ${options.host}:${options.port}: ${(err as Error).message}`);
  }
  const { out } = ctx;
  if (ctx.globals.json) {
    out.jsonLine({ url: sim.url, token: sim.token, port: sim.port, controlUrl: sim.controlUrl });
  } else {
    out.line(`Handwriting OCR simulator listening on ${sim.url}`);
    out.line(`token: ${sim.token}`);
    out.line('');
    out.line('In another shell:');
    out.line(`  export HANDWRITING_OCR_BASE_URL=${sim.url}`);
    out.line(`  export HANDWRITING_OCR_API_TOKEN=${sim.token}`);
    out.line('  npx hwocr transcribe examples/sample-note.png');
    out.line('');
    out.line(`Control API (same token): ${sim.controlUrl}  ·  Ctrl-C stops the simulator`);
  }
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await sim.close();
  if (!ctx.globals.json && !ctx.globals.quiet) out.note('simulator stopped');
}
