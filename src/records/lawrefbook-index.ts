/**
 * The one SQLite file pufa reads that is not its records: LawRefBook's catalog (`db.sqlite3` at the root of
 * a mirror), which `pufa laws fetch` downloads to find each law's files. Kept here so every SQL statement
 * of the project lives in src/records/.
 */
import Database from 'better-sqlite3';

/** One row of the catalog: a law's name, its file name if given, its publication date and category folder. */
export interface LawRefBookRow {
  name: string;
  filename: string | null;
  publish: string | null;
  expired: number | null;
  folder: string;
}

/** Every law of the catalog file (opened read-only, closed before returning). Throws on a file that is not that database. */
export function readLawRefBookIndex(dbPath: string): LawRefBookRow[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT l.name AS name, l.filename AS filename, l.publish AS publish, l.expired AS expired, c.folder AS folder
         FROM law l JOIN category c ON l.category_id = c.id`,
      )
      .all() as LawRefBookRow[];
  } finally {
    db.close();
  }
}
