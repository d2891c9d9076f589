// Node (and Bun) as CommonJS: `require` loads the package's CJS build.
const sdk = require('handwriting-ocr');
const { scenario } = require('./scenario.cjs');

scenario(sdk, JSON.parse(process.argv[2])).then(
  (results) => console.log(JSON.stringify(results)),
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
