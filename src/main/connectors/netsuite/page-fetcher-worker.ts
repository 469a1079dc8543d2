import { parentPort, workerData } from 'node:worker_threads';
import { type FetcherData, runPageFetcher } from './page-fetcher';

/** Worker-thread entry of the threaded SuiteQL pull (see page-fetcher.ts). */
if (parentPort) runPageFetcher(parentPort, workerData as FetcherData);
