// Who is acting, for the audit log: --by, else the OS user (userInfo throws for uids without a passwd entry).
import { userInfo } from 'node:os';

export function defaultOperator(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? 'unknown';
  }
}
