// SDK clients for the suite: recording every exchange, never retrying (a forced 500 must come back as one
// answer), with a short timeout so a hung helper fails the case instead of the run.
import { type ClientOptions, HandwritingOCR } from '../../src/index.js';
import { type Recorder, recordingFetch } from './recorder.js';

export const MOCK_TOKEN = 'contract-test-token';

export function recordedClient(
  baseUrl: string,
  apiToken: string = MOCK_TOKEN,
  options: Partial<ClientOptions> = {},
): { client: HandwritingOCR; recorder: Recorder } {
  const recorder = recordingFetch();
  const client = new HandwritingOCR({
    apiToken,
    baseUrl,
    fetch: recorder.fetch,
    maxRetries: 0,
    timeoutMs: 15_000,
    ...options,
  });
  return { client, recorder };
}
