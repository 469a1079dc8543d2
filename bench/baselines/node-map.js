// Baseline for the flat reconcile benchmark (issue 15): raw Node, readline + split(',') + Map on
// the flat CSVs (order_ref,refund_id,currency,total,date), keyed by refund id. Prints the counts.
const fs = require('node:fs');
const readline = require('node:readline');

async function read(file, onRow) {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let first = true;
  for await (const line of lines) {
    if (first) {
      first = false;
      continue;
    }
    onRow(line.split(','));
  }
}

async function main() {
  const storefront = new Map();
  await read(process.argv[2], (f) => storefront.set(f[1], f));
  let both = 0;
  let rightOnly = 0;
  let changed = 0;
  let duplicate = 0;
  const seen = new Set();
  await read(process.argv[3], (f) => {
    const sf = storefront.get(f[1]);
    if (!sf) return void rightOnly++;
    if (seen.has(f[1])) return void duplicate++;
    seen.add(f[1]);
    both++;
    if (sf[3] !== f[3]) changed++;
  });
  const leftOnly = storefront.size - seen.size;
  console.log(JSON.stringify({ left_only: leftOnly, right_only: rightOnly, both, changed, duplicate }));
}
main();
