/**
 * Runs in the workspace: a run row with its rules and summary, one `results` row per result
 * (its one or two NetSuite records in the row, more in result_netsuite_records), annotations keyed by
 * the stable result key, sign-off, the paged results query of the review screen and run-to-run
 * diffs — one module per job in ./runs/. This module keeps the one import path the services and
 * tests use.
 */

export { annotationHistory, setAnnotation } from './runs/annotations';
export { resultDetail } from './runs/detail';
export { resultTendersByIds } from './runs/result-tenders';
export { searchPhrase } from './runs/results-filter';
export { queryResults } from './runs/results-page';
export { getRun, listRuns } from './runs/runs';
export { signOff } from './runs/sign-off';
export { queryTotals } from './runs/totals';
export { finishRun, type NewRun, ResultWriter, startRun, storeResults } from './runs/writer';
