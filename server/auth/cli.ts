import type { Kysely } from 'kysely';
import { roles } from '../env.ts';
import type { Database } from '../store/schema.ts';
import { AuthError } from './errors.ts';
import { addUser, findUserByEmail, isRole, publicUser, resetPassword } from './users.ts';

type Print = (line: string) => void;
/** records a command in the audit log (server/cli.ts passes the audit log with the OS user as actor) */
export type CliAudit = (action: string, details: Record<string, string | number | boolean | null>) => Promise<unknown>;
const noAudit: CliAudit = async () => {};

/**
 * `ashiato user add <email> --role admin|marketer|privacy`: prints a one-time password (never taken on the
 * command line, where shell history would keep it) and returns the exit code.
 */
export async function userAddCommand(
  db: Kysely<Database>,
  email: string | undefined,
  role: string | undefined,
  out: Print = console.log,
  err: Print = console.error,
  audit: CliAudit = noAudit,
): Promise<number> {
  if (!email || !role || !isRole(role)) {
    err(`usage: ashiato user add <email> --role ${roles.join('|')}`);
    return 1;
  }
  try {
    const { user, generatedPassword } = await addUser(db, { email, role });
    await audit('user.add', { userId: user.id, role: user.role });
    out(`user ${user.email} (${user.role}) created`);
    out(`one-time password: ${generatedPassword}`);
    out('It is shown only now; the user chooses their own at first sign-in.');
    return 0;
  } catch (e) {
    if (e instanceof AuthError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
}

/** `ashiato user reset-password <email>`: a new one-time password; the user's sessions end. */
export async function userResetCommand(db: Kysely<Database>, email: string | undefined, out: Print = console.log, err: Print = console.error, audit: CliAudit = noAudit): Promise<number> {
  const user = email ? await findUserByEmail(db, email) : undefined;
  if (!user) {
    err(email ? `no user ${email}` : 'usage: ashiato user reset-password <email>');
    return 1;
  }
  const password = await resetPassword(db, Number(user.id));
  await audit('user.password_reset', { userId: Number(user.id) });
  out(`one-time password for ${user.email}: ${password}`);
  out('It is shown only now; signed-in sessions of this user have ended.');
  return 0;
}

/** `ashiato user list` */
export async function userListCommand(db: Kysely<Database>, out: Print = console.log): Promise<number> {
  const rows = await db.selectFrom('users').selectAll().orderBy('id').execute();
  for (const u of rows.map(publicUser)) {
    const state = u.disabledAt !== null ? 'disabled' : u.mustChangePassword ? 'must change password' : 'active';
    out(`${u.email}\t${u.role}\t${state}`);
  }
  return 0;
}
