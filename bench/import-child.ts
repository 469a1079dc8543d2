import { importFile } from '../src/main/importers/import-file';
import { type ParseThreadMode, threadCpuMs } from '../src/main/importers/parse-thread';
import { openWorkspace } from '../src/main/store/open';

/** One import in its own process (so peak RSS is this import's): prints one JSON line of figures. */
async function main(): Promise<void> {
  const [file, side, workspace, mode] = process.argv.slice(2);
  const db = openWorkspace(workspace!);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const mainCpu0 = threadCpuMs();
  const result = await importFile(db, {
    file: file!,
    side: side as 'storefront' | 'netsuite',
    allowDuplicate: true,
    parseThread: (mode as ParseThreadMode | undefined) ?? 'auto',
  });
  const mainCpu1 = threadCpuMs();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  db.close();
  const { maxRSS } = process.resourceUsage();
  process.stdout.write(
    `${JSON.stringify({
      format: result.format,
      refunds: result.refundCount,
      lines: result.lineCount,
      rows: result.rowCount,
      bytes: result.snapshot.fileSize,
      ms: Math.round(ms),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      // Per thread (Linux): the writing (main) thread and the parse thread, user + sys.
      mainThreadCpuMs: mainCpu0 !== null && mainCpu1 !== null ? mainCpu1 - mainCpu0 : null,
      parseThreadCpuMs: result.parseThread?.cpuMs ?? null,
      maxRssKb: maxRSS,
    })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
