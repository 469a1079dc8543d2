#!/usr/bin/env node
// `npm run emulators`: the vendor API emulators (test/emulators) on 127.0.0.1, for manual use.
require('tsx/cjs/api').register();
const { startAll } = require('../test/emulators/index.ts');

startAll().then(
  (stop) => {
    const shutdown = () => stop().then(() => process.exit(0));
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
