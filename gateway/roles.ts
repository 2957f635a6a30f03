// Who may do what: five roles, each a job — sources submit, architects work on mappings, ops
// engineers work on messages, claims, dead letters and queues, auditors read the trail, admins
// manage keys and configuration. Admin may also do everything the others may.
export type Role = 'source' | 'architect' | 'ops' | 'auditor' | 'admin';

export const ROLES: readonly Role[] = ['source', 'architect', 'ops', 'auditor', 'admin'];

/** Whoever a request acts for: an API key's client, or the subject of an OIDC token. */
export interface Principal {
  /** Stable id: the API key's id, or `oidc:<subject>`. */
  id: string;
  /** Display name for logs and the audit trail: the key's name, or the token's name claim. */
  name: string;
  roles: Role[];
  /** Source ids this principal may submit as; absent: any. */
  sources?: string[];
  via: 'api-key' | 'oidc';
}

/** Roles that may call a route: the route's own, and admin. */
export function allowedRoles(access: readonly Role[]): ReadonlySet<Role> {
  return new Set<Role>([...access, 'admin']);
}

export function mayCall(principal: Principal, access: readonly Role[]): boolean {
  const allowed = allowedRoles(access);
  return principal.roles.some((role) => allowed.has(role));
}
