// The SDK flows through `prism proxy --errors`, which validates every request against the spec and turns
// every non-conforming answer of the upstream into a 500. Two targets run the same flow:
//   proxy: a local upstream (the simulator, or the loopback stand-in), in every run, so the live path is
//          tested code, plus flows too costly to run live (every action, pagination, a webhook delivery);
//   live:  the real API, only with HWOCR_CONTRACT_LIVE=1 and HANDWRITING_OCR_API_TOKEN (else skipped, with
//          the reason in the name). It uploads the one small sample the suite ships, waits, downloads,
//          deletes; it buys credits only with HWOCR_CONTRACT_LIVE_TOPUP=1 as well.
import { afterAll, beforeAll, describe, expect, expectTypeOf, inject, it } from 'vitest';
import {
  type Action,
  APIError,
  AuthenticationError,
  BadRequestError,
  type DocumentResult,
  type HandwritingOCR,
  NotFoundError,
  NotReadyError,
  type TopupResult,
  type WaitOptions,
} from '../src/index.js';
import { parseWebhook } from '../src/webhooks.js';
import { rejection } from './cases/errors.js';
import { SAMPLE_PDF_NAME, samplePdf } from './fixtures/index.js';
import { recordedClient } from './lib/client.js';
import { expectConforming, specValidator } from './lib/conformance.js';
import { rawRequest } from './lib/raw.js';
import { startReceiver } from './lib/receiver.js';
import type { Recorder } from './lib/recorder.js';
import { matchOperation } from './lib/spec.js';
import { TOKEN_VAR } from './setup/live.js';

const contract = inject('contract');

interface Target {
  name: 'proxy' | 'live';
  title: string;
  url: string | undefined;
  token: string | undefined;
  skip: string;
  topupSkip: string;
  topupAmount: number;
  /** Local only: flows that would cost credits or need a reachable receiver live. */
  extended: boolean;
  timeoutMs: number;
  wait: WaitOptions;
}

const targets: Target[] = [
  {
    name: 'proxy',
    title: `prism proxy → local ${contract.local.upstream}`,
    url: contract.local.proxyUrl,
    token: contract.local.token,
    skip: '',
    topupSkip: '',
    topupAmount: 100,
    extended: true,
    timeoutMs: 30_000,
    wait: { pollIntervalMs: 50, maxPollIntervalMs: 1000, timeoutMs: 20_000 },
  },
  {
    name: 'live',
    title: `prism proxy → ${contract.live.baseUrl}`,
    url: contract.live.proxyUrl,
    token: process.env[TOKEN_VAR],
    skip: contract.live.reason,
    topupSkip: contract.live.topupReason,
    topupAmount: contract.live.topupAmount,
    extended: false,
    timeoutMs: 600_000,
    // The vendor's advice: first check after ~10 s, then every 15–30 s, give up after ~10 min.
    wait: { pollIntervalMs: 5000, maxPollIntervalMs: 20_000, timeoutMs: 540_000 },
  },
];

const FORMATS: Record<Action, { format: 'txt' | 'csv' | 'json' | 'docx' | 'xlsx'; mediaType: string }[]> = {
  transcribe: [
    { format: 'txt', mediaType: 'text/plain' },
    { format: 'docx', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
    { format: 'json', mediaType: 'application/json' },
  ],
  tables: [
    { format: 'xlsx', mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    { format: 'json', mediaType: 'application/json' },
  ],
  extractor: [
    { format: 'xlsx', mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    { format: 'csv', mediaType: 'text/csv' },
    { format: 'json', mediaType: 'application/json' },
  ],
};
// Only the ASCII `PK` of a ZIP survives Prism's proxy (it re-encodes binary bodies as UTF-8 text, see
// fixtures/index.ts): the bytes themselves cannot be compared through it.
const ZIP_MAGIC = [0x50, 0x4b];

/** Downloads every format an action offers and checks each answer's media type and shape. */
async function downloadAll(client: HandwritingOCR, recorder: Recorder, doc: DocumentResult): Promise<void> {
  for (const { format, mediaType } of FORMATS[doc.action]) {
    const result = await client.documents.download(doc.id, format);
    const type = recorder.exchanges.at(-1)?.headers.get('content-type')?.split(';')[0];
    expect(type, `${doc.action} ${format}`).toBe(mediaType);
    if (format === 'json')
      expect(result).toMatchObject({ id: doc.id, action: doc.action, status: 'processed' });
    else if (format === 'txt' || format === 'csv') expect(typeof result).toBe('string');
    else expect([...(result as Uint8Array).slice(0, 2)]).toEqual(ZIP_MAGIC);
  }
}

for (const target of targets) {
  const label = `${target.name}: ${target.title}${target.skip ? ` — skipped: ${target.skip}` : ''}`;
  describe.skipIf(Boolean(target.skip))(label, () => {
    let client: HandwritingOCR;
    let recorder: Recorder;
    let docId: string | undefined;
    let deleted = false;

    it('the shipped sample is 7-bit ASCII, so that it crosses the proxy intact', () => {
      expect(samplePdf().every((b) => b < 0x80)).toBe(true);
    });

    beforeAll(() => {
      ({ client, recorder } = recordedClient(target.url ?? '', target.token, {
        maxRetries: target.name === 'live' ? 2 : 0,
        timeoutMs: target.name === 'live' ? 60_000 : 15_000,
      }));
    });

    // Live safety net: whatever failed, the uploaded sample does not stay behind.
    afterAll(async () => {
      if (docId && !deleted) await client.documents.delete(docId).catch(() => {});
    });

    /**
     * A step of the flow: every exchange must conform, and the key's operation must have answered the key's
     * status (when the key has one; `fn` may name another status the step legitimately ended with).
     */
    const step = (key: string, title: string, fn: () => Promise<unknown>, skip = '') => {
      const [operationId = '', status] = key.split(' ');
      const name = `[${key}] ${title}${skip ? ` — skipped: ${skip}` : ''}`;
      it.skipIf(Boolean(skip))(
        name,
        async () => {
          recorder.clear();
          // A step may return { status } when it legitimately ended with another documented status.
          const outcome = (await fn()) as { status?: number } | undefined;
          await expectConforming(recorder.exchanges);
          const expected = outcome?.status ?? (status === undefined ? undefined : Number(status));
          if (expected === undefined) return;
          const answered = recorder.exchanges
            .filter(
              (e) =>
                matchOperation(specValidator().spec, e.method, new URL(e.url).pathname)?.operationId ===
                operationId,
            )
            .map((e) => e.status);
          expect(answered, `${operationId} answered`).toContain(expected);
        },
        target.timeoutMs,
      );
    };

    step('get-user-information 200', 'users.me resolves the account', async () => {
      const user = await client.users.me();
      expect(user).toMatchObject({
        id: expect.any(String),
        email: expect.any(String),
        balance: expect.any(Number),
      });
    });

    step('list-documents 200', 'list resolves the first page', async () => {
      const page = await client.documents.list({ per_page: 5 });
      expect(page.current_page).toBe(1);
      expect(page.per_page).toBe(5);
    });

    step('upload-document 201', `uploads the shipped sample (${SAMPLE_PDF_NAME}, transcribe)`, async () => {
      // delete_after 900 s: even if the run dies before its delete, the API removes the sample soon.
      const uploaded = await client.documents.upload({
        file: samplePdf(),
        fileName: SAMPLE_PDF_NAME,
        action: 'transcribe',
        delete_after: 900,
      });
      expect(uploaded.id).toMatch(/^[A-Za-z0-9]+$/);
      docId = uploaded.id;
    });

    if (target.name === 'proxy') {
      step('download-result 202', 'retrieve right after the upload: still processing', async () => {
        const doc = await client.documents.retrieve(docId ?? '');
        // The status the 202 body gives (queued, then processing, as the simulator moves it along).
        expect(['queued', 'processing']).toContain(doc.status);
        expect(doc.action).toBeUndefined();
      });
      step('download-document-format 202', 'download before processing ends: NotReadyError', async () => {
        const error = await rejection(client.documents.download(docId ?? '', 'txt'));
        expect(error).toBeInstanceOf(NotReadyError);
      });
    } else {
      // The real API may be done already, or answer 200 with a pending status: both are documented.
      step(
        'download-result',
        'retrieve right after the upload (202 or 200, as the API decides)',
        async () => {
          const doc = await client.documents.retrieve(docId ?? '');
          expect(doc.id).toBe(docId);
        },
      );
    }

    step('download-result 200', 'waitForProcessing resolves the processed document', async () => {
      const doc = await client.documents.waitForProcessing(docId ?? '', target.wait);
      expectTypeOf(doc).toEqualTypeOf<DocumentResult>();
      expect(doc).toMatchObject({ id: docId, action: 'transcribe', status: 'processed' });
    });

    for (const { format, mediaType } of FORMATS.transcribe) {
      step(`download-document-format 200 ${mediaType}`, `download(id, '${format}')`, async () => {
        const result = await client.documents.download(docId ?? '', format);
        expect(recorder.exchanges.at(-1)?.headers.get('content-type')?.split(';')[0]).toBe(mediaType);
        if (format === 'txt') expect(typeof result).toBe('string');
        if (format === 'docx') expect([...(result as Uint8Array).slice(0, 2)]).toEqual(ZIP_MAGIC);
        if (format === 'json') expect(result).toMatchObject({ id: docId, action: 'transcribe' });
      });
    }

    step(
      'download-document-format 400',
      'a format transcribe does not offer (xlsx): BadRequestError',
      async () => {
        const error = await rejection(client.documents.download(docId ?? '', 'xlsx'));
        expect(error).toBeInstanceOf(BadRequestError);
      },
    );

    step('delete-document 204', 'delete resolves', async () => {
      await client.documents.delete(docId ?? '');
      deleted = true;
    });

    step('download-result 404', 'retrieve after the delete: NotFoundError', async () => {
      const error = await rejection(client.documents.retrieve(docId ?? ''));
      expect(error).toBeInstanceOf(NotFoundError);
    });

    it.runIf(target.name === 'proxy')(
      '[delete-document-format-not-allowed 405] DELETE on a format download: 405 with Allow: GET',
      async () => {
        const ex = await rawRequest(target.url ?? '', {
          method: 'DELETE',
          path: '/documents/abcde12345.txt',
          token: target.token ?? null,
        });
        expect([ex.status, ex.headers.get('allow')]).toEqual([405, 'GET']);
        await expectConforming([ex], { status: 405 });
      },
    );

    it('[get-user-information 401] a wrong token: AuthenticationError', async () => {
      const wrong = recordedClient(target.url ?? '', 'contract-wrong-token', { maxRetries: 0 });
      const error = await rejection(wrong.client.users.me());
      expect(error).toBeInstanceOf(AuthenticationError);
      await expectConforming(wrong.recorder.exchanges, { status: 401 });
    });

    step(
      'purchase-additional-credits 200',
      `credits.topup({ amount: ${target.topupAmount} })`,
      async () => {
        try {
          const result = await client.credits.topup({ amount: target.topupAmount });
          expectTypeOf(result).toEqualTypeOf<TopupResult>();
          expect(result.success).toBe(true);
        } catch (error) {
          // Live, the account decides (no subscription, 3-D Secure, a purchase in the last 5 minutes): any
          // documented answer is a conforming one, and expectConforming checks it is documented.
          if (target.name !== 'live' || !(error instanceof APIError)) throw error;
          expect([402, 403, 422, 429]).toContain(error.status);
          return { status: error.status };
        }
      },
      target.topupSkip,
    );

    if (target.extended) {
      describe('every action, pagination, webhook delivery', () => {
        for (const action of ['tables', 'extractor'] as const) {
          step(
            `upload-document 201`,
            `${action}: uploadAndWait, every format it offers, delete`,
            async () => {
              const doc = await client.documents.uploadAndWait(
                {
                  file: samplePdf(),
                  fileName: SAMPLE_PDF_NAME,
                  action,
                  ...(action === 'extractor' ? { extractor_id: 'Ks08XVPyMd' } : {}),
                },
                target.wait,
              );
              expect(doc.action).toBe(action);
              await downloadAll(client, recorder, doc);
              await client.documents.delete(doc.id);
            },
          );
        }

        step(
          'list-documents 200',
          'iterating with per_page 1 walks every page through the proxy',
          async () => {
            const ids = await Promise.all(
              [1, 2, 3].map(async () => {
                const up = await client.documents.upload({
                  file: samplePdf(),
                  fileName: SAMPLE_PDF_NAME,
                  action: 'transcribe',
                });
                return up.id;
              }),
            );
            const seen: string[] = [];
            for await (const doc of client.documents.list({ per_page: 1 })) seen.push(doc.id);
            expect(seen).toEqual(expect.arrayContaining(ids));
            const pages = recorder.exchanges
              .filter((e) => e.method === 'GET')
              .map((e) => new URL(e.url).searchParams.get('page') ?? '1');
            expect(pages.slice(0, 3)).toEqual(['1', '2', '3']);
            for (const id of ids) await client.documents.delete(id);
          },
        );

        it('[document-processed-webhook 200] the upstream delivery conforms and parseWebhook verifies it', async () => {
          const receiver = await startReceiver();
          try {
            recorder.clear();
            const { id } = await client.documents.upload({
              file: samplePdf(),
              fileName: SAMPLE_PDF_NAME,
              action: 'transcribe',
              webhook_url: receiver.url,
            });
            const delivery = await receiver.next(20_000);
            const validator = specValidator();
            const body = JSON.parse(delivery.raw) as unknown;
            expect(
              validator.validateRequestBody('document-processed-webhook', 'application/json', body),
            ).toEqual([]);
            expect(delivery.headers['content-type']).toMatch(/^application\/json/);
            const signature = String(delivery.headers['x-signature']);
            expect(
              validator.validateParameter('document-processed-webhook', 'header', 'x-signature', signature),
            ).toEqual([]);
            const doc = await parseWebhook(delivery.raw, { signature, secret: contract.local.webhookSecret });
            expect(doc).toMatchObject({ id, status: 'processed', action: 'transcribe' });
            await client.documents.delete(id);
            await expectConforming(recorder.exchanges, { status: 204 });
          } finally {
            receiver.close();
          }
        });
      });
    }
  });
}
