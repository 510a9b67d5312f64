/** A numbered schema migration. Both dialects keep their list and record applied versions in `migrations`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
