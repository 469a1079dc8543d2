import type Database from 'better-sqlite3';

/** One schema step. `up` is SQL text or a function for steps that need to move data. */
export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Database.Database) => void);
}
