/**
 * Leases of the background jobs (server/jobs/tasks.ts): with several processes on one database, the one
 * holding a job's lease runs it and the others skip that turn.
 */
export interface JobLeasesTable {
  /** the job's name in the task table */
  name: string;
  /** the process that holds the lease (random per process) */
  holder: string;
  /** ms; another process may take the lease from then on */
  until: number;
}

export interface JobTables {
  job_leases: JobLeasesTable;
}
