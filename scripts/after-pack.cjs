// electron-builder `afterPack` hook (package.json build.afterPack): flips the Electron fuses of
// the packed app before it is signed. The logic and the values are TypeScript
// (scripts/fuses-hook.ts, src/main/security/fuses.ts), loaded through tsx.
require('tsx/cjs');
const { flipPackagedFuses } = require('./fuses-hook.ts');

exports.default = async function afterPack(context) {
  await flipPackagedFuses(context);
};
