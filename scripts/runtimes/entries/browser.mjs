// A page: the scenario's env comes in the query string; the harness awaits `window.hwocrResults`.
import * as sdk from 'handwriting-ocr';
import { scenario } from './scenario.mjs';

const env = JSON.parse(new URLSearchParams(location.search).get('env'));
window.hwocrResults = scenario(sdk, env);
