import type { Kysely } from 'kysely';
import type { DialectSql } from '../sql.ts';

export async function up(_db: Kysely<any>, _d: DialectSql): Promise<void> {}
