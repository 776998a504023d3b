// Who is acting, for the audit log: --by, else the OS user (userInfo throws for uids without a passwd entry).
import { userInfo } from 'node:os';

export function defaultOperator(): string {
  try {
    return userInfo().username;
  } catch {
    // A container's uid often has no passwd entry: its number still tells the audit log who it was.
    const uid = process.getuid?.();
    return process.env.USER || process.env.LOGNAME || (uid !== undefined ? `uid ${uid}` : 'unknown');
  }
}
