// A module Worker: a request with `?env=` runs the scenario with that env and answers the results; any other
// request answers `ready` (the harness's readiness probe).
import * as sdk from 'handwriting-ocr';
import { scenario } from './scenario.mjs';

export default {
  async fetch(request) {
    const env = new URL(request.url).searchParams.get('env');
    if (env === null) return new Response('ready');
    return Response.json(await scenario(sdk, JSON.parse(env)));
  },
};
