import type { SyncJob } from '../schedule/job';
import { instanceLabels, LOG_KEEP } from '../script/bash';
import type { HistoryOptions } from './parse';

/** What the history needs to know of a job: its name, and its instances' labels and folders. */
export function historyOptions(job: SyncJob, limit?: number): HistoryOptions {
  const labels = instanceLabels(job.instances, job.platform);
  const instances = job.instances.length > 0 ? job.instances.map((folder, index) => ({ label: labels[index]!, folder })) : [{ label: 'default', folder: null }];
  return { job: job.name, instances, ...(limit !== undefined ? { limit } : {}) };
}

/** The job's log files, oldest first: the rotated ones (LOG.3 … LOG.1), then the log itself. */
export function logFiles(job: SyncJob): string[] {
  return [...Array.from({ length: LOG_KEEP }, (_, index) => `${job.log}.${LOG_KEEP - index}`), job.log];
}

/** Where the script writes its last run, as one element of the history. */
export function lastRunFile(job: SyncJob): string {
  return `${job.log}.last.json`;
}
